import re

from odoo import fields, http
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import STAGE_XMLIDS


@tagged("post_install", "-at_install")
class TestPortal(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.engineer = new_test_user(
            cls.env,
            login="portal_tour_engineer",
            groups="base.group_user,itss_incident.group_itss_engineer",
        )
        cls.team = cls.env["helpdesk.ticket.team"].create(
            {
                "name": "Portal Tour L1",
                "itss_tier": "1",
                "user_ids": [(6, 0, cls.engineer.ids)],
            }
        )
        cls.category = cls.env["helpdesk.ticket.category"].create(
            {"name": "Portal Tour Servers", "itss_team_id": cls.team.id}
        )
        cls.env.company.helpdesk_mgmt_portal_select_category = True
        Partner = cls.env["res.partner"]
        cls.company_a = Partner.create({"name": "Customer A Ltd", "is_company": True})
        cls.company_b = Partner.create({"name": "Customer B Ltd", "is_company": True})
        cls.user_a = new_test_user(
            cls.env, login="portal_a", groups="base.group_portal", email="a@example.com"
        )
        cls.user_a.partner_id.parent_id = cls.company_a
        cls.user_b = new_test_user(
            cls.env, login="portal_b", groups="base.group_portal", email="b@example.com"
        )
        cls.user_b.partner_id.parent_id = cls.company_b

    def _ticket(self, state, partner, **vals):
        values = {
            "name": "Disk failure",
            "description": "<p>Disk broken</p>",
            "team_id": self.team.id,
            "user_id": self.engineer.id,
            "partner_id": partner.id,
            "stage_id": self.env.ref(STAGE_XMLIDS[state]).id,
        }
        if state == "resolved":
            now = fields.Datetime.now()
            values.update(
                {
                    "itss_solution": "<p>Replaced the disk</p>",
                    "itss_closure_code_id": self.env.ref(
                        "itss_incident.closure_code_resolved"
                    ).id,
                    "itss_logged_date": now,
                    "itss_recovery_date": now,
                }
            )
        values.update(vals)
        return self.env["helpdesk.ticket"].create(values)

    def test_report_a_ticket(self):
        mails = self.env["mail.mail"].search_count([])
        self.start_tour("/new/ticket", "itss_portal_report", login="portal_a")
        ticket = self.env["helpdesk.ticket"].search(
            [("name", "=", "Payroll server unreachable")]
        )
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.partner_id, self.user_a.partner_id)
        self.assertEqual(ticket.team_id, self.team)
        self.assertEqual(ticket.itss_state, "new")
        self.assertEqual(ticket.itss_impact, "2")
        self.assertEqual(ticket.itss_urgency, "2")
        self.assertEqual(ticket.itss_priority, "2")
        logged = self.env["mail.mail"].search([("subject", "like", ticket.number)])
        self.assertTrue(logged, "the customer gets the number by email")
        self.assertGreater(self.env["mail.mail"].search_count([]), mails)

    def test_confirm_with_satisfaction(self):
        ticket = self._ticket("resolved", self.user_a.partner_id)
        self.start_tour(
            f"/my/ticket/{ticket.id}", "itss_portal_confirm", login="portal_a"
        )
        self.assertEqual(ticket.itss_state, "closed")
        self.assertEqual(ticket.itss_close_origin, "customer")
        self.assertEqual(ticket.itss_satisfaction, "4")
        self.assertEqual(ticket.itss_satisfaction_comment, "Fast and friendly")

    def test_reject(self):
        ticket = self._ticket("resolved", self.user_a.partner_id)
        self.start_tour(
            f"/my/ticket/{ticket.id}", "itss_portal_reject", login="portal_a"
        )
        self.assertEqual(ticket.itss_state, "closed")
        self.assertEqual(ticket.itss_close_origin, "rejected")
        new = ticket.itss_reopened_ticket_ids
        self.assertEqual(new.itss_state, "assigned")
        self.assertEqual(new.user_id, self.engineer)
        self.assertIn("The disk light is still red", new.description)

    def test_reply(self):
        ticket = self._ticket("in_progress", self.user_a.partner_id)
        self.start_tour(
            f"/my/ticket/{ticket.id}", "itss_portal_reply", login="portal_a"
        )
        self.assertIn("Any news on this?", ticket.message_ids[0].body)
        self.assertEqual(ticket.message_ids[0].author_id, self.user_a.partner_id)

    @mute_logger("odoo.http", "werkzeug")
    def test_other_customer_cannot_reach_or_change_a_ticket(self):
        ticket = self._ticket("resolved", self.user_a.partner_id)
        self.authenticate("portal_b", "portal_b")
        page = self.url_open(f"/my/ticket/{ticket.id}", allow_redirects=False)
        self.assertEqual(page.status_code, 404, "not found, not a silent redirect")
        self.assertIn('id="itss_ticket_not_found"', page.text)
        self.assertNotIn("Disk failure", page.text)
        csrf = http.Request.csrf_token(self)
        for action in ("confirm", "reject"):
            response = self.url_open(
                f"/my/ticket/{ticket.id}/itss/{action}",
                data={"csrf_token": csrf, "satisfaction": "5"},
                allow_redirects=False,
            )
            self.assertEqual(response.status_code, 403)
        response = self.url_open(
            "/ticket/close",
            data={
                "csrf_token": csrf,
                "ticket_id": ticket.id,
                "stage_id": self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done").id,
            },
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 403)
        ticket.invalidate_recordset()
        self.assertEqual(ticket.itss_state, "resolved")
        self.assertFalse(ticket.itss_reopened_ticket_ids)

    @mute_logger("odoo.http", "werkzeug")
    def test_no_state_change_on_get_or_without_csrf(self):
        ticket = self._ticket("resolved", self.user_a.partner_id)
        self.authenticate("portal_a", "portal_a")
        get = self.url_open(
            f"/my/ticket/{ticket.id}/itss/confirm?satisfaction=5", allow_redirects=False
        )
        self.assertEqual(get.status_code, 405)
        close_link = self.url_open(
            f"/ticket/close?ticket_id={ticket.id}&stage_id="
            f"{self.env.ref('helpdesk_mgmt.helpdesk_ticket_stage_done').id}",
            allow_redirects=False,
        )
        self.assertEqual(close_link.status_code, 405)
        forged = self.url_open(
            f"/my/ticket/{ticket.id}/itss/confirm",
            data={"satisfaction": "5"},
            allow_redirects=False,
        )
        self.assertEqual(forged.status_code, 400)
        ticket.invalidate_recordset()
        self.assertEqual(ticket.itss_state, "resolved")

    @mute_logger("odoo.http", "werkzeug")
    def test_plain_helpdesk_close_checks_access(self):
        plain_team = self.env["helpdesk.ticket.team"].create(
            {"name": "Plain portal team"}
        )
        done = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        ticket = self.env["helpdesk.ticket"].create(
            {
                "name": "Plain",
                "description": "<p>x</p>",
                "team_id": plain_team.id,
                "partner_id": self.user_a.partner_id.id,
            }
        )
        self.authenticate("portal_b", "portal_b")
        csrf = http.Request.csrf_token(self)
        refused = self.url_open(
            "/ticket/close",
            data={"csrf_token": csrf, "ticket_id": ticket.id, "stage_id": done.id},
            allow_redirects=False,
        )
        self.assertEqual(refused.status_code, 403)
        self.assertNotEqual(ticket.stage_id, done)
        self.authenticate("portal_a", "portal_a")
        csrf = http.Request.csrf_token(self)
        allowed = self.url_open(
            "/ticket/close",
            data={"csrf_token": csrf, "ticket_id": ticket.id, "stage_id": done.id},
            allow_redirects=False,
        )
        self.assertIn(allowed.status_code, (302, 303))
        ticket.invalidate_recordset()
        self.assertEqual(ticket.stage_id, done, "the owner still closes a plain ticket")

    def test_public_user_cannot_write_stages(self):
        public = self.env.ref("base.public_user")
        self.assertFalse(
            self.env["helpdesk.ticket.stage"].with_user(public).has_access("write")
        )

    def test_ticket_list_filters(self):
        open_ticket = self._ticket(
            "in_progress", self.user_a.partner_id, name="Open one"
        )
        resolved = self._ticket("resolved", self.user_a.partner_id, name="Resolved one")
        self._ticket("resolved", self.user_a.partner_id, name="Closed one").write(
            {
                "stage_id": self.env.ref(STAGE_XMLIDS["closed"]).id,
                "itss_satisfaction": "4",
            }
        )
        self._ticket(
            "new", self.user_a.partner_id, name="Cancelled one"
        ).action_itss_cancel()
        self.authenticate("portal_a", "portal_a")
        names = ("Open one", "Resolved one", "Closed one", "Cancelled one")
        for filterby, shown in (
            ("all", names),
            ("itss_open", ("Open one",)),
            ("itss_resolved", ("Resolved one",)),
            ("itss_closed", ("Closed one", "Cancelled one")),
        ):
            with self.subTest(filterby=filterby):
                response = self.url_open(f"/my/tickets?filterby={filterby}")
                self.assertEqual(response.status_code, 200)
                for name in names:
                    if name in shown:
                        self.assertIn(name, response.text)
                    else:
                        self.assertNotIn(name, response.text)
        page = self.url_open(
            f"/my/tickets?search={open_ticket.number}&search_in=number"
        ).text
        self.assertIn("Open one", page)
        self.assertNotIn(resolved.number, page)

    @mute_logger("odoo.http", "werkzeug")
    def test_not_found_answers(self):
        """Another customer's ticket, a ticket that does not exist and a wrong token
        answer the same 404 page; the access token of the ticket's mail still opens it;
        a visitor not logged in logs in first; a plain helpdesk ticket keeps
        helpdesk_mgmt's redirect."""
        ticket = self._ticket("in_progress", self.user_a.partner_id)
        missing = (
            self.env["helpdesk.ticket"].search([], order="id desc", limit=1).id + 1000
        )
        self.authenticate("portal_b", "portal_b")
        answers = {
            "another customer's": self.url_open(
                f"/my/ticket/{ticket.id}", allow_redirects=False
            ),
            "no such ticket": self.url_open(
                f"/my/ticket/{missing}", allow_redirects=False
            ),
            "wrong token": self.url_open(
                f"/my/ticket/{ticket.id}?access_token=not-the-token",
                allow_redirects=False,
            ),
        }
        for case, page in answers.items():
            with self.subTest(case):
                self.assertEqual(page.status_code, 404)
                self.assertIn('id="itss_ticket_not_found"', page.text)
                self.assertIn("Ticket not found", page.text)
                self.assertNotIn("Disk failure", page.text)
        token = ticket._portal_ensure_token()
        page = self.url_open(f"/my/ticket/{ticket.id}?access_token={token}")
        self.assertEqual(page.status_code, 200, "the link of the ticket's mail")
        self.assertIn("Disk failure", page.text)

        self.authenticate(None, None)
        page = self.url_open(f"/my/ticket/{ticket.id}", allow_redirects=False)
        self.assertIn(page.status_code, (302, 303))
        self.assertIn(
            f"/web/login?redirect=%2Fmy%2Fticket%2F{ticket.id}",
            page.headers["Location"],
        )
        page = self.url_open(f"/my/ticket/{ticket.id}?access_token={token}")
        self.assertEqual(page.status_code, 200, "the token works without logging in")
        self.assertIn("Disk failure", page.text)

        plain_team = self.env["helpdesk.ticket.team"].create(
            {"name": "Plain portal team"}
        )
        plain = self.env["helpdesk.ticket"].create(
            {
                "name": "Plain",
                "description": "<p>x</p>",
                "team_id": plain_team.id,
                "partner_id": self.user_a.partner_id.id,
            }
        )
        self.authenticate("portal_b", "portal_b")
        page = self.url_open(f"/my/ticket/{plain.id}", allow_redirects=False)
        self.assertEqual(page.status_code, 303, "helpdesk_mgmt's answer")
        self.assertTrue(page.headers["Location"].endswith("/my"))

    def test_progress_line_per_state(self):
        """The ticket page says where the ticket stands, in the customer's words."""
        vendor = self.env.ref("itss_incident.wait_code_vendor")
        expected = {
            "new": "We have logged your ticket and are assigning it.",
            "assigned": "We have logged your ticket and are assigning it.",
            "in_progress": "We are working on it.",
            "pending": f"On hold: {vendor.name}",
            "resolved": "Resolved: please confirm the resolution below.",
            "closed": "Closed.",
            "cancelled": "Cancelled: we no longer work on this ticket.",
        }
        self.assertEqual(self.user_a.lang, "en_US")
        tickets = {}
        for state in expected:
            vals = {"name": f"Progress {state}"}
            if state == "new":
                vals["user_id"] = False
            if state == "pending":
                vals["itss_wait_code_id"] = vendor.id
            # closed and cancelled through their steps
            start = {"closed": "resolved", "cancelled": "in_progress"}.get(state, state)
            ticket = self._ticket(start, self.user_a.partner_id, **vals)
            if state == "closed":
                ticket.action_itss_confirm_resolution(satisfaction="4")
            elif state == "cancelled":
                ticket.action_itss_cancel()
            tickets[state] = ticket
        self.authenticate("portal_a", "portal_a")
        for state, text in expected.items():
            with self.subTest(state):
                ticket = tickets[state]
                self.assertEqual(ticket.itss_state, state)
                page = self.url_open(f"/my/ticket/{ticket.id}")
                self.assertEqual(page.status_code, 200)
                progress = re.search(
                    r'<div([^>]*\bid="itss_progress"[^>]*)>(.*?)</div>', page.text, re.S
                )
                self.assertTrue(progress, "the progress line is on the page")
                self.assertIn(f'data-itss-state="{state}"', progress.group(1))
                self.assertEqual(
                    " ".join(re.sub(r"<[^>]+>", " ", progress.group(2)).split()), text
                )
                self.assertNotIn('id="itss_thanks"', page.text)

    def test_thank_you_after_confirming(self):
        ticket = self._ticket("resolved", self.user_a.partner_id)
        self.authenticate("portal_a", "portal_a")
        response = self.url_open(
            f"/my/ticket/{ticket.id}/itss/confirm",
            data={"csrf_token": http.Request.csrf_token(self), "satisfaction": "5"},
            allow_redirects=False,
        )
        self.assertIn(response.status_code, (302, 303))
        self.assertIn("itss_confirmed=1", response.headers["Location"])
        page = self.url_open(response.headers["Location"])
        self.assertEqual(page.status_code, 200)
        self.assertIn('id="itss_thanks"', page.text)
        self.assertIn("Thank you for confirming the resolution", page.text)
        ticket.invalidate_recordset()
        self.assertEqual(ticket.itss_state, "closed")
        self.assertEqual(ticket.itss_close_origin, "customer")
        # the flag alone thanks nobody: a ticket the customer did not confirm
        other = self._ticket("in_progress", self.user_a.partner_id, name="Still open")
        page = self.url_open(f"/my/ticket/{other.id}?itss_confirmed=1")
        self.assertNotIn('id="itss_thanks"', page.text)

    @mute_logger("odoo.http", "werkzeug")
    def test_rate_a_closed_ticket_from_the_closing_mail(self):
        """The closing notice's link opens the ticket without logging in; the customer
        rates the service once."""
        ticket = self._ticket("resolved", self.user_a.partner_id)
        ticket._itss_auto_close()
        mail = self.env["mail.mail"].search(
            [("res_id", "=", ticket.id), ("subject", "like", "is closed")]
        )
        self.assertEqual(len(mail), 1)
        link = re.search(r'href="([^"]*itss_rate_form)"', mail.body_html).group(1)
        self.assertIn("access_token=", link)
        page = self.url_open(link.replace("&amp;", "&"))
        self.assertEqual(page.status_code, 200)
        self.assertIn('id="itss_rate_form"', page.text)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        data = {
            "csrf_token": csrf,
            "access_token": ticket.access_token,
            "satisfaction": "4",
            "comment": "Quick fix",
        }
        done = self.url_open(
            f"/my/ticket/{ticket.id}/itss/rate", data=data, allow_redirects=False
        )
        self.assertEqual(done.status_code, 303)
        ticket.invalidate_recordset()
        self.assertEqual(ticket.itss_satisfaction, "4")
        self.assertEqual(ticket.itss_satisfaction_comment, "Quick fix")
        again = self.url_open(
            f"/my/ticket/{ticket.id}/itss/rate",
            data=dict(data, satisfaction="1"),
            allow_redirects=False,
        )
        self.assertEqual(again.status_code, 400)
        ticket.invalidate_recordset()
        self.assertEqual(ticket.itss_satisfaction, "4", "rated once")

    def _resolved_notice(self, name):
        ticket = self._ticket("in_progress", self.user_a.partner_id, name=name)
        ticket.with_user(self.engineer)._itss_resolve(
            {
                "itss_solution": "<p>Replaced the disk</p>",
                "itss_closure_code_id": self.env.ref(
                    "itss_incident.closure_code_resolved"
                ).id,
                "itss_recovery_date": fields.Datetime.now(),
            }
        )
        mail = self.env["mail.mail"].search(
            [("res_id", "=", ticket.id), ("subject", "like", "please confirm")]
        )
        self.assertEqual(len(mail), 1)
        return ticket, mail

    def _follow(self, mail, anchor):
        """Follow the mail's link to ``anchor`` without logging in; the page's form
        and its CSRF token."""
        link = re.search(rf'href="([^"]*{anchor})"', mail.body_html).group(1)
        self.assertIn("access_token=", link)
        page = self.url_open(link.replace("&amp;", "&"))
        self.assertEqual(page.status_code, 200)
        self.assertIn(f'id="{anchor}"', page.text)
        return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)

    def _post(self, ticket, step, csrf, **data):
        """Post the ticket page's ``step`` form (confirm, reject) without logging in,
        with the ticket's access token unless ``data`` forges one."""
        data = dict({"csrf_token": csrf, "access_token": ticket.access_token}, **data)
        return self.url_open(
            f"/my/ticket/{ticket.id}/itss/{step}", data=data, allow_redirects=False
        )

    @mute_logger("odoo.http", "werkzeug")
    def test_confirm_or_reject_from_the_resolved_mail(self):
        """The resolved notice carries the solution, the days after which the ticket
        closes by itself, and two links that work without logging in: confirm, and
        not resolved."""
        self.env.company.itss_auto_close_days = 5
        ticket, mail = self._resolved_notice("Confirmed by mail")
        self.assertIn("Replaced the disk", mail.body_html)
        self.assertRegex(mail.body_html, r"closes by itself in\s*5\s*days")
        csrf = self._follow(mail, "itss_confirm_form")
        done = self._post(ticket, "confirm", csrf, satisfaction="5")
        self.assertEqual(done.status_code, 303)
        ticket.invalidate_recordset()
        self.assertEqual(
            (ticket.itss_state, ticket.itss_close_origin, ticket.itss_satisfaction),
            ("closed", "customer", "5"),
        )
        # a forged token reaches nothing
        other, other_mail = self._resolved_notice("Rejected by mail")
        csrf = self._follow(other_mail, "itss_reject_form")
        refused = self._post(other, "reject", csrf, access_token="forged", comment="x")
        self.assertIn(refused.status_code, (403, 404))
        other.invalidate_recordset()
        self.assertEqual(other.itss_state, "resolved")
        rejected = self._post(other, "reject", csrf, comment="Still broken")
        self.assertEqual(rejected.status_code, 303)
        other.invalidate_recordset()
        self.assertEqual(
            (other.itss_state, other.itss_close_origin), ("closed", "rejected")
        )
        follow_up = other.itss_reopened_ticket_ids
        self.assertEqual(len(follow_up), 1)
        self.assertEqual(follow_up.user_id, self.engineer, "back to the same engineer")

    def test_customer_sees_the_contract_terms(self):
        contract = self.env["itss.service.contract"].create(
            {
                "name": "Customer A 7x24 support",
                "partner_id": self.company_a.id,
                "date_start": "2020-01-01",
                "ontime_target": 97,
            }
        )
        self.env["itss.sla.policy"].create(
            {
                "name": "Customer A P2",
                "contract_id": contract.id,
                "priority": "2",
                "response_minutes": 15,
                "resolve_hours": 3,
            }
        )
        ticket = self._ticket(
            "assigned", self.user_a.partner_id, itss_impact="2", itss_urgency="2"
        )
        self.assertEqual(ticket.itss_contract_id, contract)
        self.authenticate("portal_a", "portal_a")
        page = self.url_open(f"/my/ticket/{ticket.id}")
        self.assertEqual(page.status_code, 200)
        terms = page.text[page.text.index('id="itss_contract_terms"') :]
        self.assertIn("Customer A 7x24 support", terms)
        self.assertIn("Round the clock (7x24)", terms)
        self.assertIn("Respond within 15 minutes, resolve within 3 hours", terms)
        self.assertIn("On-time resolution at least 97 %", terms)
        # another customer's ticket shows no contract of customer A
        other = self._ticket("assigned", self.user_b.partner_id)
        self.authenticate("portal_b", "portal_b")
        page = self.url_open(f"/my/ticket/{other.id}")
        self.assertEqual(page.status_code, 200)
        self.assertNotIn("Customer A 7x24 support", page.text)
