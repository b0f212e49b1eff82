/**
 * zh_CN: the labels a user reads are Chinese. Each tour opens one page, collects the
 * labels (field labels, buttons, menus, tabs, column headers, statusbar, selection
 * options, placeholders; not record values), clicks through every tab of a form, and
 * fails listing every label that holds a Latin word outside a short allowlist.
 */
import {registry} from "@web/core/registry";

// product names and abbreviations a Chinese service desk writes in Latin letters
const ALLOWED = new Set([
    "SLA", "ITSS", "KPI", "VIP", "OA", "IT", "ID", "PDF", "URL", "CSV", "HTML", "Odoo",
    "P1", "P2", "P3", "P4", "P", "min", "h", "Email", "Alertmanager", "API",
]);
const LABELS = [
    ".o_menu_brand", ".o_menu_sections > *", ".o-dropdown--menu .dropdown-item",
    ".o_control_panel .breadcrumb-item.active", "label", ".o_form_label", "th",
    "button", "a.btn", ".nav-link", ".o_statusbar_status button", "option",
    ".o_kanban_header .o_column_title", ".o_searchview_facet .o_facet_value",
    ".o_horizontal_separator", ".o_group_name", "legend", "h1:not(.o_field_widget *)",
    "h2", "h3", "h4", "h5", "h6", "thead td", ".o_portal_submenu a", ".o_portal_docs a",
    ".o_portal_sidebar strong", "small", "strong",
].join(",");
// record values: cards, rows, field contents, the chatter's messages, users' names
const VALUES = [
    ".o_kanban_record", ".o_data_row", ".o_field_widget:not(.o_field_statusbar):not(.o_field_selection):not(.o_field_radio)",
    ".o-mail-Message", ".o_user_menu", ".o_switch_company_menu", ".o-mail-Followers",
    "td", ".o_portal_my_doc_table tbody", "address", ".o_portal_chatter", ".o_list_renderer tbody",
].join(",");

function latinWords(text) {
    // words of letters only: ticket numbers (HT00115), codes and domains are values
    return (text.match(/[A-Za-z0-9.'_-]+/g) || [])
        .filter((word) => /[A-Za-z]/.test(word) && !/[0-9._]/.test(word.replace(/\.$/, "")))
        .filter((word) => !ALLOWED.has(word));
}

function collect(where) {
    window.itssZhOffenders = window.itssZhOffenders || [];
    const seen = new Set(window.itssZhOffenders);
    const add = (kind, text) => {
        text = (text || "").replace(/\s+/g, " ").trim();
        const key = `${where} ${kind}: ${text}`;
        if (text && latinWords(text).length && !seen.has(key)) {
            seen.add(key);
            window.itssZhOffenders.push(key);
        }
    };
    for (const el of document.querySelectorAll(LABELS)) {
        if (el.matches("option")) {
            add("option", el.textContent);
            continue;
        }
        if (el.closest(VALUES) && !el.matches(".o_statusbar_status button, button, label, .o_form_label")) {
            continue;
        }
        if (el.closest(".o_kanban_record, .o_data_row, .o-mail-Message, .o_switch_company_menu, .o_user_menu, .o-mail-Followers, .o_portal_chatter_messages, .o_portal_my_doc_table tbody")) {
            continue;
        }
        // the element's own words, children labels are visited on their own
        add(el.tagName.toLowerCase(), el.innerText);
    }
    for (const el of document.querySelectorAll("[placeholder]")) {
        add("placeholder", el.getAttribute("placeholder"));
    }
    for (const el of document.querySelectorAll("[data-tooltip]")) {
        if (!el.closest(`${VALUES}, .o_kanban_record, .o_data_row, .o_switch_company_menu, .o_user_menu, .breadcrumb, .o_back_button`)) {
            add("tooltip", el.getAttribute("data-tooltip"));
        }
    }
}

const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function collectTabs(where) {
    collect(where);
    const tabs = [...document.querySelectorAll(".o_notebook .nav-link")];
    for (const tab of tabs) {
        tab.click();
        await delay(300);
        collect(`${where} / ${tab.innerText.trim()}`);
    }
}

function report() {
    const offenders = window.itssZhOffenders || [];
    if (offenders.length) {
        throw new Error(`English left in zh_CN:\n${offenders.join("\n")}`);
    }
}

function pageTour(name, ready, options = {}) {
    registry.category("web_tour.tours").add(name, {
        steps: () => [
            {content: "the page is ready", trigger: ready},
            ...(options.before || []),
            {
                content: "collect the labels",
                trigger: ready,
                run: async () => {
                    await delay(300);
                    if (options.tabs) {
                        await collectTabs(name);
                    } else {
                        collect(name);
                    }
                    for (const toggle of options.menus ? document.querySelectorAll(".o_menu_sections .dropdown-toggle") : []) {
                        toggle.click();
                        await delay(300);
                        collect(`${name} menu ${toggle.innerText.trim()}`);
                        toggle.click();
                        await delay(100);
                    }
                    report();
                },
            },
        ],
    });
}

pageTour("itss_zh_cn_kanban", ".o_kanban_view .o_kanban_record", {menus: true});
pageTour("itss_zh_cn_list", ".o_list_view .o_data_row");
pageTour("itss_zh_cn_form", ".o_form_view .o_form_statusbar", {tabs: true});
pageTour("itss_zh_cn_config", ".o_action_manager .o_view_controller", {menus: true, tabs: true});
pageTour("itss_zh_cn_portal", "#wrap, .o_portal_wrap, main");
pageTour("itss_zh_cn_report", "main, .page, .article");
