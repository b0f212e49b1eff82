from odoo.exceptions import UserError
from odoo.tests import Form

from odoo.addons.itss_incident import compat

from .common import ItssCase


class TestCloseFlow(ItssCase):
    def test_customer_confirms_with_satisfaction(self):
        ticket = self._ticket("resolved", user_id=self.engineer.id)
        ticket.action_itss_confirm_resolution(satisfaction="4", comment="Quick, thanks")
        self.assertEqual(ticket.itss_state, "closed")
        self.assertEqual(ticket.itss_close_origin, "customer")
        self.assertEqual(ticket.itss_closure_code_id, self.code_resolved)
        self.assertEqual(ticket.itss_satisfaction, "4")
        self.assertEqual(ticket.itss_satisfaction_comment, "Quick, thanks")

    def test_confirm_refused_unless_resolved_or_bad_rating(self):
        ticket = self._ticket("in_progress")
        with self.assertRaisesRegex(UserError, "not resolved"):
            ticket.action_itss_confirm_resolution(satisfaction="5")
        resolved = self._ticket("resolved")
        with self.assertRaisesRegex(UserError, "from 1 to 5"):
            resolved.action_itss_confirm_resolution(satisfaction="9")
        self.assertEqual(resolved.itss_state, "resolved")

    def test_customer_rejects(self):
        ticket = self._ticket("resolved", user_id=self.engineer.id, itss_impact="2")
        new = ticket.action_itss_reject_resolution(comment="Still crashes")
        self.assertEqual(ticket.itss_state, "closed")
        self.assertEqual(ticket.itss_close_origin, "rejected")
        self.assertEqual(
            ticket.itss_closure_code_id,
            self.env.ref("itss_incident.closure_code_unsuccessful"),
        )
        self.assertEqual(new.itss_reopened_from_id, ticket)
        self.assertEqual(ticket.itss_reopened_ticket_ids, new)
        self.assertEqual(new.itss_state, "assigned")
        self.assertEqual(new.user_id, self.engineer)
        self.assertEqual(new.itss_impact, "2")
        self.assertEqual(new.partner_id, ticket.partner_id)
        self.assertIn("Still crashes", new.description)
        self.assertNotEqual(new.number, ticket.number)
        followups = ticket.activity_ids.filtered(
            lambda a: (
                a.activity_type_id
                == self.env.ref("itss_incident.mail_act_itss_followup")
            )
        )
        self.assertFalse(followups, "no follow-up visit for a rejected resolution")

    def test_close_wizard(self):
        ticket = self._ticket("resolved")
        action = ticket.with_user(self.agent).action_itss_close_dialog()
        self.assertEqual(action["res_model"], "itss.ticket.close")
        form = Form(self.env["itss.ticket.close"].with_context(**action["context"]))
        self.assertEqual(form.closure_code_id, self.code_resolved)
        form.satisfaction = "5"
        form.closure_code_id = self.env.ref("itss_incident.closure_code_workaround")
        form.save().action_close()
        self.assertEqual(ticket.itss_state, "closed")
        self.assertEqual(ticket.itss_close_origin, "desk")
        self.assertEqual(ticket.itss_satisfaction, "5")
        self.assertEqual(
            ticket.itss_closure_code_id,
            self.env.ref("itss_incident.closure_code_workaround"),
        )

    def test_close_wizard_needs_satisfaction(self):
        ticket = self._ticket("resolved")
        wizard = self.env["itss.ticket.close"].create({"ticket_id": ticket.id})
        with self.assertRaisesRegex(UserError, "Satisfaction"):
            wizard.action_close()
        self.assertEqual(ticket.itss_state, "resolved")

    def test_close_wizard_customer_rejected(self):
        ticket = self._ticket("resolved", user_id=self.engineer.id)
        wizard = self.env["itss.ticket.close"].create(
            {"ticket_id": ticket.id, "comment": "No"}
        )
        action = wizard.action_reject()
        new = self.env["helpdesk.ticket"].browse(action["res_id"])
        self.assertEqual(new.itss_reopened_from_id, ticket)
        self.assertEqual(ticket.itss_close_origin, "rejected")

    def test_followup_visit_recorded(self):
        ticket = self._ticket("resolved", itss_satisfaction="5")
        self.team_l1.user_id = self.agent
        ticket.action_itss_close()
        activity = ticket.activity_ids.filtered(
            lambda a: (
                a.activity_type_id
                == self.env.ref("itss_incident.mail_act_itss_followup")
            )
        )
        self.assertEqual(activity.user_id, self.agent)
        wizard = self.env["itss.ticket.followup"].create(
            {"ticket_id": ticket.id, "result": "satisfied", "note": "All good"}
        )
        wizard.with_user(self.agent).action_record()
        self.assertEqual(ticket.itss_followup_result, "satisfied")
        self.assertEqual(ticket.itss_followup_note, "All good")
        self.assertFalse(activity.exists().active, "the activity is done")
        open_ticket = self._ticket("in_progress")
        with self.assertRaisesRegex(UserError, "after closing"):
            open_ticket.action_itss_record_followup("satisfied")

    def test_customer_reply_to_closed_ticket_opens_a_new_one(self):
        ticket = self._ticket("closed", partner_id=self.vip_contact.id)
        count = self.env["helpdesk.ticket"].search_count([])
        ticket.message_post(
            body="It is broken again",
            author_id=self.vip_contact.id,
            message_type="email",
            subtype_xmlid="mail.mt_comment",
        )
        self.assertEqual(ticket.itss_state, "closed", "never reopens")
        new = ticket.itss_reopened_ticket_ids
        self.assertEqual(len(new), 1)
        self.assertEqual(new.itss_state, "new")
        self.assertEqual(new.partner_id, self.vip_contact)
        self.assertIn("broken again", new.description)
        self.assertEqual(self.env["helpdesk.ticket"].search_count([]), count + 1)
        told = self.env["mail.message"].search(
            [
                ("model", "=", "helpdesk.ticket"),
                ("res_id", "=", ticket.id),
                ("partner_ids", "in", self.vip_contact.ids),
            ]
        )
        self.assertTrue(any(new.number in (m.body or "") for m in told))
        # an agent's note or reply on a closed ticket opens nothing
        ticket.with_user(self.agent).message_post(
            body="FYI", subtype_xmlid="mail.mt_comment", message_type="comment"
        )
        self.assertEqual(len(ticket.itss_reopened_ticket_ids), 1)

    def test_auto_reply_to_closed_ticket_opens_nothing(self):
        ticket = self._ticket("closed", partner_id=self.vip_contact.id)
        self.vip_contact.email = "vip@example.com"
        ticket.message_subscribe(partner_ids=self.vip_contact.ids)
        count = self.env["helpdesk.ticket"].search_count([])
        message_id = (
            ticket.with_user(self.agent)
            .message_post(
                body="Your ticket is closed",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
            .message_id
        )
        mail = (
            "Return-Path: <vip@example.com>\n"
            "From: VIP <vip@example.com>\n"
            "To: helpdesk@example.com\n"
            f"In-Reply-To: {message_id}\n"
            f"References: {message_id}\n"
            "Subject: Out of office\n"
            "Auto-Submitted: auto-replied\n"
            "Message-Id: <ooo-1@example.com>\n"
            "Content-Type: text/plain\n\n"
            "I am out of the office until Monday.\n"
        )
        self.env["mail.thread"].with_context(
            mail_channel_noautofollow=True
        ).message_process("helpdesk.ticket", mail, thread_id=ticket.id)
        self.assertEqual(self.env["helpdesk.ticket"].search_count([]), count)
        self.assertFalse(ticket.itss_reopened_ticket_ids)
        # the same mail from a person opens a new ticket
        self.env["mail.thread"].message_process(
            "helpdesk.ticket",
            mail.replace("Auto-Submitted: auto-replied\n", "").replace(
                "ooo-1", "real-1"
            ),
            thread_id=ticket.id,
        )
        self.assertEqual(len(ticket.itss_reopened_ticket_ids), 1)


class TestReconfirmation(ItssCase):
    def test_engineer_needs_help(self):
        pm = self.env["res.users"].create(
            {"name": "PM", "login": "reconf_pm", "email": "pm@x.com"}
        )
        pm.partner_id[compat.MOBILE] = "+86 138 1234 5678"
        self.team_l1.write(
            {
                "itss_incident_manager_id": self.manager.id,
                "itss_project_manager_id": pm.id,
            }
        )
        ticket = self._ticket(
            "in_progress", itss_impact="1", itss_urgency="2", user_id=self.engineer.id
        )
        self.assertEqual(ticket.itss_priority, "1")
        wizard = (
            self.env["itss.ticket.reconfirm"]
            .with_user(self.engineer)
            .create(
                {
                    "ticket_id": ticket.id,
                    "can_handle_alone": False,
                    "note": "Needs a DBA",
                }
            )
        )
        self.assertEqual(wizard.priority, "1")
        wizard.action_confirm()
        self.assertTrue(ticket.itss_reconfirm_date)
        self.assertEqual(ticket.itss_reconfirm_user_id, self.engineer)
        self.assertFalse(ticket.itss_can_handle_alone)
        logs = self.env["itss.escalation.log"].search([("ticket_id", "=", ticket.id)])
        self.assertEqual(sorted(logs.mapped("channel")), ["email", "sms"])
        self.assertEqual(logs[0].partner_ids, self.manager.partner_id | pm.partner_id)
        self.assertTrue(
            self.env["sms.sms"].search([("number", "=", "+86 138 1234 5678")])
        )
        self.assertTrue(any("needs help" in (m.body or "") for m in ticket.message_ids))

    def test_engineer_corrects_priority_alone(self):
        ticket = self._ticket("in_progress", itss_impact="2", itss_urgency="2")
        ticket.action_itss_reconfirm("3", True)
        self.assertEqual(ticket.itss_priority, "3")
        self.assertTrue(ticket.itss_can_handle_alone)
        self.assertFalse(
            self.env["itss.escalation.log"].search([("ticket_id", "=", ticket.id)])
        )

    def test_only_urgent_open_tickets(self):
        low = self._ticket("in_progress")
        with self.assertRaisesRegex(UserError, "Only P1 and P2"):
            low.action_itss_reconfirm("4", True)
        done = self._ticket("resolved", itss_impact="1", itss_urgency="1")
        with self.assertRaisesRegex(UserError, "Only an open ticket"):
            done.action_itss_reconfirm("1", True)
