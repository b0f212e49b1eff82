"""One browser tour per role, through the real buttons and dialogs, each test ending
with what the database says. Fixtures are our own (no demo records); other roles'
steps between two tours are done in Python as those roles (``with_user``)."""

from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class ItssRoleTourCase(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        # the tours' own people are on duty, nobody else (a demo database has a roster)
        cls.env["itss.duty.shift"].search([]).unlink()
        # itss_incident alone: no major incident process (an installed
        # itss_incident_major would declare one for P1/P2 tickets)
        cls.company.itss_major_priority = "0"
        cls.company.helpdesk_mgmt_portal_select_category = True
        cls.agent = new_test_user(
            cls.env,
            login="role_agent",
            name="Role Desk Agent",
            email="role_agent@example.com",
            tz="Asia/Shanghai",
            groups="base.group_user,itss_incident.group_itss_service_desk",
        )
        cls.engineer = new_test_user(
            cls.env,
            login="role_engineer",
            name="Role Line Engineer",
            email="role_engineer@example.com",
            tz="Asia/Shanghai",
            groups="base.group_user,itss_incident.group_itss_engineer",
        )
        cls.specialist = new_test_user(
            cls.env,
            login="role_specialist",
            name="Role Second Line Specialist",
            email="role_specialist@example.com",
            tz="Asia/Shanghai",
            groups="base.group_user,itss_incident.group_itss_engineer",
        )
        cls.manager = new_test_user(
            cls.env,
            login="role_manager",
            name="Role Incident Manager",
            email="role_manager@example.com",
            tz="Asia/Shanghai",
            groups="base.group_user,itss_incident.group_itss_incident_manager",
        )
        Team = cls.env["helpdesk.ticket.team"]
        cls.team_l2 = Team.create(
            {
                "name": "Role Tour Second Line",
                "itss_tier": "2",
                "user_ids": [(6, 0, cls.specialist.ids)],
            }
        )
        cls.team_l1 = Team.create(
            {
                "name": "Role Tour Service Desk",
                "itss_tier": "1",
                "user_id": cls.agent.id,
                "itss_escalation_team_id": cls.team_l2.id,
                "itss_incident_manager_id": cls.manager.id,
                "user_ids": [(6, 0, (cls.agent | cls.engineer).ids)],
            }
        )
        Category = cls.env["helpdesk.ticket.category"]
        cls.category = Category.create(
            {"name": "Role Tour Network", "itss_team_id": cls.team_l1.id}
        )
        # no support group: the company's default ITSS team takes its portal tickets
        cls.category_unmapped = Category.create({"name": "Role Tour Printers"})
        cls.channel_phone = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_phone")
        cls.channel_web = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_web")
        cls.wait_code = cls.env["itss.wait.code"].create(
            {"name": "Role Tour waiting for the vendor", "code": "ROLE_TOUR_VENDOR"}
        )
        cls.closure_code = cls.env["itss.closure.code"].create(
            {"name": "Role Tour fixed", "code": "ROLE_TOUR_FIXED"}
        )
        Partner = cls.env["res.partner"]
        cls.customer_company = Partner.create(
            {"name": "Role Tour Metro Water", "is_company": True}
        )
        cls.caller = Partner.create(
            {
                "name": "Role Tour Caller",
                "parent_id": cls.customer_company.id,
                "email": "caller@example.com",
                "phone": "+86 21 5555 0101",
            }
        )
        cls.customer = new_test_user(
            cls.env,
            login="role_customer",
            name="Role Tour Customer",
            email="role_customer@example.com",
            tz="Asia/Shanghai",
            groups="base.group_portal",
        )
        cls.customer.partner_id.parent_id = cls.customer_company
        # 24x7 targets of our own, whatever the time the test runs
        Policy = cls.env["itss.sla.policy"]
        Policy.search([("company_id", "=", cls.company.id)]).active = False
        cls.policies = {
            priority: Policy.create(
                {
                    "name": f"Role Tour P{priority}",
                    "priority": priority,
                    "response_minutes": response,
                    "resolve_hours": resolve,
                    "calendar_id": False,
                }
            )
            for priority, response, resolve in (
                ("1", 15, 4),
                ("2", 30, 8),
                ("3", 60, 24),
                ("4", 120, 72),
            )
        }

    # -- fixtures built by the roles that do them in real life -------------------

    def _logged(self, name, partner=None):
        """A phone ticket logged by the service desk."""
        return (
            self.env["helpdesk.ticket"]
            .with_user(self.agent)
            .create(
                {
                    "name": name,
                    "description": "<p>Reported on the phone</p>",
                    "partner_id": (partner or self.caller).id,
                    "team_id": self.team_l1.id,
                    "category_id": self.category.id,
                    "channel_id": self.channel_phone.id,
                    "itss_impact": "3",
                    "itss_urgency": "3",
                }
            )
            .with_env(self.env)
        )

    def _dispatched(self, name, partner=None):
        ticket = self._logged(name, partner)
        as_agent = ticket.with_user(self.agent)
        as_agent.user_id = self.engineer
        as_agent.action_itss_assign()
        return ticket

    def _accepted(self, name, partner=None):
        ticket = self._dispatched(name, partner)
        ticket.with_user(self.engineer).action_itss_accept()
        return ticket

    def _resolved(self, name, solution, partner=None):
        ticket = self._accepted(name, partner)
        as_engineer = ticket.with_user(self.engineer)
        as_engineer.write(
            {
                "itss_solution": f"<p>{solution}</p>",
                "itss_closure_code_id": self.closure_code.id,
                "itss_recovery_date": fields.Datetime.now(),
            }
        )
        as_engineer.action_itss_resolve()
        return ticket

    def _url(self, ticket):
        return f"/odoo/itss-incidents/{ticket.id}"

    def _fresh(self, ticket):
        self.env.invalidate_all()
        return ticket


class TestDeskAgentTour(ItssRoleTourCase):
    def test_mark_done_on_a_call_asks_for_its_outcome(self):
        """An escalation call is the owner's: its Mark Done in the chatter opens the
        Call Outcome dialog, and the outcome lands on the notification's row."""
        ticket = self._logged("Call tour: core switch down")
        now = fields.Datetime.now()
        self.env["itss.duty.shift"].with_user(self.manager).create(
            {
                "team_id": self.team_l1.id,
                "user_id": self.agent.id,
                "date_start": now - timedelta(hours=1),
                "date_end": now + timedelta(hours=8),
            }
        )
        log = ticket._itss_notify(
            "rule", None, 1, "call", self.manager.partner_id, "Call tour escalation"
        )
        call = log.activity_id
        self.assertEqual(call.user_id, self.agent, "the owner on duty calls")
        # any other activity keeps Odoo's own Mark Done
        todo = ticket.activity_schedule(
            "mail.mail_activity_data_todo", user_id=self.agent.id
        )
        self.assertFalse(todo.with_user(self.agent).itss_mark_done_action())
        self.start_tour(
            self._url(ticket), "itss_role_desk_call_mark_done", login="role_agent"
        )
        self._fresh(ticket)
        self.assertEqual(log.outcome, "not_reached")
        self.assertFalse(call.active)
        self.assertTrue(todo.active, "the other activity is untouched")

    def test_owned_tickets_and_the_duty_roster(self):
        """The owner on the kanban cards and in the list, the "My Owned Tickets"
        filter, and the duty roster's calendar with a double cover, as a desk
        agent."""
        other = new_test_user(
            self.env,
            login="role_agent_night",
            name="Role Night Agent",
            tz="Asia/Shanghai",
            groups="base.group_user,itss_incident.group_itss_service_desk",
        )
        self.team_l1.user_ids = [(4, other.id)]
        mine = self._logged("Owner tour: my scanner")
        theirs = (
            self.env["helpdesk.ticket"]
            .with_user(other)
            .create(
                {
                    "name": "Owner tour: their scanner",
                    "description": "<p>Reported on the phone</p>",
                    "partner_id": self.caller.id,
                    "team_id": self.team_l1.id,
                }
            )
        )
        self.assertEqual(
            (mine.itss_owner_id, theirs.itss_owner_id), (self.agent, other)
        )
        self.start_tour(
            "/odoo/itss-incidents", "itss_role_desk_owned", login="role_agent"
        )
        now = fields.Datetime.now()
        Shift = self.env["itss.duty.shift"].with_user(self.manager)
        shifts = Shift.create(
            [
                {
                    "team_id": self.team_l1.id,
                    "user_id": user.id,
                    "date_start": now - timedelta(hours=1),
                    "date_end": now + timedelta(hours=hours),
                }
                for user, hours in ((self.agent, 4), (other, 2))
            ]
        )
        self.assertEqual(shifts[0].overlap_ids, shifts[1])
        self.start_tour(
            "/odoo/itss-duty-roster", "itss_role_desk_roster", login="role_agent"
        )

    def _queue_count(self, user, key):
        """The count of a queue of the landing page for ``user``, from the queue's own
        domain (``_itss_queues``) and from what the page is given."""
        Ticket = self.env["helpdesk.ticket"].with_user(user)
        domain = next(q[4] for q in Ticket._itss_queues() if q[0] == key)
        counted = Ticket.search_count([("itss_tier", "!=", False)] + domain)
        shown = next(q["count"] for q in Ticket.itss_queue_counts() if q["key"] == key)
        self.assertEqual(shown, counted)
        return counted

    def test_daily_flow_of_a_phone_ticket(self):
        """Start on the queues page, log a call from the Unassigned queue and dispatch
        it; once accepted, put it on hold and resume it; once resolved, close it with
        what the customer said and record the follow-up visit. The engineer's steps in
        between are done as the engineer."""
        # helpdesk_mgmt's "Auto assign User" off: a logged call waits in Unassigned
        self.company.helpdesk_mgmt_ticket_auto_assign = False
        # the agent's own ticket: a password reset taken on the phone (the tour expects
        # one ticket in "My queue"; the agent is a new user, demo tickets are not his)
        own = self._logged("Role tour: password reset for the CFO")
        own.with_user(self.agent).user_id = self.agent
        own.with_user(self.agent).action_itss_accept()
        self.assertEqual(self._queue_count(self.agent, "my_queue"), 1)

        self.start_tour(
            "/odoo/itss-queues", "itss_role_desk_log_dispatch", login="role_agent"
        )
        ticket = self.env["helpdesk.ticket"].search(
            [("name", "=", "Role tour: finance printer offline")]
        )
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.create_uid, self.agent)
        self.assertIn("floor 3 does not print", ticket.description)
        self.assertEqual(ticket.partner_id, self.caller)
        self.assertEqual(ticket.category_id, self.category)
        self.assertEqual(ticket.team_id, self.team_l1, "the category's support group")
        self.assertEqual(ticket.channel_id, self.channel_phone)
        self.assertEqual((ticket.itss_impact, ticket.itss_urgency), ("3", "2"))
        self.assertEqual(ticket.itss_priority, "2")
        self.assertEqual(ticket.itss_sla_policy_id, self.policies["2"])
        self.assertTrue(ticket.itss_response_deadline)
        self.assertTrue(ticket.itss_resolve_deadline)
        self.assertEqual(ticket.itss_state, "assigned")
        self.assertEqual(ticket.user_id, self.engineer)
        self.assertFalse(ticket.itss_first_response_date)

        # the engineer accepts (his own tour covers the button)
        ticket.with_user(self.engineer).action_itss_accept()
        self.assertEqual(ticket.itss_state, "in_progress")
        self.assertTrue(ticket.itss_first_response_date)

        before_hold = fields.Datetime.now()
        self.start_tour(self._url(ticket), "itss_role_desk_hold", login="role_agent")
        ticket = self._fresh(ticket)
        self.assertEqual(ticket.itss_state, "pending")
        self.assertEqual(ticket.itss_wait_code_id, self.wait_code)
        until = ticket.itss_pending_until
        self.assertTrue(until, "the end of the hold is stored")
        # typed in the browser as tomorrow, on the hour
        self.assertGreater(until, before_hold + timedelta(hours=22))
        self.assertLess(until, fields.Datetime.now() + timedelta(hours=25))
        self.assertEqual(until.second, 0)
        self.assertTrue(
            ticket.message_ids.filtered(
                lambda m: (
                    "replacement toner ordered from the vendor" in (m.body or "")
                    and m.author_id == self.agent.partner_id
                    and m.subtype_id == self.env.ref("mail.mt_note")
                )
            ),
            "the note is an internal note of the agent",
        )
        pending_type = self.env.ref("itss_incident.mail_act_itss_pending")
        todo = ticket.activity_ids.filtered(
            lambda a: a.activity_type_id == pending_type
        )
        self.assertEqual(len(todo), 1, "the End-of-hold to-do")
        self.assertEqual(todo.user_id, self.engineer, "for the assignee, not the agent")
        self.assertEqual(
            todo.date_deadline,
            fields.Datetime.context_timestamp(
                ticket.with_context(tz=self.engineer.tz), until
            ).date(),
        )

        self.start_tour(self._url(ticket), "itss_role_desk_resume", login="role_agent")
        ticket = self._fresh(ticket)
        self.assertEqual(ticket.itss_state, "in_progress")
        self.assertFalse(ticket.itss_pending_until)
        self.assertFalse(
            ticket.activity_ids.filtered(lambda a: a.activity_type_id == pending_type),
            "resuming completes the End-of-hold to-do",
        )
        self.assertTrue(
            self.env["mail.message"].search(
                [
                    ("model", "=", "helpdesk.ticket"),
                    ("res_id", "=", ticket.id),
                    ("mail_activity_type_id", "=", pending_type.id),
                ]
            ),
            "the done to-do is in the chatter",
        )
        pause = ticket.itss_sla_pause_ids
        self.assertEqual(len(pause), 1, "one pause: the time on hold")
        self.assertEqual(pause.wait_code_id, self.wait_code)
        self.assertTrue(pause.date_start)
        self.assertTrue(pause.date_end, "resuming ends the pause")
        self.assertGreaterEqual(pause.date_end, pause.date_start)

        # the engineer resolves
        ticket.with_user(self.engineer).write(
            {
                "itss_solution": "<p>Restarted the print spooler</p>",
                "itss_closure_code_id": self.closure_code.id,
                "itss_recovery_date": fields.Datetime.now(),
            }
        )
        ticket.with_user(self.engineer).action_itss_resolve()
        self.assertEqual(ticket.itss_state, "resolved")

        self.start_tour(
            self._url(ticket), "itss_role_desk_close_followup", login="role_agent"
        )
        ticket = self._fresh(ticket)
        self.assertEqual(ticket.itss_state, "closed")
        self.assertEqual(ticket.itss_close_origin, "desk")
        self.assertEqual(ticket.itss_closure_code_id, self.closure_code)
        self.assertEqual(ticket.itss_satisfaction, "4")
        self.assertEqual(ticket.itss_satisfaction_comment, "Printing again, thanks")
        self.assertEqual(ticket.itss_followup_result, "satisfied")
        self.assertEqual(ticket.itss_followup_note, "Called back: all fine")
        self.assertTrue(ticket.itss_followup_date)
        followup_type = self.env.ref("itss_incident.mail_act_itss_followup")
        self.assertFalse(
            ticket.activity_ids.filtered(lambda a: a.activity_type_id == followup_type),
            "recording the follow-up completes its activity",
        )
        done = self.env["mail.message"].search(
            [
                ("model", "=", "helpdesk.ticket"),
                ("res_id", "=", ticket.id),
                ("mail_activity_type_id", "=", followup_type.id),
            ]
        )
        self.assertTrue(done, "the done follow-up activity is in the chatter")
        self.assertEqual(
            own.itss_state, "in_progress", "the agent's own ticket untouched"
        )


class TestEngineerTour(ItssRoleTourCase):
    def test_accept_hold_and_resolve_from_pending(self):
        ticket = self._dispatched("Role tour: plotter out of order")
        # logged two hours ago: the tour types recovery and completion times in between
        logged = fields.Datetime.now() - timedelta(hours=2)
        ticket.write({"itss_logged_date": logged})
        self.start_tour(
            self._url(ticket),
            "itss_role_engineer_accept_hold_resolve",
            login="role_engineer",
        )
        ticket = self._fresh(ticket)
        self.assertEqual(ticket.itss_state, "resolved")
        self.assertEqual(ticket.user_id, self.engineer)
        self.assertTrue(
            ticket.itss_first_response_date, "accepting is the first response"
        )
        self.assertIn("fuser unit", ticket.itss_solution)
        self.assertEqual(ticket.itss_closure_code_id, self.closure_code)
        self.assertTrue(ticket.itss_resolved_date)
        resolved = ticket.itss_resolved_date
        # what the dialog took: recovery 30 minutes, completion 10 minutes before now
        recovery, completion = ticket.itss_recovery_date, ticket.itss_completion_date
        self.assertTrue(recovery and completion)
        self.assertLess(logged, recovery)
        self.assertLess(recovery, completion)
        self.assertLess(completion, resolved - timedelta(minutes=5))
        self.assertGreater(completion, resolved - timedelta(minutes=15))
        self.assertFalse(ticket.itss_pending_until)
        pause = ticket.itss_sla_pause_ids
        self.assertEqual(len(pause), 1)
        self.assertEqual(pause.wait_code_id, self.wait_code)
        self.assertTrue(pause.date_end, "resolving from pending ends the pause")
        self.assertEqual(ticket.itss_escalation_count, 0)

    def test_escalate_to_the_next_tier(self):
        ticket = self._accepted("Role tour: database replication lag")
        self.start_tour(
            self._url(ticket), "itss_role_engineer_escalate", login="role_engineer"
        )
        ticket = self._fresh(ticket)
        self.assertEqual(ticket.team_id, self.team_l2)
        self.assertFalse(ticket.user_id)
        self.assertEqual(ticket.itss_state, "assigned")
        self.assertEqual(ticket.itss_escalation_count, 1)
        self.assertTrue(
            ticket.message_ids.filtered(lambda m: self.team_l2.name in (m.body or "")),
            "the escalation is noted in the chatter",
        )

    def test_cancel_from_the_gear_menu(self):
        ticket = self._accepted("Role tour: duplicate call about the plotter")
        self.start_tour(
            self._url(ticket), "itss_role_engineer_cancel", login="role_engineer"
        )
        ticket = self._fresh(ticket)
        self.assertEqual(ticket.itss_state, "cancelled")
        self.assertEqual(
            ticket.itss_closure_code_id,
            self.env.ref("itss_incident.closure_code_cancelled"),
        )
        self.assertTrue(
            ticket.message_ids.filtered(
                lambda m: (
                    "logged twice, see the other ticket" in (m.body or "")
                    and m.author_id == self.engineer.partner_id
                    and m.subtype_id == self.env.ref("mail.mt_note")
                )
            ),
            "the reason is an internal note of the engineer",
        )


class TestIncidentManagerTour(ItssRoleTourCase):
    def test_take_back_a_resolution_and_see_the_notifications(self):
        ticket = self._resolved("Role tour: mail server down", "Restarted the MTA")
        # what the escalation cron (the superuser in real life) sends
        self.assertTrue(self.env.su)
        log = ticket._itss_notify(
            "sla_warning", None, 1, "email", self.manager, "Role tour SLA warning"
        )
        self.assertTrue(log)
        self.start_tour(
            self._url(ticket), "itss_role_manager_take_back", login="role_manager"
        )
        ticket = self._fresh(ticket)
        self.assertEqual(ticket.itss_state, "in_progress")
        self.assertEqual(ticket.user_id, self.engineer, "back to its engineer")
        self.assertTrue(
            ticket.message_ids.filtered(
                lambda m: (
                    "the mail queue is still blocked" in (m.body or "")
                    and m.author_id == self.manager.partner_id
                )
            ),
            "the reason is in the chatter",
        )
        self.assertFalse(
            ticket.itss_auto_close_date, "no auto-close countdown any more"
        )
        self.assertEqual(
            self.env["itss.escalation.log"]
            .with_user(self.manager)
            .search([("ticket_id", "=", ticket.id), ("kind", "=", "sla_warning")]),
            log.with_user(self.manager),
        )


class TestCustomerTour(ItssRoleTourCase):
    def test_report_a_ticket_on_the_portal(self):
        self.assertTrue(
            "itss_default_team_id" in self.env["res.company"]._fields,
            "res.company.itss_default_team_id: the team of portal tickets without one",
        )
        self.company.itss_default_team_id = self.team_l1
        self.start_tour(
            "/new/ticket", "itss_role_customer_report", login="role_customer"
        )
        ticket = self.env["helpdesk.ticket"].search(
            [("name", "=", "Role tour: label printer jams")]
        )
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.partner_id, self.customer.partner_id)
        self.assertEqual(ticket.category_id, self.category_unmapped)
        self.assertEqual(ticket.channel_id, self.channel_web)
        self.assertEqual(
            ticket.team_id, self.team_l1, "the company's default ITSS team"
        )
        self.assertTrue(ticket.team_id.itss_tier)
        self.assertEqual(ticket.itss_state, "new")
        self.assertEqual((ticket.itss_impact, ticket.itss_urgency), ("3", "3"))
        self.assertEqual(ticket.itss_priority, "3")
        self.assertEqual(ticket.itss_sla_policy_id, self.policies["3"])
        self.assertTrue(ticket.itss_resolve_deadline)
        # the ticket page shows the deadline as the customer reads it
        self.authenticate("role_customer", "role_customer")
        page = self.url_open(f"/my/ticket/{ticket.id}")
        self.assertEqual(page.status_code, 200)
        shown = (
            self.env["ir.qweb.field.datetime"]
            .with_context(lang=self.customer.lang, tz=self.customer.tz)
            .value_to_html(ticket.itss_resolve_deadline, {"widget": "datetime"})
        )
        self.assertIn(str(shown), page.text)
        priority = dict(
            ticket._fields["itss_priority"]._description_selection(
                self.env(context={"lang": self.customer.lang})
            )
        )["3"]
        self.assertIn(priority, page.text)
        self.assertIn('data-itss-state="new"', page.text, "the progress line")
        self.assertIn("We have logged your ticket and are assigning it.", page.text)
        # another customer's link to it: "not found", not a silent redirect
        new_test_user(
            self.env,
            login="role_other_customer",
            groups="base.group_portal",
            email="role_other_customer@example.com",
        ).partner_id.parent_id = self.env["res.partner"].create(
            {"name": "Role Tour Other Customer Ltd", "is_company": True}
        )
        self.authenticate("role_other_customer", "role_other_customer")
        page = self.url_open(f"/my/ticket/{ticket.id}", allow_redirects=False)
        self.assertEqual(page.status_code, 404)
        self.assertIn('id="itss_ticket_not_found"', page.text)
        self.assertNotIn("label printer jams", page.text)

    def test_confirm_a_resolution(self):
        ticket = self._resolved(
            "Role tour: toner empty",
            "Role tour: new toner cartridge",
            partner=self.customer.partner_id,
        )
        self.start_tour(
            f"/my/ticket/{ticket.id}",
            "itss_role_customer_confirm",
            login="role_customer",
        )
        ticket = self._fresh(ticket)
        self.assertEqual(ticket.itss_state, "closed")
        self.assertEqual(ticket.itss_close_origin, "customer")
        self.assertEqual(ticket.itss_satisfaction, "5")
        self.assertEqual(ticket.itss_satisfaction_comment, "Role tour: quick and clear")
        self.assertEqual(ticket.itss_closure_code_id, self.closure_code)
        # the thank-you is for the confirmation only: the page opened again has none
        self.authenticate("role_customer", "role_customer")
        page = self.url_open(f"/my/ticket/{ticket.id}")
        self.assertNotIn('id="itss_thanks"', page.text)
        self.assertIn('data-itss-state="closed"', page.text)

    def test_reject_a_resolution(self):
        ticket = self._resolved(
            "Role tour: scanner stripes",
            "Role tour: cleaned the scanner glass",
            partner=self.customer.partner_id,
        )
        self.start_tour(
            f"/my/ticket/{ticket.id}",
            "itss_role_customer_reject",
            login="role_customer",
        )
        ticket = self._fresh(ticket)
        self.assertEqual(ticket.itss_state, "closed")
        self.assertEqual(ticket.itss_close_origin, "rejected")
        self.assertEqual(
            ticket.itss_closure_code_id,
            self.env.ref("itss_incident.closure_code_unsuccessful"),
        )
        new = ticket.itss_reopened_ticket_ids
        self.assertEqual(len(new), 1)
        self.assertEqual(new.itss_state, "assigned")
        self.assertEqual(new.user_id, self.engineer, "back to the same engineer")
        self.assertEqual(new.partner_id, self.customer.partner_id)
        self.assertIn("the scans still have stripes", new.description)


class TestDeskOwnsTheTicket(ItssRoleTourCase):
    def test_from_the_call_to_the_follow_up_visit(self):
        """The desk agent logs a phone call and dispatches it; the engineer escalates
        it; the second line resolves it; the ticket comes back to the agent, its owner;
        the customer confirms on the portal; the agent makes the follow-up visit. The
        customer is told at each step."""
        self.company.helpdesk_mgmt_ticket_auto_assign = False
        own = self._logged("Role tour: password reset for the CFO")
        own.with_user(self.agent).user_id = self.agent
        own.with_user(self.agent).action_itss_accept()
        self.start_tour(
            "/odoo/itss-queues", "itss_role_desk_log_dispatch", login="role_agent"
        )
        ticket = self.env["helpdesk.ticket"].search(
            [("name", "=", "Role tour: finance printer offline")]
        )
        self.assertEqual(ticket.itss_owner_id, self.agent, "the logging agent owns it")
        self.assertEqual(ticket.user_id, self.engineer)

        ticket.with_user(self.engineer).action_itss_accept()
        self.start_tour(
            self._url(ticket), "itss_role_engineer_escalate", login="role_engineer"
        )
        ticket = self._fresh(ticket)
        self.assertEqual(ticket.team_id, self.team_l2)
        self.assertEqual(ticket.itss_escalation_count, 1)
        self.assertEqual(ticket.itss_owner_id, self.agent, "the owner stays")

        specialist = ticket.with_user(self.specialist)
        specialist.action_itss_accept()
        specialist._itss_resolve(
            {
                "itss_solution": "<p>Role tour: new toner cartridge</p>",
                "itss_closure_code_id": self.closure_code.id,
                "itss_recovery_date": fields.Datetime.now(),
            }
        )
        confirm_type = self.env.ref("itss_incident.mail_act_itss_confirm")
        confirm = ticket.activity_ids.filtered(
            lambda a: a.activity_type_id == confirm_type
        )
        self.assertEqual(confirm.user_id, self.agent, "back to the owner, at once")
        self.start_tour(
            self._url(ticket),
            "itss_role_desk_owner_sees_resolution",
            login="role_agent",
        )

        self.start_tour(
            ticket.get_portal_url(), "itss_role_customer_confirm", login="role_customer"
        )
        ticket = self._fresh(ticket)
        self.assertEqual(ticket.itss_state, "closed")
        self.assertEqual(ticket.itss_close_origin, "customer")
        self.assertEqual(ticket.itss_satisfaction, "5")
        self.assertFalse(
            ticket.activity_ids.filtered(lambda a: a.activity_type_id == confirm_type)
        )
        followup_type = self.env.ref("itss_incident.mail_act_itss_followup")
        followup = ticket.activity_ids.filtered(
            lambda a: a.activity_type_id == followup_type
        )
        self.assertEqual(followup.user_id, self.agent, "the owner visits")

        self.start_tour(
            self._url(ticket), "itss_role_desk_followup", login="role_agent"
        )
        ticket = self._fresh(ticket)
        self.assertEqual(ticket.itss_followup_result, "satisfied")
        self.assertEqual(ticket.itss_followup_note, "Visited: the printer works")

        notices = self.env["mail.mail"].search(
            [
                ("res_id", "=", ticket.id),
                ("recipient_ids", "in", ticket.partner_id.ids),
            ],
            order="id",
        )
        subjects = notices.mapped("subject")
        self.assertTrue(any("was logged" in s for s in subjects), subjects)
        self.assertTrue(any("please confirm" in s for s in subjects), subjects)
        self.assertTrue(any("is closed" in s for s in subjects), subjects)
