from odoo import api, fields, models

from ..models.helpdesk_ticket import SATISFACTION_SELECTION


class ItssTicketClose(models.TransientModel):
    """The service desk closes a resolved ticket with what the customer said on the
    phone, or records that the customer rejected the resolution."""

    _name = "itss.ticket.close"
    _description = "Close an ITSS ticket"

    ticket_id = fields.Many2one("helpdesk.ticket", required=True, ondelete="cascade")
    closure_code_id = fields.Many2one(
        "itss.closure.code",
        compute="_compute_closure_code_id",
        store=True,
        precompute=True,
        readonly=False,
        required=True,
    )
    satisfaction = fields.Selection(
        SATISFACTION_SELECTION, string="Customer Satisfaction"
    )
    comment = fields.Text(string="Customer's Comment")

    @api.depends("ticket_id")
    def _compute_closure_code_id(self):
        for wizard in self:
            wizard.closure_code_id = wizard.ticket_id.itss_closure_code_id

    def action_close(self):
        self.ensure_one()
        self.ticket_id._itss_close_by_desk(
            {
                "itss_closure_code_id": self.closure_code_id.id,
                "itss_satisfaction": self.satisfaction or False,
                "itss_satisfaction_comment": self.comment or False,
            }
        )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "Ticket %(ticket)s is closed.", ticket=self.ticket_id.number
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def action_reject(self):
        """The customer says it is not resolved: open the follow-up ticket."""
        self.ensure_one()
        new = self.ticket_id.action_itss_reject_resolution(comment=self.comment)
        return {
            "type": "ir.actions.act_window",
            "res_model": "helpdesk.ticket",
            "res_id": new.id,
            "view_mode": "form",
        }
