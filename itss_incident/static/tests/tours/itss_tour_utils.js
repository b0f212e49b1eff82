import {session} from "@web/session";
import {rpc} from "@web/core/network/rpc";
import {user} from "@web/core/user";
import {formatDateTime} from "@web/core/l10n/dates";

/**
 * The step builders the tours share, and the one place where the tours differ between
 * the Odoo series they run on (18.0 and 19.0). Selectors use field, button and action
 * names and data-* attributes only: the database also speaks zh_CN. Import it as
 * "@itss_incident/../tests/tours/itss_tour_utils" (the name Odoo gives a file under
 * static/tests on both series).
 *
 * Series differences handled here:
 * - 19.0 wants a step after which the page unloads (a form posted, a link to another
 *   page) to say so with {expectUnloadPage: true}; 18.0's step schema rejects that key:
 *   leavesPage().
 * - 19.0 renders a selection field as a SelectMenu (an input toggler and a dropdown of
 *   items) where 18.0 renders a <select>, in forms and in editable list rows:
 *   selectValue().
 * - 19.0 shows a datetime field's value in a button (the input comes with the focus)
 *   where 18.0 always shows the input: editDateTime().
 */

const {DateTime} = luxon;

/** The major version of the Odoo series the tour runs on (18, 19...), from the
 * session (backend and portal alike). */
export const SERIES = (session.server_version_info || [18])[0];

// a record of a many2one's dropdown (not "Search More...", "Create...", loading)
export const RECORD_ITEM = ".o-autocomplete--dropdown-item:not(.o_m2o_dropdown_option)";

/** The step ``step``, after which the page unloads (a form posted, a link followed). */
export function leavesPage(step) {
    return SERIES >= 19 ? {...step, expectUnloadPage: true} : step;
}

/** Type ``text`` in the many2one ``field`` and choose the match, waiting for the list
 * filtered by the text (not the one the click opened). */
export function pickMany2one(field, text, scope = ".o_form_view") {
    return [
        {
            content: `Type ${text} in ${field}`,
            trigger: `${scope} .o_field_widget[name='${field}'] input`,
            run: `edit ${text}`,
        },
        {
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

/** Resolve once ``condition()`` holds; fail with ``message()`` after ``timeout`` ms. */
async function waitUntil(condition, message, timeout = 5000) {
    const end = Date.now() + timeout;
    while (!condition()) {
        if (Date.now() > end) {
            throw new Error(message());
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
    }
}

/** The label of ``value`` in the selection ``field`` of ``model``, in the user's
 * language. */
async function selectionLabel(model, field, value) {
    const fields = await rpc(`/web/dataset/call_kw/${model}/fields_get`, {
        model,
        method: "fields_get",
        args: [[field]],
        kwargs: {attributes: ["selection"], context: user.context},
    });
    const option = (fields[field]?.selection || []).find(([key]) => key === value);
    if (!option) {
        throw new Error(`${model}.${field} has no value ${value}`);
    }
    return option[1];
}

/** Choose the value ``value`` (its key, not its label) of the selection ``field`` of
 * ``model`` shown in ``scope`` (a form, a dialog, an editable list row). */
export function selectValue(model, field, value, scope = ".o_form_view") {
    const widget = `${scope} .o_field_widget[name='${field}']`;
    if (SERIES < 19) {
        return [
            {
                content: `${field}: ${value}`,
                trigger: `${widget} select`,
                // 18.0's options carry the JSON of the key as their value
                run: `select ${JSON.stringify(value)}`,
            },
        ];
    }
    let label = null;
    return [
        {
            content: `Open ${field}`,
            trigger: `${widget} .o_select_menu_toggler`,
            async run(helpers) {
                label = await selectionLabel(model, field, value);
                await helpers.click();
            },
        },
        {
            content: `${field}: ${value}`,
            trigger: ".o_select_menu_menu .o_select_menu_item",
            async run(helpers) {
                const items = document.querySelectorAll(".o_select_menu_menu .o_select_menu_item");
                const item = [...items].find((el) => el.textContent.trim() === label);
                if (!item) {
                    throw new Error(`No "${label}" among the choices of ${field}`);
                }
                await helpers.click(item);
            },
        },
        {
            // the record applies the value after the pending onchanges: wait for it
            content: `${field} is set`,
            trigger: `body:not(:has(.o_select_menu_menu)) ${widget} .o_select_menu_toggler`,
            async run() {
                const toggler = `${widget} .o_select_menu_toggler`;
                const shown = () => document.querySelector(toggler)?.value;
                await waitUntil(
                    () => shown() === label,
                    () => `${field} shows "${shown()}", not "${label}"`
                );
            },
        },
    ];
}

/** Type a moment in the datetime ``field``: ``when`` is a number of minutes from now
 * (negative: in the past) or a function returning a luxon DateTime. */
export function editDateTime(field, when, scope = ".modal") {
    const widget = `${scope} .o_field_widget[name='${field}']`;
    const moment = () =>
        typeof when === "function" ? when() : DateTime.now().plus({minutes: when});
    const what = typeof when === "function" ? "the moment" : `${when} minutes from now`;
    // 19.0 shows a value in a button, the input comes with the focus
    const shown = `${widget} :is(input, button[data-field='${field}'])`;
    return [
        ...(SERIES < 19
            ? []
            : [
                  {
                      content: `Focus ${field}`,
                      trigger: shown,
                      run: "click",
                  },
              ]),
        {
            content: `${field}: ${what}`,
            trigger: `${widget} input`,
            async run(helpers) {
                await helpers.edit(formatDateTime(moment()));
                await helpers.press("Enter");
            },
        },
        {
            content: `${field} is taken`,
            trigger: SERIES < 19 ? `${widget} input:value(/\\d/)` : shown,
            run() {
                const text = this.anchor.value || this.anchor.textContent;
                if (!/\d/.test(text)) {
                    throw new Error(`${field} shows "${text}"`);
                }
            },
        },
    ];
}

/** Click the form button of type "action" opening the window action ``xmlid``. */
export function clickActionButton(xmlid, content = `Open ${xmlid}`) {
    return {
        content,
        trigger: ".o_form_view .o_form_statusbar button[type='action']",
        async run(helpers) {
            const action = await rpc("/web/action/load", {action_id: xmlid});
            await helpers.click(`.o_form_statusbar button[type='action'][name='${action.id}']`);
        },
    };
}

/** Run the server action ``xmlid`` from the gear menu, found by its name in the
 * user's language. */
export function gearMenuAction(xmlid, content = `Run ${xmlid} from the gear menu`) {
    return [
        {
            content: "Open the gear menu",
            trigger: ".o_control_panel .o_cp_action_menus button:has(.fa-cog)",
            run: "click",
        },
        {
            content,
            trigger: ".o-dropdown--menu .o-dropdown-item",
            async run(helpers) {
                const action = await rpc("/web/action/load", {action_id: xmlid});
                const item = [...document.querySelectorAll(".o-dropdown--menu .o-dropdown-item")].find(
                    (el) => el.textContent.trim() === action.name
                );
                if (!item) {
                    throw new Error(`No "${action.name}" in the gear menu`);
                }
                await helpers.click(item);
            },
        },
    ];
}

/** The number of the ticket open in the form, for the toasts (set by rememberNumber). */
let ticketNumber = null;

export function rememberNumber() {
    return {
        content: "The ticket number (the toasts name it)",
        trigger: ".o_form_view .o_field_widget[name='number']:contains(/\\d/)",
        run() {
            ticketNumber = this.anchor.textContent.trim();
        },
    };
}

/** A new toast (display_notification) names the ticket; it is marked as seen so that
 * the next step waits for the next toast. */
export function toastNamesTheTicket(what) {
    return {
        content: `A toast confirms: ${what}`,
        trigger: ".o_notification:not(.o_itss_seen) .o_notification_content",
        run() {
            const toast = this.anchor.closest(".o_notification");
            toast.classList.add("o_itss_seen");
            if (!ticketNumber || !this.anchor.textContent.includes(ticketNumber)) {
                throw new Error(
                    `The toast "${this.anchor.textContent}" does not name ticket ${ticketNumber}`
                );
            }
        },
    };
}
