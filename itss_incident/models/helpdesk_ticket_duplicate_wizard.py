from odoo import models


class HelpdeskTicketDuplicateWizard(models.TransientModel):
    _inherit = "helpdesk.ticket.duplicate.wizard"

    def action_confirm(self):
        """An ITSS ticket marked as duplicate closes in the ITSS Closed stage with the
        Duplicate code (now if a target stage is given, else with its master)."""
        if not self.ticket_id.team_id.itss_tier:
            return super().action_confirm()
        close_now = bool(self.target_stage_id)
        self.target_stage_id = False
        res = super().action_confirm()
        if close_now:
            self.ticket_id._itss_move_to(
                "closed",
                {
                    "itss_close_origin": "duplicate",
                    "itss_closure_code_id": self.env.ref(
                        "itss_incident.closure_code_duplicate"
                    ).id,
                },
            )
        return res
