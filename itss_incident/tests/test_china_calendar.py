import logging
from datetime import datetime

from freezegun import freeze_time
from pytz import utc

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user

from ..tools.china_calendar import china_days
from .common import ItssCase
from .test_sla import SHANGHAI, local

# China's 2026 arrangement (State Council, 4 November 2025), as the library carries it:
# Spring Festival 15-23 February off, Saturdays 14 and 28 February worked; National Day
# 1-7 October off, Sunday 20 September and Saturday 10 October worked; Mid-autumn
# Festival 25-27 September off.


class TestChinaCalendar(ItssCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = new_test_user(
            cls.env,
            login="itss_calendar_admin",
            name="Calendar Admin",
            groups="base.group_user,base.group_system",
        )
        cls.calendar.itss_china_holidays = True
        cls.calendar._itss_add_china_holidays(2026)

    def _log(self, when, **vals):
        with freeze_time(when):
            ticket = self._ticket(**vals)
            ticket.flush_recordset()
        return ticket

    def _new_calendar(self, name):
        """A calendar shared by every company, with the default working hours."""
        return self.env["resource.calendar"].create(
            {"name": name, "tz": "Asia/Shanghai", "company_id": False}
        )

    def _china_leaves(self, calendar=None):
        return self.env["resource.calendar.leaves"].search(
            [
                ("calendar_id", "=", (calendar or self.calendar).id),
                ("itss_china_holiday", "=", True),
            ]
        )

    def _china_lines(self, calendar=None):
        return (calendar or self.calendar).attendance_ids.filtered("itss_china_workday")

    def test_library_knows_2026(self):
        holidays, workdays = china_days(2026)
        self.assertIn(datetime(2026, 2, 16).date(), dict(holidays))
        self.assertEqual(
            dict(holidays)[datetime(2026, 2, 16).date()], "春节 / Spring Festival"
        )
        self.assertEqual(
            [day.isoformat() for day, _name in workdays],
            [
                "2026-01-04",
                "2026-02-14",
                "2026-02-28",
                "2026-05-09",
                "2026-09-20",
                "2026-10-10",
            ],
        )

    def test_holidays_are_whole_days_of_the_calendar_time_zone(self):
        spring = self._china_leaves().filtered(lambda leave: "Spring" in leave.name)
        self.assertEqual(spring.name, "春节 / Spring Festival")
        self.assertFalse(spring.resource_id)
        self.assertEqual(spring.date_from, local("2026-02-15 00:00"))
        self.assertEqual(
            spring.date_to,
            SHANGHAI.localize(datetime(2026, 2, 23, 23, 59, 59))
            .astimezone(utc)
            .replace(tzinfo=None),
        )
        sunday = self._china_lines().filtered(
            lambda a: a.itss_date.isoformat() == "2026-09-20"
        )
        self.assertEqual(sunday.mapped("dayofweek"), ["6", "6"])
        self.assertEqual(
            [(a.hour_from, a.hour_to) for a in sunday.sorted("hour_from")],
            [(8.5, 12.0), (13.0, 17.5)],
            "the hours of a normal weekday",
        )

    def test_dated_working_hours_on_a_weekend(self):
        intervals = self.calendar._work_intervals_batch(
            utc.localize(local("2026-09-19 00:00")),
            utc.localize(local("2026-09-22 00:00")),
        )[False]
        spans = [
            (start.strftime("%a %H:%M"), stop.strftime("%H:%M"))
            for start, stop, _meta in intervals
        ]
        # Saturday not worked, the make-up Sunday worked, Monday as every Monday
        self.assertEqual(
            spans,
            [
                ("Sun 08:30", "12:00"),
                ("Sun 13:00", "17:30"),
                ("Mon 08:30", "12:00"),
                ("Mon 13:00", "17:30"),
            ],
        )
        # the next Sunday is an ordinary one
        self.assertEqual(
            self.calendar.get_work_hours_count(
                local("2026-09-27 00:00"), local("2026-09-28 00:00")
            ),
            0.0,
        )

    def test_p3_counts_the_makeup_sunday(self):
        # Friday 16:30: one hour on Friday, seven on the make-up Sunday
        ticket = self._log(local("2026-09-18 16:30"), itss_impact="3", itss_urgency="3")
        self.assertEqual(ticket.itss_priority, "3")
        self.assertEqual(ticket.itss_resolve_deadline, local("2026-09-20 16:30"))
        # the make-up Saturday before the Spring Festival counts as well, then nine
        # days off: the remaining seven hours on Tuesday 24 February
        ticket = self._log(local("2026-02-13 16:30"), itss_impact="3", itss_urgency="3")
        self.assertEqual(ticket.itss_resolve_deadline, local("2026-02-14 16:30"))
        ticket = self._log(local("2026-02-14 16:30"), itss_impact="3", itss_urgency="3")
        self.assertEqual(ticket.itss_resolve_deadline, local("2026-02-24 16:30"))

    def test_p3_skips_the_statutory_holiday(self):
        # Wednesday 30 September 13:30: four hours that day, National Day 1-7 October
        # off, four hours on Thursday 8 October
        ticket = self._log(local("2026-09-30 13:30"), itss_impact="3", itss_urgency="3")
        self.assertEqual(ticket.itss_resolve_deadline, local("2026-10-08 13:30"))
        self.assertEqual(ticket.itss_response_deadline, local("2026-09-30 14:00"))
        # logged on the holiday: the clocks start on the next working morning
        ticket = self._log(local("2026-10-03 10:00"), itss_impact="3", itss_urgency="3")
        self.assertEqual(ticket.itss_response_deadline, local("2026-10-08 09:00"))

    def test_pause_across_the_holiday(self):
        ticket = self._log(local("2026-09-30 09:00"), itss_impact="3", itss_urgency="3")
        self.assertEqual(ticket.itss_resolve_deadline, local("2026-10-08 09:00"))
        engineer = ticket.with_user(self.engineer)
        with freeze_time(local("2026-09-30 09:05")):
            engineer.action_itss_accept()
        with freeze_time(local("2026-09-30 16:00")):
            engineer.write({"itss_wait_code_id": self.wait_code.id})
            engineer.action_itss_pend()
        with freeze_time(local("2026-10-08 10:00")):
            engineer.action_itss_resume()
            ticket.flush_recordset()
        # 16:00-17:30 on the 30th and 08:30-10:00 on the 8th: the holiday not
        self.assertAlmostEqual(ticket.itss_sla_pause_ids.working_minutes, 180.0)
        self.assertAlmostEqual(ticket.itss_paused_minutes, 180.0)
        self.assertEqual(ticket.itss_resolve_deadline, local("2026-10-08 12:00"))
        with freeze_time(local("2026-10-08 11:00")):
            engineer.write(self._requirements("resolved"))
            engineer.action_itss_resolve()
        # 450 minutes on the 30th + 150 on the 8th - 180 paused
        self.assertAlmostEqual(ticket.itss_resolve_minutes, 420.0)
        self.assertFalse(ticket.itss_resolve_breached)

    def test_adding_twice_adds_nothing(self):
        leaves, lines = self._china_leaves(), self._china_lines()
        self.assertEqual(len(leaves), 7, "one time off per holiday")
        self.assertEqual(len(lines), 12, "six make-up days of two periods")
        self.assertEqual(self.calendar._itss_add_china_holidays(2026), (0, 0))
        self.assertEqual(self._china_leaves(), leaves)
        self.assertEqual(self._china_lines(), lines)

    def test_cron_twice_no_duplicates(self):
        calendar = self._new_calendar("Test China calendar")
        calendar.itss_china_holidays = True
        self.assertFalse(self._china_leaves(calendar))
        with freeze_time("2026-03-01 02:00:00"):
            self.env["resource.calendar"]._cron_itss_china_holidays()
            leaves, lines = self._china_leaves(calendar), self._china_lines(calendar)
            self.assertEqual(len(leaves), 7)
            self.assertEqual(len(lines), 12)
            self.env["resource.calendar"]._cron_itss_china_holidays()
        self.assertEqual(self._china_leaves(calendar), leaves)
        self.assertEqual(self._china_lines(calendar), lines)
        # a calendar not marked for it is left alone
        calendar.itss_china_holidays = False
        plain = self._new_calendar("Test plain calendar")
        with freeze_time("2026-03-01 02:00:00"):
            self.env["resource.calendar"]._cron_itss_china_holidays()
        self.assertFalse(self._china_leaves(plain))

    def test_unknown_year_clear_error_and_logged_noop(self):
        calendar = self._new_calendar("Test far future calendar")
        with freeze_time("2099-06-01 02:00:00"):
            with self.assertRaisesRegex(UserError, "does not know .* of 2099 yet"):
                calendar.with_user(self.admin).action_itss_add_china_holidays()
            calendar.itss_china_holidays = True
            with self.assertLogs(
                "odoo.addons.itss_incident.models.resource_calendar", logging.INFO
            ) as logs:
                self.env["resource.calendar"]._cron_itss_china_holidays()
        self.assertIn("does not know 2099 yet", "\n".join(logs.output))
        self.assertFalse(self._china_leaves(calendar))

    def test_admin_button_adds_the_year(self):
        calendar = self._new_calendar("Test new calendar")
        with freeze_time("2026-03-01 02:00:00"):
            action = calendar.with_user(self.admin).action_itss_add_china_holidays()
        self.assertIn("2026: 33 statutory holiday day(s)", action["params"]["message"])
        self.assertIn("6 make-up working day(s)", action["params"]["message"])
        self.assertEqual(len(self._china_leaves(calendar)), 7)
        self.assertFalse(
            self._china_leaves(calendar).company_id, "shared calendar: every company"
        )

    def test_agent_may_not_add_holidays(self):
        calendar = self._new_calendar("Test agent calendar")
        with freeze_time("2026-03-01 02:00:00"), self.assertRaises(AccessError):
            calendar.with_user(self.agent).action_itss_add_china_holidays()

    def test_shipped_calendar_is_marked(self):
        shipped = self.env.ref("itss_incident.resource_calendar_itss_standard")
        self.assertTrue(shipped.itss_china_holidays)
        cron = self.env.ref("itss_incident.ir_cron_itss_china_holidays")
        self.assertEqual(cron.code, "model._cron_itss_china_holidays()")
