"""Each notification row links the mail or SMS queued for it and shows whether it
went out: through Odoo's own send paths (in a test database the mail server accepts
without connecting and IAP is unreachable, so an SMS fails as it would without an
account)."""

from datetime import timedelta

from odoo.tools import mute_logger

from odoo.addons.itss_incident import compat

from .smtp_sink import SmtpSink
from .test_escalation import EscalationCase
from .test_sla import local


class TestNotificationDelivery(EscalationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contact = cls.env["res.partner"].create(
            {
                "name": "Test delivery contact",
                "email": "reporter@customer.example.com",
                compat.MOBILE: "+86 139 2222 4444",
            }
        )
        cls.env.company.write(
            {"itss_notify_customer_sms": True, "email": "desk@provider.example.com"}
        )

    def _notice_logs(self, ticket):
        logs = self._logs(ticket, kind="customer")
        return (
            logs.filtered(lambda log: log.channel == "email"),
            logs.filtered(lambda log: log.channel == "sms"),
        )

    def _log_for(self, partner):
        return (
            self.env["helpdesk.ticket"]
            .with_user(self.agent)
            .create(
                {
                    "name": "Printer offline",
                    "description": "<p>The printer is offline</p>",
                    "team_id": self.team_l1.id,
                    "partner_id": partner.id,
                }
            )
        )

    def test_customer_notice_links_its_queued_mail_and_sms(self):
        ticket = self._log_for(self.contact)
        mail_log, sms_log = self._notice_logs(ticket)
        mail = self.env["mail.mail"].search(
            [
                ("model", "=", "helpdesk.ticket"),
                ("res_id", "=", ticket.id),
                ("recipient_ids", "in", self.contact.ids),
            ]
        )
        sms = self._sms(ticket)
        self.assertEqual(len(mail), 1)
        self.assertEqual(len(sms), 1)
        self.assertEqual(mail_log.mail_id, mail)
        self.assertEqual(sms_log.sms_id, sms)
        self.assertEqual(mail_log.delivery_state, "queued")
        self.assertEqual(sms_log.delivery_state, "queued")
        # the agent sees it on the ticket's notifications tab
        seen = ticket.with_user(self.agent).itss_escalation_log_ids
        self.assertEqual(
            set(
                seen.filtered(lambda log: log.kind == "customer").mapped(
                    "delivery_state"
                )
            ),
            {"queued"},
        )

        # the mail queue's own run: the server accepts; our templates keep their
        # mails (auto_delete off), and a mail deleted later (an administrator
        # emptying the queue) leaves the row its recorded state
        with SmtpSink() as sink, compat.smtp_in_tests(self.env):
            self.env["ir.mail_server"].create(
                {
                    "name": "Test loopback sink",
                    "sequence": 1,
                    "smtp_host": "127.0.0.1",
                    "smtp_port": sink.port,
                    "smtp_encryption": "none",
                }
            )
            self.env["mail.mail"].process_email_queue(mail.ids)
        self.assertEqual(mail.state, "sent", mail.failure_reason)
        self.assertEqual(len(sink.messages), 1, "the server received it")
        self.assertEqual(mail_log.delivery_state, "sent")
        self.assertFalse(mail_log.failure_reason)
        mail.unlink()
        self.assertFalse(mail_log.mail_id)
        self.assertEqual(mail_log.delivery_state, "sent")

        # the SMS queue's own run: IAP unreachable, the SMS fails with its reason
        with mute_logger("odoo.addons.sms.models.sms_sms"):
            sms.send(raise_exception=False)
        self.assertEqual(sms.state, "error")
        self.assertEqual(sms_log.delivery_state, "failed")
        self.assertEqual(sms_log.failure_reason, "Server Error")
        self.assertEqual(sms_log.sent_state, "failed", "recorded on the row as well")

    def test_failed_mail_keeps_its_reason_after_deletion(self):
        bad = self.env["res.partner"].create(
            {"name": "Test bad address", "email": "not an address"}
        )
        ticket = self._log_for(bad)
        mail_log, _sms_log = self._notice_logs(ticket)
        mail = mail_log.mail_id
        self.assertTrue(mail)
        with (
            SmtpSink() as sink,
            compat.smtp_in_tests(self.env),
            mute_logger("odoo.addons.mail.models.mail_mail"),
        ):
            self.env["ir.mail_server"].create(
                {
                    "name": "Test loopback sink",
                    "sequence": 1,
                    "smtp_host": "127.0.0.1",
                    "smtp_port": sink.port,
                    "smtp_encryption": "none",
                }
            )
            mail.send()
        self.assertFalse(sink.messages, "nothing reached the server")
        self.assertEqual(mail.state, "exception")
        self.assertEqual(mail_log.delivery_state, "failed")
        reason = mail_log.failure_reason
        self.assertTrue(reason)
        # the row keeps the failure and its reason when the mail is deleted
        mail.unlink()
        self.assertEqual(mail_log.delivery_state, "failed")
        self.assertEqual(mail_log.failure_reason, reason)

    def test_cancelled_mail(self):
        ticket = self._log_for(self.contact)
        mail_log, _sms_log = self._notice_logs(ticket)
        mail_log.mail_id.cancel()
        self.assertEqual(mail_log.delivery_state, "cancelled")

    def test_escalation_rule_rows_link_mail_and_sms(self):
        start = local("2026-11-20 09:00")
        ticket = self._log_ticket(start, itss_impact="1", itss_urgency="1")
        self._cron(start + timedelta(minutes=1))
        rules = self._logs(ticket, kind="rule")
        emails = rules.filtered(lambda log: log.channel == "email")
        texts = rules.filtered(lambda log: log.channel == "sms")
        self.assertTrue(emails and texts)
        self.assertTrue(all(emails.mapped("mail_id")))
        self.assertEqual(
            set(emails.mail_id.mapped("recipient_ids").ids),
            {self.manager.partner_id.id},
        )
        self.assertEqual(len(texts.sms_id), len(texts))
        self.assertEqual(texts.sms_id, self._sms(ticket))
        self.assertEqual(set(rules.mapped("delivery_state")) - {False}, {"queued"})
        calls = rules.filtered(lambda log: log.channel == "call")
        self.assertFalse(any(calls.mapped("delivery_state")), "a call is no delivery")

    def test_delivery_shown_in_the_views(self):
        ticket_form = (
            self.env["helpdesk.ticket"]
            .with_user(self.agent)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        self.assertIn('name="delivery_state"', ticket_form)
        views = (
            self.env["itss.escalation.log"]
            .with_user(self.agent)
            .get_views([(False, "list"), (False, "form")])["views"]
        )
        for kind in ("list", "form"):
            self.assertIn('name="delivery_state"', views[kind]["arch"])
            self.assertIn('name="failure_reason"', views[kind]["arch"])
