"""The daily flow as the roles who do it, through the calls the web client makes, and
the facts and rules that an RPC caller cannot bend (issue: the daily flow works in the
browser for every role)."""

from datetime import timedelta

from lxml import etree

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, freeze_time, new_test_user
from odoo.tools import mute_logger

from .common import ItssCase


class TestRoleFlows(ItssCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team_l1.user_id = cls.agent
        cls.env.company.itss_default_team_id = cls.team_l1

    def _button_context(self, method):
        """The context the form's button for ``method`` sends (none = {})."""
        arch = self.env["helpdesk.ticket"].get_view(view_type="form")["arch"]
        buttons = etree.fromstring(arch).xpath(f"//button[@name='{method}']")
        self.assertEqual(len(buttons), 1, f"one {method} button on the form")
        context = buttons[0].get("context")
        self.assertFalse(context, f"the {method} button sends no context of its own")
        return {}

    # 1. pending tickets are resumed and resolved by their roles
    def test_desk_agent_and_engineer_resume_and_resolve_pending(self):
        for user, method in (
            (self.agent, "action_itss_resume"),
            (self.engineer, "action_itss_resume"),
            (self.agent, "action_itss_resolve"),
            (self.engineer, "action_itss_resolve"),
        ):
            with self.subTest(user=user.login, method=method):
                ticket = self._ticket("in_progress", user_id=self.engineer.id)
                ticket.with_user(self.engineer).write(
                    {"itss_wait_code_id": self.wait_code.id}
                )
                ticket.with_user(self.engineer).action_itss_pend()
                self.assertEqual(ticket.itss_state, "pending")
                if method == "action_itss_resolve":
                    ticket.with_user(user).write(self._requirements("resolved"))
                getattr(ticket.with_user(user), method)()
                self.assertEqual(
                    ticket.itss_state,
                    "in_progress" if method == "action_itss_resume" else "resolved",
                )
                pause = ticket.itss_sla_pause_ids
                self.assertEqual(len(pause), 1)
                self.assertTrue(pause.date_end, "the pause ended")

    # 2. the Close dialog closes, or says what is missing
    def test_close_dialog_as_desk_agent(self):
        ticket = self._ticket("resolved", user_id=self.engineer.id)
        agent_ticket = ticket.with_user(self.agent)
        context = self._button_context("action_itss_close_dialog")
        action = agent_ticket.with_context(**context).action_itss_close_dialog()
        self.assertEqual(action["res_model"], "itss.ticket.close")
        # the web client merges the button's context into the dialog's calls
        Wizard = self.env["itss.ticket.close"].with_user(self.agent)
        wizard_context = dict(context, **action["context"])
        form = Form(Wizard.with_context(**wizard_context))
        wizard = form.save()
        with self.assertRaisesRegex(ValidationError, "Satisfaction"):
            wizard.with_context(**wizard_context).action_close()
        self.assertEqual(ticket.itss_state, "resolved", "nothing changed")
        form = Form(Wizard.with_context(**wizard_context))
        form.satisfaction = "4"
        form.comment = "Happy on the phone"
        result = form.save().with_context(**wizard_context).action_close()
        self.assertEqual(result["tag"], "display_notification", "a toast confirms it")
        self.assertEqual(ticket.itss_state, "closed")
        self.assertEqual(ticket.itss_close_origin, "desk")
        self.assertEqual(ticket.itss_satisfaction, "4")
        self.assertEqual(ticket.itss_satisfaction_comment, "Happy on the phone")

    def test_close_dialog_refused_for_an_open_ticket(self):
        ticket = self._ticket("in_progress")
        with self.assertRaisesRegex(UserError, "not resolved"):
            ticket.with_user(self.agent).action_itss_close_dialog()

    # 3. customer channels without a team go to the company's default ITSS team
    def test_web_and_email_tickets_get_the_default_team(self):
        web = self.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_web")
        ticket = self.env["helpdesk.ticket"].create(
            {"name": "From the portal", "description": "<p>x</p>", "channel_id": web.id}
        )
        self.assertEqual(ticket.team_id, self.team_l1)
        self.assertEqual(ticket.itss_state, "new")
        self.assertTrue(ticket.itss_priority)
        self.assertTrue(ticket.itss_resolve_deadline)
        ticket = self.env["helpdesk.ticket"].message_new(
            {
                "subject": "By email",
                "body": "<p>Mail server down</p>",
                "email_from": "a@example.com",
                "from": "a@example.com",
                "to": "helpdesk@example.com",
            }
        )
        self.assertEqual(
            ticket.channel_id,
            self.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_email"),
        )
        self.assertEqual(ticket.team_id, self.team_l1)
        self.assertEqual(ticket.itss_state, "new")

    def test_other_teamless_tickets_keep_helpdesk_behaviour(self):
        phone = self.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_phone")
        self.env.company.helpdesk_mgmt_ticket_auto_assign = False
        ticket = self.env["helpdesk.ticket"].create(
            {"name": "By phone", "description": "<p>x</p>", "channel_id": phone.id}
        )
        self.assertFalse(ticket.team_id)
        self.assertFalse(ticket.itss_state)

    # 4. notifications sent are visible to the people who work the ticket
    def test_notifications_sent_visible_to_internal_users(self):
        ticket = self._ticket("in_progress", user_id=self.engineer.id)
        log = ticket._itss_notify(
            "sla_warning", None, 1, "email", self.engineer, "Test reason"
        )
        self.assertEqual(log.company_id, ticket.company_id)
        for user in (self.agent, self.engineer, self.manager):
            with self.subTest(user=user.login):
                logs = (
                    self.env["itss.escalation.log"]
                    .with_user(user)
                    .search([("ticket_id", "=", ticket.id)])
                )
                self.assertEqual(logs, log)
                self.assertEqual(ticket.with_user(user).itss_escalation_log_ids, log)
        ticket.invalidate_recordset(["itss_sla_timeline"])
        self.assertIn("Test reason", ticket.with_user(self.agent).itss_sla_timeline)

    # 5. facts the system derives are written by the model only
    @mute_logger("odoo.models")
    def test_state_and_sla_facts_are_not_writable(self):
        ticket = self._ticket("new")
        facts = {
            "itss_state": "closed",
            "itss_first_response_date": "2026-11-20 10:00:00",
            "itss_response_breached": True,
            "itss_resolve_breached": True,
            "itss_resolved_date": "2026-11-20 10:00:00",
            "itss_escalation_count": 5,
            "itss_close_origin": "auto",
        }
        for name, value in facts.items():
            for user in (self.agent, self.engineer, self.manager):
                with self.subTest(field=name, user=user.login):
                    with self.assertRaisesRegex(AccessError, "set by the system"):
                        ticket.with_user(user).write({name: value})
                    with self.assertRaisesRegex(AccessError, "set by the system"):
                        self.env["helpdesk.ticket"].with_user(user).create(
                            {
                                "name": "Forged",
                                "description": "<p>x</p>",
                                "team_id": self.team_l1.id,
                                name: value,
                            }
                        )
        self.assertEqual(ticket.itss_state, "new")
        self.assertEqual(ticket.stage_id, self.stages["new"])
        self.assertFalse(ticket.itss_first_response_date)
        self.assertFalse(ticket.itss_response_breached or ticket.itss_resolve_breached)
        # the buttons still move it and set the facts
        ticket.with_user(self.engineer).action_itss_accept()
        self.assertEqual(ticket.itss_state, "in_progress")
        self.assertTrue(ticket.itss_first_response_date)

    # 6. the business recovery time lies between logging and resolution
    def test_recovery_time_bounds(self):
        now = fields.Datetime.now()
        logged = (now - timedelta(hours=2)).replace(second=30)
        ticket = self._ticket("in_progress", itss_logged_date=logged)
        values = dict(self._requirements("resolved"))
        # times are entered and read to the minute: the minute of the logging is fine
        ticket.with_user(self.engineer).itss_recovery_date = logged.replace(second=0)
        ticket.with_user(self.engineer).itss_completion_date = logged.replace(second=0)
        for recovery, message in (
            (now + timedelta(days=1), "in the future"),
            (fields.Datetime.to_datetime("2099-01-01 00:00:00"), "in the future"),
            (now - timedelta(hours=3), "before the ticket was logged"),
        ):
            with self.subTest(recovery=recovery):
                with self.assertRaisesRegex(ValidationError, message):
                    ticket.with_user(self.engineer).write(
                        dict(values, itss_recovery_date=recovery)
                    )
        ticket.with_user(self.engineer).write(
            dict(values, itss_recovery_date=now - timedelta(hours=1))
        )
        ticket.with_user(self.engineer).action_itss_resolve()
        self.assertEqual(ticket.itss_state, "resolved")
        with freeze_time(now + timedelta(hours=1)):
            with self.assertRaisesRegex(ValidationError, "after the resolution"):
                ticket.with_user(self.engineer).itss_recovery_date = now + timedelta(
                    minutes=30
                )

    # 7. a ticket created by RPC without a team
    def test_rpc_create_without_team(self):
        self.env.company.helpdesk_mgmt_ticket_auto_assign = True
        ticket = (
            self.env["helpdesk.ticket"]
            .with_user(self.agent)
            .create({"name": "Created over RPC", "description": "<p>x</p>"})
        )
        self.assertEqual(ticket.user_id, self.agent, "helpdesk_mgmt's auto-assignment")
        self.assertEqual(
            ticket.team_id, self.team_l1, "the agent's team, as helpdesk_mgmt does"
        )
        self.assertEqual(ticket.itss_state, "new")
        self.assertTrue(ticket.itss_dispatch_date)
        self.assertTrue(ticket.itss_resolve_deadline)

    # context keys and values sent by an RPC caller relax no rule
    def test_context_keys_relax_nothing(self):
        ticket = self._ticket("resolved", user_id=self.engineer.id)
        for key in ("itss_correction_reason", "itss_correction"):
            with (
                self.subTest(key=key),
                self.assertRaisesRegex(UserError, "incident manager"),
            ):
                ticket.with_user(self.engineer).with_context(**{key: "forged"}).write(
                    {"stage_id": self.stages["in_progress"].id}
                )
        self.assertEqual(ticket.itss_state, "resolved")
        open_ticket = self._ticket("in_progress")
        with self.assertRaisesRegex(UserError, "resolved before it is closed"):
            open_ticket.with_user(self.agent).write(
                {
                    "stage_id": self.stages["closed"].id,
                    "itss_closure_code_id": self.code_resolved.id,
                    "itss_satisfaction": "5",
                }
            )
        self.assertEqual(open_ticket.itss_state, "in_progress")
        # a context key makes no functional escalation (a move to a higher tier
        # does, whatever the path: test_handoffs.py)
        open_ticket.with_user(self.agent).with_context(
            itss_functional_escalation=True
        ).write({"user_id": self.agent.id})
        self.assertEqual(open_ticket.itss_escalation_count, 0)
        # a close without a resolution is a duplicate's only, with its master: the
        # close origin is the system's to write, and without a master it is refused
        for user in (self.agent, self.engineer):
            vals = {
                "stage_id": self.stages["closed"].id,
                "itss_closure_code_id": self.code_resolved.id,
            }
            with self.subTest(user=user.login):
                with self.assertRaisesRegex(AccessError, "set by the system"):
                    open_ticket.with_user(user).write(
                        dict(vals, itss_close_origin="duplicate")
                    )
                with self.assertRaisesRegex(UserError, "resolved before it is closed"):
                    open_ticket.with_user(user).write(vals)
        self.assertEqual(
            (open_ticket.itss_state, open_ticket.itss_close_origin),
            ("in_progress", False),
        )
        # a customer's post on a closed ticket opens its continuation, whatever the
        # context says: test_reply_to_closed.py, through the portal's route

    def test_incident_manager_takes_back_a_resolution_with_the_dialog(self):
        ticket = self._ticket("resolved", user_id=self.engineer.id)
        Wizard = self.env["itss.ticket.reopen"].with_context(
            default_ticket_id=ticket.id
        )
        with self.assertRaises(AccessError):
            Wizard.with_user(self.engineer).create({"reason": "forged"})
        wizard = Wizard.with_user(self.manager).create(
            {"reason": "The service is still down"}
        )
        result = wizard.action_reopen()
        self.assertEqual(result["tag"], "display_notification")
        self.assertEqual(ticket.itss_state, "in_progress")
        self.assertIn("The service is still down", ticket.message_ids[0].body)


class TestDeskOwnedRoles(ItssCase):
    """A desk agent, an engineer and the incident manager each do their part of one
    ticket's life, and the superuser only runs the scheduled action."""

    def test_one_ticket_through_the_roles(self):
        desk = new_test_user(
            self.env,
            login="itss_desk2",
            name="Second Agent",
            groups="base.group_user,itss_incident.group_itss_service_desk",
        )
        self.team_l1.user_ids |= desk
        phone = self.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_phone")
        form = Form(self.env["helpdesk.ticket"].with_user(desk))
        form.name = "Printer offline"
        form.description = "<p>The printer on floor 2 is offline.</p>"
        form.partner_id = self.customer
        form.category_id = self.category_parent
        form.channel_id = phone
        ticket = form.save()
        self.assertEqual(ticket.team_id, self.team_l1)
        self.assertEqual(ticket.itss_state, "new")
        ticket.with_user(desk).write({"user_id": self.engineer.id})
        ticket.with_user(desk).action_itss_assign()
        ticket.with_user(self.engineer).action_itss_accept()
        ticket.with_user(self.engineer).write({"itss_wait_code_id": self.wait_code.id})
        ticket.with_user(self.engineer).action_itss_pend()
        ticket.with_user(desk).action_itss_resume()
        ticket.with_user(self.engineer).write(self._requirements("resolved"))
        ticket.with_user(self.engineer).action_itss_resolve()
        self.assertEqual(ticket.itss_state, "resolved")
        ticket.with_user(self.manager).action_itss_reopen_resolution(
            "Printer still offline"
        )
        ticket.with_user(self.engineer).action_itss_resolve()
        wizard = (
            self.env["itss.ticket.close"]
            .with_user(desk)
            .create({"ticket_id": ticket.id, "satisfaction": "5"})
        )
        wizard.action_close()
        self.assertEqual(ticket.itss_state, "closed")
        self.assertEqual(ticket.itss_close_origin, "desk")
        self.env["helpdesk.ticket"]._cron_itss_escalate()
        self.assertEqual(ticket.itss_state, "closed")
