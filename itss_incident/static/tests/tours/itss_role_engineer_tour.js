import {registry} from "@web/core/registry";
import {formatDateTime} from "@web/core/l10n/dates";

/**
 * Support engineer (一线/二线): accepts a dispatched ticket, puts it on hold, resolves
 * it from pending; escalates another ticket to the next tier. Selectors use field and
 * button names only; the texts typed are the test's own data.
 */

const {DateTime} = luxon;

// a record of a many2one's dropdown (not "Search More...", "Create...", loading)
const RECORD_ITEM = ".o-autocomplete--dropdown-item:not(.o_m2o_dropdown_option)";

function pickMany2one(field, text) {
    return [
        {
            content: `Type ${text} in ${field}`,
            trigger: `.o_form_view .o_field_widget[name='${field}'] input`,
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
            trigger: `body:not(:has(.o-autocomplete--dropdown-menu)) .o_form_view .o_field_widget[name='${field}'] input:value(${text})`,
        },
    ];
}

registry.category("web_tour.tours").add("itss_role_engineer_accept_hold_resolve", {
    steps: () => [
        {
            content: "Accept the dispatched ticket",
            trigger: ".o_form_statusbar button[name='action_itss_accept']",
            run: "click",
        },
        {
            content: "In progress: it can be put on hold",
            trigger:
                ".o_form_renderer.o_form_saved .o_form_statusbar:not(:has(button[name='action_itss_accept'])) button[name='action_itss_pend']",
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
            content: "Pending",
            trigger:
                ".o_form_renderer.o_form_saved .o_form_statusbar:not(:has(button[name='action_itss_pend'])) button[name='action_itss_resume']",
        },
        {
            content: "The vendor sent the part: write the solution",
            trigger: ".o_form_view .o_field_html[name='itss_solution'] .odoo-editor-editable :is(p, div.o-paragraph)",
            run: "editor Replaced the fuser unit sent by the vendor.",
        },
        ...pickMany2one("itss_closure_code_id", "Role Tour fixed"),
        {
            content: "Business recovery time: now",
            trigger: ".o_form_view .o_field_widget[name='itss_recovery_date'] input",
            async run(helpers) {
                await helpers.edit(formatDateTime(DateTime.now()));
                await helpers.press("Enter");
            },
        },
        {
            content: "The recovery time is taken",
            trigger: ".o_form_view .o_field_widget[name='itss_recovery_date'] input:value(/\\d/)",
        },
        {
            content: "Resolve, straight from pending",
            trigger: ".o_form_statusbar button[name='action_itss_resolve']",
            run: "click",
        },
        {
            content: "Resolved: no more resolve, resume or hold",
            trigger:
                ".o_form_renderer.o_form_saved .o_form_statusbar:not(:has(button[name='action_itss_resolve'], button[name='action_itss_resume'], button[name='action_itss_pend']))",
        },
        {
            content: "The resolution time is recorded",
            trigger: ".o_form_view .o_field_widget[name='itss_resolved_date'] span:contains(/\\d/)",
        },
    ],
});

registry.category("web_tour.tours").add("itss_role_engineer_escalate", {
    steps: () => [
        {
            content: "Escalate to the next tier",
            trigger: ".o_form_statusbar button[name='action_itss_escalate']",
            run: "click",
        },
        {
            content: "Dispatched to the second line: no more hold, nobody assigned",
            trigger:
                "body:not(:has(.modal)) .o_form_renderer.o_form_saved .o_form_statusbar:not(:has(button[name='action_itss_pend'])) button[name='action_itss_accept']",
        },
    ],
});
