"""Ownership (负责人) and the duty roster (当班): the service desk owns the incident to
the end, as the roles who do it."""

from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user

from .common import ItssCase


class OwnershipCase(ItssCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agent2 = new_test_user(
            cls.env,
            login="itss_agent2",
            name="Night Agent",
            groups="base.group_user,itss_incident.group_itss_service_desk",
        )
        cls.leader = new_test_user(
            cls.env,
            login="itss_desk_leader",
            name="Desk Leader",
            groups="base.group_user,itss_incident.group_itss_service_desk",
        )
        cls.team_l1.write(
            {
                "user_id": cls.leader.id,
                "user_ids": [(4, cls.agent2.id), (4, cls.leader.id)],
            }
        )
        cls.env.company.itss_default_team_id = cls.team_l1
        cls.Shift = cls.env["itss.duty.shift"]

    def _shift(self, user, start_hours=-1, end_hours=8):
        now = fields.Datetime.now()
        return self.Shift.create(
            {
                "team_id": self.team_l1.id,
                "user_id": user.id,
                "date_start": now + timedelta(hours=start_hours),
                "date_end": now + timedelta(hours=end_hours),
            }
        )

    def _log_as(self, user, **vals):
        values = {
            "name": "Printer offline",
            "description": "<p>The printer on floor 3 is offline</p>",
            "team_id": self.team_l1.id,
            "partner_id": self.customer.id,
        }
        values.update(vals)
        return self.env["helpdesk.ticket"].with_user(user).create(values)


class TestOwnerAtLogging(OwnershipCase):
    def test_the_logging_agent_owns_it(self):
        ticket = self._log_as(self.agent)
        self.assertEqual(ticket.itss_owner_id, self.agent)

    def test_otherwise_the_agent_on_duty_then_the_leader(self):
        ticket = self._log_as(self.engineer)
        self.assertEqual(
            ticket.itss_owner_id, self.leader, "nobody on duty: the leader"
        )
        self._shift(self.agent2)
        ticket = self._log_as(self.engineer)
        self.assertEqual(ticket.itss_owner_id, self.agent2, "the agent on duty")
        # a second line ticket is owned by the default service desk team's duty
        ticket = self._log_as(self.engineer, team_id=self.team_l2.id)
        self.assertEqual(ticket.itss_owner_id, self.agent2)

    def test_owner_stays_through_dispatch_and_escalation(self):
        ticket = self._log_as(self.agent, category_id=self.category_child.id)
        ticket.with_user(self.agent)._itss_dispatch(self.team_l1, self.engineer)
        ticket.with_user(self.engineer).action_itss_accept()
        ticket.with_user(self.engineer).action_itss_escalate()
        self.assertEqual(ticket.team_id, self.team_l2)
        self.assertEqual(ticket.itss_owner_id, self.agent)


class TestOwnerRights(OwnershipCase):
    def test_changing_the_owner(self):
        ticket = self._log_as(self.agent)
        with self.assertRaisesRegex(UserError, "Only the owner \\(Desk Agent\\)"):
            ticket.with_user(self.agent2).write({"itss_owner_id": self.agent2.id})
        self.assertEqual(ticket.itss_owner_id, self.agent)
        ticket.with_user(self.leader).itss_owner_id = self.agent2
        self.assertEqual(ticket.itss_owner_id, self.agent2)
        ticket.with_user(self.manager).itss_owner_id = self.agent
        self.assertEqual(ticket.itss_owner_id, self.agent)

    def test_take_over_from_an_owner_off_duty(self):
        ticket = self._log_as(self.agent)
        with self.assertRaisesRegex(UserError, "no duty shift of yours"):
            ticket.with_user(self.agent2).action_itss_take_over()
        self._shift(self.agent2)
        owner_shift = self._shift(self.agent)
        with self.assertRaisesRegex(UserError, "Desk Agent is on duty"):
            ticket.with_user(self.agent2).action_itss_take_over()
        owner_shift.date_end = fields.Datetime.now() - timedelta(minutes=1)
        # tracking of a record created in the same transaction waits for its commit
        self.env.flush_all()
        self.env.cr.precommit.run()
        # the web client's (empty) context
        action = ticket.with_env(
            self.env(context={}, user=self.agent2)
        ).action_itss_take_over()
        self.env.flush_all()
        self.env.cr.precommit.run()
        self.assertEqual(action["params"]["type"], "success")
        self.assertEqual(ticket.itss_owner_id, self.agent2)
        values = self.env["mail.tracking.value"].search(
            [
                ("mail_message_id.model", "=", "helpdesk.ticket"),
                ("mail_message_id.res_id", "=", ticket.id),
                ("field_id.name", "=", "itss_owner_id"),
            ]
        )
        self.assertEqual(values.mapped("new_value_char"), ["Night Agent"])
        self.assertEqual(values.mail_message_id.author_id, self.agent2.partner_id)

    def test_desk_close_is_the_owners(self):
        ticket = self._log_as(self.agent)
        ticket.write(self._requirements("resolved"))
        ticket._itss_move_to("resolved")
        with self.assertRaisesRegex(UserError, "owned by Desk Agent.*Take Over"):
            ticket.with_user(self.agent2)._itss_close_by_desk(
                {"itss_satisfaction": "5"}
            )
        self.assertEqual(ticket.itss_state, "resolved")
        # a kanban drag is the same close
        with self.assertRaisesRegex(UserError, "owned by Desk Agent"):
            ticket.with_user(self.agent2).write(
                {"stage_id": self.stages["closed"].id, "itss_satisfaction": "5"}
            )
        ticket.with_user(self.agent)._itss_close_by_desk({"itss_satisfaction": "5"})
        self.assertEqual(ticket.itss_state, "closed")

    def test_incident_manager_closes_for_the_desk(self):
        ticket = self._log_as(self.agent)
        ticket.write(self._requirements("resolved"))
        ticket._itss_move_to("resolved")
        ticket.with_user(self.manager)._itss_close_by_desk({"itss_satisfaction": "4"})
        self.assertEqual(ticket.itss_state, "closed")


class TestOwnerSteps(OwnershipCase):
    def _activities(self, ticket, xmlid):
        kind = self.env.ref(xmlid)
        return ticket.activity_ids.filtered(lambda a: a.activity_type_id == kind)

    def test_resolution_confirmation_and_followup_go_to_the_owner(self):
        ticket = self._log_as(self.agent, category_id=self.category_child.id)
        ticket.with_user(self.agent)._itss_dispatch(self.team_l1, self.engineer)
        ticket.with_user(self.engineer).action_itss_accept()
        ticket.with_user(self.engineer).action_itss_escalate()
        self.team_l2.user_id = self.engineer
        ticket.with_user(self.engineer).action_itss_accept()
        ticket.with_user(self.engineer)._itss_resolve(
            {
                "itss_solution": "<p>Driver reinstalled</p>",
                "itss_closure_code_id": self.code_resolved.id,
                "itss_recovery_date": fields.Datetime.now(),
            }
        )
        confirm = self._activities(ticket, "itss_incident.mail_act_itss_confirm")
        self.assertEqual(len(confirm), 1, "the desk hears of the resolution at once")
        self.assertEqual(confirm.user_id, self.agent, "the owner, not the L2 leader")
        self.assertEqual(confirm.date_deadline, fields.Date.context_today(ticket))
        ticket.with_user(self.agent)._itss_close_by_desk({"itss_satisfaction": "5"})
        self.assertFalse(
            self._activities(ticket, "itss_incident.mail_act_itss_confirm")
        )
        followup = self._activities(ticket, "itss_incident.mail_act_itss_followup")
        self.assertEqual(followup.user_id, self.agent)


class TestDutyRoster(OwnershipCase):
    def test_double_shift_refused_gaps_and_double_cover_shown(self):
        first = self._shift(self.agent, -1, 4)
        late = self._shift(self.agent2, 6, 10)
        self.assertEqual(late.gap_before, "2 h 0 min")
        cover = self._shift(self.leader, 3, 7)
        self.assertIn(late, cover.overlap_ids)
        self.assertIn(first, cover.overlap_ids)
        self.assertFalse(first.overlap_ids - cover)
        with self.assertRaisesRegex(ValidationError, "Desk Agent is already on duty"):
            self._shift(self.agent, 2, 6)

    def test_a_shift_reads_in_the_readers_language(self):
        shift = self._shift(self.agent, -1, 4)
        self.assertIn("on duty for", shift.with_context(lang="en_US").display_name)
        chinese = shift.with_context(lang="zh_CN", tz="Asia/Shanghai").display_name
        self.assertIn("当班", chinese)
        self.assertIn(self.agent.name, chinese)

    def test_only_incident_managers_plan(self):
        shift = self.Shift.with_user(self.manager).create(
            {
                "team_id": self.team_l1.id,
                "user_id": self.agent.id,
                "date_start": fields.Datetime.now(),
                "date_end": fields.Datetime.now() + timedelta(hours=8),
            }
        )
        self.assertTrue(shift.with_user(self.agent).name)
        with self.assertRaises(AccessError):
            shift.with_user(self.agent).date_end = fields.Datetime.now() + timedelta(
                hours=9
            )
