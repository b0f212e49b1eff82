from datetime import datetime
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user
from odoo.tools import mute_logger

from odoo.addons.itss_incident import compat

from .common import ENGINEER_GROUPS, ItssMajorCase

# the moments of the tests (UTC, as stored): a Friday morning in Shanghai
NOW = datetime(2026, 11, 20, 1, 0, 0)


class TestMajorIncident(ItssMajorCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the team's director hears of every major incident; an engineer of the team
        # not on the ticket stays outside it
        cls.director[compat.GROUPS] = [
            (4, cls.env.ref("itss_incident.group_itss_engineer").id)
        ]
        cls.director.partner_id[compat.MOBILE] = "+86 138 0000 7002"
        cls.outsider = new_test_user(
            cls.env, login="mi_outsider", name="Outsider", groups=ENGINEER_GROUPS
        )
        cls.team.write(
            {"itss_director_id": cls.director.id, "user_ids": [(4, cls.outsider.id)]}
        )

    # declaration

    def test_major_priority_declares_once(self):
        ticket, incident = self._incident()
        self.assertTrue(incident)
        self.assertEqual(incident.state, "declared")
        self.assertEqual(incident.ticket_id, ticket)
        self.assertEqual(incident.manager_ids, self.major_manager)
        self.assertEqual(incident.recovery_team_ids, self.engineer)
        self.assertTrue(incident.number.startswith("MI"))
        logs = self.env["itss.escalation.log"].search(
            [("ticket_id", "=", ticket.id), ("kind", "!=", "customer")]
        )
        self.assertEqual(sorted(logs.mapped("channel")), ["call", "email", "sms"])
        self.assertEqual(
            set(logs.partner_ids.ids),
            {self.major_manager.partner_id.id, self.director.partner_id.id},
        )
        # a second change of priority declares nothing more
        ticket.write({"itss_impact": "2", "itss_urgency": "1"})
        ticket.write({"itss_impact": "1"})
        self.assertEqual(
            self.env["itss.major.incident"].search_count(
                [("ticket_id", "=", ticket.id)]
            ),
            1,
        )
        # a minor ticket declares nothing; raising it does
        minor = self._ticket(impact="4", urgency="4")
        self.assertFalse(minor.itss_major_incident_id)
        minor.write({"itss_impact": "1", "itss_urgency": "2"})
        self.assertTrue(minor.itss_major_incident_id)

    def test_contract_decides_what_is_major(self):
        """A customer's contract that says P1 only keeps its P2 tickets minor, while
        the company (P1 and P2 here) declares the others'."""
        company = self.env["res.partner"].create(
            {"name": "MI contract customer", "is_company": True}
        )
        contact = self.env["res.partner"].create(
            {"name": "MI contract contact", "parent_id": company.id}
        )
        self.env["itss.service.contract"].create(
            {
                "name": "MI contract",
                "partner_id": company.id,
                "date_start": "2020-01-01",
                "major_priority": "1",
            }
        )
        p2 = {"impact": "2", "urgency": "2"}
        under_contract = self._ticket(partner_id=contact.id, **p2)
        self.assertEqual(under_contract.itss_priority, "2")
        self.assertFalse(under_contract.itss_major_incident_id)
        self.assertTrue(self._ticket(**p2).itss_major_incident_id, "the company's")
        under_contract.write({"itss_impact": "1", "itss_urgency": "1"})
        self.assertTrue(under_contract.itss_major_incident_id)

    def test_declare_by_hand_and_join(self):
        ticket = self._ticket(impact="4", urgency="4")
        wizard = (
            self.env["itss.major.declare"]
            .with_user(self.engineer)
            .create({"ticket_id": ticket.id, "reason": "Whole region affected"})
        )
        wizard.action_confirm()
        incident = ticket.itss_major_incident_id
        self.assertEqual(incident.declared_reason, "Whole region affected")
        other = self._ticket(impact="4", urgency="4")
        self.env["itss.major.declare"].create(
            {
                "ticket_id": other.id,
                "major_incident_id": incident.id,
                "reason": "Same outage",
            }
        ).action_confirm()
        self.assertEqual(incident.ticket_ids, ticket | other)
        with self.assertRaisesRegex(UserError, "already"):
            other.action_itss_declare_major("again")

    # lifecycle

    def test_resolve_resolves_tickets_and_close_needs_everything(self):
        ticket, incident = self._incident()
        incident = incident.with_user(self.major_manager)
        incident.action_start_recovery()
        self.assertTrue(incident.recovering_date)
        with self.assertRaisesRegex(UserError, "resolution"):
            incident.action_resolve()
        incident.resolution = "<p>Restarted the billing cluster</p>"
        incident.action_resolve()
        self.assertEqual(ticket.itss_state, "resolved")
        self.assertIn("billing cluster", ticket.itss_solution)
        # the ticket cannot close while the major incident is open
        ticket.itss_satisfaction = "4"
        with self.assertRaisesRegex(UserError, "major incident"):
            ticket.action_itss_close()
        with self.assertRaises(UserError) as caught:
            incident.action_close()
        self.assertIn("final statement", str(caught.exception))
        self.assertIn("problem management", str(caught.exception))
        line = self.env["itss.communication.plan.line"].create(
            {
                "major_incident_id": incident.id,
                "audience": "customers",
                "channel": "email",
                "contact_ids": [(6, 0, self.customer.ids)],
                "approver_id": self.major_manager.id,
            }
        )
        final = self.env["itss.communication.update"].create(
            {
                "major_incident_id": incident.id,
                "name": "Service restored",
                "line_ids": [(6, 0, line.ids)],
                "body": "<p>Restored</p>",
                "is_final": True,
            }
        )
        final.with_user(self.major_manager).action_approve()
        final.action_send()
        incident.action_create_problem()
        self.assertEqual(incident.problem_id.major_incident_id, incident)
        self.assertEqual(ticket.itss_problem_id, incident.problem_id)
        incident.action_close()
        self.assertEqual(incident.state, "closed")
        ticket.action_itss_close()
        self.assertEqual(ticket.itss_state, "closed")
        d = incident._itss_durations()
        self.assertIsNotNone(d["recover"])

    def test_state_only_through_buttons_and_only_managers(self):
        _ticket, incident = self._incident()
        with self.assertRaisesRegex(UserError, "buttons"):
            incident.with_user(self.major_manager).write({"state": "closed"})
        # the engineer of the recovery team reads the major incident; refused as not its
        # manager (the model's rule), before the access rights would refuse the write
        with self.assertRaisesRegex(
            UserError, "Only a major incident manager does this"
        ):
            incident.with_user(self.engineer).action_start_recovery()
        with self.assertRaisesRegex(UserError, "Only a major incident manager changes"):
            incident.with_user(self.engineer).write({"name": "Renamed"})
        self.assertEqual(incident.state, "declared")

    def test_no_context_key_moves_a_state(self):
        """JSON-RPC callers choose their context: the old transition keys authorise
        nothing, even for a major incident manager."""
        _ticket, incident = self._incident()
        as_manager = incident.with_user(self.major_manager)
        with self.assertRaisesRegex(UserError, "buttons"):
            as_manager.with_context(itss_major_transition=True).write(
                {"state": "closed"}
            )
        as_manager.action_new_recovery_plan()
        plan = incident.recovery_plan_ids.with_user(self.major_manager)
        for vals in ({"state": "approved"}, {"approved_by_id": self.major_manager.id}):
            with self.subTest(vals=vals), self.assertRaisesRegex(UserError, "button"):
                plan.with_context(itss_plan_transition=True).write(vals)
        with self.assertRaisesRegex(UserError, "button"):
            self.env["itss.recovery.plan"].with_user(self.major_manager).create(
                {"major_incident_id": incident.id, "version": 2, "state": "approved"}
            )
        plan.action_ids = [(0, 0, {"name": "Restart", "user_id": self.engineer.id})]
        hypothesis = (
            self.env["itss.recovery.hypothesis"]
            .create({"plan_id": plan.id, "cause": "Disk full"})
            .with_user(self.major_manager)
        )
        plan.action_approve()
        with self.assertRaisesRegex(UserError, "approved"):
            plan.with_context(itss_plan_transition=True).write(
                {"breakdown": "<p>rewritten</p>"}
            )
        for record in (plan, hypothesis, plan.action_ids):
            with (
                self.subTest(model=record._name),
                self.assertRaisesRegex(UserError, "approved"),
            ):
                record.with_context(itss_plan_transition=True).unlink()
        self.assertTrue(plan.exists() and hypothesis.exists() and plan.action_ids)
        self.assertEqual((incident.state, plan.state), ("declared", "approved"))

    def test_bcp_and_emergency_plan(self):
        _ticket, incident = self._incident()
        as_manager = incident.with_user(self.major_manager)
        with self.assertRaisesRegex(UserError, "Emergency Plans"):
            as_manager.action_activate_emergency_plan()
        self.assertFalse(incident.recovery_plan_ids)
        plan = self.env["itss.emergency.plan"].create(
            {
                "name": "Billing",
                "system": "Billing",
                "step_ids": [(0, 0, {"name": "Fail over"}), (0, 0, {"name": "Verify"})],
            }
        )
        incident.emergency_plan_id = plan
        as_manager.action_activate_emergency_plan()
        draft = incident.recovery_plan_ids.filtered(lambda p: p.state == "draft")
        self.assertEqual(draft.action_ids.mapped("name"), ["Fail over", "Verify"])
        with self.assertRaisesRegex(UserError, "Say why"):
            as_manager.action_invoke_bcp(" ")
        self.env["itss.major.bcp"].with_user(self.major_manager).create(
            {"major_incident_id": incident.id, "reason": "Two hours down"}
        ).action_confirm()
        self.assertTrue(incident.bcp_invoked)
        self.assertEqual(incident.bcp_decided_by_id, self.major_manager)
        self.assertTrue(incident.bcp_invoked_date)

    # recovery plan versions

    def test_approved_plan_is_frozen_and_versions_supersede(self):
        _ticket, incident = self._incident()
        incident.recovery_team_ids = [(4, self.engineer.id)]
        incident.with_user(self.major_manager).action_new_recovery_plan()
        v1 = incident.recovery_plan_ids
        v1.write(
            {
                "breakdown": "<p>DB, app, network</p>",
                "hypothesis_ids": [
                    (0, 0, {"cause": "Disk full", "likelihood": "1", "ease": "1"}),
                    (0, 0, {"cause": "Bad deploy", "likelihood": "2", "ease": "3"}),
                ],
                "action_ids": [
                    (
                        0,
                        0,
                        {
                            "name": "Check disks",
                            "user_id": self.engineer.id,
                            "date_deadline": "2026-11-20",
                        },
                    )
                ],
            }
        )
        self.assertEqual(
            v1.hypothesis_ids.sorted("investigation_priority")[0].cause, "Disk full"
        )
        with self.assertRaisesRegex(UserError, "Only a major incident manager"):
            v1.with_user(self.engineer).action_approve()
        v1.with_user(self.major_manager).action_approve()
        self.assertEqual(v1.state, "approved")
        action = v1.action_ids
        self.assertTrue(
            incident.activity_ids.filtered(lambda a: a.user_id == self.engineer)
        )
        for record, vals in (
            (v1, {"breakdown": "<p>x</p>"}),
            (v1.hypothesis_ids[0], {"cause": "x"}),
            (action, {"name": "x"}),
        ):
            with (
                self.subTest(model=record._name),
                self.assertRaisesRegex(UserError, "approved"),
            ):
                record.write(vals)
        for record in (v1, v1.hypothesis_ids[0], action):
            with (
                self.subTest(model=record._name),
                self.assertRaisesRegex(UserError, "approved"),
            ):
                record.unlink()
        with self.assertRaisesRegex(UserError, "approved"):
            self.env["itss.recovery.hypothesis"].create(
                {"plan_id": v1.id, "cause": "new"}
            )
        # the owner reports progress on an approved plan's action
        action.with_user(self.engineer).write({"state": "done"})
        self.assertEqual(action.state, "done")
        # a new version copies the latest and supersedes it once approved
        v1.with_user(self.major_manager).action_new_version()
        v2 = incident.recovery_plan_ids.filtered(lambda p: p.version == 2)
        self.assertEqual(v2.state, "draft")
        self.assertEqual(
            v2.hypothesis_ids.mapped("cause"), v1.hypothesis_ids.mapped("cause")
        )
        with self.assertRaisesRegex(UserError, "draft version exists"):
            v1._itss_new_version()
        v2.breakdown = "<p>DB only</p>"
        v2.with_user(self.major_manager).action_approve()
        self.assertEqual(v1.state, "superseded")
        self.assertEqual(v2.state, "approved")
        self.assertIn("DB, app, network", v1.breakdown, "all versions stay readable")

    @freeze_time(NOW)
    def test_overdue_actions_show(self):
        _ticket, incident = self._incident()
        plan = self.env["itss.recovery.plan"].create(
            {"major_incident_id": incident.id, "version": 1}
        )
        Action = self.env["itss.recovery.action"]
        Action.create(
            {
                "plan_id": plan.id,
                "name": "Late",
                "user_id": self.engineer.id,
                "date_deadline": "2026-11-19",
            }
        )
        Action.create(
            {
                "plan_id": plan.id,
                "name": "Due today",
                "user_id": self.engineer.id,
                "date_deadline": "2026-11-20",
            }
        )
        self.assertEqual(incident.overdue_action_count, 1)

    # communication

    def _line(self, incident, **vals):
        return self.env["itss.communication.plan.line"].create(
            dict(
                {
                    "major_incident_id": incident.id,
                    "audience": "senior_management",
                    "channel": "email",
                    "contact_ids": [(6, 0, self.director.partner_id.ids)],
                    "approver_id": self.director.id,
                    "frequency_minutes": 30,
                },
                **vals,
            )
        )

    @freeze_time(NOW)
    def test_statement_approval_and_sending(self):
        ticket, incident = self._incident()
        email = self._line(incident)
        sms = self._line(
            incident,
            audience="customers",
            channel="sms",
            contact_ids=[(6, 0, self.customer.ids)],
            approver_id=self.major_manager.id,
        )
        portal = self._line(
            incident,
            audience="customers",
            channel="portal",
            contact_ids=[(6, 0, self.customer.ids)],
            approver_id=self.director.id,
        )
        update = self.env["itss.communication.update"].create(
            {
                "major_incident_id": incident.id,
                "name": "Update 1",
                "line_ids": [(6, 0, (email | sms | portal).ids)],
                "body": self.env["itss.communication.update"]._itss_template(
                    "customers", incident
                ),
            }
        )
        with self.assertRaisesRegex(UserError, "Only an approved"):
            update.action_send()
        with self.assertRaisesRegex(UserError, "Approve and send"):
            update.write({"state": "approved"})  # as an RPC client would
        with self.assertRaises(AccessError):  # not involved: cannot even read it
            update.with_user(self.outsider).action_approve()
        with self.assertRaisesRegex(UserError, "approver"):
            update.with_user(
                self.director
            ).action_approve()  # not the approver of every line
        update.with_user(self.major_manager).action_approve()
        with self.assertRaisesRegex(UserError, "cannot change"):
            update.write({"body": "<p>changed</p>"})
        mails = self.env["mail.mail"].search_count([])
        update.action_send()
        self.assertEqual(update.state, "sent")
        # the email to management, and the portal notice's notification to the customer
        self.assertEqual(self.env["mail.mail"].search_count([]), mails + 2)
        self.assertTrue(
            self.env["mail.mail"].search(
                [
                    ("recipient_ids", "in", self.director.partner_id.ids),
                    ("body_html", "like", "working to restore"),
                ]
            )
        )
        self.assertTrue(
            self.env["sms.sms"].search([("number", "=", "+86 139 0000 0001")])
        )
        self.assertIn("working to restore", ticket.message_ids[0].body, "portal notice")
        self.assertEqual(email.next_update_due, datetime(2026, 11, 20, 1, 30, 0))
        with self.assertRaisesRegex(UserError, "Only an approved"):
            update.action_send()

    def test_line_approver_approves(self):
        _ticket, incident = self._incident()
        line = self._line(incident)
        update = self.env["itss.communication.update"].create(
            {
                "major_incident_id": incident.id,
                "name": "To management",
                "line_ids": [(6, 0, line.ids)],
                "body": "<p>Status</p>",
            }
        )
        update.with_user(self.director).action_approve()
        self.assertEqual(update.approved_by_id, self.director)

    @freeze_time(NOW)
    def test_overdue_line_reminds_once_per_due_point(self):
        _ticket, incident = self._incident()
        line = self._line(incident, next_update_due=datetime(2026, 11, 20, 1, 10, 0))
        Line = self.env["itss.communication.plan.line"]

        def reminders():
            return incident.activity_ids.filtered(
                lambda a: "Communication update due" in (a.summary or "")
            )

        with freeze_time("2026-11-20 01:09:00"):
            Line._cron_itss_communication_reminders()
        self.assertFalse(reminders())
        with freeze_time("2026-11-20 01:11:00"):
            Line._cron_itss_communication_reminders()
            Line._cron_itss_communication_reminders()
        self.assertEqual(len(reminders()), 1)
        self.assertEqual(reminders().user_id, self.major_manager)
        line.next_update_due = datetime(2026, 11, 20, 1, 40, 0)
        with freeze_time("2026-11-20 01:41:00"):
            Line._cron_itss_communication_reminders()
        self.assertEqual(len(reminders()), 2)

    @mute_logger("odoo.addons.itss_incident.tools.cron_batch")
    @freeze_time(NOW)
    def test_a_failing_reminder_does_not_starve_the_others(self):
        _ticket, incident = self._incident()
        start = datetime(2026, 11, 20, 1, 10, 0)
        lines = self._line(incident, next_update_due=start) | self._line(
            incident, next_update_due=start
        )
        broken = lines[0]
        Line = self.env["itss.communication.plan.line"]
        original = type(Line)._itss_remind

        def remind(self):
            if self == broken:
                raise ValueError("no manager reachable")
            return original(self)

        # every line due now, the database's other ones included
        due = Line.search_count([("next_update_due", "<=", start)])
        with patch.object(type(Line), "_itss_remind", remind):
            with freeze_time("2026-11-20 01:11:00"):
                # one line a call: the broken one must not be picked again and again
                for _call in range(due + 1):
                    Line._cron_itss_communication_reminders(batch_size=1)
        self.assertEqual(
            broken.remind_retry_after,
            datetime(2026, 11, 20, 1, 26, 0),
            "the failure is recorded: tried again 15 minutes later",
        )
        self.assertEqual(
            lines[1].reminded_due, lines[1].next_update_due, "the other line went on"
        )
        self.assertFalse(broken.reminded_due)
        with freeze_time("2026-11-20 01:25:00"):
            Line._cron_itss_communication_reminders(batch_size=1)
        self.assertFalse(broken.reminded_due, "not before its retry")
        with freeze_time("2026-11-20 01:30:00"):
            for _call in range(due + 1):
                Line._cron_itss_communication_reminders(batch_size=1)
        self.assertEqual(
            broken.reminded_due, broken.next_update_due, "reminded at the retry"
        )

    # report and access

    def test_report(self):
        _ticket, incident = self._incident()
        report = self.env.ref("itss_incident_major.action_report_itss_major_incident")
        html, _kind = self.env["ir.actions.report"]._render_qweb_html(
            report, incident.ids
        )
        self.assertIn(incident.number.encode(), html)
        self.assertIn(b"Timeline", html)
        pdf, kind = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(report, incident.ids)
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))

    def test_access_by_role(self):
        _ticket, incident = self._incident()
        Incident = self.env["itss.major.incident"]
        # the recovery team reads it; an engineer not involved does not
        self.assertTrue(Incident.with_user(self.engineer).browse(incident.id).name)
        self.assertFalse(
            Incident.with_user(self.outsider).search([("id", "=", incident.id)])
        )
        with self.assertRaises(AccessError):
            Incident.with_user(self.outsider).browse(incident.id).read(["name"])
        plan = self.env["itss.recovery.plan"].create(
            {"major_incident_id": incident.id, "version": 1}
        )
        mine = self.env["itss.recovery.action"].create(
            {"plan_id": plan.id, "name": "Mine", "user_id": self.engineer.id}
        )
        theirs = self.env["itss.recovery.action"].create(
            {"plan_id": plan.id, "name": "Theirs", "user_id": self.major_manager.id}
        )
        mine.with_user(self.engineer).write({"state": "done"})
        with self.assertRaises(AccessError):
            theirs.with_user(self.engineer).write({"state": "done"})
        # the plan, its hypotheses and the meetings' minutes: the recovery team
        # reads them, an engineer outside the major incident neither finds nor
        # reads them; incident managers read them all
        hypothesis = self.env["itss.recovery.hypothesis"].create(
            {"plan_id": plan.id, "cause": "Disk full"}
        )
        meeting = self.env["itss.major.meeting"].create(
            {"major_incident_id": incident.id, "minutes": "<p>Fail over at 10</p>"}
        )
        manager = new_test_user(
            self.env,
            login="mi_im",
            groups="base.group_user,itss_incident.group_itss_incident_manager",
        )
        for record in (plan, hypothesis, meeting):
            with self.subTest(model=record._name):
                Model = self.env[record._name]
                self.assertEqual(
                    Model.with_user(self.engineer).search([("id", "=", record.id)]),
                    record,
                )
                self.assertEqual(
                    Model.with_user(manager).search([("id", "=", record.id)]), record
                )
                self.assertFalse(
                    Model.with_user(self.outsider).search([("id", "=", record.id)])
                )
                with self.assertRaises(AccessError):
                    Model.with_user(self.outsider).browse(record.id).read(
                        ["display_name"]
                    )
        portal = new_test_user(self.env, login="mi_portal", groups="base.group_portal")
        with self.assertRaises(AccessError):
            Incident.with_user(portal).search([])
