import {registry} from "@web/core/registry";
import {leavesPage} from "@itss_incident/../tests/tours/itss_tour_utils";

/**
 * Customer (portal user): reports a ticket, sees it enter the ITSS lifecycle with its
 * priority, deadline and progress line, confirms one resolution (and is thanked) and
 * rejects another. Selectors use
 * form field names and element ids only; the texts typed are the test's own data.
 */

registry.category("web_tour.tours").add("itss_role_customer_report", {
    steps: () => [
        {
            content: "Choose the category",
            trigger: "select[name='category']",
            run: "selectByLabel Role Tour Printers",
        },
        {
            content: "Title",
            trigger: "input[name='subject']",
            run: "edit Role tour: label printer jams",
        },
        {
            content: "How many people are affected? My team",
            trigger: "select[name='itss_people']",
            run: "select team",
        },
        {
            content: "Can you keep working? Slowed down",
            trigger: "select[name='itss_work']",
            run: "select slowed",
        },
        {
            content: "Description",
            trigger: "textarea[name='description']",
            run: "edit The label printer in the warehouse jams every third label.",
        },
        leavesPage({
            content: "Submit",
            trigger: "form[action='/submitted/ticket'] button[type='submit']",
            run: "click",
        }),
        {
            content: "The ticket page shows the ticket number",
            trigger: "[data-id='number']:contains(/\\w+\\d+/)",
        },
        {
            content: "... its ITSS priority",
            trigger: "[name='portal_my_task_second_column']:contains(P3)",
        },
        {
            content: "... and where it stands: logged, being assigned",
            trigger: "#itss_progress[data-itss-state='new']",
        },
    ],
});

registry.category("web_tour.tours").add("itss_role_customer_confirm", {
    steps: () => [
        {
            content: "The progress line asks to confirm",
            trigger: "#itss_progress[data-itss-state='resolved']",
        },
        {
            content: "The resolution is shown",
            trigger: "#itss_resolution:contains(Role tour: new toner cartridge)",
        },
        {
            content: "Very satisfied (5)",
            trigger: "#itss_confirm_form input[name='satisfaction'][value='5']",
            run: "click",
        },
        {
            content: "Comment",
            trigger: "#itss_confirm_form textarea[name='comment']",
            run: "edit Role tour: quick and clear",
        },
        leavesPage({
            content: "Confirm the resolution",
            trigger: "#itss_confirm_form button[name='itss_confirm']",
            run: "click",
        }),
        {
            content: "The ticket is closed",
            trigger: "body:not(:has(#itss_resolution)) #itss_closed",
        },
        {
            content: "... the customer is thanked",
            trigger: "#itss_thanks",
        },
        {
            content: "... and the progress line says closed",
            trigger: "#itss_progress[data-itss-state='closed']",
        },
    ],
});

registry.category("web_tour.tours").add("itss_role_customer_reject", {
    steps: () => [
        {
            content: "The resolution is shown",
            trigger: "#itss_resolution:contains(Role tour: cleaned the scanner glass)",
        },
        {
            content: "Say what still fails",
            trigger: "#itss_reject_form textarea[name='comment']",
            run: "edit Role tour: the scans still have stripes",
        },
        leavesPage({
            content: "Not resolved",
            trigger: "#itss_reject_form button[name='itss_reject']",
            run: "click",
        }),
        {
            content: "The customer lands on the new ticket, which has no resolution yet",
            trigger: "body:not(:has(#itss_resolution, #itss_closed)) [data-id='number']",
        },
    ],
});
