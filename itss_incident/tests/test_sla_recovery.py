from datetime import timedelta

from freezegun import freeze_time

from odoo import fields

from .test_escalation import EscalationCase
from .test_sla import local


class TestResolutionDecidedAtRecovery(EscalationCase):
    """The resolution target is decided again at resolution from the business
    recovery time (DESIGN.md, "Service contracts"); the notifications sent at the
    deadline stay in the log."""

    def _breached_ticket(self, ticket_type="incident"):
        # P3 logged Friday 09:00: due Monday 09:00 (7.5 h on Friday, 0.5 h on Monday)
        ticket = self._log_ticket(
            local("2026-11-20 09:00"),
            user_id=self.engineer.id,
            itss_impact="3",
            itss_urgency="3",
            itss_ticket_type=ticket_type,
        )
        self.assertEqual(ticket.itss_resolve_deadline, local("2026-11-23 09:00"))
        with freeze_time(local("2026-11-20 09:05")):
            ticket.with_user(self.engineer).action_itss_accept()
        self._cron(local("2026-11-23 09:01"))
        self.assertTrue(ticket.itss_resolve_breached, "live at the deadline")
        self.assertTrue(self._logs(ticket, kind="sla_breach"))
        return ticket

    def _resolve(self, ticket, when, recovery):
        with freeze_time(when):
            action = ticket.with_user(self.engineer).action_itss_resolve_dialog()
            wizard = (
                self.env[action["res_model"]]
                .with_user(self.engineer)
                .with_context(
                    **action["context"], tracking_disable=False, mail_notrack=False
                )
                .create(
                    {
                        "solution": "<p>Replaced the disk</p>",
                        "recovery_date": recovery,
                        "completion_date": fields.Datetime.now(),
                    }
                )
            )
            wizard.action_resolve()
            self.env.cr.flush()  # tracking
        self.assertEqual(ticket.itss_state, "resolved")

    def test_recovered_before_the_deadline_met(self):
        ticket = self._breached_ticket()
        sent = self._logs(ticket, kind="sla_breach")
        # the breach raised the urgency (P2: due Friday 15:00); resolved on Monday
        # 10:00, the service back on Friday 14:00
        self.assertEqual(ticket.itss_resolve_deadline, local("2026-11-20 15:00"))
        self._resolve(ticket, local("2026-11-23 10:00"), local("2026-11-20 14:00"))
        self.assertFalse(ticket.itss_resolve_breached)
        self.assertIn("Resolved: resolution target met", ticket.itss_sla_timeline)
        self.assertEqual(self._logs(ticket, kind="sla_breach"), sent, "log kept")
        tracked = ticket.message_ids.tracking_value_ids.filtered(
            lambda v: v.field_id.name == "itss_resolve_breached"
        )
        self.assertTrue(tracked, "the change is tracked")
        self.assertFalse(tracked[0].new_value_integer)

    def test_recovered_after_the_deadline_breached(self):
        ticket = self._breached_ticket()
        self._resolve(ticket, local("2026-11-23 10:00"), local("2026-11-23 09:30"))
        self.assertTrue(ticket.itss_resolve_breached)
        self.assertIn("Resolved: resolution target breached", ticket.itss_sla_timeline)

    def test_recovery_before_resolution_after_the_deadline(self):
        # no scheduled action ran: resolved after the deadline, recovered before it
        ticket = self._log_ticket(
            local("2026-11-20 09:00"),
            user_id=self.engineer.id,
            itss_impact="3",
            itss_urgency="3",
        )
        with freeze_time(local("2026-11-20 09:05")):
            ticket.with_user(self.engineer).action_itss_accept()
        deadline = ticket.itss_resolve_deadline
        self._resolve(ticket, deadline + timedelta(hours=2), deadline)
        self.assertFalse(ticket.itss_resolve_breached, "recovery at the deadline")

    def test_request_without_recovery_decided_at_resolution(self):
        ticket = self._breached_ticket(ticket_type="service_request")
        self._resolve(ticket, local("2026-11-23 10:00"), False)
        self.assertFalse(ticket.itss_recovery_date)
        self.assertTrue(ticket.itss_resolve_breached)
