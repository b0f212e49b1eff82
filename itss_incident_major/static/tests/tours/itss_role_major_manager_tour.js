import {registry} from "@web/core/registry";
import {gearMenuAction, selectValue} from "@itss_incident/../tests/tours/itss_tour_utils";

/**
 * The major incident manager's day: declare a major incident from a ticket, start
 * the recovery, approve the first recovery plan version, plan the communication to
 * the customers and approve and send a statement. Data (names typed, records
 * picked) come from the test's fixtures; selectors use technical names only.
 */
const LINES = "div[name='communication_line_ids']";
const UPDATES = "div[name='communication_update_ids']";
// the form once saved: its save button is hidden again
const SAVED = ".o_form_view:has(.o_form_status_indicator_buttons.invisible)";

registry.category("web_tour.tours").add("itss_role_major_manager", {
    steps: () => [
        ...gearMenuAction(
            "itss_incident_major.helpdesk_ticket_action_server_itss_declare_major",
            "Declare Major Incident (the server action, by its name in the user's language)"
        ),
        {
            content: "Say why",
            trigger: ".modal div[name='reason'] textarea",
            run: "edit All stations have lost ticket sales",
        },
        {
            content: "Confirm the declaration",
            trigger: ".modal .modal-footer button[name='action_confirm']",
            run: "click",
        },
        {
            content: "The major incident is declared: start the recovery",
            trigger:
                ".o_form_view:has(div[name='manager_ids']) .o_form_statusbar button[name='action_start_recovery']",
            run: "click",
        },
        {
            content: "Open the recovery plan",
            trigger:
                ".o_form_view:has(.o_statusbar_status button.o_arrow_button_current[data-value='recovering']) .o_form_statusbar button[name='action_new_recovery_plan']",
            run: "click",
        },
        {
            content: "A version needs an action: add one",
            trigger: ".o_form_view:has(div[name='hypothesis_ids']) div[name='action_ids'] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            trigger: "div[name='action_ids'] .o_selected_row td[name='name'] input",
            run: "edit Restart the ticketing servers",
        },
        {
            trigger: "div[name='action_ids'] .o_selected_row td[name='user_id'] input",
            run: "fill Tour Engineer",
        },
        {
            trigger: ".o-autocomplete--dropdown-item a:contains(Tour Engineer)",
            run: "click",
        },
        {
            content: "Approve its first version",
            trigger:
                ".o_form_view:has(div[name='hypothesis_ids']) .o_form_statusbar button[name='action_approve']",
            run: "click",
        },
        {
            content: "The version is approved: back to the major incident",
            trigger:
                ".o_form_view:has(div[name='hypothesis_ids']) .o_statusbar_status button.o_arrow_button_current[data-value='approved']",
        },
        {
            trigger: ".o_breadcrumb .o_back_button",
            run: "click",
        },
        {
            content: "Open the communication plan",
            trigger: ".o_form_view:has(div[name='manager_ids']) .o_notebook a.nav-link[name='communication']",
            run: "click",
        },
        {
            content: "Add an audience",
            trigger: `${LINES} .o_field_x2many_list_row_add a`,
            run: "click",
        },
        // the customers
        ...selectValue(
            "itss.communication.plan.line",
            "audience",
            "customers",
            `${LINES} .o_selected_row`
        ),
        {
            trigger: `${LINES} .o_selected_row td[name='contact_ids'] input`,
            run: "fill Tour Customer",
        },
        {
            trigger: ".o-autocomplete--dropdown-item a:contains(Tour Customer)",
            run: "click",
        },
        {
            content: "Approved by the director",
            trigger: `${LINES} .o_selected_row td[name='approver_id'] input`,
            run: "fill Tour Director",
        },
        {
            trigger: ".o-autocomplete--dropdown-item a:contains(Tour Director)",
            run: "click",
        },
        {
            content: "Draft a statement: the button saves the new audience first",
            trigger: ".o_form_view button[name='action_new_statement']",
            run: "click",
        },
        {
            trigger: ".modal div[name='name'] input",
            run: "edit Ticket sales disrupted",
        },
        {
            content: "To the customers",
            trigger: ".modal div[name='line_ids'] input",
            run: "click",
        },
        {
            content: "The incident's only audience (once loaded)",
            trigger:
                ".modal div[name='line_ids'] .o-autocomplete--dropdown-item:first-child a:not(:has(.fa-spin))",
            run: "click",
        },
        {
            trigger: ".modal div[name='line_ids'] .o_tag",
        },
        {
            trigger: ".modal div[name='body'] .odoo-editor-editable",
            run: "editor We are restoring ticket sales at all stations.",
        },
        {
            content: "Keep the draft",
            trigger: ".modal .modal-footer .o_form_button_save",
            run: "click",
        },
        {
            trigger: `body:not(:has(.modal)) ${UPDATES} .o_data_row`,
        },
        {
            content: "Approve the statement",
            trigger: `${SAVED} ${UPDATES} .o_data_row button[name='action_approve']`,
            run: "click",
        },
        {
            content: "Send it",
            trigger: `${UPDATES} .o_data_row:not(:has(button[name='action_approve'])) button[name='action_send']`,
            run: "click",
        },
        {
            content: "The form reloads: open the communication plan again",
            trigger: ".o_form_view:has(div[name='manager_ids']) .o_notebook a.nav-link[name='communication']",
            run: "click",
        },
        {
            content: "The statement is sent",
            trigger: `${UPDATES} .o_data_row:not(:has(button[name='action_send'])) td[name='state'] .text-bg-success`,
        },
    ],
});
