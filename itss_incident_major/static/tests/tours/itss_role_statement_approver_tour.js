import {registry} from "@web/core/registry";

/**
 * An approver named on a communication line, a plain internal user (a director), finds
 * the statement awaiting them and approves it; sending is not theirs.
 */
registry.category("web_tour.tours").add("itss_role_statement_approver", {
    steps: () => [
        {
            content: "The statement awaiting approval is listed",
            trigger: ".o_list_view .o_data_row td[name='name']:contains(Board update)",
            run: "click",
        },
        {
            content: "Approve it",
            trigger: ".o_form_view .o_form_statusbar button[name='action_approve']",
            run: "click",
        },
        {
            content: "It is approved; sending is left to the major incident manager",
            trigger:
                ".o_form_view:has(.o_statusbar_status button.o_arrow_button_current[data-value='approved']) .o_form_statusbar:not(:has(button[name='action_approve'], button[name='action_send']))",
        },
    ],
});
