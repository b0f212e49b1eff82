"""China's statutory holidays (法定节假日) and make-up working days (调休上班日) of a
year, from the `chinesecalendar` library (import name ``chinese_calendar``), which
carries the State Council's yearly arrangement and is released after each one (usually
November or December for the next year). Plain Python: the ORM side is
models/resource_calendar.py."""

import datetime

try:
    import chinese_calendar
except ImportError:  # the manifest's external_dependencies make it required
    chinese_calendar = None


class UnknownYear(Exception):
    """The library does not know the arrangement of this year (not published yet, or
    not in the installed version)."""


def library_version():
    return getattr(chinese_calendar, "__version__", "") if chinese_calendar else ""


def _bilingual(english):
    """ "春节 / Spring Festival" for the library's English holiday name."""
    try:
        chinese = chinese_calendar.Holiday(english).chinese
    except ValueError:
        return english
    return f"{chinese} / {english}"


def china_days(year):
    """``(holidays, workdays)`` of ``year``: each a list of ``(date, name)`` in date
    order, ``name`` bilingual ("春节 / Spring Festival"). ``holidays``: every day off of
    the State Council's arrangement (weekend days inside a holiday included);
    ``workdays``: the make-up working days, weekend days that are worked. Raises
    UnknownYear if the library does not know ``year``."""
    if chinese_calendar is None:
        raise UnknownYear(year)
    day = datetime.date(year, 1, 1)
    holidays, workdays = [], []
    try:
        while day.year == year:
            is_holiday, english = chinese_calendar.get_holiday_detail(day)
            if english and is_holiday:
                holidays.append((day, _bilingual(english)))
            elif english and day.weekday() >= 5:
                workdays.append((day, _bilingual(english)))
            day += datetime.timedelta(days=1)
    except NotImplementedError as error:
        raise UnknownYear(year) from error
    return holidays, workdays
