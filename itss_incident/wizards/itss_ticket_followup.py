from odoo import fields, models

from ..models.helpdesk_ticket import FOLLOWUP_RESULT_SELECTION, SATISFACTION_SELECTION
from ..models.itss_followup_visit import FOLLOWUP_CHANNEL_SELECTION


class ItssTicketFollowup(models.TransientModel):
    """Record the follow-up visit (回访) of a closed ticket."""

    _name = "itss.ticket.followup"
    _description = "Record an ITSS follow-up visit"

    ticket_id = fields.Many2one("helpdesk.ticket", required=True, ondelete="cascade")
    result = fields.Selection(FOLLOWUP_RESULT_SELECTION, required=True)
    channel = fields.Selection(
        FOLLOWUP_CHANNEL_SELECTION,
        string="Visit Channel",
        required=True,
        default="phone",
    )
    satisfaction = fields.Selection(SATISFACTION_SELECTION)
    note = fields.Text()

    def action_record(self):
        self.ensure_one()
        self.ticket_id.action_itss_record_followup(
            self.result,
            self.note,
            satisfaction=self.satisfaction,
            channel=self.channel,
        )
        return {"type": "ir.actions.act_window_close"}
