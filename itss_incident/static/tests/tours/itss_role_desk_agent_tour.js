import {registry} from "@web/core/registry";
import {rpc} from "@web/core/network/rpc";

/**
 * Service desk agent (服务台): logs a phone call, dispatches it, puts it on hold and
 * back, closes it with what the customer said and records the follow-up visit.
 * Selectors use field and button names only (the database also speaks zh_CN);
 * the texts typed are the test's own data.
 */

// a record of a many2one's dropdown (not "Search More...", "Create...", loading)
const RECORD_ITEM = ".o-autocomplete--dropdown-item:not(.o_m2o_dropdown_option)";

function pickMany2one(field, text, scope = ".o_form_view") {
    return [
        {
            content: `Type ${text} in ${field}`,
            trigger: `${scope} .o_field_widget[name='${field}'] input`,
            run: `edit ${text}`,
        },
        {
            // the list filtered by the typed text, not the one the click opened
            content: `Choose ${text} among the matches`,
            trigger: `.o-autocomplete--dropdown-menu:not(:has(${RECORD_ITEM}:not(:contains(${text})))) ${RECORD_ITEM} a:contains(${text})`,
            run: "click",
        },
        {
            content: `${field} is set`,
            trigger: `body:not(:has(.o-autocomplete--dropdown-menu)) ${scope} .o_field_widget[name='${field}'] input:value(${text})`,
        },
    ];
}

/** Click the form button of type "action" opening the window action ``xmlid``. */
function clickActionButton(xmlid) {
    return {
        content: `Open ${xmlid}`,
        trigger: ".o_form_view .o_form_statusbar button[type='action']",
        async run(helpers) {
            const action = await rpc("/web/action/load", {action_id: xmlid});
            await helpers.click(`.o_form_statusbar button[type='action'][name='${action.id}']`);
        },
    };
}

registry.category("web_tour.tours").add("itss_role_desk_log_dispatch", {
    steps: () => [
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
        {
            content: "Impact: moderate",
            trigger: ".o_form_view .o_field_widget[name='itss_impact'] select",
            run: 'select "3"',
        },
        {
            content: "Urgency: high",
            trigger: ".o_form_view .o_field_widget[name='itss_urgency'] select",
            run: 'select "2"',
        },
        {
            content: "Save the ticket",
            trigger: ".o_form_view .o_form_button_save",
            run: "click",
        },
        {
            content: "Logged in the ITSS lifecycle: it can be dispatched",
            trigger: ".o_form_renderer.o_form_saved .o_form_statusbar button[name='action_itss_assign']",
        },
        ...pickMany2one("user_id", "Role Line Engineer"),
        {
            content: "Dispatch",
            trigger: ".o_form_statusbar button[name='action_itss_assign']",
            run: "click",
        },
        {
            content: "Dispatched: waiting for the engineer to accept",
            trigger:
                ".o_form_renderer.o_form_saved .o_form_statusbar:not(:has(button[name='action_itss_assign'])) button[name='action_itss_accept']",
        },
    ],
});

registry.category("web_tour.tours").add("itss_role_desk_hold_resume", {
    steps: () => [
        {
            content: "The ticket is being worked: it can be put on hold",
            trigger: ".o_form_statusbar button[name='action_itss_pend']",
        },
        {
            content: "Open the Resolution tab",
            trigger: ".o_notebook a.nav-link[name='itss_resolution']",
            run: "click",
        },
        ...pickMany2one("itss_wait_code_id", "Role Tour waiting for the vendor"),
        {
            content: "Put on Hold",
            trigger: ".o_form_statusbar button[name='action_itss_pend']",
            run: "click",
        },
        {
            content: "Pending: it can be resumed",
            trigger:
                ".o_form_renderer.o_form_saved .o_form_statusbar:not(:has(button[name='action_itss_pend'])) button[name='action_itss_resume']",
        },
        {
            content: "Resume",
            trigger: ".o_form_statusbar button[name='action_itss_resume']",
            run: "click",
        },
        {
            content: "In progress again",
            trigger:
                ".o_form_renderer.o_form_saved .o_form_statusbar:not(:has(button[name='action_itss_resume'])) button[name='action_itss_pend']",
        },
    ],
});

registry.category("web_tour.tours").add("itss_role_desk_close_followup", {
    steps: () => [
        {
            content: "Close the resolved ticket",
            trigger:
                ".o_form_statusbar button[name='action_itss_close_dialog'], .o_form_statusbar button[name='action_itss_close']",
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
