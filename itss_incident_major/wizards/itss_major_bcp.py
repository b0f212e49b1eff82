from odoo import fields, models


class ItssMajorBcp(models.TransientModel):
    """Invoke business continuity: who decided, when and why."""

    _name = "itss.major.bcp"
    _description = "Invoke business continuity"

    major_incident_id = fields.Many2one(
        "itss.major.incident", required=True, ondelete="cascade"
    )
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        self.major_incident_id.action_invoke_bcp(self.reason)
        return {"type": "ir.actions.act_window_close"}
