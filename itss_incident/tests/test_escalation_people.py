"""Who hears of an escalation: the incident manager is told of every SLA breach and
every escalation rule's notice (004)."""

from datetime import timedelta

from freezegun import freeze_time

from .test_escalation import EscalationCase
from .test_sla import local


class PeopleCase(EscalationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Rule = cls.env["itss.escalation.rule"]

    def _mails(self, ticket):
        return self.env["mail.mail"].search(
            [("model", "=", "helpdesk.ticket"), ("res_id", "=", ticket.id)]
        )

    def _p1(self, start, **vals):
        return self._log_ticket(start, itss_impact="1", itss_urgency="1", **vals)


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
        self.assertEqual(set(progress.mapped("channel")), {"sms"})
        self.assertEqual(len(progress), 4, "the four periodic rules once more")

    def test_shipped_ladder(self):
        rules = self.Rule.search([("company_id", "=", self.env.company.id)])
        ladder = rules.filtered(lambda r: r.get_external_id()[r.id])
        steps = {(r.priority, r.trigger, r.minutes) for r in ladder}
        manager_steps = {
            (r.priority, r.trigger, r.minutes)
            for r in ladder
            if r.role == "incident_manager"
        }
        self.assertEqual(manager_steps, steps, "004: the incident manager at each step")
