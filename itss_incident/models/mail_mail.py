from odoo import models


class MailMail(models.Model):
    _inherit = "mail.mail"

    def write(self, vals):
        res = super().write(vals)
        if "state" in vals or "failure_reason" in vals:
            self._itss_record_delivery()
        return res

    def _itss_record_delivery(self):
        """Keep the delivery state on the notification log rows of these mails: the
        mails are deleted after sending when auto_delete is set."""
        logs = (
            self.env["itss.escalation.log"].sudo().search([("mail_id", "in", self.ids)])
        )
        logs._itss_record_delivery()
