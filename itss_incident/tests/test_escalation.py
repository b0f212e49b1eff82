from datetime import timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tools import mute_logger

from odoo.addons.itss_incident import compat

from .common import ItssCase
from .test_sla import local


class EscalationCase(ItssCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pm = cls._user("itss_pm", "Project Manager", "+86 138 0000 0001")
        cls.director = cls._user("itss_director", "Director", "+86 138 0000 0002")
        cls.leader = cls._user("itss_leader", "Leader", "+86 138 0000 0003")
        cls.team_leader = cls._user(
            "itss_team_leader", "Team Leader", "+86 138 0000 0004"
        )
        for team in (cls.team_l1, cls.team_l2):
            team.write(
                {
                    "itss_project_manager_id": cls.pm.id,
                    "itss_director_id": cls.director.id,
                    "itss_leader_id": cls.leader.id,
                    "itss_incident_manager_id": cls.manager.id,
                    "user_id": cls.team_leader.id,
                }
            )
        cls.team_l1.user_ids = [(4, cls.team_leader.id)]
        cls.team_l2.user_ids = [(4, cls.team_leader.id)]
        cls.Ticket = cls.env["helpdesk.ticket"]
        cls.Log = cls.env["itss.escalation.log"]

    @classmethod
    def _user(cls, login, name, mobile):
        user = cls.env["res.users"].create(
            {
                "login": login,
                "name": name,
                "email": f"{login}@example.com",
                compat.GROUPS: [
                    (6, 0, [cls.env.ref("itss_incident.group_itss_engineer").id])
                ],
            }
        )
        user.partner_id[compat.MOBILE] = mobile
        return user

    def _log_ticket(self, when, **vals):
        with freeze_time(when):
            ticket = self._ticket(**vals)
            ticket.flush_recordset()
        return ticket

    def _cron(self, when):
        with freeze_time(when):
            self.Ticket._cron_itss_escalate()
            self.env.flush_all()

    def _logs(self, ticket, **domain):
        return self.Log.search(
            [("ticket_id", "=", ticket.id)] + [(k, "=", v) for k, v in domain.items()]
        )

    def _sms(self, ticket):
        return self.env["sms.sms"].search(
            [
                ("mail_message_id.res_id", "=", ticket.id),
                ("mail_message_id.model", "=", "helpdesk.ticket"),
            ]
        )


class TestEscalationMatrix(EscalationCase):
    def test_p1_created_rules_fire_once(self):
        start = local("2026-11-20 09:00")
        ticket = self._log_ticket(start, itss_impact="1", itss_urgency="1")
        self.assertEqual(ticket.itss_next_action_date, start)
        self._cron(start + timedelta(minutes=1))
        rules = self._logs(ticket, kind="rule")
        # PM, director, leader and incident manager by SMS and phone; each rule's
        # notice mails the incident manager too
        self.assertEqual(len(rules), 12)
        self.assertEqual(set(rules.mapped("channel")), {"sms", "call", "email"})
        self.assertEqual(
            set(rules.partner_ids.ids),
            {
                self.pm.partner_id.id,
                self.director.partner_id.id,
                self.leader.partner_id.id,
                self.manager.partner_id.id,
            },
        )
        self.assertEqual(
            rules.filtered(lambda r: r.channel == "email").partner_ids,
            self.manager.partner_id,
        )
        sms = self._sms(ticket)
        self.assertEqual(len(sms), 4)
        self.assertEqual(
            set(sms.mapped("number")),
            {"+86 138 0000 0001", "+86 138 0000 0002", "+86 138 0000 0003", False},
            "the incident manager has no mobile",
        )
        calls = ticket.activity_ids.filtered(
            lambda a: (
                a.activity_type_id
                == self.env.ref("itss_incident.mail_act_itss_escalation_call")
            )
        )
        # the owner (the desk team's leader) is off duty: the incident manager makes
        # the calls, the team leader calls the incident manager
        self.assertEqual(len(calls), 4)
        self.assertEqual(calls.user_id, self.manager | self.team_leader)
        # run twice, and again later: nothing new
        self._cron(start + timedelta(minutes=1))
        self._cron(start + timedelta(minutes=5))
        self.assertEqual(len(self._logs(ticket, kind="rule")), 12)
        self.assertEqual(len(self._sms(ticket)), 4)

    def test_saved_rules_count_at_once(self):
        """The rules' figures come from a registry cache: a rule an incident manager
        archives, restores, adds or deletes counts for the next ticket logged, in the
        same transaction already."""
        admin = self.env["res.users"].create(
            {
                "login": "rules.admin",
                "name": "Rules Admin",
                compat.GROUPS: [
                    (
                        6,
                        0,
                        [self.env.ref("itss_incident.group_itss_incident_manager").id],
                    )
                ],
            }
        )
        created = (
            self.env["itss.escalation.rule"]
            .with_user(admin)
            .search(
                [
                    ("company_id", "=", self.env.company.id),
                    ("priority", "=", "1"),
                    ("trigger", "=", "created"),
                ]
            )
        )
        self.assertEqual(len(created), 4)
        start = local("2026-11-20 09:00")
        created.write({"active": False})
        quiet = self._log_ticket(start, itss_impact="1", itss_urgency="1")
        self.assertGreater(quiet.itss_next_action_date, start)
        self._cron(start + timedelta(minutes=1))
        self.assertFalse(self._logs(quiet, kind="rule"))
        created.write({"active": True})
        created[:1].write({"active": False})
        extra = created[1].copy()
        loud = self._log_ticket(start, itss_impact="1", itss_urgency="1")
        self.assertEqual(loud.itss_next_action_date, start)
        extra.unlink()
        self._cron(start + timedelta(minutes=1))
        # three rules left, each by SMS, phone and the incident manager's mail
        self.assertEqual(len(self._logs(loud, kind="rule")), 9)
        # a rule that has notified people keeps its history: archived, not deleted
        used = created[1]
        with self.assertRaisesRegex(UserError, "already notified people.*archive"):
            used.unlink()
        self.assertTrue(used.exists())
        self.assertEqual(len(self._logs(loud, kind="rule")), 9)

    def test_p1_periodic_every_30_minutes(self):
        start = local("2026-11-20 09:00")
        ticket = self._log_ticket(start, itss_impact="1", itss_urgency="1")
        self._cron(start + timedelta(minutes=1))
        self.assertEqual(
            ticket.itss_next_action_date,
            start + timedelta(minutes=5),
            "next: the 50% response warning",
        )
        self._cron(start + timedelta(minutes=30))
        periodic = self._logs(ticket, kind="rule", sequence=1, channel="sms")
        self.assertEqual(len(periodic), 4, "PM, D, L, IM by SMS after 30 minutes")
        self.assertEqual(
            self._logs(ticket, kind="rule", sequence=1, channel="email").partner_ids,
            self.manager.partner_id,
            "and the incident manager hears of each by mail",
        )
        self._cron(start + timedelta(minutes=45))
        self.assertFalse(self._logs(ticket, kind="rule", sequence=2))
        # a cron that was down for two periods sends the latest period only
        self._cron(start + timedelta(minutes=95))
        self.assertFalse(self._logs(ticket, kind="rule", sequence=2))
        self.assertEqual(
            len(self._logs(ticket, kind="rule", sequence=3, channel="sms")), 4
        )

    def test_progress_fires_periodic_rules_once_more(self):
        start = local("2026-11-20 09:00")
        ticket = self._log_ticket(start, itss_impact="1", itss_urgency="1")
        self._cron(start + timedelta(minutes=1))
        with freeze_time(start + timedelta(minutes=3)):
            ticket.with_user(self.engineer).action_itss_accept()
            ticket.flush_recordset()
        self.assertLessEqual(ticket.itss_next_action_date, start + timedelta(minutes=3))
        self._cron(start + timedelta(minutes=4))
        progress = self._logs(ticket, kind="progress")
        self.assertEqual(len(progress.filtered("rule_id")), 4)
        self.assertEqual(len(progress - progress.filtered("rule_id")), 1, "the manager")
        self.assertEqual(set(progress.mapped("sequence")), {ticket.itss_progress_count})
        self._cron(start + timedelta(minutes=5))
        self.assertEqual(len(self._logs(ticket, kind="progress")), 5)

    def test_p2_created_and_resolved(self):
        start = local("2026-11-20 09:00")
        ticket = self._log_ticket(start, itss_impact="2", itss_urgency="2")
        self._cron(start + timedelta(minutes=1))
        created = self._logs(ticket, kind="rule")
        # PM by SMS and phone, D by SMS, IM by SMS and phone; the IM mailed of each
        self.assertEqual(
            sorted(created.mapped("channel")),
            ["call", "call", "email", "email", "email", "sms", "sms", "sms"],
        )
        with freeze_time(start + timedelta(minutes=40)):
            ticket.with_user(self.engineer).action_itss_accept()
            ticket.with_user(self.engineer).write(self._requirements("resolved"))
            ticket.with_user(self.engineer).action_itss_resolve()
            ticket.flush_recordset()
        self._cron(start + timedelta(minutes=41))
        resolved = self._logs(ticket, kind="rule", channel="sms").filtered(
            lambda log: log.rule_id.trigger == "resolved"
        )
        self.assertEqual(len(resolved), 3, "PM, D and IM by SMS")
        self._cron(start + timedelta(minutes=120))
        self.assertFalse(
            self._logs(ticket, kind="rule").filtered(
                lambda log: log.rule_id.trigger == "periodic"
            ),
            "periodic rules stop at resolution",
        )

    def test_p3_overdue_phone_call(self):
        start = local("2026-11-20 09:00")
        # already of high urgency: the breach's automatic escalation keeps it P3
        ticket = self._log_ticket(
            start, itss_impact="4", itss_urgency="2", user_id=self.engineer.id
        )
        self.assertEqual(ticket.itss_priority, "3")
        deadline = ticket.itss_resolve_deadline
        self._cron(deadline + timedelta(minutes=59))
        self.assertFalse(self._logs(ticket, kind="rule", channel="call"))
        self._cron(deadline + timedelta(minutes=61))
        calls = self._logs(ticket, kind="rule", channel="call")
        self.assertEqual(len(calls), 2, "the project manager and the incident manager")


class TestSlaNotifications(EscalationCase):
    def test_response_warnings_and_breach(self):
        start = local("2026-11-20 09:00")
        ticket = self._log_ticket(start, user_id=self.engineer.id)  # P4: 60 min
        mails_before = self.env["mail.mail"].search_count([])
        self._cron(start + timedelta(minutes=29))
        self.assertFalse(self._logs(ticket, kind="sla_warning"))
        self._cron(start + timedelta(minutes=30))
        first = self._logs(ticket, kind="sla_warning", sequence=1)
        self.assertEqual(first.partner_ids, self.engineer.partner_id)
        self.assertTrue(ticket.itss_sla_at_risk)
        self._cron(start + timedelta(minutes=45))
        second = self._logs(ticket, kind="sla_warning", sequence=2)
        self.assertEqual(second.partner_ids, self.team_leader.partner_id)
        self._cron(start + timedelta(minutes=61))
        self.assertTrue(ticket.itss_response_breached)
        breach = self._logs(ticket, kind="sla_breach", sequence=1)
        told = (
            self.engineer.partner_id
            | self.team_leader.partner_id
            | self.manager.partner_id
        )
        self.assertEqual(breach.partner_ids, told)
        mails = self.env["mail.mail"].search([], order="id desc", limit=3)
        self.assertEqual(self.env["mail.mail"].search_count([]) - mails_before, 3)
        self.assertIn(ticket.number, mails[0].subject)
        self.assertEqual(mails[0].recipient_ids, told)
        # each once
        self._cron(start + timedelta(minutes=62))
        self.assertEqual(len(self._logs(ticket, kind="sla_warning")), 2)
        self.assertEqual(len(self._logs(ticket, kind="sla_breach")), 1)

    def test_resolution_breach_escalates_automatically(self):
        start = local("2026-11-20 09:00")
        ticket = self._log_ticket(
            start, user_id=self.engineer.id, itss_impact="3", itss_urgency="3"
        )
        with freeze_time(start + timedelta(minutes=5)):
            ticket.action_itss_accept()
        self._cron(ticket.itss_resolve_deadline + timedelta(minutes=1))
        self.assertTrue(ticket.itss_resolve_breached)
        self.assertEqual(ticket.itss_urgency, "2", "raised to high")
        self.assertEqual(ticket.itss_priority, "2")
        auto = self._logs(ticket, kind="auto_escalation")
        self.assertEqual(auto.partner_ids, self.manager.partner_id)

    def test_three_reassignments_escalate(self):
        ticket = self._ticket("in_progress", user_id=self.engineer.id)
        ticket.user_id = self.agent
        ticket.user_id = self.team_leader
        self.assertEqual(ticket.itss_urgency, "3")
        ticket.write({"user_id": self.engineer.id, "team_id": self.team_l2.id})
        self.assertEqual(
            ticket.itss_reassign_count, 3, "user and team in one write: once"
        )
        self.assertEqual(ticket.itss_urgency, "2")
        self.assertEqual(len(self._logs(ticket, kind="auto_escalation")), 1)

    def test_functional_escalation(self):
        ticket = self._ticket("in_progress", user_id=self.engineer.id)
        ticket.with_user(self.engineer).action_itss_escalate()
        self.assertEqual(ticket.team_id, self.team_l2)
        self.assertEqual(ticket.itss_state, "assigned")
        self.assertFalse(ticket.user_id)
        self.assertEqual(ticket.itss_escalation_count, 1)
        self.assertEqual(ticket.itss_reassign_count, 1)
        with self.assertRaisesRegex(UserError, "no escalation team"):
            ticket.with_user(self.engineer).action_itss_escalate()

    def test_second_line_watchdog(self):
        start = local("2026-11-20 09:00")
        ticket = self._log_ticket(start, team_id=self.team_l2.id)
        self._cron(start + timedelta(minutes=19))
        self.assertFalse(self._logs(ticket, kind="watchdog"))
        self._cron(start + timedelta(minutes=21))
        watchdog = self._logs(ticket, kind="watchdog")
        self.assertEqual(sorted(watchdog.mapped("channel")), ["email", "sms"])
        self.assertEqual(watchdog.partner_ids, self.team_leader.partner_id)
        self._cron(start + timedelta(minutes=40))
        self.assertEqual(len(self._logs(ticket, kind="watchdog")), 2)


class TestCronRobustness(EscalationCase):
    def test_idle_cron_is_cheap(self):
        self.env.flush_all()
        with freeze_time(local("2026-11-20 09:00")), self.assertQueryCount(5):
            self.Ticket._cron_itss_escalate()

    def test_unique_key_forbids_a_second_effect(self):
        ticket = self._ticket()
        first = ticket._itss_log("sla_breach", None, 1, "email", "x")
        second = ticket._itss_log("sla_breach", None, 1, "email", "x")
        self.assertTrue(first)
        self.assertFalse(second)

    def test_crash_in_the_middle_of_a_batch(self):
        start = local("2026-11-20 09:00")
        tickets = [
            self._log_ticket(start, itss_impact="1", itss_urgency="1")
            for _i in range(3)
        ]
        broken = tickets[1]
        original = type(self.Ticket)._itss_fire

        def fire(record, kind, rule, sequence):
            if record == broken:
                raise RuntimeError("SMS gateway exploded")
            return original(record, kind, rule, sequence)

        with (
            patch.object(type(self.Ticket), "_itss_fire", fire),
            patch("odoo.addons.itss_incident.tools.cron_batch._logger"),
        ):
            self._cron(start + timedelta(minutes=1))
        self.assertEqual(len(self._logs(tickets[0], kind="rule")), 12)
        self.assertEqual(len(self._logs(tickets[2], kind="rule")), 12)
        self.assertFalse(
            self._logs(broken, kind="rule"), "rolled back: nothing half sent"
        )
        self.assertEqual(
            broken.itss_escalation_retry_date, start + timedelta(minutes=16)
        )
        self._cron(start + timedelta(minutes=5))
        self.assertFalse(self._logs(broken, kind="rule"), "skipped until the retry")
        self._cron(start + timedelta(minutes=16))
        self.assertEqual(len(self._logs(broken, kind="rule")), 12, "nothing lost")
        self.assertEqual(len(self._logs(tickets[0], kind="rule")), 12, "nothing twice")

    def test_batches_report_progress(self):
        start = local("2026-11-20 09:00")
        for _i in range(3):
            self._log_ticket(start, itss_impact="1", itss_urgency="1")
        calls = []
        with patch.object(
            compat,
            "cron_progress",
            lambda env, done, remaining: calls.append((done, remaining)),
        ):
            with freeze_time(start + timedelta(minutes=1)):
                self.Ticket._cron_itss_escalate(batch_size=2)
                self.Ticket._cron_itss_escalate(batch_size=2)
                self.Ticket._cron_itss_escalate(batch_size=2)
        self.assertEqual(calls[0], (2, 1))
        self.assertEqual(calls[1][0], 1)
        self.assertEqual(calls[2], (0, 0))

    def test_a_run_with_work_left_wakes_the_runner(self):
        """18.0's runner calls a job 10 times a run, then waits for its next poll: a
        batch that leaves due work triggers the job at once (19.0's runner keeps
        calling for a minimum time and reschedules itself)."""
        cron = self.env.ref("itss_incident.ir_cron_itss_escalation")
        start = local("2026-11-20 09:00")
        for _i in range(3):
            self._log_ticket(start, itss_impact="1", itss_urgency="1")
        Trigger = self.env["ir.cron.trigger"]
        before = Trigger.search([("cron_id", "=", cron.id)])
        Ticket = self.Ticket.with_context(cron_id=cron.id)
        with freeze_time(start + timedelta(minutes=1)):
            Ticket._cron_itss_escalate(batch_size=2)
            woken = Trigger.search([("cron_id", "=", cron.id)]) - before
            self.assertEqual(len(woken), 0 if compat.V19 else 1)
            Ticket._cron_itss_escalate(batch_size=2)
            Ticket._cron_itss_escalate(batch_size=2)
        self.assertEqual(
            len(Trigger.search([("cron_id", "=", cron.id)]) - before),
            0 if compat.V19 else 1,
            "nothing left after the first batch's: no more wake-ups",
        )


class TestAutoClose(EscalationCase):
    def _resolved(self, when):
        with freeze_time(when):
            ticket = self._ticket(
                "in_progress", user_id=self.engineer.id, partner_id=self.vip_contact.id
            )
            ticket.write(self._requirements("resolved"))
            ticket.action_itss_resolve()
            ticket.flush_recordset()
        return ticket

    def _cron(self, when):
        with freeze_time(when):
            self.Ticket._cron_itss_auto_close()
            self.env.flush_all()

    def _activities(self, ticket, xmlid):
        return ticket.activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref(xmlid)
        )

    def test_auto_close_after_three_days(self):
        start = local("2026-11-20 10:00")
        ticket = self._resolved(start)
        self._cron(start + timedelta(days=2, hours=23))
        self.assertEqual(ticket.itss_state, "resolved")
        self._cron(start + timedelta(days=3, minutes=1))
        self.assertEqual(ticket.itss_state, "closed")
        self.assertEqual(ticket.itss_close_origin, "auto")
        self.assertEqual(
            ticket.itss_closure_code_id,
            self.env.ref("itss_incident.closure_code_auto_closed"),
        )
        self.assertFalse(ticket.itss_satisfaction)
        self.assertIn("Closed automatically", ticket.message_ids[0].body)
        self.assertEqual(
            len(self._activities(ticket, "itss_incident.mail_act_itss_followup")), 1
        )
        self._cron(start + timedelta(days=3, minutes=2))
        self.assertEqual(
            len(self._activities(ticket, "itss_incident.mail_act_itss_followup")), 1
        )

    @mute_logger("odoo.addons.itss_incident.tools.cron_batch")
    def test_auto_close_failure_is_retried(self):
        start = local("2026-11-20 10:00")
        ticket = self._resolved(start)
        Ticket = type(self.env["helpdesk.ticket"])
        with patch.object(
            Ticket, "_itss_auto_close", side_effect=ValueError("mail server down")
        ):
            self._cron(start + timedelta(days=3, minutes=1))
        self.assertEqual(ticket.itss_state, "resolved")
        self.assertTrue(ticket.itss_auto_close_date, "the countdown is kept")
        self._cron(start + timedelta(days=3, hours=1, minutes=2))
        self.assertEqual(ticket.itss_state, "closed", "closed at the next try")
        self.assertEqual(ticket.itss_close_origin, "auto")

    def test_daily_reminder_once_a_day(self):
        start = local("2026-11-20 10:00")
        ticket = self._resolved(start)
        # the owner (the desk team's leader, nobody on duty) hears of it at once
        self.assertEqual(ticket.itss_owner_id, self.team_leader)
        first = self._activities(ticket, "itss_incident.mail_act_itss_confirm")
        self.assertEqual(len(first), 1)
        self.assertEqual(first.user_id, self.team_leader)
        self.assertEqual(str(first.date_deadline), "2026-11-20")
        self._cron(start + timedelta(hours=23))
        self.assertEqual(
            self._activities(ticket, "itss_incident.mail_act_itss_confirm"), first
        )
        self._cron(start + timedelta(days=1, minutes=1))
        self._cron(start + timedelta(days=1, minutes=2))
        reminders = self._activities(ticket, "itss_incident.mail_act_itss_confirm")
        self.assertEqual(reminders, first, "one to-do, due again")
        self.assertEqual(str(reminders.date_deadline), "2026-11-21")
        self._cron(start + timedelta(days=2, minutes=2))
        again = self._activities(ticket, "itss_incident.mail_act_itss_confirm")
        self.assertEqual(again, reminders, "still one to-do, due again")
        self.assertEqual(str(again.date_deadline), "2026-11-22")
        # closing the ticket completes it
        with freeze_time(start + timedelta(days=2, hours=1)):
            ticket.itss_owner_id = self.agent  # handed over to the desk agent
            ticket.with_user(self.agent).write({"itss_satisfaction": "5"})
            ticket.with_user(self.agent).action_itss_close()
        self.assertFalse(
            self._activities(ticket, "itss_incident.mail_act_itss_confirm")
        )

    def test_customer_reply_cancels_the_countdown(self):
        start = local("2026-11-20 10:00")
        ticket = self._resolved(start)
        with freeze_time(start + timedelta(days=1)):
            ticket.message_post(
                body="It broke again",
                author_id=self.vip_contact.id,
                message_type="email",
                subtype_xmlid="mail.mt_comment",
            )
        self.assertFalse(ticket.itss_auto_close_date)
        todo = ticket.activity_ids.filtered(lambda a: a.user_id == self.engineer)
        self.assertEqual(len(todo), 1)
        self._cron(start + timedelta(days=4))
        self.assertEqual(ticket.itss_state, "resolved")

    def test_desk_close_schedules_followup_in_three_working_days(self):
        self.env.company.resource_calendar_id = self.calendar
        with freeze_time(local("2026-11-20 10:00")):  # a Friday
            ticket = self._ticket("resolved", user_id=self.engineer.id)
            ticket.itss_owner_id = self.agent
            ticket.with_user(self.agent).write({"itss_satisfaction": "5"})
            ticket.with_user(self.agent).action_itss_close()
        followup = self._activities(ticket, "itss_incident.mail_act_itss_followup")
        self.assertEqual(len(followup), 1)
        self.assertEqual(followup.user_id, self.agent, "the owner visits")
        self.assertEqual(str(followup.date_deadline), "2026-11-25")
        # under a contract, on its support hours (here with New Year's Eve off)
        self.env["itss.service.contract"].create(
            {
                "name": "Follow-up contract",
                "partner_id": self.customer.id,
                "date_start": "2026-01-01",
                "calendar_id": self.calendar.id,
            }
        )
        with freeze_time(local("2026-12-29 10:00")):  # a Tuesday
            ticket = self._ticket("resolved", user_id=self.engineer.id)
            self.assertTrue(ticket.itss_contract_id)
            ticket.itss_owner_id = self.agent
            ticket.with_user(self.agent).write({"itss_satisfaction": "5"})
            ticket.with_user(self.agent).action_itss_close()
        followup = self._activities(ticket, "itss_incident.mail_act_itss_followup")
        self.assertEqual(str(followup.date_deadline), "2027-01-04")
