import {registry} from "@web/core/registry";
import {
    editDateTime,
    gearMenuAction,
    pickMany2one,
    rememberNumber,
    toastNamesTheTicket,
} from "@itss_incident/../tests/tours/itss_tour_utils";

/**
 * Support engineer (一线/二线): accepts a dispatched ticket, puts it on hold through
 * the hold dialog, resolves it from pending through the Resolve dialog; escalates
 * another ticket to the next tier; cancels a third one from the gear menu. Selectors
 * use field, button and action names only; the texts typed are the test's own data.
 */

registry.category("web_tour.tours").add("itss_role_engineer_accept_hold_resolve", {
    steps: () => [
        rememberNumber(),
        {
            content: "Accept the dispatched ticket",
            trigger: ".o_form_statusbar button[name='action_itss_accept']",
            run: "click",
        },
        toastNamesTheTicket("accepted"),
        {
            content: "In progress: it can be put on hold",
            trigger:
                ".o_form_renderer.o_form_saved .o_form_statusbar:not(:has(button[name='action_itss_accept'])) button[name='action_itss_hold_dialog']",
            run: "click",
        },
        ...pickMany2one("wait_code_id", "Role Tour waiting for the vendor", ".modal"),
        {
            content: "Put on Hold (no end date: the vendor did not say)",
            trigger: ".modal button[name='action_hold']",
            run: "click",
        },
        toastNamesTheTicket("on hold"),
        {
            content: "Pending: it can be resumed or resolved",
            trigger:
                "body:not(:has(.modal)) .o_form_renderer.o_form_saved .o_form_statusbar:not(:has(button[name='action_itss_hold_dialog'])) button[name='action_itss_resume']",
        },
        {
            content: "The vendor sent the part: Resolve, straight from pending",
            trigger: ".o_form_statusbar button[name='action_itss_resolve_dialog']",
            run: "click",
        },
        {
            content: "The solution is required",
            trigger: ".modal .o_field_widget[name='solution'].o_required_modifier",
        },
        {
            content: "... and, for an incident, the business recovery time",
            trigger: ".modal .o_field_widget[name='recovery_date'].o_required_modifier",
        },
        {
            content: "Write the solution",
            trigger: ".modal .o_field_html[name='solution'] .odoo-editor-editable :is(p, div.o-paragraph)",
            run: "editor Replaced the fuser unit sent by the vendor.",
        },
        ...pickMany2one("closure_code_id", "Role Tour fixed", ".modal"),
        // the ticket was logged two hours ago: the business was back 30 minutes ago,
        // the work finished 10 minutes ago
        ...editDateTime("recovery_date", -30),
        ...editDateTime("completion_date", -10),
        {
            content: "Resolve",
            trigger: ".modal button[name='action_resolve']",
            run: "click",
        },
        toastNamesTheTicket("resolved"),
        {
            content: "Resolved: no more resolve, resume or hold",
            trigger:
                "body:not(:has(.modal)) .o_form_renderer.o_form_saved .o_form_statusbar:not(:has(button[name='action_itss_resolve_dialog'], button[name='action_itss_resume'], button[name='action_itss_hold_dialog']))",
        },
        {
            content: "Open the Resolution tab",
            trigger: ".o_notebook a.nav-link[name='itss_resolution']",
            run: "click",
        },
        {
            content: "The resolution time is recorded",
            trigger: ".o_form_view .o_field_widget[name='itss_resolved_date'] span:contains(/\\d/)",
        },
    ],
});

registry.category("web_tour.tours").add("itss_role_engineer_escalate", {
    steps: () => [
        rememberNumber(),
        {
            content: "Escalate to the next tier",
            trigger: ".o_form_statusbar button[name='action_itss_escalate']",
            run: "click",
        },
        toastNamesTheTicket("escalated"),
        {
            content: "Dispatched to the second line: no more hold, nobody assigned",
            trigger:
                "body:not(:has(.modal)) .o_form_renderer.o_form_saved .o_form_statusbar:not(:has(button[name='action_itss_hold_dialog'])) button[name='action_itss_accept']",
        },
    ],
});

registry.category("web_tour.tours").add("itss_role_engineer_cancel", {
    steps: () => [
        rememberNumber(),
        ...gearMenuAction(
            "itss_incident.helpdesk_ticket_action_server_itss_cancel",
            "Cancel Ticket (the server action, by its name in the user's language)"
        ),
        {
            content: "The reason is required",
            trigger: ".modal .o_field_widget[name='reason'].o_required_modifier textarea",
            run: "edit Role tour: logged twice, see the other ticket",
        },
        {
            content: "Cancel the ticket",
            trigger: ".modal button[name='action_cancel']",
            run: "click",
        },
        toastNamesTheTicket("cancelled"),
        {
            content: "Cancelled: no step left in the header",
            trigger:
                "body:not(:has(.modal)) .o_form_renderer.o_form_saved .o_form_statusbar:not(:has(button[name='action_itss_resolve_dialog'], button[name='action_itss_hold_dialog'], button[name='action_itss_escalate']))",
        },
        {
            content: "The reason is in the chatter",
            trigger: ".o-mail-Message-body:contains(logged twice, see the other ticket)",
        },
    ],
});
