"""The customer is kept informed: a queued mail (and, where the company sends them, a
text message) at each step, as the roles who make the steps."""

from odoo import fields
from odoo.tests import new_test_user

from odoo.addons.itss_incident import compat

from .common import ItssCase


class TestCustomerNotices(ItssCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contact = cls.env["res.partner"].create(
            {
                "name": "Test reporting contact",
                "email": "reporter@customer.example.com",
                compat.MOBILE: "+86 139 2222 3333",
            }
        )
        cls.team_l1.user_id = cls.agent
        cls.env.company.write(
            {
                "itss_notify_customer_sms": True,
                "email": "desk@provider.example.com",
            }
        )
        cls.phone = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_phone", False)

    def _mails(self, ticket):
        return self.env["mail.mail"].search(
            [
                ("model", "=", "helpdesk.ticket"),
                ("res_id", "=", ticket.id),
                ("recipient_ids", "in", self.contact.ids),
            ],
            order="id",
        )

    def _sms(self, ticket):
        return self.env["sms.sms"].search(
            [
                ("mail_message_id.model", "=", "helpdesk.ticket"),
                ("mail_message_id.res_id", "=", ticket.id),
            ],
            order="id",
        )

    def _log(self):
        vals = {
            "name": "Scanner jams",
            "description": "<p>The scanner at the front desk jams</p>",
            "team_id": self.team_l1.id,
            "partner_id": self.contact.id,
        }
        if self.phone:
            vals["channel_id"] = self.phone.id
        return self.env["helpdesk.ticket"].with_user(self.agent).create(vals)

    def test_every_step_tells_the_customer(self):
        ticket = self._log()
        mails = self._mails(ticket)
        self.assertEqual(len(mails), 1)
        self.assertIn(ticket.number, mails.subject)
        self.assertIn("Priority", mails.body_html)
        self.assertIn("access_token=", mails.body_html, "a link that needs no login")
        self.assertIn("Auto-Submitted", mails.headers, "auto-responders do not answer")
        sms = self._sms(ticket)
        self.assertEqual(sms.mapped("number"), ["+86 139 2222 3333"])
        ticket.with_user(self.agent)._itss_dispatch(self.team_l1, self.engineer)
        ticket.with_user(self.engineer).action_itss_accept()
        ticket.with_user(self.engineer)._itss_hold(
            self.wait_code, fields.Datetime.add(fields.Datetime.now(), days=1)
        )
        ticket.with_user(self.engineer).action_itss_resume()
        ticket.with_user(self.engineer)._itss_resolve(self._requirements("resolved"))
        ticket.with_user(self.agent)._itss_close_by_desk({"itss_satisfaction": "5"})
        subjects = self._mails(ticket).mapped("subject")
        self.assertEqual(len(subjects), 6, subjects)
        self.assertIn("is being handled", subjects[1])
        self.assertIn("is being handled", subjects[2])
        self.assertIn("on hold", subjects[3])
        self.assertIn("please confirm", subjects[4])
        self.assertIn("is closed", subjects[5])
        body = self._mails(ticket)[3].body_html
        self.assertIn(self.wait_code.name, body, "why it waits")
        resolved = self._mails(ticket)[4].body_html
        self.assertIn("Replaced the disk", resolved, "the solution")
        self.assertIn("itss_confirm_form", resolved)
        self.assertIn("itss_reject_form", resolved)
        self.assertNotIn(
            "Rate the service", self._mails(ticket)[5].body_html, "rated already"
        )
        self.assertEqual(len(self._sms(ticket)), 6)
        log = ticket.itss_escalation_log_ids.filtered(lambda r: r.kind == "customer")
        self.assertEqual(len(log), 12, "one row per notice and channel")

    def test_what_each_notice_says(self):
        """The dispatched and accepted notices name who works on it; the pending one
        says why and until when, in the customer's time zone."""
        self.contact.tz = "Asia/Shanghai"
        ticket = self._log()
        ticket.with_user(self.agent)._itss_dispatch(self.team_l1, self.engineer)
        dispatched = self._mails(ticket)[-1]
        self.assertIn(self.engineer.name, dispatched.body_html)
        self.assertIn(self.team_l1.name, dispatched.body_html)
        ticket.with_user(self.engineer).action_itss_accept()
        self.assertIn(self.engineer.name, self._mails(ticket)[-1].body_html)
        until = fields.Datetime.to_datetime("2026-12-24 02:30:00")
        ticket.with_user(self.engineer)._itss_hold(self.wait_code, until)
        pending = self._mails(ticket)[-1]
        self.assertIn("on hold", pending.subject)
        self.assertIn(self.wait_code.name, pending.body_html, "why")
        # 02:30 UTC is 10:30 in Shanghai
        self.assertRegex(pending.body_html, r"Until:\s*12/24/2026 10:30")
        sms = self._sms(ticket)[-1]
        self.assertIn(ticket.number, sms.body)

    def test_monitoring_tickets_send_no_logged_notice(self):
        """A ticket the monitoring opened sends no logged notice, even with a contact;
        once a contact is set, it hears of the later steps."""
        monitoring = self.env.ref("itss_incident.helpdesk_ticket_channel_monitoring")
        ticket = self._ticket(
            "new",
            partner_id=self.contact.id,
            channel_id=monitoring.id,
            itss_auto_generated=True,
        )
        self.assertFalse(self._mails(ticket))
        self.assertFalse(self._sms(ticket))
        self.assertFalse(
            ticket.itss_escalation_log_ids.filtered(lambda r: r.kind == "customer")
        )
        ticket.with_user(self.agent)._itss_dispatch(self.team_l1, self.engineer)
        self.assertEqual(len(self._mails(ticket)), 1)
        self.assertIn("is being handled", self._mails(ticket).subject)

    def test_settings_and_missing_contacts(self):
        self.env.company.write(
            {"itss_notify_customer_logged": False, "itss_notify_customer_sms": False}
        )
        ticket = self._log()
        self.assertFalse(
            self._mails(ticket), "no logged notice when the setting is off"
        )
        ticket.with_user(self.agent)._itss_dispatch(self.team_l1, self.engineer)
        self.assertEqual(len(self._mails(ticket)), 1)
        self.assertFalse(self._sms(ticket), "no text messages when the setting is off")
        # a ticket without a contact (an alert's) tells nobody
        alert = self._ticket("new", partner_id=False, itss_auto_generated=True)
        alert._itss_move_to("assigned")
        self.assertFalse(
            alert.itss_escalation_log_ids.filtered(lambda r: r.kind == "customer")
        )

    def test_a_notice_goes_out_once(self):
        ticket = self._log()
        ticket._itss_notify_customer("logged")
        self.assertEqual(len(self._mails(ticket)), 1)
        self.assertEqual(len(self._sms(ticket)), 1)

    def test_closed_without_satisfaction_asks_for_it(self):
        ticket = self._ticket("resolved", partner_id=self.contact.id)
        ticket._itss_auto_close()
        closed = self._mails(ticket)[-1:]
        self.assertIn("Rate the service", closed.body_html)
        self.assertIn("itss_rate_form", closed.body_html)

    def test_escalation_mails_show_the_priority_label(self):
        user = new_test_user(
            self.env,
            login="itss_im_mail",
            groups="base.group_user",
            email="im@x.example.com",
        )
        ticket = self._ticket("new", itss_impact="1", itss_urgency="1")
        ticket._itss_notify("rule", None, 99, "email", user, "Test reason")
        mail = self.env["mail.mail"].search(
            [("res_id", "=", ticket.id), ("recipient_ids", "in", user.partner_id.ids)]
        )
        label = ticket._itss_priority_label()
        self.assertIn(label, mail.body_html)
        self.assertNotIn("Priority: 1,", mail.body_html)
