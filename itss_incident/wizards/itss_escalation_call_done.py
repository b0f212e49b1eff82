from odoo import fields, models

from ..models.itss_escalation_log import CALL_ACTIVITY_TYPE, CALL_OUTCOME_SELECTION


class ItssEscalationCallDone(models.TransientModel):
    """Record the outcome of an escalation phone call and mark it done."""

    _name = "itss.escalation.call.done"
    _description = "Record the outcome of an ITSS escalation call"

    ticket_id = fields.Many2one("helpdesk.ticket", required=True, ondelete="cascade")
    call_type_id = fields.Many2one(
        "mail.activity.type",
        default=lambda self: self.env.ref(CALL_ACTIVITY_TYPE),
    )
    activity_id = fields.Many2one(
        "mail.activity",
        string="Call",
        required=True,
        ondelete="cascade",
        domain="[('res_model', '=', 'helpdesk.ticket'), ('res_id', '=', ticket_id), "
        "('activity_type_id', '=', call_type_id), ('user_id', '=', uid)]",
    )
    call_note = fields.Html(related="activity_id.note", string="Whom to Call")
    outcome = fields.Selection(
        [item for item in CALL_OUTCOME_SELECTION if item[0] != "not_recorded"],
        required=True,
    )
    note = fields.Text()

    def action_record(self):
        self.ensure_one()
        self.activity_id._itss_call_done(self.outcome, self.note)
        return {"type": "ir.actions.act_window_close"}
