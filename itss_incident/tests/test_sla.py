from datetime import datetime, timedelta

from freezegun import freeze_time
from hypothesis import given, settings
from hypothesis import strategies as st
from psycopg2.errors import CheckViolation
from pytz import timezone, utc

from odoo.exceptions import ValidationError
from odoo.tools import mute_logger

from .common import ItssCase

SHANGHAI = timezone("Asia/Shanghai")


def local(text, tz=SHANGHAI):
    """A local wall-clock time as the naive UTC datetime the ORM stores."""
    moment = tz.localize(datetime.strptime(text, "%Y-%m-%d %H:%M"))
    return moment.astimezone(utc).replace(tzinfo=None)


class TestSla(ItssCase):
    def _log(self, when, **vals):
        with freeze_time(when):
            ticket = self._ticket(**vals)
            ticket.flush_recordset()
        return ticket

    def test_friday_afternoon_to_monday(self):
        ticket = self._log(local("2026-11-20 16:30"), itss_impact="1", itss_urgency="1")
        self.assertEqual(ticket.itss_priority, "1")
        self.assertEqual(ticket.itss_sla_policy_id, self.policies["1"])
        self.assertEqual(ticket.itss_response_deadline, local("2026-11-20 16:40"))
        self.assertEqual(ticket.itss_resolve_deadline, local("2026-11-23 09:30"))

    def test_night_lunch_and_holiday(self):
        # logged at night: the clock starts next morning
        night = self._log(local("2026-11-25 20:00"), itss_impact="1", itss_urgency="1")
        self.assertEqual(night.itss_resolve_deadline, local("2026-11-26 10:30"))
        # the lunch break does not count
        lunch = self._log(local("2026-11-25 11:00"), itss_impact="1", itss_urgency="1")
        self.assertEqual(lunch.itss_resolve_deadline, local("2026-11-25 14:00"))
        # Wednesday 16:30 + 2 h: Thursday is a public holiday -> Friday 09:30
        holiday = self._log(
            local("2026-12-30 16:30"), itss_impact="1", itss_urgency="1"
        )
        self.assertEqual(holiday.itss_resolve_deadline, local("2027-01-01 09:30"))

    def test_calendar_changes_count_at_once(self):
        """The calendars' working time is cached (issue 18): a ticket logged after a
        change of calendar-wide time off or of the working hours gets its deadlines from
        the changed calendar; a person's time off is not the calendar's."""
        friday = local("2026-11-20 16:30")

        def deadline():
            return self._log(
                friday, itss_impact="1", itss_urgency="1"
            ).itss_resolve_deadline

        # 1 h on Friday, the second on Monday morning
        self.assertEqual(deadline(), local("2026-11-23 09:30"))
        Leave = self.env["resource.calendar.leaves"]
        closed = Leave.create(
            {
                "name": "Test office closed",
                "calendar_id": self.calendar.id,
                "date_from": local("2026-11-23 00:00"),
                "date_to": local("2026-11-23 23:59"),
            }
        )
        self.assertEqual(deadline(), local("2026-11-24 09:30"))
        closed.unlink()
        self.assertEqual(deadline(), local("2026-11-23 09:30"))
        engineer = self.env["resource.resource"].create(
            {"name": "Test engineer", "calendar_id": self.calendar.id}
        )
        Leave.create(
            {
                "name": "Test engineer's day off",
                "calendar_id": self.calendar.id,
                "resource_id": engineer.id,
                "date_from": local("2026-11-23 00:00"),
                "date_to": local("2026-11-23 23:59"),
            }
        )
        self.assertEqual(deadline(), local("2026-11-23 09:30"))
        monday_morning = self.calendar.attendance_ids.filtered(
            lambda a: a.dayofweek == "0" and a.day_period == "morning"
        )
        monday_morning.hour_from = 10.0
        self.assertEqual(deadline(), local("2026-11-23 11:00"))
        self.calendar.tz = "UTC"
        # 16:30 in Shanghai is 08:30 UTC: 2 h of Friday's morning in UTC
        self.assertEqual(deadline(), local("2026-11-20 18:30"))

    def test_dst_time_zone(self):
        berlin = timezone("Europe/Berlin")
        self.calendar.tz = "Europe/Berlin"
        # Friday before the end of summer time (Sunday 2026-10-25)
        ticket = self._log(
            local("2026-10-23 16:30", berlin), itss_impact="1", itss_urgency="1"
        )
        self.assertEqual(
            ticket.itss_resolve_deadline, local("2026-10-26 09:30", berlin)
        )
        self.assertEqual(ticket.itss_resolve_deadline, datetime(2026, 10, 26, 8, 30))

    def test_time_left(self):
        ticket = self._log(local("2026-11-20 09:00"), itss_impact="1", itss_urgency="1")
        with freeze_time(local("2026-11-20 09:45")):
            ticket.invalidate_recordset(["itss_sla_remaining"])
            self.assertEqual(ticket.itss_sla_remaining, "1 h 15 min left")
        with freeze_time(local("2026-11-20 12:30")):
            ticket.invalidate_recordset(["itss_sla_remaining"])
            self.assertEqual(ticket.itss_sla_remaining, "overdue by 1 h 30 min")

    def test_24x7_without_calendar(self):
        self.policies["1"].calendar_id = False
        ticket = self._log(local("2026-11-21 23:00"), itss_impact="1", itss_urgency="1")
        self.assertEqual(ticket.itss_resolve_deadline, local("2026-11-22 01:00"))

    def test_pause_over_a_weekend_moves_the_deadline(self):
        ticket = self._log(local("2026-11-20 09:00"), itss_impact="3", itss_urgency="3")
        self.assertEqual(ticket.itss_priority, "3")
        # 7.5 working hours left on Friday, the last half hour on Monday
        self.assertEqual(ticket.itss_resolve_deadline, local("2026-11-23 09:00"))
        with freeze_time(local("2026-11-20 09:05")):
            ticket.with_user(self.engineer).action_itss_accept()
        with freeze_time(local("2026-11-20 16:00")):
            ticket.with_user(self.engineer).write(
                {"itss_wait_code_id": self.wait_code.id}
            )
            ticket.with_user(self.engineer).action_itss_pend()
        with freeze_time(local("2026-11-23 10:00")):
            ticket.with_user(self.engineer).action_itss_resume()
            ticket.flush_recordset()
        pause = ticket.itss_sla_pause_ids
        self.assertEqual(len(pause), 1)
        self.assertEqual(pause.wait_code_id, self.wait_code)
        self.assertEqual(pause.date_start, local("2026-11-20 16:00"))
        self.assertEqual(pause.date_end, local("2026-11-23 10:00"))
        self.assertAlmostEqual(pause.working_minutes, 180.0)
        self.assertAlmostEqual(ticket.itss_paused_minutes, 180.0)
        # 8 working hours + 3 paused hours from Friday 09:00
        self.assertEqual(ticket.itss_resolve_deadline, local("2026-11-23 12:00"))
        with freeze_time(local("2026-11-23 11:00")):
            ticket.with_user(self.engineer).write(self._requirements("resolved"))
            ticket.with_user(self.engineer).action_itss_resolve()
        # Fri 09:00-17:30 (450) + Mon 08:30-11:00 (150) - 180 paused
        self.assertAlmostEqual(ticket.itss_resolve_minutes, 420.0)
        self.assertFalse(ticket.itss_resolve_breached)
        self.assertIn("Paused", ticket.itss_sla_timeline)

    def test_first_response_by_acceptance_or_reply(self):
        ticket = self._log(local("2026-11-20 09:00"), itss_impact="1", itss_urgency="1")
        with freeze_time(local("2026-11-20 09:15")):
            ticket.with_user(self.engineer).action_itss_accept()
        self.assertEqual(ticket.itss_first_response_date, local("2026-11-20 09:15"))
        self.assertTrue(ticket.itss_response_breached, "10 minutes target")
        self.assertAlmostEqual(ticket.itss_response_minutes, 15.0)
        other = self._log(local("2026-11-20 09:00"), itss_impact="1", itss_urgency="1")
        with freeze_time(local("2026-11-20 09:04")):
            other.with_user(self.agent).message_post(
                body="We are looking into it",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        self.assertEqual(other.itss_first_response_date, local("2026-11-20 09:04"))
        self.assertFalse(other.itss_response_breached)
        # an internal note is no response
        third = self._log(local("2026-11-20 09:00"))
        third.with_user(self.agent).message_post(
            body="note", subtype_xmlid="mail.mt_note"
        )
        self.assertFalse(third.itss_first_response_date)

    def test_most_specific_policy(self):
        Policy = self.env["itss.sla.policy"]
        by_team = Policy.create(
            {
                "name": "Team",
                "priority": "4",
                "response_minutes": 5,
                "resolve_hours": 1,
                "team_ids": [(6, 0, self.team_l1.ids)],
            }
        )
        by_category = Policy.create(
            {
                "name": "Category",
                "priority": "4",
                "response_minutes": 5,
                "resolve_hours": 1,
                "category_ids": [(6, 0, self.category_parent.ids)],
            }
        )
        both = Policy.create(
            {
                "name": "Both",
                "priority": "4",
                "response_minutes": 5,
                "resolve_hours": 1,
                "team_ids": [(6, 0, self.team_l1.ids)],
                "category_ids": [(6, 0, self.category_parent.ids)],
            }
        )
        self.assertEqual(
            self._ticket(category_id=self.category_parent.id).itss_sla_policy_id, both
        )
        self.assertEqual(self._ticket().itss_sla_policy_id, by_team)
        self.assertEqual(
            self._ticket(
                team_id=self.team_l2.id, category_id=self.category_parent.id
            ).itss_sla_policy_id,
            by_category,
        )
        self.assertEqual(
            self._ticket(team_id=self.team_l2.id).itss_sla_policy_id, self.policies["4"]
        )
        plain = self.env["helpdesk.ticket"].create(
            {"name": "Plain", "description": "<p>x</p>", "team_id": self.team_plain.id}
        )
        self.assertFalse(plain.itss_sla_policy_id, "no SLA outside ITSS teams")

    def test_priority_change_retargets_from_creation(self):
        ticket = self._log(local("2026-11-20 09:00"))
        self.assertEqual(ticket.itss_resolve_deadline, local("2026-11-25 09:00"))
        with freeze_time(local("2026-11-20 10:00")):
            ticket.write({"itss_impact": "1", "itss_urgency": "1"})
            ticket.flush_recordset()
        self.assertEqual(ticket.itss_sla_policy_id, self.policies["1"])
        self.assertEqual(ticket.itss_resolve_deadline, local("2026-11-20 11:00"))

    def test_invalid_policy(self):
        # a zero target: the database's CHECK refuses it
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaisesRegex(CheckViolation, "itss_sla_policy_response_positive"),
            self.env.cr.savepoint(),
        ):
            self.env["itss.sla.policy"].create(
                {
                    "name": "Bad",
                    "priority": "1",
                    "response_minutes": 0,
                    "resolve_hours": 1,
                }
            )
        with self.assertRaisesRegex(ValidationError, "cannot be longer"):
            self.env["itss.sla.policy"].create(
                {
                    "name": "Bad",
                    "priority": "1",
                    "response_minutes": 600,
                    "resolve_hours": 1,
                }
            )


class TestWorkingTimeProperties(ItssCase):
    """The deadline arithmetic against a minute-by-minute reference."""

    def _is_working_minute(self, moment_utc):
        moment = utc.localize(moment_utc).astimezone(SHANGHAI)
        if moment.date().isoformat() == "2026-12-31":
            return False
        if moment.weekday() >= 5:
            return False
        hour = moment.hour + moment.minute / 60.0
        return 8.5 <= hour < 12.0 or 13.0 <= hour < 17.5

    def _reference_add(self, start, minutes):
        moment, left = start, minutes
        if left == 0:
            while not self._is_working_minute(moment):
                moment += timedelta(minutes=1)
            return moment
        while True:
            if self._is_working_minute(moment):
                left -= 1
                if left == 0:
                    return moment + timedelta(minutes=1)
            moment += timedelta(minutes=1)

    @settings(max_examples=60, deadline=None)
    @given(
        start_minute=st.integers(min_value=0, max_value=60 * 24 * 40),
        minutes=st.integers(min_value=1, max_value=60 * 30),
    )
    def test_add_minutes_matches_reference(self, start_minute, minutes):
        start = datetime(2026, 12, 1) + timedelta(minutes=start_minute)
        policy = self.policies["1"]
        (got,) = policy._itss_add_minutes(start, [minutes])
        self.assertEqual(got, self._reference_add(start, minutes))
        self.assertAlmostEqual(
            policy._itss_working_minutes(start, got), minutes, places=3
        )

    @settings(max_examples=40, deadline=None)
    @given(
        start_minute=st.integers(min_value=0, max_value=60 * 24 * 40),
        length=st.integers(min_value=0, max_value=60 * 24 * 6),
    )
    def test_working_minutes_matches_reference(self, start_minute, length):
        start = datetime(2026, 12, 1) + timedelta(minutes=start_minute)
        end = start + timedelta(minutes=length)
        expected = sum(
            self._is_working_minute(start + timedelta(minutes=i)) for i in range(length)
        )
        got = self.policies["1"]._itss_working_minutes(start, end)
        self.assertAlmostEqual(got, expected, places=3)
