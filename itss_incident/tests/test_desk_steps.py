"""The owner's calls to the customer (002): 20 minutes after a dispatch to second line
and 4 hours after logging, as activities of the owner; the answers as the desk agent
records them."""

from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError

from .test_escalation import EscalationCase
from .test_sla import local


class TestDeskSteps(EscalationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.itss_default_team_id = cls.team_l1
        cls.l2_leader = cls._user(
            "itss_l2_leader", "Second Line Leader", "+86 138 0000 0009"
        )
        cls.team_l2.user_id = cls.l2_leader

    def _calls(self, ticket, kind):
        xmlid = f"itss_incident.mail_act_itss_{kind}"
        return ticket.activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref(xmlid)
        )

    def _dispatched_to_l2(self, start):
        with freeze_time(start):
            ticket = (
                self.env["helpdesk.ticket"]
                .with_user(self.agent)
                .create(
                    {
                        "name": "Database slow",
                        "description": "<p>Queries take minutes</p>",
                        "team_id": self.team_l1.id,
                        "partner_id": self.customer.id,
                    }
                )
            )
            ticket.with_user(self.agent)._itss_dispatch(
                self.team_l2, self.env["res.users"]
            )
            ticket.flush_recordset()
        return ticket

    def test_engineer_contact_call_twenty_minutes_after_dispatch(self):
        start = local("2026-11-20 09:00")
        ticket = self._dispatched_to_l2(start)
        self.assertEqual(ticket.itss_owner_id, self.agent)
        self._cron(start + timedelta(minutes=19))
        self.assertFalse(self._calls(ticket, "desk_contact"))
        self._cron(start + timedelta(minutes=21))
        self._cron(start + timedelta(minutes=22))
        call = self._calls(ticket, "desk_contact")
        self.assertEqual(len(call), 1, "one call, whatever runs twice")
        self.assertEqual(call.user_id, self.agent, "the owner calls")
        self.assertEqual(ticket.itss_desk_step, "desk_contact")
        # the watchdog stays: no first response, the L2 leader is told as before
        self.assertTrue(self._logs(ticket, kind="watchdog"))
        with self.assertRaises(AccessError):
            ticket.with_user(self.engineer).action_itss_desk_contact_no()
        with self.assertRaises(AccessError):
            ticket.with_user(self.engineer).write({"itss_desk_contact_answer": "yes"})
        mails_before = self.env["mail.mail"].search_count([("res_id", "=", ticket.id)])
        ticket.with_user(self.agent).action_itss_desk_contact_no()
        self.assertEqual(ticket.itss_desk_contact_answer, "no")
        self.assertFalse(self._calls(ticket, "desk_contact"), "the call is done")
        told = self._logs(ticket, kind="desk_contact").filtered(
            lambda r: r.channel in ("email", "sms")
        )
        self.assertEqual(sorted(told.mapped("channel")), ["email", "sms"])
        self.assertEqual(told.partner_ids, self.l2_leader.partner_id)
        self.assertEqual(
            self.env["mail.mail"].search_count([("res_id", "=", ticket.id)]),
            mails_before + 1,
        )
        told_sms = self._sms(ticket).filtered(lambda s: "no engineer" in s.body)
        self.assertEqual(told_sms.mapped("number"), ["+86 138 0000 0009"])

    def test_is_it_done_call_four_hours_after_logging(self):
        start = local("2026-11-20 09:00")
        ticket = self._dispatched_to_l2(start)
        self._cron(start + timedelta(hours=4, minutes=1))
        call = self._calls(ticket, "desk_check")
        self.assertEqual(call.user_id, self.agent)
        ticket.with_user(self.agent).action_itss_desk_check_progress()
        self.assertEqual(ticket.itss_desk_check_answer, "progress")
        self.assertFalse(self._calls(ticket, "desk_check"))
        self.assertFalse(
            self._logs(ticket, kind="desk_check").filtered(
                lambda r: r.channel == "email"
            ),
            "being worked on: nobody else is told",
        )

    def _told(self, ticket, kind):
        return self._logs(ticket, kind=kind).filtered(
            lambda r: r.channel in ("email", "sms")
        )

    def test_not_done_and_no_news_tells_the_team_leader(self):
        start = local("2026-11-20 09:00")
        ticket = self._dispatched_to_l2(start)
        self._cron(start + timedelta(hours=4, minutes=1))
        self.assertTrue(self._calls(ticket, "desk_check"))
        with self.assertRaisesRegex(AccessError, "Only the service desk"):
            ticket.with_user(self.engineer).action_itss_desk_check_no_news()
        self.assertFalse(ticket.itss_desk_check_answer)
        self.assertFalse(self._told(ticket, "desk_check"))
        with freeze_time(start + timedelta(hours=4, minutes=5)):
            result = ticket.with_user(self.agent).action_itss_desk_check_no_news()
        self.assertEqual(result["tag"], "display_notification")
        self.assertEqual(ticket.itss_desk_check_answer, "no_news")
        self.assertFalse(self._calls(ticket, "desk_check"), "the call is done")
        self.assertNotEqual(ticket.itss_desk_step, "desk_check")
        done = self.env["mail.message"].search(
            [
                ("model", "=", "helpdesk.ticket"),
                ("res_id", "=", ticket.id),
                (
                    "mail_activity_type_id",
                    "=",
                    self.env.ref("itss_incident.mail_act_itss_desk_check").id,
                ),
            ]
        )
        self.assertIn("Not done and no news", done.body, "completed with the answer")
        told = self._told(ticket, "desk_check")
        self.assertEqual(sorted(told.mapped("channel")), ["email", "sms"])
        self.assertEqual(told.partner_ids, self.l2_leader.partner_id)
        mail = told.filtered(lambda r: r.channel == "email").mail_id
        self.assertEqual(mail.recipient_ids, self.l2_leader.partner_id, "queued")
        self.assertIn("no news", mail.body_html)
        told_sms = self._sms(ticket).filtered(lambda s: "no news" in s.body)
        self.assertEqual(told_sms.mapped("number"), ["+86 138 0000 0009"])
        self.assertEqual(told_sms.state, "outgoing", "queued")
        # the next run asks nothing again
        self._cron(start + timedelta(hours=6))
        self.assertFalse(self._calls(ticket, "desk_check"))

    def test_yes_and_done_tell_nobody(self):
        start = local("2026-11-20 09:00")
        ticket = self._dispatched_to_l2(start)
        self._cron(start + timedelta(hours=4, minutes=1))
        self.assertTrue(self._calls(ticket, "desk_contact"))
        self.assertTrue(self._calls(ticket, "desk_check"))
        ticket.with_user(self.agent).action_itss_desk_contact_yes()
        ticket.with_user(self.agent).action_itss_desk_check_done()
        self.assertEqual(
            (ticket.itss_desk_contact_answer, ticket.itss_desk_check_answer),
            ("yes", "done"),
        )
        self.assertFalse(self._calls(ticket, "desk_contact"))
        self.assertFalse(self._calls(ticket, "desk_check"))
        for kind in ("desk_contact", "desk_check"):
            self.assertFalse(self._told(ticket, kind), "a yes tells nobody")
        self.assertFalse(self._sms(ticket).filtered(lambda s: "no news" in s.body))

    def test_the_contact_call_ends_when_the_ticket_leaves_second_line(self):
        start = local("2026-11-20 09:00")
        ticket = self._dispatched_to_l2(start)
        self._cron(start + timedelta(minutes=21))
        self.assertTrue(self._calls(ticket, "desk_contact"))
        with freeze_time(start + timedelta(minutes=25)):
            ticket.with_user(self.agent)._itss_dispatch(
                self.team_l1, self.env["res.users"]
            )
        self.assertEqual(ticket.itss_tier, "1")
        self.assertFalse(
            self._calls(ticket, "desk_contact"),
            "back at first line: nobody waits for a second line engineer",
        )

    def test_no_calls_once_resolved(self):
        start = local("2026-11-20 09:00")
        ticket = self._dispatched_to_l2(start)
        self._cron(start + timedelta(minutes=21))
        self.assertTrue(self._calls(ticket, "desk_contact"))
        with freeze_time(start + timedelta(minutes=30)):
            ticket.with_user(self.engineer).action_itss_accept()
            ticket.with_user(self.engineer)._itss_resolve(
                self._requirements("resolved")
            )
        self.assertFalse(self._calls(ticket, "desk_contact"), "no longer needed")
        self._cron(start + timedelta(hours=5))
        self.assertFalse(
            self._calls(ticket, "desk_check"), "resolved: the confirmation instead"
        )
