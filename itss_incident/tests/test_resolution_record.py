"""The resolution record of 001 100.6.1 and the time of occurrence (DESIGN.md,
"Time of occurrence", "Resolution record"), as the roles who fill them in."""

import re
from datetime import datetime, timedelta

import pytz
from freezegun import freeze_time

from odoo import fields, http
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.itss_incident import compat

from .common import ItssCase
from .test_alerts import AlertMixin, alertmanager_payload

# the fixtures' context switches tracking off (BaseCommon)
TRACKING = {"tracking_disable": False, "mail_notrack": False}


def _tracked(ticket, name):
    """The tracking values of field ``name`` in the ticket's chatter."""
    return (
        ticket.env["mail.tracking.value"]
        .sudo()
        .search(
            [
                ("mail_message_id.model", "=", ticket._name),
                ("mail_message_id.res_id", "=", ticket.id),
                ("field_id.name", "=", name),
            ]
        )
    )


class TestTimeOfOccurrence(AlertMixin, ItssCase):
    @freeze_time("2026-11-23 02:00:00")
    def test_desk_logs_when_the_fault_began(self):
        """The desk's form shows the logged time and, beside it, when the fault
        began: the logged time unless the reporter says otherwise."""
        Ticket = self.env["helpdesk.ticket"].with_user(self.agent)
        with Form(Ticket) as form:
            form.name = "Payroll printer jams"
            form.description = "<p>Jams on every page</p>"
            form.team_id = self.team_l1
            form.partner_id = self.customer
            self.assertEqual(
                form.itss_occurred_date, form.itss_logged_date, "the logged time"
            )
            form.itss_occurred_date = datetime(2026, 11, 23, 0, 30)
        ticket = form.record
        self.assertEqual(ticket.itss_logged_date, datetime(2026, 11, 23, 2, 0))
        self.assertEqual(ticket.itss_occurred_date, datetime(2026, 11, 23, 0, 30))
        # the reporter remembers better: tracked (as after the creation's commit)
        self.env.cr.precommit.run()
        ticket.with_context(**TRACKING).itss_occurred_date = datetime(
            2026, 11, 23, 0, 15
        )
        self.env.cr.precommit.run()  # tracking is written before the commit
        change = _tracked(ticket, "itss_occurred_date").filtered(
            lambda v: v.old_value_datetime == datetime(2026, 11, 23, 0, 30)
        )
        self.assertEqual(change.new_value_datetime, datetime(2026, 11, 23, 0, 15))

    @freeze_time("2026-11-23 02:00:00")
    def test_default_is_the_logged_time(self):
        ticket = self._ticket()
        self.assertEqual(ticket.itss_occurred_date, ticket.itss_logged_date)
        self.assertEqual(ticket.itss_occurred_date, datetime(2026, 11, 23, 2, 0))

    @freeze_time("2026-11-23 02:00:00")
    def test_never_after_the_logging(self):
        ticket = self._ticket()
        with self.assertRaises(ValidationError) as caught:
            ticket.with_user(self.agent).itss_occurred_date = datetime(
                2026, 11, 23, 3, 0
            )
        self.assertRegex(
            str(caught.exception),
            r"time of occurrence 2026-11-23 \d\d:\d\d is after the logging "
            r"\(2026-11-23 \d\d:\d\d\)\. Enter when the fault began",
        )
        self.assertEqual(ticket.itss_occurred_date, datetime(2026, 11, 23, 2, 0))
        with self.assertRaises(ValidationError) as caught:
            self._ticket(itss_occurred_date=datetime(2026, 11, 23, 2, 1))
        self.assertIn("at the latest when the ticket was logged", str(caught.exception))
        # a correction of the logged time to before it brings it along
        earlier = datetime(2026, 11, 23, 1, 0)
        ticket.with_user(self.manager).itss_logged_date = earlier
        self.assertEqual(ticket.itss_occurred_date, earlier)

    def test_alert_sets_it_from_starts_at(self):
        source, _token = self._make_source(self.env)
        with freeze_time("2026-11-20 08:05:00"):
            source._itss_ingest(source._itss_parse(alertmanager_payload()))
        ticket = self.env["helpdesk.ticket"].search(
            [("itss_alert_source_id", "=", source.id)]
        )
        self.assertEqual(ticket.itss_logged_date, datetime(2026, 11, 20, 8, 5))
        self.assertEqual(ticket.itss_occurred_date, datetime(2026, 11, 20, 8, 0))
        # a monitoring clock ahead of ours: at the latest the logging
        with freeze_time("2026-11-20 07:55:00"):
            source._itss_ingest(
                source._itss_parse(alertmanager_payload(fingerprint="fp-ahead"))
            )
        ahead = self.env["helpdesk.ticket"].search(
            [("itss_alert_fingerprint", "=", "fp-ahead")]
        )
        self.assertEqual(ahead.itss_occurred_date, ahead.itss_logged_date)


@tagged("post_install", "-at_install")
class TestPortalTimeOfOccurrence(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.itss_major_priority = "0"
        team = cls.env["helpdesk.ticket.team"].create(
            {"name": "Occurrence L1", "itss_tier": "1"}
        )
        cls.category = cls.env["helpdesk.ticket.category"].create(
            {"name": "Occurrence printers", "itss_team_id": team.id}
        )
        cls.customer = new_test_user(
            cls.env,
            login="occurrence_customer",
            groups="base.group_portal",
            email="occurrence@example.com",
            tz="Asia/Shanghai",
        )

    def _submit(self, occurred):
        return self.url_open(
            "/submitted/ticket",
            data={
                "csrf_token": http.Request.csrf_token(self),
                "category": self.category.id,
                "subject": f"Printer down since {occurred or 'now'}",
                "description": "It will not print",
                "itss_occurred": occurred,
            },
        )

    def test_customer_says_when_it_started(self):
        self.authenticate("occurrence_customer", "occurrence_customer")
        page = self.url_open("/new/ticket")
        self.assertIn("When did it start?", page.text)
        shanghai = pytz.timezone("Asia/Shanghai")
        local_now = datetime.now(pytz.utc).astimezone(shanghai)
        self.assertRegex(
            page.text,
            'name="itss_occurred" max="' + re.escape(f"{local_now:%Y-%m-%dT}"),
        )
        started = (local_now - timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M")
        self._submit(started)
        ticket = self.env["helpdesk.ticket"].search(
            [("name", "=", f"Printer down since {started}")]
        )
        self.assertEqual(ticket.itss_state, "new")
        self.assertEqual(
            fields.Datetime.context_timestamp(
                ticket.with_context(tz="Asia/Shanghai"), ticket.itss_occurred_date
            ).strftime("%Y-%m-%dT%H:%M"),
            started,
            "read in the customer's time zone",
        )
        # left empty: the logged time
        self._submit("")
        plain = self.env["helpdesk.ticket"].search(
            [("name", "=", "Printer down since now")]
        )
        self.assertEqual(plain.itss_occurred_date, plain.itss_logged_date)

    @mute_logger("odoo.http")
    def test_a_start_in_the_future_is_refused_clearly(self):
        self.authenticate("occurrence_customer", "occurrence_customer")
        shanghai = pytz.timezone("Asia/Shanghai")
        later = datetime.now(pytz.utc).astimezone(shanghai) + timedelta(hours=2)
        response = self._submit(later.strftime("%Y-%m-%dT%H:%M"))
        self.assertEqual(response.status_code, compat.USER_ERROR_STATUS)
        self.assertIn("after the logging", response.text)
        response = self._submit("yesterday")
        self.assertEqual(response.status_code, compat.USER_ERROR_STATUS)
        self.assertIn("is not a date and time", response.text)
        self.assertFalse(
            self.env["helpdesk.ticket"].search([("category_id", "=", self.category.id)])
        )


class ResolutionCase(ItssCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.vendor_user = new_test_user(
            cls.env,
            login="itss_vendor_engineer",
            name="Vendor Engineer",
            groups="base.group_user,itss_incident.group_itss_engineer",
        )
        cls.team_l3 = cls.env["helpdesk.ticket.team"].create(
            {
                "name": "Test L3 storage vendor",
                "itss_tier": "3",
                "user_ids": [(6, 0, cls.vendor_user.ids)],
            }
        )
        cls.vendor = cls.env["res.partner"].create(
            {"name": "Test storage vendor", "is_company": True}
        )
        cls.code_workaround = cls.env.ref("itss_incident.closure_code_workaround")

    def _dialog(self, ticket, user):
        """The Resolve dialog as ``user`` opens it from the form."""
        action = ticket.with_user(user).action_itss_resolve_dialog()
        return Form(
            self.env[action["res_model"]]
            .with_user(user)
            .with_context(**action["context"])
        )

    def _resolve(self, ticket, user, **values):
        """Resolve ``ticket`` through the dialog as ``user``."""
        form = self._dialog(ticket, user)
        form.solution = "<p>Replaced the controller</p>"
        if ticket.itss_ticket_type == "incident":
            form.recovery_date = fields.Datetime.now()
        for name, value in values.items():
            setattr(form, name, value)
        return form.save().action_resolve()


class TestResolutionRecord(ResolutionCase):
    def test_engineer_confirms_category_and_impact(self):
        """The dialog shows the category and the impact: the resolver confirms them
        or corrects them (001 100.6.1 steps 2 and 5)."""
        ticket = self._ticket(
            "in_progress", user_id=self.engineer.id, category_id=self.category_child.id
        )
        company = self.env.company
        matrix = self.env["itss.priority.matrix"]._itss_get_priorities(company)
        form = self._dialog(ticket, self.engineer)
        self.assertEqual(form.category_id, self.category_child)
        self.assertEqual(form.impact, "4")
        form.solution = "<p>A database lock, not the disk</p>"
        form.recovery_date = fields.Datetime.now()
        form.category_id = self.category_l2
        form.impact = "2"
        form.closure_code_id = self.code_workaround
        form.save().action_resolve()
        self.assertEqual(ticket.itss_state, "resolved")
        self.assertEqual(ticket.category_id, self.category_l2, "corrected")
        self.assertEqual(ticket.itss_impact, "2", "corrected")
        self.assertEqual(ticket.itss_priority, matrix[(company.id, "2", "3")])
        self.assertEqual(ticket.itss_closure_code_id, self.code_workaround)
        self.assertIn("database lock", ticket.itss_solution)
        self.assertEqual(ticket.itss_resolver_role, "first_line")
        self.assertTrue(ticket.itss_completion_date)

    def test_confirmed_impact_keeps_a_hand_set_priority(self):
        ticket = self._ticket("in_progress", user_id=self.engineer.id)
        ticket.itss_priority = "2"  # set by hand
        self._resolve(ticket, self.engineer)
        self.assertEqual(ticket.itss_priority, "2", "only a correction recomputes")

    def test_resolver_role_from_team_and_groups(self):
        """事件解决人角色: the service desk (帮助台) included."""
        cases = [
            # (who resolves, team, state resolved from, expected role)
            (self.agent, self.team_l1, "in_progress", "service_desk"),
            (self.engineer, self.team_l1, "new", "service_desk"),
            (self.engineer, self.team_l1, "in_progress", "first_line"),
            (self.engineer, self.team_l1, "pending", "first_line"),
            (self.engineer, self.team_l2, "in_progress", "second_line"),
            (self.agent, self.team_l2, "assigned", "second_line"),
            (self.vendor_user, self.team_l3, "in_progress", "vendor"),
        ]
        labels = dict(
            self.env["helpdesk.ticket"]
            ._fields["itss_resolver_role"]
            ._description_selection(self.env)
        )
        for user, team, state, role in cases:
            with self.subTest(user=user.name, team=team.name, state=state):
                ticket = self._ticket(
                    state,
                    team_id=team.id,
                    user_id=user.id,
                    itss_fault_vendor_id=self.vendor.id,
                )
                self.assertFalse(ticket.itss_resolver_role)
                self._resolve(ticket, user)
                self.assertEqual(ticket.itss_state, "resolved")
                self.assertEqual(ticket.itss_resolver_role, role)
                self.assertTrue(labels[role])

    def test_resolver_role_is_derived_only(self):
        ticket = self._ticket("in_progress", user_id=self.engineer.id)
        self._resolve(ticket, self.engineer)
        with self.assertRaisesRegex(AccessError, "set by the system"):
            ticket.with_user(self.engineer).itss_resolver_role = "vendor"
        self.assertEqual(ticket.itss_resolver_role, "first_line")
        # taken back: no resolver until the next resolution, by whoever does it
        ticket.with_user(self.manager).action_itss_reopen_resolution("Still broken")
        self.assertEqual(ticket.itss_state, "in_progress")
        self.assertFalse(ticket.itss_resolver_role)
        self._resolve(ticket, self.agent)
        self.assertEqual(ticket.itss_resolver_role, "service_desk")

    def test_vendor_required_when_the_third_line_resolves_a_fault(self):
        ticket = self._ticket(
            "in_progress", team_id=self.team_l3.id, user_id=self.vendor_user.id
        )
        form = self._dialog(ticket, self.vendor_user)
        form.solution = "<p>Firmware upgraded</p>"
        form.recovery_date = fields.Datetime.now()
        with self.assertRaisesRegex(
            AssertionError, "fault_vendor_id is a required field"
        ):
            form.save()  # the dialog marks it required
        wizard = (
            self.env["itss.ticket.resolve"]
            .with_user(self.vendor_user)
            .create(
                {
                    "ticket_id": ticket.id,
                    "solution": "<p>Firmware upgraded</p>",
                    "recovery_date": fields.Datetime.now(),
                }
            )
        )
        with self.assertRaises(ValidationError) as caught:
            wizard.action_resolve()  # the model refuses it, whatever the path
        self.assertIn(
            "cannot be resolved without: Vendor at Fault", str(caught.exception)
        )
        self.assertEqual(ticket.itss_state, "in_progress")
        form.fault_vendor_id = self.vendor
        form.save().action_resolve()
        self.assertEqual(ticket.itss_state, "resolved")
        self.assertEqual(ticket.itss_fault_vendor_id, self.vendor)
        self.assertEqual(ticket.itss_resolver_role, "vendor")
        # once resolved it stays recorded
        with self.assertRaises(ValidationError):
            ticket.with_user(self.vendor_user).itss_fault_vendor_id = False
        # a service request of the third line names no vendor
        request = self._ticket(
            "in_progress",
            team_id=self.team_l3.id,
            user_id=self.vendor_user.id,
            itss_ticket_type="service_request",
        )
        self._resolve(request, self.vendor_user)
        self.assertEqual(request.itss_state, "resolved")


class TestDuplicatesResolvedWithMaster(ResolutionCase):
    def test_duplicates_resolved_then_closed_with_their_master(self):
        """001 100.6.1 step 9 and 100.7.1: the duplicates get the master's solution
        and closure code, are resolved with it and closed with it."""
        now = fields.Datetime.now()
        master = self._ticket(
            "in_progress",
            user_id=self.engineer.id,
            itss_logged_date=now - timedelta(hours=3),
        )
        # a team the engineer does not belong to
        other = self.env["helpdesk.ticket.team"].create(
            {"name": "Test other desk", "itss_tier": "1", "user_ids": self.agent.ids}
        )
        logged_later = self._ticket(
            "assigned", team_id=other.id, itss_logged_date=now - timedelta(minutes=30)
        )
        request = self._ticket("new", itss_ticket_type="service_request")
        pending = self._ticket("pending", itss_logged_date=now - timedelta(hours=2))
        (logged_later | request | pending).with_user(self.agent).write(
            {"duplicate_id": master.id}
        )
        # closed alone as a duplicate before: it keeps its own record
        done = self._ticket("closed", duplicate_id=master.id)
        recovered = now - timedelta(hours=1)
        self._resolve(
            master,
            self.engineer,
            recovery_date=recovered,
            closure_code_id=self.code_workaround,
        )
        self.assertEqual(master.itss_state, "resolved")
        for duplicate in logged_later | request | pending:
            with self.subTest(duplicate=duplicate.number):
                self.assertEqual(duplicate.itss_state, "resolved")
                self.assertEqual(duplicate.itss_solution, master.itss_solution)
                self.assertEqual(duplicate.itss_closure_code_id, self.code_workaround)
                self.assertEqual(duplicate.itss_resolver_role, "first_line")
                self.assertFalse(
                    duplicate.itss_auto_close_date, "it closes with its master"
                )
                self.assertFalse(
                    duplicate.activity_ids.filtered(
                        lambda a: (
                            a.activity_type_id
                            == self.env.ref("itss_incident.mail_act_itss_confirm")
                        )
                    ),
                    "nothing to confirm on its own",
                )
                self.assertIn(
                    f"Resolved with its master ticket {master.number}",
                    " ".join(duplicate.message_ids.mapped("body")),
                )
        self.assertEqual(pending.itss_recovery_date, recovered, "the master's")
        self.assertEqual(
            logged_later.itss_recovery_date,
            logged_later.itss_logged_date,
            "the master's, but never before its own logging",
        )
        self.assertFalse(request.itss_recovery_date, "not a fault")
        self.assertEqual(done.itss_closure_code_id, self.code_resolved, "untouched")
        # the desk closes the master: its duplicates close with it
        master.with_user(self.manager).write({"itss_satisfaction": "5"})
        master.with_user(self.manager).action_itss_close()
        for duplicate in logged_later | request | pending:
            self.assertEqual(duplicate.itss_state, "closed")
            self.assertEqual(duplicate.itss_close_origin, "duplicate")
            self.assertEqual(duplicate.itss_closure_code_id, self.code_workaround)

    def test_a_duplicate_that_cannot_be_resolved_stops_the_master_clearly(self):
        master = self._ticket("in_progress", user_id=self.engineer.id)
        vendor_case = self._ticket(
            "in_progress", team_id=self.team_l3.id, duplicate_id=master.id
        )
        with self.assertRaises(ValidationError) as caught:
            self._resolve(master, self.engineer)
        self.assertIn(vendor_case.number, str(caught.exception))
        self.assertIn("Vendor at Fault", str(caught.exception))
        self.assertEqual(master.itss_state, "in_progress")
        # the master names the vendor: the duplicate takes it
        self._resolve(master, self.engineer, fault_vendor_id=self.vendor)
        self.assertEqual(vendor_case.itss_state, "resolved")
        self.assertEqual(vendor_case.itss_fault_vendor_id, self.vendor)
