import {registry} from "@web/core/registry";
import {RECORD_ITEM} from "@itss_incident/../tests/tours/itss_tour_utils";

/**
 * Service desk agent: the ticket of a contact was logged under no contract; the agent
 * picks the customer's contract on the form and saves (the test then checks the
 * deadlines were re-targeted from the logging).
 */

registry.category("web_tour.tours").add("itss_desk_corrects_contract", {
    steps: () => [
        {
            content: "Type the contract's name",
            trigger: ".o_form_view .o_field_widget[name='itss_contract_id'] input",
            run: "edit Tour 5x8",
        },
        {
            content: "Choose the customer's contract",
            trigger: `.o-autocomplete--dropdown-menu ${RECORD_ITEM} a:contains(Tour 5x8)`,
            run: "click",
        },
        {
            content: "The contract is set",
            trigger:
                "body:not(:has(.o-autocomplete--dropdown-menu)) .o_field_widget[name='itss_contract_id'] input:value(Tour 5x8)",
        },
        {
            content: "Save",
            trigger: ".o_form_view .o_form_button_save",
            run: "click",
        },
        {
            content: "Saved: the SLA shows the contract's policy",
            trigger:
                ".o_form_renderer.o_form_saved .o_field_widget[name='itss_sla_policy_id']:contains(Tour office P3)",
        },
    ],
});
