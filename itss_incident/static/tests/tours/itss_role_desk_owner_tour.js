import {registry} from "@web/core/registry";

/**
 * Service desk agent (服务台): the owner of a ticket (负责人) shows on the kanban cards
 * and in the list; "My Owned Tickets" keeps the agent's own; the duty roster (当班) is a
 * calendar per service desk team where a double cover shows. The filter is found by
 * its label: the tour's user reads English (the database also speaks zh_CN).
 */

const MINE = "Owner tour: my scanner";
const THEIRS = "Owner tour: their scanner";

registry.category("web_tour.tours").add("itss_role_desk_owned", {
    steps: () => [
        {
            content: "The kanban card shows the ticket's owner",
            trigger: `.o_kanban_view .o_kanban_record:contains(${MINE}) .o_field_widget[name='itss_owner_id'] img`,
        },
        {
            content: "Another agent's ticket shows too, with its owner",
            trigger: `.o_kanban_view .o_kanban_record:contains(${THEIRS}) .o_field_widget[name='itss_owner_id'] img`,
        },
        {
            content: "Open the filters",
            trigger: ".o_control_panel .o_searchview_dropdown_toggler",
            run: "click",
        },
        {
            content: "Filter: My Owned Tickets",
            trigger: ".o_filter_menu .o-dropdown-item:contains(My Owned Tickets)",
            run: "click",
        },
        {
            content: "Only the agent's own ticket is left",
            trigger: `.o_kanban_view:not(:has(.o_kanban_record:contains(${THEIRS}))) .o_kanban_record:contains(${MINE})`,
        },
        {
            content: "Switch to the list",
            trigger: ".o_control_panel .o_switch_view.o_list",
            run: "click",
        },
        {
            content: "The list's Owner column names the agent",
            trigger: `.o_list_view:not(:has(.o_data_row:contains(${THEIRS}))) .o_data_row:contains(${MINE}) td[name='itss_owner_id']:contains(Role Desk Agent)`,
        },
    ],
});

registry.category("web_tour.tours").add("itss_role_desk_roster", {
    steps: () => [
        {
            content: "The roster's week shows the agent's shift",
            trigger: ".o_calendar_view .o_event:contains(Role Desk Agent)",
        },
        {
            content: "and the shift of the agent who covers the same hours",
            trigger: ".o_calendar_view .o_event:contains(Role Night Agent)",
        },
        {
            content: "Open the agent's shift",
            trigger: ".o_calendar_view .o_event:contains(Role Desk Agent)",
            run: "click",
        },
        {
            content: "The popover names the overlapping shift (double cover)",
            trigger: ".o_popover .o_field_widget[name='overlap_ids']:contains(Role Night Agent)",
        },
    ],
});

registry.category("web_tour.tours").add("itss_role_desk_call_mark_done", {
    steps: () => [
        {
            content: "The owner's escalation call in the chatter: Mark Done",
            trigger: ".o-mail-Activity:contains(Call tour escalation) .o-mail-Activity-markDone",
            run: "click",
        },
        {
            content: "Mark Done asks for the call's outcome: not reached",
            trigger: ".modal .o_field_widget[name='outcome'] input[data-value='not_reached']",
            run: "click",
        },
        {
            content: "A note on the call",
            trigger: ".modal .o_field_widget[name='note'] textarea",
            run: "edit Voicemail full",
        },
        {
            content: "Record",
            trigger: ".modal footer button[name='action_record']",
            run: "click",
        },
        {
            content: "The call is done, its outcome in the chatter",
            trigger: "body:not(:has(.modal)) .o-mail-Message:contains(Voicemail full)",
        },
        {
            content: "and no longer among the planned activities",
            trigger: ".o-mail-Chatter:not(:has(.o-mail-Activity:contains(Call tour escalation)))",
        },
    ],
});
