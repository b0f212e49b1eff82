import {registry} from "@web/core/registry";
import {leavesPage} from "@itss_incident/../tests/tours/itss_tour_utils";

registry.category("web_tour.tours").add("itss_portal_report", {
    steps: () => [
        {
            content: "Choose the category",
            trigger: "select[name='category']",
            run: "selectByLabel Portal Tour Servers",
        },
        {
            content: "Title",
            trigger: "input[name='subject']",
            run: "edit Payroll server unreachable",
        },
        {
            content: "How many people are affected?",
            trigger: "select[name='itss_people']",
            run: "select department",
        },
        {
            content: "Can you keep working?",
            trigger: "select[name='itss_work']",
            run: "select blocked",
        },
        {
            content: "Description",
            trigger: "textarea[name='description']",
            run: "edit Nobody in finance can reach the payroll server.",
        },
        leavesPage({
            content: "Submit",
            trigger: "form[action='/submitted/ticket'] button[type='submit']",
            run: "click",
        }),
        {
            content: "The ticket page shows the ticket number at once",
            trigger: "[data-id='number']:contains(HT)",
        },
    ],
});

registry.category("web_tour.tours").add("itss_portal_confirm", {
    steps: () => [
        {
            content: "The resolution is shown",
            trigger: "#itss_resolution:contains(Replaced the disk)",
        },
        {
            content: "Rate 4",
            trigger: "#itss_confirm_form input[name='satisfaction'][value='4']",
            run: "click",
        },
        {
            content: "Comment",
            trigger: "#itss_confirm_form textarea[name='comment']",
            run: "edit Fast and friendly",
        },
        leavesPage({
            content: "Confirm",
            trigger: "#itss_confirm_form button[name='itss_confirm']",
            run: "click",
        }),
        {
            content: "The ticket is closed: no buttons any more",
            trigger: "#itss_closed",
        },
        {
            content: "No confirmation form",
            trigger: "body:not(:has(#itss_resolution))",
        },
    ],
});

registry.category("web_tour.tours").add("itss_portal_reject", {
    steps: () => [
        {
            content: "Say what still fails",
            trigger: "#itss_reject_form textarea[name='comment']",
            run: "edit The disk light is still red",
        },
        leavesPage({
            content: "Not resolved",
            trigger: "#itss_reject_form button[name='itss_reject']",
            run: "click",
        }),
        {
            content: "The customer lands on the new ticket, which follows the old one",
            trigger: "div:contains(Follows ticket)",
        },
    ],
});

registry.category("web_tour.tours").add("itss_portal_reply", {
    steps: () => [
        {
            content: "Write a reply",
            trigger: "#chatterRoot:shadow .o-mail-Composer-input",
            run: "edit Any news on this?",
        },
        {
            content: "Send it",
            trigger: "#chatterRoot:shadow .o-mail-Composer-send:enabled",
            run: "click",
        },
        {
            content: "The reply is in the history",
            trigger: "#chatterRoot:shadow .o-mail-Message-body:contains(Any news on this?)",
        },
    ],
});
