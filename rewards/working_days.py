"""Working days by China's official calendar, for the public-notice (公示) period.

The State Council publishes each year's holidays and make-up working days
(调休) late in the year before; `chinese-calendar` carries them, one release
per year. Staff may correct a date, or cover a year the installed release
does not know yet, with the policy's extra holidays and extra working days.
A year known to neither is an error rather than a guess: a notice must not
close in the middle of a holiday nobody entered.
"""

import datetime

import chinese_calendar
from django.utils.translation import gettext as _

from credits.models import current_policy


class CalendarError(Exception):
    """A date the official calendar does not know and staff have not entered."""


def is_working_day(day, policy):
    """True if `day` is worked: staff entries first, then the official calendar."""
    holidays, working_days = policy.extra_holidays_set, policy.extra_working_days_set
    if day in working_days:
        return True
    if day in holidays:
        return False
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        if any(entered.year == day.year for entered in holidays | working_days):
            return day.weekday() < 5  # a year staff entered by hand
        raise CalendarError(
            _(
                "The working calendar does not know %(year)s yet. Update the chinese-calendar "
                "package, or enter that year's holidays and make-up working days in the policy."
            )
            % {"year": day.year}
        ) from None


def _known(year, policy):
    """True if the official calendar or staff's entries cover `year`."""
    entered = policy.extra_holidays_set | policy.extra_working_days_set
    if any(day.year == year for day in entered):
        return True
    try:
        chinese_calendar.is_workday(datetime.date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


def unknown_year_ahead(today, policy, days=60):
    """The first year within `days` of `today` that nobody has given the calendar of, or None.

    Staff are warned weeks ahead: from the first such day every notice that
    would close in it fails until that year's holidays are entered.
    """
    for year in sorted({today.year, (today + datetime.timedelta(days=days)).year}):
        if not _known(year, policy):
            return year
    return None


def is_public_holiday(day, policy):
    """Is `day` in an official public holiday (节假日), or a holiday staff entered?

    Weekends as such are not, nor are make-up working days; in a year the
    installed calendar does not know, only the entered holidays are.
    """
    if day in policy.extra_working_days_set:
        return False
    if day in policy.extra_holidays_set:
        return True
    try:
        on_holiday, name = chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:
        return False
    return on_holiday and name is not None


def add_working_days(day, count, policy=None):
    """The date `count` working days after `day`."""
    policy = policy or current_policy()
    while count:
        day += datetime.timedelta(days=1)
        if is_working_day(day, policy):
            count -= 1
    return day
