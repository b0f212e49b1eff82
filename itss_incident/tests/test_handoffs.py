"""Hand-offs between the engineers and the service desk, as the roles who make them:
return to the service desk (打回), decline a dispatch, chase the assignee (催办); and
moves to a higher tier, a functional escalation whatever the path."""

from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, freeze_time, new_test_user

from odoo.addons.itss_incident import compat

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
        cls.expert.partner_id[compat.MOBILE] = "+86 139 0000 0001"
        cls.team_l1.write({"user_id": cls.leader.id, "user_ids": [(4, cls.leader.id)]})
        cls.team_l2.write({"user_ids": [(4, cls.expert.id)]})
        cls.env.company.itss_default_team_id = cls.team_l1
        cls.returned_type = cls.env.ref("itss_incident.mail_act_itss_returned")

    def _l2_ticket(self, state, user=None):
        """A second line ticket owned by the desk agent."""
        return self._ticket(
            state,
            team_id=self.team_l2.id,
            user_id=(user or self.expert).id,
            itss_owner_id=self.agent.id,
        )

    def _dialog(self, ticket, user, method):
        """Open the dialog of ``method`` as ``user`` and give its Form."""
        action = getattr(ticket.with_user(user), method)()
        self.assertEqual(action["target"], "new")
        return Form(
            self.env[action["res_model"]]
            .with_user(user)
            .with_context(**action["context"])
        )

    def _hand_back(self, ticket, user, method, reason):
        form = self._dialog(ticket, user, method)
        form.reason = reason
        return form.save().action_return()

    def _todos(self, ticket):
        return ticket.activity_ids.filtered(
            lambda a: a.activity_type_id == self.returned_type
        )

    def _notes(self, ticket):
        return ticket.message_ids.filtered(
            lambda m: m.subtype_id == self.env.ref("mail.mt_note")
        )


class TestReturnToServiceDesk(HandoffCase):
    def test_engineer_returns_an_in_progress_ticket(self):
        ticket = self._l2_ticket("in_progress")
        result = self._hand_back(
            ticket,
            self.expert,
            "action_itss_return_dialog",
            "The customer's contact and the database name are missing",
        )
        self.assertIn(ticket.number, result["params"]["message"])
        self.assertEqual(
            result["params"]["next"]["tag"],
            "itss_incident.queues",
            "the expert no longer reads the ticket: the queues open",
        )
        self.assertEqual(ticket.itss_state, "new")
        self.assertEqual(ticket.team_id, self.team_l1, "the owner's service desk")
        self.assertFalse(ticket.user_id)
        self.assertEqual(ticket.itss_owner_id, self.agent, "the owner stays")
        self.assertIn("database name are missing", ticket.itss_return_reason)
        note = self._notes(ticket)[:1]
        self.assertIn("Returned to the service desk", note.body)
        self.assertIn("database name are missing", note.body)
        self.assertEqual(note.author_id, self.expert.partner_id)
        todo = self._todos(ticket)
        self.assertEqual(len(todo), 1)
        self.assertEqual(todo.user_id, self.agent)
        self.assertIn("Returned by Database Expert", todo.summary)
        self.assertIn("database name are missing", todo.summary)
        self.assertIn("database name are missing", todo.note)
        # the owner completes it and dispatches again: the to-do is done
        form = self._dialog(ticket, self.agent, "action_itss_dispatch_dialog")
        form.team_id = self.team_l2
        form.user_id = self.expert
        form.save().action_dispatch()
        self.assertEqual(ticket.itss_state, "assigned")
        self.assertFalse(self._todos(ticket), "done once dispatched again")
        self.assertFalse(ticket.itss_return_reason, "the reason ends with the return")
        done = ticket.message_ids.filtered(
            lambda m: m.mail_activity_type_id == self.returned_type
        )
        self.assertTrue(done, "the to-do is marked done in the chatter")

    def test_incident_manager_returns_a_dispatched_ticket(self):
        ticket = self._l2_ticket("assigned")
        self._hand_back(
            ticket, self.manager, "action_itss_return_dialog", "Not an incident"
        )
        self.assertEqual(ticket.itss_state, "new")
        self.assertEqual(self._todos(ticket).user_id, self.agent)
        self.assertIn("Returned by Incident Manager", self._todos(ticket).summary)

    def test_without_an_owner_the_desk_leader_gets_the_to_do(self):
        ticket = self._l2_ticket("in_progress")
        ticket.itss_owner_id = False
        self._hand_back(ticket, self.expert, "action_itss_return_dialog", "No CI")
        self.assertEqual(self._todos(ticket).user_id, self.leader)

    def test_who_may_return(self):
        ticket = self._l2_ticket("in_progress")
        for user in (self.engineer, self.agent, self.leader):
            with self.subTest(user=user.login):
                with self.assertRaisesRegex(AccessError, "returns it to the service"):
                    ticket.with_user(user).action_itss_return_dialog()
                wizard = (
                    self.env["itss.ticket.return"]
                    .with_user(user)
                    .create({"ticket_id": ticket.id, "reason": "Forged"})
                )
                with self.assertRaises(AccessError):
                    wizard.action_return()
        self.assertEqual(ticket.itss_state, "in_progress")
        # nobody assigned: a member of the team may
        unassigned = self._ticket("assigned", team_id=self.team_l2.id)
        self._hand_back(
            unassigned, self.engineer, "action_itss_return_dialog", "Wrong team"
        )
        self.assertEqual(unassigned.itss_state, "new")

    def test_only_dispatched_or_in_progress(self):
        for state in ("new", "pending", "resolved"):
            with self.subTest(state=state):
                ticket = self._l2_ticket(state)
                with self.assertRaisesRegex(UserError, "only a dispatched"):
                    ticket.with_user(self.expert).action_itss_return_dialog()

    def test_the_reason_is_required(self):
        ticket = self._l2_ticket("in_progress")
        wizard = (
            self.env["itss.ticket.return"]
            .with_user(self.expert)
            .create({"ticket_id": ticket.id, "reason": "  \n "})
        )
        with self.assertRaisesRegex(UserError, "Say why"):
            wizard.action_return()
        self.assertEqual(ticket.itss_state, "in_progress")

    def test_a_crafted_rpc_write_cannot_skip_the_reason(self):
        for state in ("assigned", "in_progress"):
            ticket = self._l2_ticket(state)
            as_expert = ticket.with_user(self.expert)
            new = self.stages["new"].id
            with self.subTest(state=state):
                with self.assertRaisesRegex(UserError, "with a reason"):
                    as_expert.write({"stage_id": new})
                with self.assertRaisesRegex(UserError, "with a reason"):
                    as_expert.with_context(itss_facts=True).write(
                        {"stage_id": new, "team_id": self.team_l1.id}
                    )
                with self.assertRaisesRegex(AccessError, "set by the system"):
                    as_expert.write({"stage_id": new, "itss_return_reason": "forged"})
                with self.assertRaisesRegex(UserError, "with a reason"):
                    ticket.with_user(self.manager).write({"stage_id": new})
                self.assertEqual(ticket.itss_state, state, "nothing changed")
                self.assertFalse(self._todos(ticket))

    def test_a_return_counts_one_reassignment(self):
        """A return is no way around the reassignment count, nor a second count: a
        ticket that goes from one engineer to another through the service desk counts
        once, as a direct reassignment does (DESIGN.md, "Reassignment and escalation
        counting": the return changes the assignee; the desk's dispatch to nobody's
        ticket is the next first assignment)."""
        ticket = self._ticket("in_progress", user_id=self.engineer.id)
        self._hand_back(ticket, self.engineer, "action_itss_return_dialog", "Info")
        self.assertEqual(ticket.itss_reassign_count, 1)
        self.assertEqual(ticket.itss_escalation_count, 0, "back to tier 1: none")
        ticket.with_user(self.agent)._itss_dispatch(self.team_l1, self.leader)
        self.assertEqual(ticket.itss_reassign_count, 1, "as a direct reassignment")
        direct = self._ticket("in_progress", user_id=self.engineer.id)
        direct.with_user(self.agent)._itss_dispatch(self.team_l1, self.leader)
        self.assertEqual(direct.itss_reassign_count, 1)

    def test_an_escalated_ticket_returned_keeps_its_escalation(self):
        ticket = self._ticket("in_progress", user_id=self.engineer.id)
        ticket.with_user(self.engineer).action_itss_escalate()
        ticket.with_user(self.expert).action_itss_accept()
        self._hand_back(ticket, self.expert, "action_itss_return_dialog", "Info")
        self.assertEqual(ticket.team_id, self.team_l1)
        self.assertEqual(ticket.itss_escalation_count, 1, "no first-contact again")


class TestDeclineDispatch(HandoffCase):
    def test_the_assignee_declines(self):
        ticket = self._l2_ticket("assigned")
        result = self._hand_back(
            ticket,
            self.expert,
            "action_itss_decline_dialog",
            "Oracle is not my field: the Oracle team",
        )
        self.assertIn("declined", result["params"]["message"])
        self.assertEqual(ticket.itss_state, "new")
        self.assertEqual(ticket.team_id, self.team_l1)
        self.assertFalse(ticket.user_id)
        note = self._notes(ticket)[:1]
        self.assertIn("Dispatch declined", note.body)
        self.assertIn("Oracle is not my field", note.body)
        todo = self._todos(ticket)
        self.assertEqual(todo.user_id, self.agent)
        self.assertIn("Dispatch declined by Database Expert", todo.summary)
        self.assertIn("Oracle is not my field", todo.summary)
        # accepted by another engineer: the to-do is done
        ticket.with_user(self.engineer).action_itss_accept()
        self.assertFalse(self._todos(ticket))

    def test_only_the_assignee_and_only_before_accepting(self):
        ticket = self._l2_ticket("assigned")
        for user in (self.engineer, self.manager, self.agent):
            with self.subTest(user=user.login):
                with self.assertRaisesRegex(AccessError, "is dispatched to declines"):
                    ticket.with_user(user).action_itss_decline_dialog()
                wizard = (
                    self.env["itss.ticket.return"]
                    .with_user(user)
                    .create({"ticket_id": ticket.id, "mode": "decline", "reason": "No"})
                )
                with self.assertRaises(AccessError):
                    wizard.action_return()
        accepted = self._l2_ticket("in_progress")
        with self.assertRaisesRegex(UserError, "only a dispatched ticket is declined"):
            accepted.with_user(self.expert).action_itss_decline_dialog()


class TestChase(HandoffCase):
    def _mails(self, ticket):
        return self.env["mail.mail"].search(
            [("model", "=", "helpdesk.ticket"), ("res_id", "=", ticket.id)]
        )

    def _sms(self, ticket):
        return self.env["sms.sms"].search(
            [
                ("mail_message_id.res_id", "=", ticket.id),
                ("mail_message_id.model", "=", "helpdesk.ticket"),
            ]
        )

    def _chases(self, ticket):
        return self.env["itss.escalation.log"].search(
            [("ticket_id", "=", ticket.id), ("kind", "=", "chase")]
        )

    def test_the_desk_chases_the_assignee(self):
        start = fields.Datetime.to_datetime("2026-11-20 02:00:00")
        ticket = self._l2_ticket("in_progress")
        with freeze_time(start):
            result = ticket.with_user(self.agent).action_itss_chase()
        self.assertEqual(result["params"]["type"], "success")
        self.assertEqual(ticket.itss_chase_count, 1)
        mail = self._mails(ticket)
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.recipient_ids, self.expert.partner_id)
        self.assertIn("Desk Agent chases the ticket", mail.subject)
        sms = self._sms(ticket)
        self.assertEqual(len(sms), 1)
        self.assertEqual(sms.number, "+86 139 0000 0001")
        log = self._chases(ticket)
        self.assertEqual(sorted(log.mapped("channel")), ["email", "sms"])
        self.assertEqual(set(log.mapped("sequence")), {1})
        self.assertEqual(log.partner_ids, self.expert.partner_id)
        self.assertIn("Chase 1 sent to Database Expert", self._notes(ticket)[0].body)
        # a double click: nothing sent again
        with freeze_time(start + timedelta(seconds=30)):
            again = ticket.with_user(self.agent).action_itss_chase()
        self.assertEqual(again["params"]["type"], "warning")
        self.assertIn("nothing sent again", again["params"]["message"])
        self.assertEqual(ticket.itss_chase_count, 1)
        self.assertEqual(len(self._mails(ticket)), 1)
        self.assertEqual(len(self._sms(ticket)), 1)
        self.assertEqual(len(self._chases(ticket)), 2)
        # a chase later is its own row, by the incident manager
        with freeze_time(start + timedelta(minutes=5)):
            ticket.with_user(self.manager).action_itss_chase()
        self.assertEqual(ticket.itss_chase_count, 2)
        self.assertEqual(len(self._mails(ticket)), 2)
        self.assertEqual(sorted(self._chases(ticket).mapped("sequence")), [1, 1, 2, 2])

    def test_without_a_mobile_by_mail_only(self):
        ticket = self._ticket("assigned", user_id=self.engineer.id)
        self.engineer.partner_id[compat.MOBILE] = False
        ticket.with_user(self.leader).action_itss_chase()
        self.assertEqual(self._chases(ticket).mapped("channel"), ["email"])
        self.assertFalse(self._sms(ticket))

    def test_who_and_what_is_chased(self):
        ticket = self._l2_ticket("in_progress")
        with self.assertRaisesRegex(AccessError, "Only the service desk"):
            ticket.with_user(self.engineer).action_itss_chase()
        with self.assertRaises(AccessError):
            ticket.with_user(self.expert).with_context(itss_facts=True).write(
                {"itss_chase_count": 5}
            )
        for state, user in (("new", None), ("pending", self.expert)):
            with self.subTest(state=state):
                other = self._ticket(
                    state, team_id=self.team_l2.id, user_id=user and user.id
                )
                with self.assertRaisesRegex(UserError, "nobody to chase"):
                    other.with_user(self.agent).action_itss_chase()
        unassigned = self._ticket("assigned", team_id=self.team_l2.id)
        with self.assertRaisesRegex(UserError, "nobody to chase"):
            unassigned.with_user(self.agent).action_itss_chase()
        self.assertFalse(self._chases(ticket))
        self.assertEqual(ticket.itss_chase_count, 0)


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
