from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form

from .common import ItssCase

STATES = [
    "new",
    "assigned",
    "in_progress",
    "pending",
    "resolved",
    "closed",
    "cancelled",
]
# DESIGN.md, "Transitions between ITSS states" (resolved -> in_progress only through
# action_itss_reopen_resolution, tested below).
ALLOWED = {
    ("new", "assigned"),
    ("new", "in_progress"),
    ("new", "resolved"),
    ("new", "cancelled"),
    ("assigned", "in_progress"),
    ("assigned", "new"),
    ("assigned", "resolved"),
    ("assigned", "cancelled"),
    ("in_progress", "assigned"),
    ("in_progress", "pending"),
    ("in_progress", "resolved"),
    ("in_progress", "cancelled"),
    ("pending", "in_progress"),
    ("pending", "resolved"),
    ("pending", "cancelled"),
    ("resolved", "closed"),
    ("in_progress", "new"),
}
# returns to the service desk (打回): allowed with a reason only, a fact the return's
# model method writes (test_handoffs.py walks the dialogs)
RETURNS = {("assigned", "new"), ("in_progress", "new")}


class TestLifecycle(ItssCase):
    def test_transition_table(self):
        for old in STATES:
            for new in STATES:
                if old == new:
                    continue
                with self.subTest(old=old, new=new):
                    ticket = self._ticket(old)
                    vals = dict(self._requirements(new), stage_id=self.stages[new].id)
                    if (old, new) in RETURNS:
                        with self.assertRaisesRegex(UserError, "with a reason"):
                            ticket.write(vals)
                        vals["itss_return_reason"] = "The contact is missing"
                    if (old, new) in ALLOWED:
                        ticket.write(vals)
                        self.assertEqual(ticket.itss_state, new)
                    else:
                        with self.assertRaisesRegex(
                            UserError, "cannot move from|can no longer change"
                        ):
                            ticket.write(vals)
                        self.assertEqual(ticket.itss_state, old, "nothing changed")

    def test_buttons_walk_the_lifecycle(self):
        ticket = self._ticket()
        ticket.with_user(self.agent).action_itss_assign()
        self.assertEqual(ticket.itss_state, "assigned")
        ticket.with_user(self.engineer).action_itss_accept()
        self.assertEqual(ticket.itss_state, "in_progress")
        self.assertEqual(ticket.user_id, self.engineer)
        as_engineer = ticket.with_user(self.engineer)
        as_engineer.itss_wait_code_id = self.wait_code
        as_engineer.action_itss_pend()
        self.assertEqual(ticket.itss_state, "pending")
        as_engineer.action_itss_resume()
        self.assertEqual(ticket.itss_state, "in_progress")
        self.assertFalse(ticket.itss_wait_code_id, "the wait code ends with the wait")
        as_engineer.write(self._requirements("resolved"))
        as_engineer.action_itss_resolve()
        self.assertEqual(ticket.itss_state, "resolved")
        self.assertTrue(ticket.itss_resolved_date)
        self.assertEqual(ticket.itss_resolver_role, "first_line")
        ticket.with_user(self.agent).itss_satisfaction = "5"
        ticket.with_user(self.agent).action_itss_close()
        self.assertEqual(ticket.itss_state, "closed")
        self.assertEqual(ticket.itss_close_origin, "desk")
        self.assertTrue(ticket.closed, "helpdesk_mgmt sees it closed too")
        self.assertTrue(ticket.closed_date)

    def test_pending_needs_wait_code(self):
        ticket = self._ticket("in_progress")
        with self.assertRaisesRegex(ValidationError, "Wait Code"):
            ticket.with_user(self.engineer).action_itss_pend()
        self.assertEqual(ticket.itss_state, "in_progress")

    def test_resolved_needs_solution_code_and_recovery_time(self):
        ticket = self._ticket("in_progress")
        with self.assertRaises(ValidationError) as caught:
            ticket.with_user(self.engineer).action_itss_resolve()
        message = str(caught.exception)
        for label in ("Solution", "Closure Code", "Business Recovery Time"):
            self.assertIn(label, message)
        self.assertEqual(ticket.itss_state, "in_progress")
        self.assertFalse(ticket.itss_resolved_date)
        # a service request needs no recovery time
        request = self._ticket("in_progress", itss_ticket_type="service_request")
        request.with_user(self.engineer).write(
            {
                "itss_solution": "<p>Done</p>",
                "itss_closure_code_id": self.code_resolved.id,
            }
        )
        request.with_user(self.engineer).action_itss_resolve()
        self.assertEqual(request.itss_state, "resolved")
        # an empty editor is no solution
        other = self._ticket("in_progress", itss_ticket_type="service_request")
        other.write(
            {
                "itss_solution": "<p><br></p>",
                "itss_closure_code_id": self.code_resolved.id,
            }
        )
        with self.assertRaisesRegex(ValidationError, "Solution"):
            other.with_user(self.engineer).action_itss_resolve()

    def test_resolved_ticket_keeps_its_solution(self):
        ticket = self._ticket("resolved")
        with self.assertRaisesRegex(ValidationError, "Solution"):
            ticket.itss_solution = False

    def test_desk_close_needs_satisfaction(self):
        ticket = self._ticket("resolved")
        with self.assertRaisesRegex(ValidationError, "Satisfaction"):
            ticket.with_user(self.agent).action_itss_close()
        self.assertEqual(ticket.itss_state, "resolved")
        # a kanban drag is a service desk close too
        with self.assertRaisesRegex(ValidationError, "Satisfaction"):
            ticket.stage_id = self.stages["closed"]
        ticket.itss_satisfaction = "3"
        ticket.stage_id = self.stages["closed"]
        self.assertEqual(ticket.itss_close_origin, "desk")

    def test_closed_ticket_never_reopens(self):
        ticket = self._ticket("closed")
        for state in STATES:
            if state == "closed":
                continue
            with self.subTest(state=state):
                with self.assertRaisesRegex(UserError, "never reopens"):
                    ticket.stage_id = self.stages[state]
        for action in (
            "action_itss_accept",
            "action_itss_resume",
            "action_itss_assign",
        ):
            with (
                self.subTest(action=action),
                self.assertRaisesRegex(UserError, "never reopens"),
            ):
                getattr(ticket, action)()
        # the incident manager may take back a resolution: refused for the state, not
        # the rights
        with self.assertRaisesRegex(UserError, "never reopens"):
            ticket.with_user(self.manager).action_itss_reopen_resolution("oops")
        self.assertEqual(ticket.itss_state, "closed")

    def test_closed_ticket_fields_frozen(self):
        ticket = self._ticket("closed")
        frozen = {
            "itss_impact": "1",
            "itss_urgency": "1",
            "itss_priority": "1",
            "itss_ticket_type": "security",
            "itss_closure_code_id": self.env.ref(
                "itss_incident.closure_code_workaround"
            ).id,
            "itss_satisfaction": "1",
            "itss_solution": "<p>Changed</p>",
            "user_id": self.engineer.id,
            "team_id": self.team_l2.id,
            "category_id": self.category_parent.id,
            "priority": "3",
            "name": "Renamed",
        }
        for field, value in frozen.items():
            with self.subTest(field=field):
                with self.assertRaisesRegex(UserError, "can no longer change"):
                    ticket.write({field: value})
        self.assertEqual(ticket.itss_satisfaction, "4")
        self.assertEqual(ticket.name, "Test ticket")
        # what is not part of the record of the incident may still change
        ticket.write({"color": 3})
        ticket.message_post(body="Customer called to thank us")
        cancelled = self._ticket("cancelled")
        with self.assertRaisesRegex(UserError, "can no longer change"):
            cancelled.itss_impact = "1"

    def test_closed_ticket_form_is_read_only(self):
        ticket = self._ticket("closed")
        form = Form(ticket.with_user(self.manager))
        for field in (
            "itss_impact",
            "itss_urgency",
            "itss_priority",
            "name",
            "team_id",
        ):
            with self.subTest(field=field):
                with self.assertRaises(AssertionError):
                    setattr(form, field, False)
        open_form = Form(self._ticket("in_progress").with_user(self.manager))
        open_form.itss_impact = "1"
        self.assertEqual(open_form.itss_priority, "2")
        open_form.save()

    def test_closing_master_closes_duplicates(self):
        master = self._ticket("resolved")
        dup_open = self._ticket("in_progress", duplicate_id=master.id)
        dup_new = self._ticket("new", duplicate_id=master.id)
        dup_done = self._ticket("cancelled", duplicate_id=master.id)
        workaround = self.env.ref("itss_incident.closure_code_workaround")
        master.with_user(self.agent).write(
            {"itss_satisfaction": "5", "itss_closure_code_id": workaround.id}
        )
        master.with_user(self.agent).action_itss_close()
        for dup in dup_open | dup_new:
            self.assertEqual(dup.itss_state, "closed")
            self.assertEqual(dup.itss_closure_code_id, workaround)
            self.assertEqual(dup.itss_close_origin, "duplicate")
            self.assertFalse(dup.itss_satisfaction)
        self.assertEqual(dup_done.itss_state, "cancelled")

    def test_open_ticket_cannot_skip_to_closed(self):
        ticket = self._ticket("in_progress")
        with self.assertRaisesRegex(UserError, "resolved before it is closed"):
            ticket.write(
                dict(self._requirements("closed"), stage_id=self.stages["closed"].id)
            )

    def test_duplicate_wizard_closes_itss_ticket(self):
        master = self._ticket("in_progress")
        dup = self._ticket("new")
        wizard = self.env["helpdesk.ticket.duplicate.wizard"].create(
            {
                "ticket_id": dup.id,
                "duplicate_of_id": master.id,
                "target_stage_id": self.env.ref(
                    "helpdesk_mgmt.helpdesk_ticket_stage_cancelled"
                ).id,
            }
        )
        wizard.action_confirm()
        self.assertEqual(dup.duplicate_id, master)
        self.assertEqual(dup.itss_state, "closed")
        self.assertEqual(
            dup.itss_closure_code_id,
            self.env.ref("itss_incident.closure_code_duplicate"),
        )

    def test_reopen_resolution_incident_manager_only(self):
        ticket = self._ticket("resolved")
        with self.assertRaisesRegex(UserError, "Only an incident manager"):
            ticket.with_user(self.engineer).action_itss_reopen_resolution("wrong fix")
        with self.assertRaisesRegex(UserError, "Say why"):
            ticket.with_user(self.manager).action_itss_reopen_resolution("  ")
        with self.assertRaisesRegex(UserError, "incident manager can take back"):
            ticket.with_user(self.manager).stage_id = self.stages["in_progress"]
        self.assertEqual(ticket.itss_state, "resolved")
        ticket.with_user(self.manager).action_itss_reopen_resolution(
            "The disk failed again"
        )
        self.assertEqual(ticket.itss_state, "in_progress")
        self.assertIn("The disk failed again", ticket.message_ids[0].body)

    def test_cancel_sets_closure_code(self):
        ticket = self._ticket("assigned")
        ticket.with_user(self.agent).action_itss_cancel()
        self.assertEqual(ticket.itss_state, "cancelled")
        self.assertEqual(
            ticket.itss_closure_code_id,
            self.env.ref("itss_incident.closure_code_cancelled"),
        )

    def test_itss_team_only_itss_stages(self):
        ticket = self._ticket("in_progress")
        with self.assertRaisesRegex(UserError, "cannot move from In Progress"):
            ticket.stage_id = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        self.assertEqual(ticket.itss_state, "in_progress")
        plain = self.env["helpdesk.ticket"].create(
            {"name": "Plain", "description": "<p>x</p>", "team_id": self.team_plain.id}
        )
        self.assertEqual(
            plain.stage_id, self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_new")
        )
        with self.assertRaises(ValidationError):
            plain.stage_id = self.stages["in_progress"]
        # plain helpdesk tickets move freely, as helpdesk_mgmt defines
        plain.stage_id = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        plain.stage_id = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_new")

    def test_moving_between_itss_and_plain_teams(self):
        ticket = self._ticket("in_progress")
        ticket.team_id = self.team_l2
        self.assertEqual(
            ticket.itss_state, "in_progress", "ITSS to ITSS keeps the state"
        )
        ticket.team_id = self.team_plain
        self.assertFalse(ticket.itss_state)
        self.assertEqual(
            ticket.stage_id, self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_new")
        )
        ticket.team_id = self.team_l1
        self.assertEqual(ticket.itss_state, "new")

    def test_team_becoming_itss_takes_open_tickets(self):
        team = self.env["helpdesk.ticket.team"].create({"name": "Test converting"})
        Ticket = self.env["helpdesk.ticket"]
        open_ticket = Ticket.create(
            {"name": "Open", "description": "<p>x</p>", "team_id": team.id}
        )
        done = Ticket.create(
            {
                "name": "Done",
                "description": "<p>x</p>",
                "team_id": team.id,
                "stage_id": self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done").id,
            }
        )
        team.itss_tier = "1"
        self.assertEqual(open_ticket.itss_state, "new")
        self.assertEqual(
            done.stage_id, self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        )
        team.itss_tier = False
        self.assertFalse(open_ticket.itss_state)

    def test_stage_state_cannot_change_under_tickets(self):
        self._ticket("pending")
        with self.assertRaisesRegex(UserError, "cannot change"):
            self.stages["pending"].itss_state = "in_progress"

    def test_itss_kanban_shows_itss_stages(self):
        Ticket = self.env["helpdesk.ticket"]
        groups = Ticket.with_context(itss_stage_group=True).read_group(
            [("team_id", "=", self.team_l1.id)], ["stage_id"], ["stage_id"]
        )
        stage_ids = {g["stage_id"][0] for g in groups}
        self.assertTrue({s.id for s in self.stages.values()} <= stage_ids)
        self.assertNotIn(
            self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_new").id, stage_ids
        )
