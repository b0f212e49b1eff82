from odoo import fields, models


class ItssEscalationLog(models.Model):
    _inherit = "itss.escalation.log"

    channel = fields.Selection(
        selection_add=[("portal", "Portal notice")], ondelete={"portal": "cascade"}
    )
