import {registry} from "@web/core/registry";
import {
    clickActionButton,
    editDateTime,
    pickMany2one,
    rememberNumber,
    selectValue,
    toastNamesTheTicket,
} from "@itss_incident/../tests/tours/itss_tour_utils";

/**
 * Service desk agent (服务台): starts on the queues page, logs a phone call from the
 * Unassigned queue and dispatches it through the Dispatch dialog; puts it on hold
 * through the hold dialog and resumes it; closes it with the Close dialog and records
 * the follow-up visit. Selectors use field, button and queue names only (the database
 * also speaks zh_CN); the texts typed are the test's own data.
 */

const {DateTime} = luxon;

/** The label of the queue tile clicked last. */
let queueLabel = null;

registry.category("web_tour.tours").add("itss_role_desk_log_dispatch", {
    steps: () => [
        {
            // the count the test computed with the queue's own domain for this agent
            content: "The landing page shows the agent's queue: one ticket",
            trigger: ".o_itss_queues .o_itss_queue[data-queue='my_queue'] .o_itss_queue_count:contains(/^\\s*1\\s*$/)",
        },
        {
            content: "Open the Unassigned queue",
            trigger: ".o_itss_queues .o_itss_queue[data-queue='unassigned']",
            run(helpers) {
                queueLabel = this.anchor.querySelector(".o_itss_queue_label").textContent.trim();
                return helpers.click();
            },
        },
        {
            content: "The list of the queue is named after its tile",
            trigger: ".o_action_manager:has(.o_list_view) .o_breadcrumb .o_last_breadcrumb_item.active",
            run() {
                const shown = this.anchor.textContent.trim();
                if (!queueLabel || shown !== queueLabel) {
                    throw new Error(`Breadcrumb "${shown}", tile "${queueLabel}"`);
                }
            },
        },
        {
            content: "A call comes in: New",
            trigger: ".o_list_view .o_list_button_add",
            run: "click",
        },
        {
            content: "Title of the call",
            trigger: ".o_form_view .o_field_widget[name='name'] input",
            run: "edit Role tour: finance printer offline",
        },
        {
            content: "What the caller says",
            trigger: ".o_form_view .o_field_html[name='description'] .odoo-editor-editable :is(p, div.o-paragraph)",
            run: "editor The finance printer on floor 3 does not print since this morning.",
        },
        ...pickMany2one("partner_id", "Role Tour Caller"),
        ...pickMany2one("category_id", "Role Tour Network"),
        ...pickMany2one("channel_id", "Phone"),
        // impact: moderate, urgency: high
        ...selectValue("helpdesk.ticket", "itss_impact", "3"),
        ...selectValue("helpdesk.ticket", "itss_urgency", "2"),
        {
            content: "Save the ticket",
            trigger: ".o_form_view .o_form_button_save",
            run: "click",
        },
        {
            content: "Logged in the ITSS lifecycle: it can be dispatched",
            trigger: ".o_form_renderer.o_form_saved .o_form_statusbar button[name='action_itss_dispatch_dialog']",
        },
        {
            content: "Back to the Unassigned queue",
            trigger: ".o_breadcrumb li.breadcrumb-item.o_back_button",
            run: "click",
        },
        {
            content: "The new ticket is in the queue: open it",
            trigger: ".o_list_view .o_data_row td[name='name']:contains(Role tour: finance printer offline)",
            run: "click",
        },
        rememberNumber(),
        {
            content: "Dispatch",
            trigger: ".o_form_statusbar button[name='action_itss_dispatch_dialog']",
            run: "click",
        },
        {
            content: "The dialog proposes the support group of the category",
            trigger: ".modal .o_field_widget[name='team_id'] input:value(Role Tour Service Desk)",
        },
        ...pickMany2one("user_id", "Role Line Engineer", ".modal"),
        {
            content: "Dispatch to the engineer",
            trigger: ".modal button[name='action_dispatch']",
            run: "click",
        },
        toastNamesTheTicket("dispatched"),
        {
            content: "Dispatched: waiting for the engineer to accept",
            trigger:
                "body:not(:has(.modal)) .o_form_renderer.o_form_saved .o_form_statusbar:not(:has(button[name='action_itss_dispatch_dialog'])) button[name='action_itss_accept']",
        },
        {
            content: "... assigned to the engineer",
            trigger: ".o_form_view .o_field_widget[name='user_id'] input:value(Role Line Engineer)",
        },
    ],
});

registry.category("web_tour.tours").add("itss_role_desk_hold", {
    steps: () => [
        rememberNumber(),
        {
            content: "The ticket is being worked: it can be put on hold",
            trigger: ".o_form_statusbar button[name='action_itss_hold_dialog']",
            run: "click",
        },
        {
            content: "The wait code is required",
            trigger: ".modal .o_field_widget[name='wait_code_id'].o_required_modifier",
        },
        ...pickMany2one("wait_code_id", "Role Tour waiting for the vendor", ".modal"),
        // until tomorrow, on the hour
        ...editDateTime("pending_until", () =>
            DateTime.now().plus({days: 1}).startOf("hour")
        ),
        {
            content: "A note for the history",
            trigger: ".modal .o_field_widget[name='note'] textarea",
            run: "edit Role tour: replacement toner ordered from the vendor",
        },
        {
            content: "Put on Hold",
            trigger: ".modal button[name='action_hold']",
            run: "click",
        },
        toastNamesTheTicket("on hold"),
        {
            content: "Pending: it can be resumed",
            trigger:
                "body:not(:has(.modal)) .o_form_renderer.o_form_saved .o_form_statusbar:not(:has(button[name='action_itss_hold_dialog'])) button[name='action_itss_resume']",
        },
        {
            content: "The note is in the chatter",
            trigger: ".o-mail-Message-body:contains(replacement toner ordered from the vendor)",
        },
    ],
});

registry.category("web_tour.tours").add("itss_role_desk_resume", {
    steps: () => [
        rememberNumber(),
        {
            content: "Resume",
            trigger: ".o_form_statusbar button[name='action_itss_resume']",
            run: "click",
        },
        toastNamesTheTicket("in progress again"),
        {
            content: "In progress again: it can be put on hold",
            trigger:
                ".o_form_renderer.o_form_saved .o_form_statusbar:not(:has(button[name='action_itss_resume'])) button[name='action_itss_hold_dialog']",
        },
    ],
});

registry.category("web_tour.tours").add("itss_role_desk_close_followup", {
    steps: () => [
        rememberNumber(),
        {
            content: "Close the resolved ticket",
            trigger: ".o_form_statusbar button[name='action_itss_close_dialog']",
            run: "click",
        },
        {
            content: "The closure code comes from the resolution",
            trigger: ".modal .o_field_widget[name='closure_code_id'] input:value(Role Tour fixed)",
        },
        {
            content: "The customer is satisfied (4)",
            trigger: ".modal .o_field_widget[name='satisfaction'] input[data-value='4']",
            run: "click",
        },
        {
            content: "What the customer said",
            trigger: ".modal .o_field_widget[name='comment'] textarea",
            run: "edit Printing again, thanks",
        },
        {
            content: "Close Ticket",
            trigger: ".modal button[name='action_close']",
            run: "click",
        },
        toastNamesTheTicket("closed"),
        {
            content: "The dialog is gone and the ticket is closed",
            trigger: "body:not(:has(.modal)) .o_form_view .o_widget_web_ribbon .ribbon",
        },
        {
            content: "The closed ticket shows its Resolution tab",
            trigger: ".o_notebook a.nav-link[name='itss_resolution']",
            run: "click",
        },
        clickActionButton("itss_incident.itss_ticket_followup_action"),
        {
            content: "Follow-up result: satisfied",
            trigger: ".modal .o_field_widget[name='result'] input[data-value='satisfied']",
            run: "click",
        },
        {
            content: "Follow-up note",
            trigger: ".modal .o_field_widget[name='note'] textarea",
            run: "edit Called back: all fine",
        },
        {
            content: "Record",
            trigger: ".modal button[name='action_record']",
            run: "click",
        },
        {
            content: "The follow-up result is on the ticket",
            trigger: "body:not(:has(.modal)) .o_form_view .o_field_widget[name='itss_followup_result']",
        },
    ],
});

/** The owner hears of the resolution at once: the confirmation is among the ticket's
 * activities, for the agent. */
registry.category("web_tour.tours").add("itss_role_desk_owner_sees_resolution", {
    steps: () => [
        {
            content: "The resolved ticket's form",
            trigger: ".o_form_view .o_field_widget[name='itss_owner_id']",
        },
        {
            content: "The owner's to-do: confirm the resolution with the customer",
            trigger: ".o-mail-Activity:contains(Role Desk Agent)",
        },
    ],
});

/** The follow-up visit (回访) of a ticket the customer closed on the portal. */
registry.category("web_tour.tours").add("itss_role_desk_followup", {
    steps: () => [
        {
            content: "The closed ticket shows its Resolution tab",
            trigger: ".o_form_view .o_widget_web_ribbon .ribbon",
        },
        {
            content: "Open the Resolution tab",
            trigger: ".o_notebook a.nav-link[name='itss_resolution']",
            run: "click",
        },
        clickActionButton("itss_incident.itss_ticket_followup_action"),
        {
            content: "Follow-up result: satisfied",
            trigger: ".modal .o_field_widget[name='result'] input[data-value='satisfied']",
            run: "click",
        },
        {
            content: "Follow-up note",
            trigger: ".modal .o_field_widget[name='note'] textarea",
            run: "edit Visited: the printer works",
        },
        {
            content: "Record",
            trigger: ".modal button[name='action_record']",
            run: "click",
        },
        {
            content: "The follow-up result is on the ticket",
            trigger:
                "body:not(:has(.modal)) .o_form_view .o_field_widget[name='itss_followup_result']",
        },
    ],
});
