import {registry} from "@web/core/registry";
import {pickMany2one} from "@itss_incident/../tests/tours/itss_tour_utils";

/**
 * Service desk agent: the ticket of a contact was logged under no contract; the agent
 * picks the customer's contract on the form and saves (the test then checks the
 * deadlines were re-targeted from the logging).
 */

registry.category("web_tour.tours").add("itss_desk_corrects_contract", {
    steps: () => [
        ...pickMany2one("itss_contract_id", "Tour 5x8"),
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
