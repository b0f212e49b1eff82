import logging
from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models, tools
from odoo.exceptions import UserError

from .. import compat
from ..tools import toast
from ..tools.china_calendar import UnknownYear, china_days, library_version

_logger = logging.getLogger(__name__)


class ResourceCalendar(models.Model):
    """China's working calendar (DESIGN.md, "Service contracts"): its statutory
    holidays become global leaves of the calendar, its make-up working days (调休) dated
    attendances, generated from the chinesecalendar library a year at a time."""

    _inherit = "resource.calendar"

    itss_china_holidays = fields.Boolean(
        string="China's Statutory Holidays",
        help="The scheduled action adds China's statutory holidays (as time off) and "
        "make-up working days (as dated working hours) of each new year to this "
        "calendar as soon as the holiday library knows the State Council's "
        "arrangement.",
    )

    def action_itss_add_china_holidays(self):
        """Add the holidays of the year after the last one present (the current year
        if none, or if that one is past) to each calendar."""
        current = fields.Date.context_today(self).year
        added = []
        for calendar in self:
            last = calendar._itss_china_last_year()
            year = max(last + 1, current) if last else current
            try:
                counts = calendar._itss_add_china_holidays(year)
            except UnknownYear as error:
                raise UserError(
                    self.env._(
                        "The holiday library (chinesecalendar %(version)s) does not "
                        "know China's statutory holidays of %(year)s yet. The State "
                        "Council publishes next year's arrangement around November; "
                        "once a new version of the library carries it, upgrade the "
                        "library and click again.",
                        version=library_version() or "-",
                        year=year,
                    )
                ) from error
            added.append(
                self.env._(
                    "%(calendar)s, %(year)s: %(holidays)s statutory holiday day(s) "
                    "and %(workdays)s make-up working day(s) added.",
                    calendar=calendar.name,
                    year=year,
                    holidays=counts[0],
                    workdays=counts[1],
                )
            )
        return toast("\n".join(added), close_dialog=False)

    @api.model
    def _cron_itss_china_holidays(self):
        """Add the current and the next year to the calendars marked for China's
        holidays, each year when the library knows it (a logged no-op otherwise);
        idempotent."""
        calendars = self.search([("itss_china_holidays", "=", True)], order="id")
        year = fields.Date.context_today(self).year
        done = 0
        for calendar in calendars:
            try:
                with self.env.cr.savepoint():
                    calendar._itss_add_known_years([year, year + 1])
                done += 1
            except Exception:
                _logger.exception(
                    "resource.calendar %s: China's holidays not added", calendar.id
                )
        compat.cron_progress(self.env, done, 0)

    @api.model
    def _itss_install_china_holidays(self):
        """At install (and in the 18.0.1.4.0 migration): the shipped calendar gets
        this year's holidays and the next year's if the library knows them."""
        calendar = self.env.ref(
            "itss_incident.resource_calendar_itss_standard", raise_if_not_found=False
        )
        year = fields.Date.context_today(self).year
        if calendar:
            calendar._itss_add_known_years([year, year + 1])

    def _itss_add_known_years(self, years):
        """Add each of ``years`` the library knows; log the others."""
        for calendar in self:
            for year in years:
                try:
                    calendar._itss_add_china_holidays(year)
                except UnknownYear:
                    _logger.info(
                        "chinesecalendar %s does not know %s yet: calendar %s "
                        "unchanged for that year",
                        library_version(),
                        year,
                        calendar.id,
                    )

    def _itss_add_china_holidays(self, year):
        """Add China's statutory holidays of ``year`` as global leaves (whole days in
        the calendar's time zone, one leave per run of days of one holiday) and its
        make-up working days as dated attendances (the calendar's hours of a normal
        weekday). Days already covered are skipped: idempotent. Returns the numbers
        of days added ``(holidays, workdays)``; raises UnknownYear if the library does
        not know ``year``."""
        self.ensure_one()
        holidays, workdays = china_days(year)
        return self._itss_add_holidays(holidays), self._itss_add_workdays(workdays)

    def _itss_china_last_year(self):
        """The last year of China's holidays present on the calendar (0 if none)."""
        self.ensure_one()
        leave = self.env["resource.calendar.leaves"].search(
            [("calendar_id", "=", self.id), ("itss_china_holiday", "=", True)],
            order="date_to desc",
            limit=1,
        )
        if not leave:
            return 0
        return self._itss_local(leave.date_to).year

    def _itss_local(self, moment):
        return pytz.utc.localize(moment).astimezone(pytz.timezone(self.tz or "UTC"))

    def _itss_utc(self, day, at):
        """Naive UTC datetime of ``day`` at ``at`` in the calendar's time zone."""
        local = pytz.timezone(self.tz or "UTC").localize(datetime.combine(day, at))
        return local.astimezone(pytz.utc).replace(tzinfo=None)

    def _itss_add_holidays(self, holidays):
        if not holidays:
            return 0
        Leave = self.env["resource.calendar.leaves"]
        first, last = holidays[0][0], holidays[-1][0]
        existing = Leave.search(
            [
                ("calendar_id", "=", self.id),
                ("resource_id", "=", False),
                ("date_from", "<=", self._itss_utc(last, time.max)),
                ("date_to", ">=", self._itss_utc(first, time.min)),
            ]
        )
        covered = set()
        for leave in existing:
            day = self._itss_local(leave.date_from).date()
            while day <= self._itss_local(leave.date_to).date():
                covered.add(day)
                day += timedelta(days=1)
        runs = []
        for day, name in holidays:
            if day in covered:
                continue
            if runs and runs[-1][2] == name and runs[-1][1] + timedelta(days=1) == day:
                runs[-1][1] = day
            else:
                runs.append([day, day, name])
        leaves = Leave.create(
            [
                {
                    "name": name,
                    "calendar_id": self.id,
                    "time_type": "leave",
                    "date_from": self._itss_utc(start, time.min),
                    "date_to": self._itss_utc(end, time(23, 59, 59)),
                    "itss_china_holiday": True,
                }
                for start, end, name in runs
            ]
        )
        if not self.company_id:
            # the time off of a calendar shared by every company (create gives it the
            # user's company, which the companies' rule would hide from the others)
            leaves.company_id = False
        return sum((end - start).days + 1 for start, end, _name in runs)

    def _itss_add_workdays(self, workdays):
        """Working hours dated ``itss_date`` for the make-up working days the
        calendar does not work yet; their hours are those of the calendar's first
        working weekday."""
        attendances = self.attendance_ids.filtered(
            lambda a: not a.display_type and a.day_period != "lunch"
        )
        weekly = attendances.filtered(lambda a: not a.itss_date)
        vals_list, added = [], 0
        for day, name in workdays:
            worked = weekly.filtered(lambda a, d=day: int(a.dayofweek) == d.weekday())
            if worked or attendances.filtered(lambda a, d=day: a.itss_date == d):
                continue  # a working day of the calendar already
            model = self._itss_weekday_model(weekly, day)
            if not model:
                continue
            added += 1
            vals_list += [
                {
                    "calendar_id": self.id,
                    "name": name,
                    "dayofweek": str(day.weekday()),
                    "itss_date": day,
                    "hour_from": line.hour_from,
                    "hour_to": line.hour_to,
                    "day_period": line.day_period,
                    "week_type": line.week_type,
                    "itss_china_workday": True,
                }
                for line in model
            ]
        self.env["resource.calendar.attendance"].create(vals_list)
        return added

    def write(self, vals):
        res = super().write(vals)
        self.env.registry.clear_cache()  # _itss_work_spans
        return res

    @tools.ormcache(
        "self.id",
        "day",
        "tuple(self.env.companies.ids)",
        "self.env.su",
        "self.env.context.get('employee_timezone')",
    )
    def _itss_work_spans(self, day):
        """The calendar's working time less its time off over the 14 days from
        ``day`` (a date, from 00:00 UTC): ((start, stop), ...), aware, in UTC.

        Cached: every ticket logged, paused or resumed computes its SLA deadlines from
        it (issue 18: three queries and most of the deadlines' time on each ticket).
        Saving a calendar, its working hours or calendar-wide time off clears the
        cache, in every worker, as Odoo's registry caches are. The key holds what
        decides which time off the reader sees (its companies, superuser or not) and
        Odoo's employee time zone."""
        self.ensure_one()
        begin = datetime.combine(day, time.min, tzinfo=pytz.utc)
        intervals = self._work_intervals_batch(begin, begin + timedelta(days=14))
        return tuple(
            (start.astimezone(pytz.utc), stop.astimezone(pytz.utc))
            for start, stop, _meta in intervals[False]
        )

    def _attendance_intervals_batch(
        self, start_dt, end_dt, resources=None, domain=None, tz=None, lunch=False
    ):
        """Working hours dated ``itss_date`` count on their date only: the weekly
        pattern leaves them out, and they are added on their date. (Odoo 18 had
        dated attendances, 19.0 has none: one mechanism for both series.)"""
        weekly = list(domain or []) + [("itss_date", "=", False)]
        result = super()._attendance_intervals_batch(
            start_dt, end_dt, resources=resources, domain=weekly, tz=tz, lunch=lunch
        )
        dated = self.env["resource.calendar.attendance"].search(
            list(domain or [])
            + [
                ("calendar_id", "=", self.id),
                ("display_type", "=", False),
                ("day_period", "=" if lunch else "!=", "lunch"),
                ("itss_date", ">=", start_dt.date() - timedelta(days=1)),
                ("itss_date", "<=", end_dt.date() + timedelta(days=1)),
            ]
        )
        if not dated:
            return result
        for resource in [*(resources or []), self.env["resource.resource"]]:
            zone = tz or pytz.timezone((resource or self).tz or "UTC")
            start, end = start_dt.astimezone(zone), end_dt.astimezone(zone)
            items = []
            for line in dated:
                begin = zone.localize(
                    datetime.combine(
                        line.itss_date, compat.float_to_time(line.hour_from)
                    )
                )
                stop = zone.localize(
                    datetime.combine(line.itss_date, compat.float_to_time(line.hour_to))
                )
                if begin < end and stop > start:
                    items.append((max(begin, start), min(stop, end), line))
            if items:
                result[resource.id] = result[resource.id] | compat.Intervals(items)
        return result

    def _itss_weekday_model(self, weekly, day):
        """The attendances of the calendar's first working weekday (Monday-Friday) of
        ``day``'s week type: the hours of a make-up working day."""
        if self.two_weeks_calendar:
            week_type = str(self.env["resource.calendar.attendance"].get_week_type(day))
            weekly = weekly.filtered(lambda a: a.week_type == week_type)
        for weekday in range(5):
            lines = weekly.filtered(lambda a, w=weekday: int(a.dayofweek) == w)
            if lines:
                return lines.sorted("hour_from")
        return weekly.browse()
