from odoo import models

from .helpdesk_ticket_stage import ITSS_TERMINAL_STATES
from .mail_thread import ITSS_AUTO_SUBMITTED


class HelpdeskTicket(models.Model):
    """Replies to closed tickets: a closed ticket never reopens, a customer's reply
    goes to the ticket that continues it (one continuation, not one per reply)."""

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
        """A customer's reply to a closed ticket never reopens it. The first reply
        opens a ticket that continues it; later replies land on its latest open
        continuation (a closed continuation is followed in turn, and opens a new
        one from it when none is open). The sender alone is told which ticket has
        their message (a new continuation's logged notice tells them, when it went to
        them). Returns that ticket."""
        self.ensure_one()
        # sudo: the author could post on this ticket; its continuations are the same
        # customer's and may be in another team than the author could read
        closed = self.sudo()
        last, target = closed._itss_latest_continuation()
        if target:
            # the customer's own message, on the ticket that is being worked on
            target.message_post(
                body=message.body,
                author_id=message.author_id.id,
                email_from=message.email_from,
                message_type=message.message_type,
                subtype_xmlid="mail.mt_comment",
                attachment_ids=self._itss_copy_attachments(message, target),
            )
            notice = self.env._(
                "Ticket %(old)s is closed and cannot be reopened. Your message was "
                "added to ticket %(new)s, which continues it.",
                old=self.number,
                new=target.number,
            )
            told = False
        else:
            target = last._itss_copy_as_new(
                message.body, last.team_id._get_applicable_stages()[:1]
            )
            self._itss_copy_attachments(message, target)
            notice = self.env._(
                "Ticket %(old)s is closed and cannot be reopened. Your message opened "
                "ticket %(new)s.",
                old=self.number,
                new=target.number,
            )
            # its logged notice says so, when it went to the sender
            told = target._itss_told_by_mail(message.author_id)
        if not told:
            closed.message_notify(
                partner_ids=message.author_id.ids,
                body=notice,
                subject=notice,
                subtype_xmlid="mail.mt_comment",
            )
        closed.message_post(body=notice, subtype_xmlid="mail.mt_note")
        return target

    def _itss_told_by_mail(self, partner):
        """Whether a customer notice of this ticket went to ``partner`` by mail."""
        self.ensure_one()
        # sudo: the notification log is the incident managers' to read
        return bool(
            partner
            and self.env["itss.escalation.log"]
            .sudo()
            .search_count(
                [
                    ("ticket_id", "=", self.id),
                    ("kind", "=", "customer"),
                    ("channel", "=", "email"),
                    ("partner_ids", "in", partner.ids),
                ],
                limit=1,
            )
        )

    def _itss_latest_continuation(self):
        """(the last closed ticket of the chain, its open continuation or an empty
        recordset): follow the newest ticket continuing each closed one
        (``itss_reopened_ticket_ids``) until one is open or none continues it."""
        self.ensure_one()
        last, seen = self, set()
        while last.id not in seen:
            seen.add(last.id)
            newest = last.itss_reopened_ticket_ids.sorted("id")[-1:]
            if not newest:
                break
            if newest.itss_state not in ITSS_TERMINAL_STATES:
                return last, newest
            last = newest
        return last, self.browse()

    def _itss_copy_attachments(self, message, ticket):
        """Copies of the files of ``message`` (a screenshot, a log) on ``ticket``,
        where the work goes on; returns their ids."""
        # sudo: the files came with the reply the author could post
        return [
            attachment.copy({"res_model": ticket._name, "res_id": ticket.id}).id
            for attachment in message.attachment_ids.sudo()
        ]
