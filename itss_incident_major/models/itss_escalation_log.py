from odoo import fields, models


class ItssEscalationLog(models.Model):
    _inherit = "itss.escalation.log"

    kind = fields.Selection(
        selection_add=[
            ("major_withdrawn", "Major incident withdrawn"),
            ("major_kept", "Major incident kept open"),
        ],
        ondelete={"major_withdrawn": "cascade", "major_kept": "cascade"},
    )
    channel = fields.Selection(
        selection_add=[("portal", "Portal notice")], ondelete={"portal": "cascade"}
    )
