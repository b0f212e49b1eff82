import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("itss_closed_ticket_readonly", {
    steps: () => [
        {
            content: "The form says the ticket is closed",
            trigger: ".o_form_view .o_widget_web_ribbon .ribbon",
        },
        {
            content: "The title is read-only",
            trigger: ".o_field_widget[name='name'].o_readonly_modifier",
        },
        {
            content: "Impact is read-only",
            trigger: ".o_field_widget[name='itss_impact'].o_readonly_modifier",
        },
        {
            content: "The stage bar is read-only",
            trigger: ".o_field_widget[name='stage_id'].o_readonly_modifier",
        },
        {
            content: "No lifecycle button is offered",
            trigger:
                ".o_form_statusbar:not(:has(button[name='action_itss_accept'], button[name='action_itss_resolve_dialog'], button[name='action_itss_close_dialog'], button[name='action_itss_dispatch_dialog'], button[name='action_itss_hold_dialog'], button[name='action_itss_escalate']))",
        },
    ],
});

registry.category("web_tour.tours").add("itss_open_ticket_accept", {
    steps: () => [
        {
            content: "Impact is editable on an open ticket",
            trigger: ".o_field_widget[name='itss_impact']:not(.o_readonly_modifier)",
        },
        {
            content: "Accept the ticket",
            trigger: ".o_form_statusbar button[name='action_itss_accept']",
            run: "click",
        },
        {
            content: "The ticket is in progress: it can be put on hold",
            trigger: ".o_form_statusbar button[name='action_itss_hold_dialog']",
        },
    ],
});
