"""Replies to closed tickets (DESIGN.md, "Pinned details"): a closed ticket never
reopens; its customer's replies land on the one ticket that continues it, through the
mail gateway and the portal."""

from email.message import EmailMessage

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged

from .common import ItssCase


class TestRepliesToClosedTickets(ItssCase):
    """A closed ticket has one continuation at a time: replies land on it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.email = "reporter@example.com"
        cls.colleague = cls.env["res.partner"].create(
            {"name": "Test colleague", "email": "colleague@example.com"}
        )

    def setUp(self):
        super().setUp()
        self.closed = self._ticket("closed", partner_id=self.customer.id)
        self.closed.message_subscribe(partner_ids=(self.customer | self.colleague).ids)
        self.parent = (
            self.closed.with_user(self.agent)
            .message_post(
                body="Your ticket is closed",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
            .message_id
        )
        self.mails = 0

    def _mail_reply(self, body, attachment=None):
        """The customer answers the closing mail: through the mail gateway."""
        self.mails += 1
        mail = EmailMessage()
        mail["From"] = f"Customer <{self.customer.email}>"
        mail["To"] = "helpdesk@example.com"
        mail["Subject"] = "Re: your ticket"
        mail["In-Reply-To"] = mail["References"] = self.parent
        mail["Message-Id"] = f"<reply-{self.mails}-{self.closed.id}@example.com>"
        mail.set_content(body)
        if attachment:
            mail.add_attachment(
                b"reallocated sectors: 12",
                maintype="text",
                subtype="plain",
                filename=attachment,
            )
        self.env["mail.thread"].message_process("helpdesk.ticket", mail.as_string())
        self.assertEqual(self.closed.itss_state, "closed", "never reopens")

    def _told(self, number):
        """The notices about ``number`` on the closed ticket, and to whom."""
        return (
            self.env["mail.message"]
            .search(
                [
                    ("model", "=", "helpdesk.ticket"),
                    ("res_id", "=", self.closed.id),
                    ("message_type", "=", "user_notification"),
                ]
            )
            .filtered(lambda m: number in (m.body or ""))
        )

    def _logged_mail(self, ticket, partner):
        """The logged notice of ``ticket`` queued for ``partner``."""
        return self.env["mail.mail"].search(
            [
                ("model", "=", "helpdesk.ticket"),
                ("res_id", "=", ticket.id),
                ("recipient_ids", "in", partner.ids),
                ("subject", "like", "was logged"),
            ]
        )

    def _close(self, ticket):
        ticket.write(self._requirements("resolved"))
        ticket._itss_move_to("resolved")
        ticket.action_itss_confirm_resolution(satisfaction="4")
        self.assertEqual(ticket.itss_state, "closed")

    def test_replies_by_mail_land_on_the_open_continuation(self):
        count = self.env["helpdesk.ticket"].search_count([])
        self._mail_reply("The disk light is red again")
        follow_up = self.closed.itss_reopened_ticket_ids
        self.assertEqual(len(follow_up), 1)
        self.assertEqual(follow_up.itss_state, "new")
        self.assertIn("disk light is red again", follow_up.description)
        # one mail tells the sender: the new ticket's logged notice, which names the
        # closed ticket it continues (no second mail saying the same)
        logged = self._logged_mail(follow_up, self.customer)
        self.assertEqual(len(logged), 1)
        self.assertEqual(logged.recipient_ids, self.customer, "the sender alone")
        self.assertIn(
            f"continues ticket <strong>{self.closed.number}</strong>, which is closed",
            logged.body_html,
        )
        self.assertFalse(self._told(follow_up.number))
        note = self.closed.message_ids.filtered(
            lambda m: (
                m.subtype_id == self.env.ref("mail.mt_note")
                and f"Your message opened ticket {follow_up.number}" in (m.body or "")
            )
        )
        self.assertEqual(len(note), 1, "the agents see it on the closed ticket")
        told = self._told(follow_up.number)
        # the second reply: no second ticket, the message is on the continuation
        self._mail_reply("Now it blinks too", attachment="smart.log")
        self.assertEqual(self.closed.itss_reopened_ticket_ids, follow_up)
        self.assertEqual(self.env["helpdesk.ticket"].search_count([]), count + 1)
        landed = follow_up.message_ids.filtered(lambda m: "blinks" in (m.body or ""))
        self.assertEqual(landed.author_id, self.customer, "the customer's message")
        self.assertEqual(landed.message_type, "email")
        self.assertEqual(landed.subtype_id, self.env.ref("mail.mt_comment"))
        self.assertEqual(landed.attachment_ids.mapped("name"), ["smart.log"])
        self.assertEqual(landed.attachment_ids.res_id, follow_up.id)
        told = self._told(follow_up.number) - told
        self.assertEqual(told.partner_ids, self.customer)
        self.assertIn(
            f"Your message was added to ticket {follow_up.number}, which continues it",
            told.body,
        )

    def test_a_closed_continuation_opens_the_next_from_it(self):
        """Replies to A (closed) whose continuation B is closed open C from B."""
        self._mail_reply("Broken again", attachment="smart.log")
        second = self.closed.itss_reopened_ticket_ids
        files = self.env["ir.attachment"].search(
            [("res_model", "=", "helpdesk.ticket"), ("res_id", "=", second.id)]
        )
        self.assertEqual(files.mapped("name"), ["smart.log"], "the files go along")
        self._close(second)
        self._mail_reply("And again, a week later")
        third = second.itss_reopened_ticket_ids
        self.assertEqual(len(third), 1, "opened from the closed continuation")
        self.assertEqual(self.closed.itss_reopened_ticket_ids, second, "not from A")
        self.assertEqual(third.itss_reopened_from_id, second)
        self.assertEqual(third.partner_id, self.customer)
        self.assertIn("a week later", third.description)
        self.assertIn(
            f"continues ticket <strong>{second.number}</strong>",
            self._logged_mail(third, self.customer).body_html,
        )
        # and the next reply to A lands on C
        self._mail_reply("Still there")
        self.assertFalse(third.itss_reopened_ticket_ids)
        self.assertTrue(
            third.message_ids.filtered(lambda m: "Still there" in (m.body or ""))
        )
        # a reply to B, closed too, lands on C as well
        second.message_post(
            body="Any news?",
            author_id=self.customer.id,
            message_type="email",
            subtype_xmlid="mail.mt_comment",
        )
        self.assertFalse(third.itss_reopened_ticket_ids)
        self.assertTrue(
            third.message_ids.filtered(lambda m: "Any news?" in (m.body or ""))
        )

    def test_a_sender_the_logged_notice_missed_is_told_apart(self):
        """The logged notice goes to the ticket's contact, by mail if the company
        sends it: a colleague who replied, or a contact when logged notices are off,
        is told by a notice of its own which ticket has the message."""
        colleague = EmailMessage()
        colleague["From"] = f"Colleague <{self.colleague.email}>"
        colleague["To"] = "helpdesk@example.com"
        colleague["Subject"] = "Re: your ticket"
        colleague["In-Reply-To"] = colleague["References"] = self.parent
        colleague["Message-Id"] = f"<colleague-{self.closed.id}@example.com>"
        colleague.set_content("Our printer too")
        self.env["mail.thread"].message_process(
            "helpdesk.ticket", colleague.as_string()
        )
        follow_up = self.closed.itss_reopened_ticket_ids
        self.assertEqual(len(follow_up), 1)
        self.assertFalse(self._logged_mail(follow_up, self.colleague))
        told = self._told(follow_up.number)
        self.assertEqual(told.partner_ids, self.colleague)
        self.assertIn("Your message opened ticket", told.body)
        # logged notices off: the customer is told apart too
        self._close(follow_up)
        self.env.company.itss_notify_customer_logged = False
        self._mail_reply("Broken once more")
        third = follow_up.itss_reopened_ticket_ids
        self.assertEqual(len(third), 1)
        self.assertFalse(self._logged_mail(third, self.customer))
        told = self._told(third.number)
        self.assertEqual(told.partner_ids, self.customer)
        self.assertIn(f"Your message opened ticket {third.number}", told.body)

    def test_a_resolved_continuation_takes_the_reply(self):
        """A resolved continuation is not closed: the reply lands there and stops
        its auto-close countdown, as any customer reply to a resolved ticket."""
        self._mail_reply("Broken again")
        second = self.closed.itss_reopened_ticket_ids
        second.write(self._requirements("resolved"))
        second._itss_move_to("resolved")
        self.assertTrue(second.itss_auto_close_date)
        self._mail_reply("No, it is not fixed")
        self.assertFalse(second.itss_reopened_ticket_ids)
        self.assertFalse(second.itss_auto_close_date, "the customer answered")


@tagged("post_install", "-at_install")
class TestPortalRepliesToClosedTickets(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.itss_major_priority = "0"
        cls.team = cls.env["helpdesk.ticket.team"].create(
            {"name": "Replies L1", "itss_tier": "1"}
        )
        cls.portal = new_test_user(
            cls.env,
            login="reply_customer",
            groups="base.group_portal",
            email="reply.customer@example.com",
        )
        now = fields.Datetime.now()
        cls.closed = cls.env["helpdesk.ticket"].create(
            {
                "name": "Scanner offline",
                "description": "<p>Offline</p>",
                "team_id": cls.team.id,
                "partner_id": cls.portal.partner_id.id,
                "stage_id": cls.env.ref(
                    "itss_incident.helpdesk_ticket_stage_itss_closed"
                ).id,
                "itss_logged_date": now,
                "itss_solution": "<p>Rebooted</p>",
                "itss_closure_code_id": cls.env.ref(
                    "itss_incident.closure_code_resolved"
                ).id,
                "itss_recovery_date": now,
                "itss_satisfaction": "5",
            }
        )

    def _portal_reply(self, body, context=None):
        params = {
            "thread_model": "helpdesk.ticket",
            "thread_id": self.closed.id,
            "post_data": {
                "body": body,
                "message_type": "comment",
                "subtype_xmlid": "mail.mt_comment",
            },
        }
        if context:
            params["context"] = context
        self.make_jsonrpc_request("/mail/message/post", params)

    def test_a_forged_context_skips_no_continuation(self):
        """JSON-RPC callers choose their context: the mail gateway's marker for an
        automatic reply, sent by the customer, does not keep their reply off the
        continuation."""
        self.authenticate("reply_customer", "reply_customer")
        self._portal_reply("Down again", context={"itss_auto_submitted": True})
        follow_up = self.closed.itss_reopened_ticket_ids
        self.assertEqual(len(follow_up), 1)
        self.assertIn("Down again", follow_up.description)

    def test_portal_replies_open_one_continuation(self):
        self.authenticate("reply_customer", "reply_customer")
        self._portal_reply("It is offline again")
        follow_up = self.closed.itss_reopened_ticket_ids
        self.assertEqual(len(follow_up), 1)
        self.assertIn("offline again", follow_up.description)
        self._portal_reply("Since this morning")
        self.assertEqual(self.closed.itss_reopened_ticket_ids, follow_up, "one only")
        landed = follow_up.message_ids.filtered(
            lambda m: "Since this morning" in (m.body or "")
        )
        self.assertEqual(landed.author_id, self.portal.partner_id)
        notices = self.env["mail.message"].search(
            [
                ("model", "=", "helpdesk.ticket"),
                ("res_id", "=", self.closed.id),
                ("message_type", "=", "user_notification"),
            ]
        )
        # the first reply: the new ticket's logged notice names the closed ticket;
        # the second: a notice says where it landed
        logged = self.env["mail.mail"].search(
            [
                ("model", "=", "helpdesk.ticket"),
                ("res_id", "=", follow_up.id),
                ("recipient_ids", "in", self.portal.partner_id.ids),
            ]
        )
        self.assertEqual(len(logged), 1)
        self.assertIn(
            f"continues ticket <strong>{self.closed.number}", logged.body_html
        )
        self.assertEqual(len(notices), 1)
        self.assertEqual(notices.partner_ids, self.portal.partner_id)
        self.assertIn(f"added to ticket {follow_up.number}", notices.body)
        # the customer sees where the message went: on the continuation's page
        page = self.url_open(f"/my/ticket/{follow_up.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn(follow_up.number, page.text)
