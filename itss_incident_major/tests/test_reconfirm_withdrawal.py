"""The urgent re-confirmation (001 §100.5) with the major incident process: "cannot
resolve it alone" declares the major incident (the urgent handling of 001 §101); a
priority lowered at the re-confirmation withdraws the major incident the system
declared by itself while nobody has worked on it (state ``cancelled``, with the
reason, kept), else the incident manager hears that it remains open."""

from odoo.exceptions import UserError
from odoo.tests import new_test_user

from odoo.addons.itss_incident import compat

from .common import ENGINEER_GROUPS, ItssMajorCase


class TestReconfirmWithdrawal(ItssMajorCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.director.partner_id[compat.MOBILE] = "+86 138 0000 7002"
        cls.team.itss_director_id = cls.director
        cls.other_engineer = new_test_user(
            cls.env, login="mi_rc_other", name="Other Engineer", groups=ENGINEER_GROUPS
        )
        cls.team.user_ids = [(4, cls.other_engineer.id)]
        cls.reconfirm_type = cls.env.ref("itss_incident.mail_act_itss_reconfirm")

    def _accepted(self, impact="1", urgency="1"):
        """A ticket of the engineer, accepted by them (受理)."""
        ticket = self._ticket(impact=impact, urgency=urgency)
        ticket.with_user(self.engineer).action_itss_accept()
        self.assertEqual(ticket.itss_state, "in_progress")
        self.assertEqual(
            ticket.activity_ids.filtered(
                lambda a: a.activity_type_id == self.reconfirm_type
            ).user_id,
            self.engineer,
            "the re-confirmation is due",
        )
        return ticket

    def _reconfirm(self, ticket, user, priority, alone, note=None):
        """Through the dialog, as the header button opens it."""
        wizard = (
            self.env["itss.ticket.reconfirm"]
            .with_user(user)
            .with_context(default_ticket_id=ticket.id)
            .create({"can_handle_alone": alone, "note": note})
        )
        wizard.priority = priority
        return wizard.action_confirm()

    def _mails(self, ticket, text):
        return self.env["mail.mail"].search(
            [
                ("model", "=", "helpdesk.ticket"),
                ("res_id", "=", ticket.id),
                ("subject", "ilike", text),
            ]
        )

    def _assert_kept(self, ticket, incident, state, why):
        """The major incident stays with its ticket and the managers are told."""
        self.assertEqual(incident.state, state)
        self.assertFalse(incident.cancel_reason)
        self.assertEqual(ticket.itss_major_incident_id, incident)
        mail = self._mails(ticket, "remains open")
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.recipient_ids, self.major_manager.partner_id)
        self.assertTrue(
            any(
                "remains open" in (m.body or "") and why in m.body
                for m in incident.message_ids
            ),
            "the major incident's record says why it stays",
        )

    # withdrawn

    def test_lowered_priority_withdraws_the_automatic_major_incident(self):
        ticket = self._accepted()
        incident = ticket.itss_major_incident_id
        self.assertTrue(incident.auto_declared)
        self._reconfirm(ticket, self.engineer, "3", True, "Only one user affected")
        self.assertEqual(ticket.itss_priority, "3")
        self.assertTrue(incident.exists(), "never deleted")
        self.assertEqual(incident.state, "cancelled")
        self.assertTrue(incident.cancelled_date)
        self.assertIn(
            "lowered from P1 - Critical to P3 - Medium", incident.cancel_reason
        )
        self.assertIn("MI Engineer", incident.cancel_reason)
        self.assertIn("Only one user affected", incident.cancel_reason)
        self.assertFalse(ticket.itss_major_incident_id)
        self.assertEqual(incident.ticket_id, ticket, "the main ticket stays on record")
        mail = self._mails(ticket, "withdrawn")
        self.assertEqual(len(mail), 1)
        self.assertEqual(
            mail.recipient_ids,
            self.major_manager.partner_id | self.director.partner_id,
        )
        self.assertFalse(
            ticket.activity_ids.filtered(
                lambda a: a.activity_type_id == self.reconfirm_type
            )
        )
        # not an open major incident any more; the ticket closes without it
        self.assertEqual(
            self.env["itss.major.incident"].search_count(
                [("id", "=", incident.id), ("state", "in", ("declared", "recovering"))]
            ),
            0,
        )
        # reaching the major priority again declares a new one
        ticket.with_user(self.engineer).write({"itss_impact": "1", "itss_urgency": "1"})
        self.assertTrue(ticket.itss_major_incident_id)
        self.assertNotEqual(ticket.itss_major_incident_id, incident)
        self.assertTrue(ticket.itss_major_incident_id.auto_declared)

    def test_still_of_the_major_priority_keeps_it(self):
        # the fixtures' major priority is P2: P1 -> P2 is still a major incident
        ticket = self._accepted()
        incident = ticket.itss_major_incident_id
        self._reconfirm(ticket, self.engineer, "2", True)
        self.assertEqual(incident.state, "declared")
        self.assertEqual(ticket.itss_major_incident_id, incident)
        self.assertFalse(self._mails(ticket, "remains open"))
        self.assertFalse(self._mails(ticket, "withdrawn"))

    # kept

    def test_a_major_incident_with_a_plan_version_stays(self):
        ticket = self._accepted()
        incident = ticket.itss_major_incident_id
        incident.with_user(self.major_manager).action_new_recovery_plan()
        self.assertTrue(incident.recovery_plan_ids)
        self._reconfirm(ticket, self.engineer, "3", True)
        self._assert_kept(ticket, incident, "declared", "work on it has started")

    def test_a_major_incident_with_a_meeting_or_a_statement_stays(self):
        ticket = self._accepted()
        incident = ticket.itss_major_incident_id
        self.env["itss.major.meeting"].with_user(self.major_manager).create(
            {"major_incident_id": incident.id, "meeting_type": "recovery"}
        )
        self._reconfirm(ticket, self.engineer, "4", True)
        self._assert_kept(ticket, incident, "declared", "work on it has started")

        other = self._accepted()
        major = other.itss_major_incident_id
        line = self.env["itss.communication.plan.line"].create(
            {
                "major_incident_id": major.id,
                "audience": "customers",
                "channel": "email",
                "contact_ids": [(6, 0, self.customer.ids)],
                "approver_id": self.major_manager.id,
            }
        )
        self.env["itss.communication.update"].with_user(self.major_manager).create(
            {
                "major_incident_id": major.id,
                "name": "Billing is down",
                "line_ids": [(6, 0, line.ids)],
                "body": "<p>We are on it</p>",
            }
        )
        self._reconfirm(other, self.engineer, "3", True)
        self._assert_kept(other, major, "declared", "work on it has started")

    def test_a_recovering_major_incident_stays(self):
        ticket = self._accepted()
        incident = ticket.itss_major_incident_id
        incident.with_user(self.major_manager).action_start_recovery()
        self._reconfirm(ticket, self.engineer, "3", True)
        self._assert_kept(ticket, incident, "recovering", "recovering")

    def test_a_manually_declared_major_incident_stays(self):
        ticket = self._ticket(impact="4", urgency="4")
        self.env["itss.major.declare"].with_user(self.engineer).create(
            {"ticket_id": ticket.id, "reason": "Whole region affected"}
        ).action_confirm()
        incident = ticket.itss_major_incident_id
        self.assertFalse(incident.auto_declared)
        ticket.with_user(self.engineer).write({"itss_impact": "1", "itss_urgency": "1"})
        self.assertEqual(ticket.itss_major_incident_id, incident, "none declared again")
        ticket.with_user(self.engineer).action_itss_accept()
        self._reconfirm(ticket, self.engineer, "3", True)
        self._assert_kept(ticket, incident, "declared", "declared by a person")

    # the urgent handling is the major incident

    def test_cannot_resolve_alone_declares_the_major_incident(self):
        self.env.company.itss_major_priority = "1"
        ticket = self._accepted(impact="2", urgency="2")
        self.assertEqual(ticket.itss_priority, "2")
        self.assertFalse(ticket.itss_major_incident_id, "P2 is not major here")
        self._reconfirm(ticket, self.engineer, "2", False, "Needs the vendor")
        incident = ticket.itss_major_incident_id
        self.assertEqual(incident.state, "declared")
        self.assertFalse(incident.auto_declared, "the engineer's answer declared it")
        self.assertIn("cannot resolve", incident.declared_reason)
        self.assertIn("Needs the vendor", incident.declared_reason)
        self.assertEqual(incident.manager_ids, self.major_manager)
        logs = self.env["itss.escalation.log"].search([("ticket_id", "=", ticket.id)])
        self.assertEqual(
            sorted((log.kind, log.channel) for log in logs if log.kind != "customer"),
            [
                ("communication", "call"),
                ("communication", "email"),
                ("communication", "sms"),
                ("reconfirm", "email"),
                ("reconfirm", "sms"),
            ],
        )
        help_mail = self._mails(ticket, "Help needed")
        self.assertEqual(
            help_mail.recipient_ids,
            self.major_manager.partner_id | self.director.partner_id,
        )
        self.assertTrue(
            self.env["sms.sms"].search([("number", "=", "+86 138 0000 7002")])
        )
        # no incident manager's to-do besides: the major incident is the handling
        self.assertFalse(
            ticket.activity_ids.filtered(
                lambda a: (
                    a.activity_type_id
                    == self.env.ref("itss_incident.mail_act_itss_urgent")
                )
            )
        )
        # lowered later by the incident manager: declared by a person, it stays
        self._reconfirm(ticket, self.major_manager, "3", True)
        self._assert_kept(ticket, incident, "declared", "declared by a person")

    def test_still_urgent_and_needing_help_keeps_the_automatic_one(self):
        self.env.company.itss_major_priority = "1"
        ticket = self._accepted()
        incident = ticket.itss_major_incident_id
        self.assertTrue(incident.auto_declared)
        self._reconfirm(ticket, self.engineer, "2", False)
        self.assertEqual(incident.state, "declared", "it is the urgent handling now")
        self.assertEqual(ticket.itss_major_incident_id, incident)
        self.assertTrue(
            any("cannot resolve" in (m.body or "") for m in incident.message_ids)
        )
        self.assertFalse(self._mails(ticket, "withdrawn"))

    # refusals

    def test_others_cannot_reconfirm_nor_write_the_facts(self):
        ticket = self._accepted()
        incident = ticket.itss_major_incident_id
        with self.assertRaisesRegex(UserError, "Only the assignee"):
            self._reconfirm(ticket, self.other_engineer, "3", True)
        self.assertEqual(incident.state, "declared")
        self.assertEqual(ticket.itss_priority, "1")
        manager_view = incident.with_user(self.major_manager)
        for vals in (
            {"cancel_reason": "No longer major"},
            {"auto_declared": False},
        ):
            with self.assertRaisesRegex(UserError, "recorded by the system"):
                manager_view.write(vals)
        with self.assertRaisesRegex(UserError, "Use the buttons"):
            manager_view.write({"state": "cancelled"})
        with self.assertRaisesRegex(UserError, "recorded by the system"):
            self.env["itss.major.incident"].with_user(self.major_manager).create(
                {
                    "name": "Forged",
                    "ticket_id": ticket.id,
                    "auto_declared": True,
                }
            )
        self.assertTrue(incident.auto_declared)
        self.assertEqual(incident.state, "declared")
