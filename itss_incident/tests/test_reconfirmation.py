"""The urgent re-confirmation (001 §100.5) is a due step: accepting a P1 or P2 ticket
gives the assignee a to-do, done when the re-confirmation is recorded or no longer
needed; both answers of the seed's decision table are followed (itss_incident alone:
the urgent handling is the incident manager's to-do)."""

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import new_test_user

from odoo.addons.itss_incident import compat

from .common import ItssCase


class TestReconfirmation(ItssCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.reconfirm_type = cls.env.ref("itss_incident.mail_act_itss_reconfirm")
        cls.urgent_type = cls.env.ref("itss_incident.mail_act_itss_urgent")
        cls.manager.partner_id[compat.MOBILE] = "+86 138 0000 0001"
        cls.pm = new_test_user(
            cls.env,
            login="reconf_pm",
            name="Project Manager Sun",
            groups="base.group_user",
        )
        cls.pm.partner_id[compat.MOBILE] = "+86 138 0000 0002"
        cls.director = new_test_user(
            cls.env, login="reconf_dir", name="Director Qian", groups="base.group_user"
        )
        cls.director.partner_id[compat.MOBILE] = "+86 138 0000 0003"
        cls.team_l1.write(
            {
                "itss_project_manager_id": cls.pm.id,
                "itss_director_id": cls.director.id,
            }
        )
        cls.other_engineer = new_test_user(
            cls.env,
            login="reconf_engineer2",
            name="Other Engineer",
            groups="base.group_user,itss_incident.group_itss_engineer",
        )
        cls.team_l1.user_ids = [(4, cls.other_engineer.id)]

    def _accepted(self, impact="1", urgency="1"):
        """A ticket dispatched to the engineer, who accepts it (受理)."""
        ticket = self._ticket(
            "assigned",
            user_id=self.engineer.id,
            itss_impact=impact,
            itss_urgency=urgency,
        )
        ticket.with_user(self.engineer).action_itss_accept()
        self.assertEqual(ticket.itss_state, "in_progress")
        return ticket

    def _todos(self, ticket, activity_type=None):
        return ticket.activity_ids.filtered(
            lambda a: a.activity_type_id == (activity_type or self.reconfirm_type)
        )

    def _done_messages(self, ticket, activity_type=None):
        return ticket.message_ids.filtered(
            lambda m: m.mail_activity_type_id == (activity_type or self.reconfirm_type)
        )

    def _mails(self, ticket):
        """The notifications queued for the ticket (not the activities' own mails)."""
        return self.env["mail.mail"].search(
            [
                ("model", "=", "helpdesk.ticket"),
                ("res_id", "=", ticket.id),
                ("subject", "=like", f"[{ticket.number}]%"),
            ]
        )

    def _sms_numbers(self, ticket):
        partners = self.manager.partner_id | self.pm.partner_id
        partners |= self.director.partner_id
        return set(
            self.env["sms.sms"]
            .search([("partner_id", "in", partners.ids)])
            .filtered(lambda s: ticket.number in (s.body or ""))
            .mapped("number")
        )

    def _reconfirm(self, ticket, user, priority, alone, note=None):
        """Through the dialog, as the header button opens it."""
        wizard = (
            self.env["itss.ticket.reconfirm"]
            .with_user(user)
            .with_context(default_ticket_id=ticket.id)
            .create({"can_handle_alone": alone, "note": note})
        )
        self.assertEqual(wizard.priority, ticket.itss_priority)
        wizard.priority = priority
        return wizard.action_confirm()

    # the due step

    def test_accepting_an_urgent_ticket_gives_the_assignee_the_step(self):
        ticket = self._accepted()
        self.assertEqual(ticket.itss_priority, "1")
        todo = self._todos(ticket)
        self.assertEqual(len(todo), 1)
        self.assertEqual(todo.user_id, self.engineer)
        self.assertIn("Re-confirm the urgency", todo.summary)
        self.assertEqual(todo.date_deadline, fields.Date.context_today(ticket))
        # one at a time, whatever runs again: on hold and resumed, updated twice
        ticket.with_user(self.engineer).write({"itss_wait_code_id": self.wait_code.id})
        ticket.with_user(self.engineer).action_itss_pend()
        ticket.with_user(self.engineer).action_itss_resume()
        ticket._itss_activity_update()
        ticket._itss_activity_update()
        self.assertEqual(self._todos(ticket), todo)
        # a P3 ticket has no such step
        minor = self._accepted(impact="4", urgency="3")
        self.assertNotIn(minor.itss_priority, ("1", "2"))
        self.assertFalse(self._todos(minor))

    def test_the_step_follows_the_assignee_and_the_queue(self):
        ticket = self._accepted(impact="2", urgency="2")
        self.assertEqual(ticket.itss_priority, "2")
        ticket.with_user(self.manager).user_id = self.other_engineer
        self.assertEqual(self._todos(ticket).user_id, self.other_engineer)
        # back to the queue (reassigned): the next acceptance brings it back
        ticket.with_user(self.manager).action_itss_assign()
        self.assertEqual(ticket.itss_state, "assigned")
        self.assertFalse(self._todos(ticket))
        self.assertFalse(self._done_messages(ticket), "put off, not done")
        ticket.with_user(self.other_engineer).action_itss_accept()
        self.assertEqual(self._todos(ticket).user_id, self.other_engineer)

    def test_no_longer_needed_when_resolved_cancelled_or_lowered(self):
        resolved = self._accepted()
        resolved.with_user(self.engineer).write(
            {
                "itss_solution": "<p>Replaced the switch</p>",
                "itss_closure_code_id": self.code_resolved.id,
                "itss_recovery_date": fields.Datetime.now(),
            }
        )
        resolved.with_user(self.engineer).action_itss_resolve()
        self.assertFalse(self._todos(resolved))
        self.assertIn("No longer to re-confirm", self._done_messages(resolved).body)

        cancelled = self._accepted()
        self.env["itss.ticket.cancel"].with_user(self.agent).create(
            {"ticket_id": cancelled.id, "reason": "Logged twice"}
        ).action_cancel()
        self.assertEqual(cancelled.itss_state, "cancelled")
        self.assertFalse(self._todos(cancelled))
        self.assertEqual(len(self._done_messages(cancelled)), 1)

        lowered = self._accepted(impact="2", urgency="2")
        lowered.with_user(self.engineer).write({"itss_impact": "4"})
        self.assertNotIn(lowered.itss_priority, ("1", "2"))
        self.assertFalse(self._todos(lowered))
        self.assertIn("No longer to re-confirm", self._done_messages(lowered).body)
        # urgent again and still not re-confirmed: due again
        lowered.with_user(self.engineer).write({"itss_impact": "1"})
        self.assertEqual(self._todos(lowered).user_id, self.engineer)

    # the decision table

    def test_urgent_and_alone_tells_the_incident_manager(self):
        ticket = self._accepted()
        self._reconfirm(ticket, self.engineer, "1", True, "Known fault")
        self.assertEqual(ticket.itss_reconfirm_user_id, self.engineer)
        self.assertTrue(ticket.itss_can_handle_alone)
        self.assertFalse(self._todos(ticket))
        self.assertIn("Re-confirmed by Line Engineer", self._done_messages(ticket).body)
        mails = self._mails(ticket)
        self.assertEqual(len(mails), 1)
        self.assertEqual(mails.recipient_ids, self.manager.partner_id)
        self.assertIn("resolves it alone", mails.subject)
        self.assertFalse(self._sms_numbers(ticket))
        self.assertFalse(self._todos(ticket, self.urgent_type), "no urgent handling")
        log = self.env["itss.escalation.log"].search([("ticket_id", "=", ticket.id)])
        self.assertEqual((log.kind, log.channel), ("reconfirm", "email"))

    def test_urgent_and_not_alone_tells_management_and_starts_urgent_handling(self):
        ticket = self._accepted(impact="2", urgency="2")
        self._reconfirm(ticket, self.engineer, "2", False, "Needs a DBA")
        self.assertFalse(ticket.itss_can_handle_alone)
        self.assertFalse(self._todos(ticket))
        people = self.manager.partner_id | self.pm.partner_id
        people |= self.director.partner_id
        mails = self._mails(ticket)
        self.assertEqual(len(mails), 1)
        self.assertEqual(mails.recipient_ids, people)
        self.assertIn("Help needed", mails.subject)
        self.assertEqual(
            self._sms_numbers(ticket),
            {"+86 138 0000 0001", "+86 138 0000 0002", "+86 138 0000 0003"},
        )
        handling = self._todos(ticket, self.urgent_type)
        self.assertEqual(handling.user_id, self.manager)
        self.assertIn("emergency team", handling.summary)
        self.assertIn("Needs a DBA", handling.note)
        # recorded once more: nothing sent twice, one to-do
        ticket.with_user(self.manager).action_itss_reconfirm("2", False)
        self.assertEqual(len(self._mails(ticket)), 1)
        self.assertEqual(self._todos(ticket, self.urgent_type), handling)
        # the urgent handling ends with the ticket
        ticket.with_user(self.engineer).write(
            {
                "itss_solution": "<p>Index rebuilt</p>",
                "itss_closure_code_id": self.code_resolved.id,
                "itss_recovery_date": fields.Datetime.now(),
            }
        )
        ticket.with_user(self.engineer).action_itss_resolve()
        self.assertFalse(self._todos(ticket, self.urgent_type))
        self.assertTrue(self._done_messages(ticket, self.urgent_type))

    def test_lowered_below_p2_is_no_longer_urgent(self):
        ticket = self._accepted()
        self._reconfirm(ticket, self.engineer, "3", False)
        self.assertEqual(ticket.itss_priority, "3")
        self.assertFalse(self._todos(ticket))
        self.assertIn("Re-confirmed", self._done_messages(ticket).body)
        self.assertFalse(self._mails(ticket), "not urgent: goes on as any ticket")
        self.assertFalse(self._todos(ticket, self.urgent_type))

    # who records it

    def test_only_the_assignee_or_an_incident_manager(self):
        ticket = self._accepted()
        for user in (self.other_engineer, self.agent):
            with self.assertRaisesRegex(UserError, "Only the assignee"):
                self._reconfirm(ticket, user, "1", True)
        self.assertFalse(ticket.itss_reconfirm_date)
        self.assertEqual(self._todos(ticket).user_id, self.engineer)
        self._reconfirm(ticket, self.manager, "1", True)
        self.assertEqual(ticket.itss_reconfirm_user_id, self.manager)
        self.assertFalse(self._todos(ticket))
        self.assertIn(
            "Re-confirmed by Incident Manager", self._done_messages(ticket).body
        )
