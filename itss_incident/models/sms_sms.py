from odoo import models


class SmsSms(models.Model):
    _inherit = "sms.sms"

    def write(self, vals):
        res = super().write(vals)
        if "state" in vals or "failure_type" in vals:
            logs = (
                self.env["itss.escalation.log"]
                .sudo()
                .search([("sms_id", "in", self.ids)])
            )
            logs._itss_record_delivery()
        return res
