"""The resolution record of 001 100.6.1 and the time of occurrence (DESIGN.md,
"Time of occurrence", "Resolution record"), as the roles who fill them in."""

import re
from datetime import datetime, timedelta

import pytz
from freezegun import freeze_time

from odoo import fields, http
from odoo.exceptions import ValidationError
from odoo.tests import Form, HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

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
        self.assertEqual(response.status_code, 400)
        self.assertIn("after the logging", response.text)
        response = self._submit("yesterday")
        self.assertEqual(response.status_code, 400)
        self.assertIn("is not a date and time", response.text)
        self.assertFalse(
            self.env["helpdesk.ticket"].search([("category_id", "=", self.category.id)])
        )
