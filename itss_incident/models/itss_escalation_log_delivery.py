from odoo import api, fields, models

DELIVERY_SELECTION = [
    ("queued", "Queued"),
    ("sent", "Sent"),
    ("delivered", "Delivered"),
    ("failed", "Failed"),
    ("cancelled", "Cancelled"),
]
# mail.mail.state -> delivery state (an SMTP server accepting the mail is "sent": mail
# tells nothing of the delivery into the mailbox)
MAIL_DELIVERY = {
    "outgoing": "queued",
    "sent": "sent",
    "received": "delivered",
    "exception": "failed",
    "cancel": "cancelled",
}
# sms.sms.state -> delivery state ("pending" is IAP's "sent", "sent" its "delivered")
SMS_DELIVERY = {
    "outgoing": "queued",
    "process": "queued",
    "pending": "sent",
    "sent": "delivered",
    "error": "failed",
    "canceled": "cancelled",
}


class ItssEscalationLog(models.Model):
    """Delivery of a notification: the queued mail or SMS of the row and what became
    of it. mail.mail rows are deleted after sending (auto_delete) and sms.sms rows are
    garbage-collected: the state is copied onto the row at each change of the mail's
    or SMS's state (``sent_state``, ``sent_failure``), so that the row keeps it."""

    _inherit = "itss.escalation.log"

    mail_id = fields.Many2one(
        "mail.mail",
        string="Email",
        readonly=True,
        ondelete="set null",
        index="btree_not_null",
        help="The email queued for this notification (until it is deleted after "
        "sending).",
    )
    sms_id = fields.Many2one(
        "sms.sms",
        string="SMS",
        readonly=True,
        ondelete="set null",
        index="btree_not_null",
        help="The text message queued for this notification.",
    )
    sent_state = fields.Selection(
        DELIVERY_SELECTION,
        string="Recorded Delivery",
        readonly=True,
        help="The delivery state recorded at the last change of the email or SMS.",
    )
    sent_failure = fields.Char(string="Recorded Failure", readonly=True)
    delivery_state = fields.Selection(
        DELIVERY_SELECTION,
        string="Delivery",
        compute="_compute_delivery_state",
        help="Queued, sent, delivered (text messages with a delivery report), failed "
        "or cancelled: from the email or SMS while it exists, else as recorded.",
    )
    failure_reason = fields.Char(
        compute="_compute_delivery_state", help="Why the email or SMS failed."
    )

    @api.depends(
        "mail_id.state",
        "mail_id.failure_reason",
        "sms_id.state",
        "sms_id.failure_type",
        "sent_state",
        "sent_failure",
    )
    def _compute_delivery_state(self):
        for log in self:
            state, reason = log._itss_live_delivery()
            if not state:
                state, reason = log.sent_state, log.sent_failure
            log.delivery_state = state
            log.failure_reason = reason if state == "failed" else False

    def _itss_live_delivery(self):
        """(state, failure reason) of the linked mail or SMS; (False, False) if none."""
        self.ensure_one()
        mail = self.sudo().mail_id
        if mail:
            reason = mail.failure_reason or (
                mail.failure_type
                and dict(mail._fields["failure_type"]._description_selection(self.env))[
                    mail.failure_type
                ]
            )
            return MAIL_DELIVERY.get(mail.state, False), reason or False
        sms = self.sudo().sms_id
        if sms:
            reason = sms.failure_type and dict(
                sms._fields["failure_type"]._description_selection(self.env)
            ).get(sms.failure_type)
            return SMS_DELIVERY.get(sms.state, False), reason or False
        return False, False

    def _itss_link_queued(self, mail=None, message=None):
        """Link the row to the mail (a mail.mail record or id) or to the SMS of
        ``message`` (mail.message posted with put_in_queue) that were just queued for
        it, in the transaction that wrote the row."""
        if not self:
            return
        self.ensure_one()
        vals = {"sent_state": "queued", "sent_failure": False}
        if mail:
            vals["mail_id"] = mail if isinstance(mail, int) else mail.id
        if message:
            sms = (
                self.env["sms.sms"]
                .sudo()
                .search([("mail_message_id", "=", message.id)], order="id", limit=1)
            )
            if not sms:
                return
            vals["sms_id"] = sms.id
        # system fact, written by the model only
        self.sudo().write(vals)

    def _itss_record_delivery(self):
        """Copy the live delivery state onto the rows (called when the linked mail or
        SMS changes state, before it may be deleted)."""
        for log in self.sudo():
            state, reason = log._itss_live_delivery()
            if state and (state, reason or False) != (
                log.sent_state,
                log.sent_failure or False,
            ):
                log.write({"sent_state": state, "sent_failure": reason or False})
