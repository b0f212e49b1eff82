from odoo import models

from .helpdesk_ticket_stage import ITSS_TERMINAL_STATES
from .mail_thread import ITSS_AUTO_SUBMITTED


class HelpdeskTicket(models.Model):
    """Replies to closed tickets: a closed ticket never reopens, a customer's reply
    goes to a ticket that continues it."""

    _inherit = "helpdesk.ticket"

    def message_post(self, **kwargs):
        message = super().message_post(**kwargs)
        if (
            len(self) == 1
            and self.itss_state in ITSS_TERMINAL_STATES
            and message.message_type in ("comment", "email")
            and message.subtype_id == self.env.ref("mail.mt_comment")
            and self.env.context.get("itss_auto_submitted") is not ITSS_AUTO_SUBMITTED
        ):
            author_users = message.author_id.user_ids
            if message.author_id and not (author_users and not author_users[0].share):
                self._itss_reply_to_closed(message)
        return message

    def _itss_reply_to_closed(self, message):
        """A customer's reply to a closed ticket never reopens it: it opens a new
        ticket that refers to it, and the sender is told the new number."""
        self.ensure_one()
        new = self.sudo()._itss_copy_as_new(
            message.body, self.team_id._get_applicable_stages()[:1]
        )
        notice = self.env._(
            "Ticket %(old)s is closed and cannot be reopened. Your message opened "
            "ticket %(new)s.",
            old=self.number,
            new=new.number,
        )
        self.sudo().message_notify(
            partner_ids=message.author_id.ids,
            body=notice,
            subject=notice,
            subtype_xmlid="mail.mt_comment",
        )
        self.sudo().message_post(body=notice, subtype_xmlid="mail.mt_note")
        return new
