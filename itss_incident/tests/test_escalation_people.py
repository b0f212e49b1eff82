"""Who hears of an escalation and who makes its calls: the incident manager is told of
every SLA breach and every escalation rule's notice (004); the escalation timetable of
a priority is 003's or 000's, switched in one step; a phone escalation is an activity
for the caller, whose outcome the notification log keeps."""

from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form

from odoo.addons.itss_incident import compat

from .test_escalation import EscalationCase
from .test_sla import local

CALL_TYPE = "itss_incident.mail_act_itss_escalation_call"


class PeopleCase(EscalationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pm.partner_id.phone = "+86 10 6000 0001"
        cls.manager.partner_id[compat.MOBILE] = "+86 138 0000 0009"
        cls.business = cls.env["res.partner"].create(
            {
                "name": "Business Department",
                "email": "business@example.com",
                "phone": "+86 10 6000 0005",
            }
        )
        cls.team_l1.itss_business_contact_id = cls.business
        cls.call_type = cls.env.ref(CALL_TYPE)
        cls.Rule = cls.env["itss.escalation.rule"]

    def _mails(self, ticket):
        return self.env["mail.mail"].search(
            [("model", "=", "helpdesk.ticket"), ("res_id", "=", ticket.id)]
        )

    def _calls(self, ticket):
        return ticket.activity_ids.filtered(
            lambda a: a.activity_type_id == self.call_type
        )

    def _p1(self, start, **vals):
        return self._log_ticket(start, itss_impact="1", itss_urgency="1", **vals)

    def _on_duty(self, user, start):
        return self.env["itss.duty.shift"].create(
            {
                "user_id": user.id,
                "team_id": self.team_l1.id,
                "date_start": start - timedelta(hours=1),
                "date_end": start + timedelta(hours=11),
            }
        )


class TestIncidentManagerHears(PeopleCase):
    def test_sla_breach_mails_the_incident_manager(self):
        start = local("2026-11-20 09:00")
        ticket = self._log_ticket(start, user_id=self.engineer.id)  # P4: 60 min
        self._cron(start + timedelta(minutes=61))
        breach = self._logs(ticket, kind="sla_breach", sequence=1)
        people = (
            self.engineer.partner_id
            | self.team_leader.partner_id
            | self.manager.partner_id
        )
        self.assertEqual(breach.partner_ids, people)
        mail = self._mails(ticket).filtered(lambda m: "breached" in m.body_html)
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.recipient_ids, people)
        self._cron(start + timedelta(minutes=62))
        self._cron(start + timedelta(minutes=62))
        self.assertEqual(len(self._logs(ticket, kind="sla_breach")), 1)
        self.assertEqual(
            len(self._mails(ticket).filtered(lambda m: "breached" in m.body_html)), 1
        )

    def test_every_rule_notice_mails_the_incident_manager(self):
        start = local("2026-11-20 09:00")
        # P3's shipped created rules: the project manager and the incident manager by
        # SMS; a rule of ours mails the director
        with freeze_time(start - timedelta(minutes=5)):
            mailed = self.Rule.with_user(self.manager).create(
                {
                    "priority": "3",
                    "trigger": "created",
                    "minutes": 30,
                    "role": "director",
                    "notify_email": True,
                }
            )
        ticket = self._log_ticket(start, itss_impact="3", itss_urgency="3")
        self.assertEqual(ticket.itss_priority, "3")
        self._cron(start + timedelta(minutes=1))
        rows = self._logs(ticket, kind="rule")
        sms = rows.filtered(lambda r: r.channel == "sms")
        self.assertEqual(
            set(sms.rule_id.mapped("role")), {"project_manager", "incident_manager"}
        )
        emails = rows.filtered(lambda r: r.channel == "email")
        self.assertEqual(len(emails), 3, "one mail row per rule")
        for row in emails:
            expected = self.manager.partner_id
            if row.rule_id == mailed:
                expected |= self.director.partner_id
            self.assertEqual(row.partner_ids, expected, row.rule_id.name)
        mails = self._mails(ticket)
        self.assertEqual(len(mails), 3)
        self.assertEqual(
            sorted(mails.mapped(lambda m: len(m.recipient_ids))), [1, 1, 2]
        )
        self.assertTrue(all(self.manager.partner_id in m.recipient_ids for m in mails))
        # run twice: nothing twice
        self._cron(start + timedelta(minutes=1))
        self._cron(start + timedelta(minutes=2))
        self.assertEqual(self._logs(ticket, kind="rule"), rows)
        self.assertEqual(self._mails(ticket), mails)
        # a team without incident manager: the rules' own channels only
        self.team_l1.itss_incident_manager_id = False
        other = self._log_ticket(start, itss_impact="3", itss_urgency="3")
        self._cron(start + timedelta(minutes=3))
        emails = self._logs(other, kind="rule", channel="email")
        self.assertEqual(emails.rule_id, mailed)
        self.assertEqual(emails.partner_ids, self.director.partner_id)

    def test_progress_notices_keep_their_recipients(self):
        start = local("2026-11-20 09:00")
        ticket = self._p1(start)
        self._cron(start + timedelta(minutes=1))
        with freeze_time(start + timedelta(minutes=3)):
            ticket.with_user(self.engineer).action_itss_accept()
            ticket.flush_recordset()
        self._cron(start + timedelta(minutes=4))
        progress = self._logs(ticket, kind="progress")
        by_rule = progress.filtered("rule_id")
        self.assertEqual(set(by_rule.mapped("channel")), {"sms"})
        self.assertEqual(len(by_rule), 4, "the four periodic rules once more")
        # 004: the incident manager hears of the progress too, by one mail
        told = progress - by_rule
        self.assertEqual(told.mapped("channel"), ["email"])
        manager = self.team_l1.itss_incident_manager_id.partner_id
        self.assertEqual(told.partner_ids, manager)
        self.assertEqual(told.mail_id.recipient_ids, manager, "a queued mail")

    def test_shipped_ladders(self):
        rules = self.Rule.with_context(active_test=False).search(
            [("company_id", "=", self.env.company.id)]
        )
        shipped = rules.filtered(lambda r: r.get_external_id()[r.id])
        ladder = shipped.filtered(lambda r: r.rule_set == "003")
        self.assertTrue(all(ladder.mapped("active")))
        steps = {(r.priority, r.trigger, r.minutes) for r in ladder}
        manager_steps = {
            (r.priority, r.trigger, r.minutes)
            for r in ladder
            if r.role == "incident_manager"
        }
        self.assertEqual(manager_steps, steps, "004: the incident manager at each step")
        zero = shipped.filtered(lambda r: r.rule_set == "000")
        self.assertFalse(any(zero.mapped("active")), "shipped archived")
        self.assertEqual(set(zero.mapped("priority")), {"1"})
        self.assertEqual(
            {(r.trigger, r.minutes) for r in zero},
            {("created", 30), ("periodic", 60), ("overdue", 15), ("resolved", 30)},
        )
        for rule in zero:
            self.assertEqual(
                rule._itss_channels(),
                ["call"] if rule.role == "business" else ["email", "call"],
                rule.name,
            )
        self.assertEqual(
            set(zero.mapped("role")),
            {"project_manager", "director", "leader", "business"},
        )


class TestRuleSets(PeopleCase):
    def _switch(self, user, priority, rule_set, selected=None):
        context = {}
        if selected is not None:
            context = {
                "active_model": "itss.escalation.rule",
                "active_ids": selected.ids,
            }
        form = Form(
            self.env["itss.escalation.rule.switch"]
            .with_user(user)
            .with_context(**context)
        )
        if priority:
            form.priority = priority
        if rule_set:
            form.rule_set = rule_set
        wizard = form.save()
        return wizard, wizard.action_switch()

    def _p1_rules(self, rule_set):
        return self.Rule.with_context(active_test=False).search(
            [
                ("company_id", "=", self.env.company.id),
                ("priority", "=", "1"),
                ("rule_set", "=", rule_set),
            ]
        )

    def test_incident_manager_switches_p1_to_000(self):
        start = local("2026-11-20 09:00")
        open_p1 = self._p1(start - timedelta(hours=1))
        p2_before = self.Rule.search([("priority", "=", "2")])
        ladder, zero = self._p1_rules("003"), self._p1_rules("000")
        with freeze_time(start - timedelta(minutes=10)):
            # from the matrix, a 003 P1 rule selected: the dialog proposes 000 for P1
            wizard, result = self._switch(self.manager, None, None, ladder[:1])
            self.env.flush_all()
        self.assertEqual((wizard.priority, wizard.rule_set), ("1", "000"))
        self.assertIn("000", result["params"]["message"])
        self.assertTrue(all(zero.mapped("active")))
        self.assertFalse(any(ladder.mapped("active")))
        self.assertEqual(self.Rule.search([("priority", "=", "2")]), p2_before)
        open_p1.invalidate_recordset()
        self.assertTrue(open_p1.itss_retarget, "open P1 tickets are re-targeted")
        # a P1 ticket now follows 000: phone and mail at once
        ticket = self._p1(start)
        self._cron(start + timedelta(minutes=1))
        rows = self._logs(ticket, kind="rule")
        self.assertEqual(rows.rule_id, zero.filtered(lambda r: r.trigger == "created"))
        emails = rows.filtered(lambda r: r.channel == "email")
        self.assertEqual(len(emails), 4, "PM, D, L by mail; the business row to the IM")
        self.assertEqual(
            emails.partner_ids,
            self.pm.partner_id
            | self.director.partner_id
            | self.leader.partner_id
            | self.manager.partner_id,
        )
        self.assertFalse(rows.filtered(lambda r: r.channel == "sms"))
        calls = self._calls(ticket)
        self.assertEqual(len(calls), 4)
        self.assertIn("Business Department", " ".join(calls.mapped("summary")))
        self.assertFalse(self._sms(ticket))
        # and back to 003, in one step again
        self._switch(self.manager, "1", "003")
        self.assertTrue(all(ladder.mapped("active")))
        self.assertFalse(any(zero.mapped("active")))

    def test_switch_is_an_incident_managers(self):
        with self.assertRaises(AccessError):
            self._switch(self.engineer, "1", "000")
        with self.assertRaises(AccessError):
            self.Rule.with_user(self.engineer)._itss_use_rule_set(
                self.env.company, "1", "000"
            )
        self.assertTrue(all(self._p1_rules("003").mapped("active")))
        self.assertFalse(any(self._p1_rules("000").mapped("active")))

    def test_switch_to_an_empty_timetable_is_refused(self):
        before = self.Rule.search([("priority", "=", "2")])
        with self.assertRaisesRegex(UserError, "no rule for P2"):
            self._switch(self.manager, "2", "000")
        self.assertEqual(self.Rule.search([("priority", "=", "2")]), before)


class TestEscalationCalls(PeopleCase):
    def test_owner_on_duty_makes_the_calls(self):
        start = local("2026-11-20 09:00")
        self._on_duty(self.agent, start)
        ticket = self._p1(start, itss_owner_id=self.agent.id)
        self._cron(start + timedelta(minutes=1))
        calls = self._calls(ticket)
        self.assertEqual(len(calls), 4, "PM, director, leader, incident manager")
        self.assertEqual(calls.user_id, self.agent)
        pm_call = calls.filtered(lambda a: a.summary.startswith("Call Project Manager"))
        self.assertEqual(
            pm_call.summary,
            "Call Project Manager: Escalation (P1, Within minutes of logging (10 min): "
            "Project manager)",
        )
        self.assertIn("phone +86 10 6000 0001", pm_call.note)
        # 19.0 keeps one number per person: the phone is the mobile there
        mobile = "+86 10 6000 0001" if compat.V19 else "+86 138 0000 0001"
        self.assertIn(f"mobile {mobile}", pm_call.note)
        self.assertIn("Why: Escalation", pm_call.note)
        rows = self._logs(ticket, kind="rule", channel="call")
        self.assertEqual(rows.activity_id, calls)
        self.assertFalse(any(rows.mapped("outcome")))
        # run twice: no second call
        self._cron(start + timedelta(minutes=1))
        self._cron(start + timedelta(minutes=2))
        self.assertEqual(self._calls(ticket), calls)

    def test_owner_off_duty_the_incident_manager_calls(self):
        start = local("2026-11-20 09:00")
        ticket = self._p1(start, itss_owner_id=self.agent.id)  # no shift: off duty
        self._cron(start + timedelta(minutes=1))
        calls = self._calls(ticket)
        by_caller = {
            user.login: sorted(
                calls.filtered(lambda a, u=user: a.user_id == u).mapped(
                    lambda a: a.summary.split(":")[0]
                )
            )
            for user in calls.user_id
        }
        self.assertEqual(
            by_caller,
            {
                "itss_manager": [
                    "Call Director",
                    "Call Leader",
                    "Call Project Manager",
                ],
                # nobody calls themselves: the team leader calls the incident manager
                "itss_team_leader": ["Call Incident Manager"],
            },
        )
        manager_call = calls.filtered(lambda a: a.user_id == self.team_leader)
        self.assertIn("mobile +86 138 0000 0009", manager_call.note)
        # a team without incident manager: the team leader calls
        self.team_l1.itss_incident_manager_id = False
        other = self._p1(start, itss_owner_id=self.agent.id)
        self._cron(start + timedelta(minutes=2))
        self.assertEqual(self._calls(other).user_id, self.team_leader)

    def test_call_outcome_recorded_through_the_dialog(self):
        start = local("2026-11-20 09:00")
        self._on_duty(self.agent, start)
        ticket = self._p1(start, itss_owner_id=self.agent.id)
        self._cron(start + timedelta(minutes=1))
        as_agent = ticket.with_user(self.agent)
        first = as_agent.itss_call_activity_id
        self.assertEqual(first.activity_type_id, self.call_type)
        self.assertFalse(ticket.with_user(self.engineer).itss_call_activity_id)
        with freeze_time(start + timedelta(minutes=5)):
            action = as_agent.action_itss_call_done_dialog()
            self.assertEqual(action["target"], "new")
            form = Form(
                self.env[action["res_model"]]
                .with_user(self.agent)
                .with_context(**action["context"])
            )
            self.assertEqual(form.activity_id, first)
            form.outcome = "not_reached"
            form.note = "Voicemail full"
            form.save().action_record()
        row = self._logs(ticket, kind="rule", channel="call").filtered(
            lambda r: r.activity_id == first
        )
        self.assertEqual(row.outcome, "not_reached")
        self.assertEqual(row.caller_id, self.agent)
        self.assertFalse(first.active, "kept done, still linked")
        self.assertIn("Not reached", ticket.message_ids[0].body)
        self.assertIn("Voicemail full", ticket.message_ids[0].body)
        as_agent.invalidate_recordset()
        self.assertNotEqual(as_agent.itss_call_activity_id, first)
        # the caller's step: another engineer may not record it, an incident manager
        # may
        second = as_agent.itss_call_activity_id
        with self.assertRaises(AccessError):
            second.with_user(self.engineer)._itss_call_done("reached")
        second.with_user(self.manager)._itss_call_done("message")
        self.assertEqual(
            self.Log.search([("activity_id", "=", second.id)]).outcome, "message"
        )
        as_agent.invalidate_recordset()
        with self.assertRaisesRegex(UserError, "Choose the outcome"):
            as_agent.itss_call_activity_id._itss_call_done("not_recorded")

    def test_marked_done_without_the_dialog_is_not_recorded(self):
        start = local("2026-11-20 09:00")
        self._on_duty(self.agent, start)
        ticket = self._p1(start, itss_owner_id=self.agent.id)
        self._cron(start + timedelta(minutes=1))
        calls = self._calls(ticket).with_user(self.agent)
        calls[0].action_feedback(feedback="called")
        calls[1:].action_done()
        rows = self._logs(ticket, kind="rule", channel="call")
        self.assertEqual(set(rows.mapped("outcome")), {"not_recorded"})
        ticket.invalidate_recordset()
        self.assertFalse(ticket.with_user(self.agent).itss_call_activity_id)
        with self.assertRaisesRegex(UserError, "not an open escalation call"):
            calls[0]._itss_call_done("reached")
