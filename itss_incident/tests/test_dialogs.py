"""The dialogs of the ticket form's header, the landing page's queues and the SLA
status, as the roles who use them (the role tours click the same in a browser)."""

from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, freeze_time

from .common import ItssCase


class TestDialogs(ItssCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pending_type = cls.env.ref("itss_incident.mail_act_itss_pending")

    def _dialog(self, ticket, user, method):
        """Open the dialog of ``method`` as ``user`` and give its Form."""
        action = getattr(ticket.with_user(user), method)()
        self.assertEqual(action["target"], "new")
        return Form(
            self.env[action["res_model"]]
            .with_user(user)
            .with_context(**action["context"])
        )

    def test_dispatch_dialog_prefills_the_category_group(self):
        ticket = self._ticket(
            "new", category_id=self.category_l2.id, team_id=self.team_l1.id
        )
        form = self._dialog(ticket, self.agent, "action_itss_dispatch_dialog")
        self.assertEqual(form.team_id, self.team_l2, "the category's support group")
        form.user_id = self.engineer
        result = form.save().action_dispatch()
        self.assertEqual(result["tag"], "display_notification")
        self.assertIn(ticket.number, result["params"]["message"])
        self.assertEqual(ticket.itss_state, "assigned")
        self.assertEqual(ticket.team_id, self.team_l2)
        self.assertEqual(ticket.user_id, self.engineer)

    def test_hold_dialog_until_and_activity(self):
        with freeze_time("2026-11-20 02:00:00"):
            ticket = self._ticket("in_progress", user_id=self.engineer.id)
            form = self._dialog(ticket, self.engineer, "action_itss_hold_dialog")
            form.wait_code_id = self.wait_code
            form.pending_until = fields.Datetime.to_datetime("2026-11-23 02:00:00")
            form.note = "Disk ordered"
            form.save().action_hold()
            self.assertEqual(ticket.itss_state, "pending")
            self.assertEqual(ticket.itss_wait_code_id, self.wait_code)
            self.assertEqual(str(ticket.itss_pending_until), "2026-11-23 02:00:00")
            todo = ticket.activity_ids.filtered(
                lambda a: a.activity_type_id == self.pending_type
            )
            self.assertEqual(len(todo), 1)
            self.assertEqual(todo.user_id, self.engineer)
            self.assertEqual(str(todo.date_deadline), "2026-11-23")
            self.assertIn("Disk ordered", ticket.message_ids[0].body)
        with freeze_time("2026-11-21 02:00:00"):
            ticket.with_user(self.agent).action_itss_resume()
        self.assertEqual(ticket.itss_state, "in_progress")
        self.assertFalse(ticket.itss_pending_until, "the hold is over")
        self.assertFalse(todo.exists() and todo.active, "the to-do is done")
        self.assertFalse(
            ticket.activity_ids.filtered(
                lambda a: a.activity_type_id == self.pending_type
            )
        )

    def test_hold_until_in_the_past_refused(self):
        ticket = self._ticket("in_progress", user_id=self.engineer.id)
        form = self._dialog(ticket, self.engineer, "action_itss_hold_dialog")
        form.wait_code_id = self.wait_code
        form.pending_until = fields.Datetime.now() - timedelta(hours=1)
        wizard = form.save()
        with self.assertRaises(UserError) as caught:  # in a savepoint, as a request
            wizard.action_hold()
        self.assertIn("in the future", str(caught.exception))
        self.assertEqual(ticket.itss_state, "in_progress")
        # nor by the form's field or RPC on a pending ticket
        ticket.with_user(self.engineer).write({"itss_wait_code_id": self.wait_code.id})
        ticket.with_user(self.engineer).action_itss_pend()
        with self.assertRaisesRegex(ValidationError, "in the future"):
            ticket.with_user(self.engineer).itss_pending_until = (
                fields.Datetime.now() - timedelta(hours=1)
            )

    def test_hold_dialog_only_in_progress(self):
        ticket = self._ticket("assigned")
        with self.assertRaisesRegex(UserError, "not a step"):
            ticket.with_user(self.engineer).action_itss_hold_dialog()

    def test_resolve_dialog_records_the_resolution(self):
        with freeze_time("2026-11-20 02:00:00"):
            ticket = self._ticket("in_progress", user_id=self.engineer.id)
        vendor = self.env["res.partner"].create({"name": "Test disk vendor"})
        with freeze_time("2026-11-20 05:00:00"):
            form = self._dialog(ticket, self.engineer, "action_itss_resolve_dialog")
            self.assertEqual(form.closure_code_id, self.code_resolved, "a default code")
            self.assertEqual(
                str(form.completion_date), "2026-11-20 05:00:00", "now by default"
            )
            form.solution = "<p>Replaced the disk</p>"
            form.recovery_date = fields.Datetime.to_datetime("2026-11-20 04:30:00")
            form.completion_date = fields.Datetime.to_datetime("2026-11-20 04:45:00")
            form.fault_vendor_id = vendor
            result = form.save().action_resolve()
        self.assertEqual(result["tag"], "display_notification")
        self.assertEqual(ticket.itss_state, "resolved")
        self.assertEqual(str(ticket.itss_recovery_date), "2026-11-20 04:30:00")
        self.assertEqual(str(ticket.itss_completion_date), "2026-11-20 04:45:00")
        self.assertEqual(str(ticket.itss_resolved_date), "2026-11-20 05:00:00")
        self.assertEqual(ticket.itss_fault_vendor_id, vendor)
        self.assertIn("Replaced the disk", ticket.itss_solution)

    def test_resolve_dialog_incident_needs_recovery_time(self):
        ticket = self._ticket("in_progress", user_id=self.engineer.id)
        form = self._dialog(ticket, self.engineer, "action_itss_resolve_dialog")
        form.solution = "<p>Restarted</p>"
        with self.assertRaisesRegex(
            AssertionError, "recovery_date is a required field"
        ):
            form.save()  # the dialog marks it required for an incident
        wizard = (
            self.env["itss.ticket.resolve"]
            .with_user(self.engineer)
            .create({"ticket_id": ticket.id, "solution": "<p>Restarted</p>"})
        )
        with self.assertRaisesRegex(ValidationError, "Business Recovery Time"):
            wizard.action_resolve()  # and the model refuses it, whatever the path
        self.assertEqual(ticket.itss_state, "in_progress")

    def test_completion_time_bounds(self):
        now = fields.Datetime.now()
        ticket = self._ticket("in_progress", itss_logged_date=now - timedelta(hours=1))
        for completion in (now + timedelta(hours=1), now - timedelta(hours=2)):
            with (
                self.subTest(completion=completion),
                self.assertRaisesRegex(ValidationError, "actual completion time"),
            ):
                ticket.with_user(self.engineer).itss_completion_date = completion

    def test_completion_time_defaults_at_resolution(self):
        with freeze_time("2026-11-20 02:00:00"):
            ticket = self._ticket("in_progress", user_id=self.engineer.id)
        with freeze_time("2026-11-20 03:00:00"):
            ticket.with_user(self.engineer).write(self._requirements("resolved"))
            ticket.with_user(self.engineer).action_itss_resolve()
        self.assertEqual(str(ticket.itss_completion_date), "2026-11-20 03:00:00")

    def test_cancel_dialog_posts_the_reason(self):
        workaround = self.env.ref("itss_incident.closure_code_workaround")
        ticket = self._ticket("in_progress", itss_closure_code_id=workaround.id)
        form = self._dialog(ticket, self.agent, "action_itss_cancel_dialog")
        form.reason = "Logged twice"
        form.save().action_cancel()
        self.assertEqual(ticket.itss_state, "cancelled")
        self.assertEqual(
            ticket.itss_closure_code_id,
            self.env.ref("itss_incident.closure_code_cancelled"),
        )
        self.assertIn("Logged twice", ticket.message_ids[0].body)

    def test_dialogs_refused_on_closed_ticket(self):
        ticket = self._ticket("closed")
        for method in (
            "action_itss_dispatch_dialog",
            "action_itss_resolve_dialog",
            "action_itss_cancel_dialog",
            "action_itss_close_dialog",
        ):
            # the desk agent opens these dialogs on open tickets: refused for the state
            with (
                self.subTest(method=method),
                self.assertRaisesRegex(
                    UserError, "is not a step of ticket|is not resolved"
                ),
            ):
                getattr(ticket.with_user(self.agent), method)()

    def test_header_buttons_toast(self):
        ticket = self._ticket("assigned", user_id=self.engineer.id)
        result = ticket.with_user(self.engineer).action_itss_accept()
        self.assertEqual(result["tag"], "display_notification")
        self.assertIn(ticket.number, result["params"]["message"])


class TestQueues(ItssCase):
    def test_counts_follow_the_queues(self):
        company = self.env["res.company"].create({"name": "Test queue company"})
        self.env["itss.priority.matrix"].sudo().search(
            [("company_id", "=", company.id)]
        )
        team = self.env["helpdesk.ticket.team"].create(
            {
                "name": "Queue L1",
                "itss_tier": "1",
                "company_id": company.id,
                "user_ids": [(6, 0, [self.agent.id])],
            }
        )
        self.agent.write({"company_ids": [(4, company.id)]})
        agent = self.agent.with_company(company)
        Ticket = self.env["helpdesk.ticket"].with_company(company)

        def ticket(state, **vals):
            return Ticket.create(
                dict(
                    {
                        "name": "Queue ticket",
                        "description": "<p>x</p>",
                        "team_id": team.id,
                        "company_id": company.id,
                        "user_id": False,
                        "stage_id": self.stages[state].id,
                        # logged before the recovery time of the requirements (now,
                        # later)
                        "itss_logged_date": fields.Datetime.now(),
                    },
                    **self._requirements(state),
                    **vals,
                )
            )

        ticket("new")
        ticket("in_progress", user_id=self.agent.id)
        ticket("pending", user_id=self.agent.id)
        ticket("resolved")
        ticket("in_progress", itss_impact="1", itss_urgency="1")
        at_risk = ticket("in_progress")
        at_risk._itss_set_facts({"itss_sla_at_risk": True})
        ticket("closed")

        counts = {
            q["key"]: q["count"]
            for q in self.env["helpdesk.ticket"]
            .with_user(agent)
            .with_context(allowed_company_ids=[company.id])
            .itss_queue_counts()
        }
        self.assertEqual(counts["my_queue"], 2)
        self.assertEqual(counts["unassigned"], 3)
        self.assertEqual(counts["pending"], 1)
        self.assertEqual(counts["resolved"], 1)
        self.assertEqual(counts["p1_p2"], 1)
        self.assertEqual(counts["breaching_soon"], 1)
        queue = next(
            q
            for q in self.env["helpdesk.ticket"]
            .with_user(agent)
            .with_context(allowed_company_ids=[company.id])
            .itss_queue_counts()
            if q["key"] == "pending"
        )
        self.assertEqual(queue["action"]["res_model"], "helpdesk.ticket")
        self.assertEqual(queue["action"]["name"], queue["label"])

    def test_sla_status(self):
        with freeze_time("2026-11-20 02:00:00"):
            ticket = self._ticket("in_progress", itss_impact="3", itss_urgency="3")
            self.assertEqual(ticket.itss_sla_status, "on_track")
            ticket._itss_set_facts({"itss_sla_at_risk": True})
            self.assertEqual(ticket.itss_sla_status, "at_risk")
        with freeze_time(ticket.itss_resolve_deadline + timedelta(minutes=1)):
            ticket.invalidate_recordset(["itss_sla_status"])
            self.assertEqual(ticket.itss_sla_status, "breached", "live at the deadline")


class TestConfigurationViews(ItssCase):
    def test_priority_matrix_as_a_grid(self):
        company = self.env.company
        html = str(company.with_user(self.agent).itss_priority_grid)
        self.assertEqual(html.count("<td"), 16, "impact x urgency cells")
        self.assertEqual(html.count("<tr>"), 5, "a header and four impacts")
        action = (
            self.env["itss.priority.matrix"].with_user(self.manager).action_itss_grid()
        )
        self.assertEqual(
            (action["res_model"], action["res_id"]), ("res.company", company.id)
        )

    def test_escalation_matrix_without_group_sums(self):
        groups = (
            self.env["itss.escalation.rule"]
            .with_user(self.manager)
            .read_group([], ["minutes"], ["priority"])
        )
        self.assertTrue(groups)
        self.assertTrue(
            all("minutes" not in group or not group["minutes"] for group in groups)
        )
