import {registry} from "@web/core/registry";
import {RECORD_ITEM} from "@itss_incident/../tests/tours/itss_tour_utils";

/**
 * Service desk agent: picks the configuration item on the ticket form; its system
 * type shows; saves. Selectors use field names only; the text typed is the test's
 * own item.
 */

registry.category("web_tour.tours").add("itss_ci_desk_pick", {
    steps: () => [
        {
            content: "Type the item's code in Configuration Item",
            trigger: ".o_form_view .o_field_widget[name='itss_ci_id'] input",
            run: "edit CITOUR",
        },
        {
            content: "Only the customer's items and shared ones are offered",
            trigger: `.o-autocomplete--dropdown-menu:not(:has(${RECORD_ITEM}:contains(CITOUR-OTHER))) ${RECORD_ITEM} a:contains(CITOUR-GW)`,
            run: "click",
        },
        {
            content: "The system type follows the item",
            trigger: ".o_form_view .o_field_widget[name='itss_ci_type']:contains(Network Device)",
        },
        {
            content: "Save",
            trigger: ".o_form_view .o_form_button_save",
            run: "click",
        },
        {
            content: "Saved",
            trigger: ".o_form_view .o_form_renderer.o_form_saved",
        },
    ],
});
