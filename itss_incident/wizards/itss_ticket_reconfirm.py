from odoo import api, fields, models

from ..models.itss_priority_matrix import PRIORITY_SELECTION


class ItssTicketReconfirm(models.TransientModel):
    """Urgent re-confirmation (紧急事件再确认) of a P1/P2 ticket."""

    _name = "itss.ticket.reconfirm"
    _description = "Re-confirm an urgent ITSS ticket"

    ticket_id = fields.Many2one("helpdesk.ticket", required=True, ondelete="cascade")
    priority = fields.Selection(
        PRIORITY_SELECTION,
        string="Confirmed Priority",
        compute="_compute_priority",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
    )
    can_handle_alone = fields.Boolean(
        string="I can resolve it alone",
        help="Leave unticked to notify the incident manager and the management.",
    )
    note = fields.Text()

    @api.depends("ticket_id")
    def _compute_priority(self):
        for wizard in self:
            wizard.priority = wizard.ticket_id.itss_priority

    def action_confirm(self):
        self.ensure_one()
        self.ticket_id.action_itss_reconfirm(
            self.priority, self.can_handle_alone, self.note
        )
        return {"type": "ir.actions.act_window_close"}
