"""Hand-offs between the teams, as the roles who make them: moves to a higher tier,
a functional escalation whatever the path."""

from odoo.tests import Form, new_test_user

from .common import ItssCase


class HandoffCase(ItssCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.leader = new_test_user(
            cls.env,
            login="itss_handoff_leader",
            name="Desk Leader",
            groups="base.group_user,itss_incident.group_itss_service_desk",
        )
        # a second line engineer of team_l2 only: the ticket leaves their teams
        cls.expert = new_test_user(
            cls.env,
            login="itss_handoff_expert",
            name="Database Expert",
            groups="base.group_user,itss_incident.group_itss_engineer",
        )
        cls.expert.partner_id.mobile = "+86 139 0000 0001"
        cls.team_l1.write({"user_id": cls.leader.id, "user_ids": [(4, cls.leader.id)]})
        cls.team_l2.write({"user_ids": [(4, cls.expert.id)]})
        cls.env.company.itss_default_team_id = cls.team_l1

    def _l2_ticket(self, state, user=None):
        """A second line ticket owned by the desk agent."""
        return self._ticket(
            state,
            team_id=self.team_l2.id,
            user_id=(user or self.expert).id,
            itss_owner_id=self.agent.id,
        )


class TestHigherTier(HandoffCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team_l1b = cls.env["helpdesk.ticket.team"].create(
            {
                "name": "Test L1 second desk",
                "itss_tier": "1",
                "user_ids": [(6, 0, [cls.engineer.id])],
            }
        )

    def _fcr(self, ticket):
        ticket.with_user(self.engineer).write(self._requirements("resolved"))
        ticket.with_user(self.engineer).action_itss_resolve()
        self.env.flush_all()
        row = self.env["itss.incident.report"].search([("ticket_id", "=", ticket.id)])
        return row.first_contact_resolved

    def test_editing_the_team_in_the_form_escalates(self):
        ticket = self._ticket("in_progress", user_id=self.engineer.id)
        with Form(ticket.with_user(self.agent)) as form:
            form.team_id = self.team_l2
        self.assertEqual(ticket.itss_escalation_count, 1)
        self.assertEqual(ticket.itss_reassign_count, 1)
        self.assertEqual(self._fcr(ticket), 0, "first-contact resolution ended")

    def test_an_rpc_write_of_the_team_escalates(self):
        ticket = self._ticket("assigned")
        ticket.with_user(self.agent).write({"team_id": self.team_l2.id})
        self.assertEqual(ticket.itss_escalation_count, 1)
        self.assertEqual(ticket.itss_reassign_count, 1)
        # and back down, or across the same tier: no escalation
        ticket.with_user(self.agent).write({"team_id": self.team_l1.id})
        ticket.with_user(self.agent).write({"team_id": self.team_l1b.id})
        self.assertEqual(ticket.itss_escalation_count, 1)

    def test_same_or_lower_tier_is_no_escalation(self):
        ticket = self._ticket("in_progress", user_id=self.engineer.id)
        ticket.with_user(self.agent).write({"team_id": self.team_l1b.id})
        self.assertEqual(ticket.itss_escalation_count, 0)
        self.assertEqual(ticket.itss_reassign_count, 1, "a reassignment still")
        self.assertEqual(self._fcr(ticket), 1, "first-contact resolved")

    def test_the_button_counts_once(self):
        ticket = self._ticket("in_progress", user_id=self.engineer.id)
        ticket.with_user(self.engineer).action_itss_escalate()
        self.assertEqual(ticket.itss_escalation_count, 1)
        self.assertEqual(ticket.itss_reassign_count, 1)

    def test_dispatching_to_a_higher_tier_escalates(self):
        ticket = self._ticket("new", category_id=self.category_child.id)
        ticket.with_user(self.agent)._itss_dispatch(self.team_l2, self.expert)
        self.assertEqual(ticket.itss_escalation_count, 1)

    def test_routing_at_logging(self):
        routed = (
            self.env["helpdesk.ticket"]
            .with_user(self.agent)
            .create(
                {
                    "name": "Replication lag",
                    "description": "<p>x</p>",
                    "category_id": self.category_l2.id,
                }
            )
        )
        self.assertEqual(routed.team_id, self.team_l2, "the category's group")
        self.assertEqual(routed.itss_escalation_count, 1)
        self.assertEqual(routed.itss_reassign_count, 0, "the first assignment")
        logged_l2 = (
            self.env["helpdesk.ticket"]
            .with_user(self.agent)
            .create(
                {"name": "Slow", "description": "<p>x</p>", "team_id": self.team_l2.id}
            )
        )
        self.assertEqual(logged_l2.itss_escalation_count, 1)
        first_line = (
            self.env["helpdesk.ticket"]
            .with_user(self.agent)
            .create(
                {
                    "name": "Printer",
                    "description": "<p>x</p>",
                    "team_id": self.team_l1.id,
                }
            )
        )
        self.assertEqual(first_line.itss_escalation_count, 0)
        self.assertEqual(self._fcr(first_line), 1)

    def test_a_plain_ticket_entering_second_line(self):
        ticket = self.env["helpdesk.ticket"].create(
            {
                "name": "Plain",
                "description": "<p>x</p>",
                "team_id": self.team_plain.id,
                "user_id": False,
            }
        )
        ticket.with_user(self.agent).write(
            {"team_id": self.team_l2.id, "stage_id": self.stages["new"].id}
        )
        self.assertEqual(ticket.itss_escalation_count, 1)
        self.assertEqual(ticket.itss_reassign_count, 0)
