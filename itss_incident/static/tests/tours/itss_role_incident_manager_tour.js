import {registry} from "@web/core/registry";
import {clickActionButton} from "@itss_incident/../tests/tours/itss_tour_utils";

/**
 * Incident manager (事件经理): takes back a mistaken resolution with a reason, then
 * checks the notifications sent for the ticket. Selectors use field, button and menu
 * xml ids only; the texts typed are the test's own data.
 */

registry.category("web_tour.tours").add("itss_role_manager_take_back", {
    steps: () => [
        clickActionButton("itss_incident.itss_ticket_reopen_action", "Take Back Resolution"),
        {
            content: "Say why",
            trigger: ".modal .o_field_widget[name='reason'] textarea",
            run: "edit Role tour: the mail queue is still blocked",
        },
        {
            content: "Confirm",
            trigger: ".modal button[name='action_reopen']",
            run: "click",
        },
        {
            content: "The ticket is in progress again: it can be put on hold",
            trigger:
                "body:not(:has(.modal)) .o_form_view .o_form_statusbar button[name='action_itss_hold_dialog']",
        },
        {
            content: "The reason is in the chatter",
            trigger: ".o-mail-Message-body:contains(the mail queue is still blocked)",
        },
        {
            content: "Open the Helpdesk configuration menu",
            trigger: ".o_menu_sections [data-menu-xmlid='helpdesk_mgmt.helpdesk_ticket_config_main_menu']",
            run: "click",
        },
        {
            content: "Notifications Sent",
            trigger: ".o-dropdown--menu [data-menu-xmlid='itss_incident.itss_escalation_log_menu']",
            run: "click",
        },
        {
            content: "The notification of the ticket is listed",
            trigger:
                ".o_list_view .o_data_row td[name='ticket_id']:contains(Role tour: mail server down)",
        },
        {
            content: "... with its reason",
            trigger:
                ".o_list_view .o_data_row:has(td[name='ticket_id']:contains(Role tour: mail server down)) td[name='note']:contains(Role tour SLA warning)",
        },
    ],
});
