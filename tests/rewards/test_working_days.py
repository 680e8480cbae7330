"""The public-notice period counts working days by China's official calendar."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from rewards.models import StarNotice
from rewards.services import open_star_notice, star_level_awarded
from rewards.tasks import review_stars
from rewards.working_days import CalendarError, add_working_days, unknown_year_ahead
from tests.conftest import set_policy
from tests.rewards.conftest import serve

pytestmark = pytest.mark.django_db

LAST_WORKING_DAY_BEFORE_SPRING_FESTIVAL_2026 = datetime.date(2026, 2, 14)  # a make-up Saturday


@pytest.fixture
def today_is(monkeypatch):
    """Make `timezone.localdate()` (without arguments) return the given day."""
    original = timezone.localdate

    def set_today(day):
        monkeypatch.setattr(
            timezone, "localdate", lambda value=None, tz=None: original(value, tz) if value else day
        )

    return set_today


def test_five_working_days_skip_the_weekend():
    friday = datetime.date(2026, 11, 27)

    assert add_working_days(friday, 5) == datetime.date(2026, 12, 4)


def test_a_notice_opened_before_the_spring_festival_closes_on_the_fifth_working_day_after_it(
    volunteer, today_is
):
    today_is(LAST_WORKING_DAY_BEFORE_SPRING_FESTIVAL_2026)
    serve(volunteer, 100)

    notice = open_star_notice(volunteer)

    # Holiday 15-23 February; then Tuesday to Friday, and the make-up Saturday the 28th.
    assert notice.closes_on == datetime.date(2026, 2, 28)


def test_a_make_up_working_saturday_counts():
    friday = datetime.date(2026, 2, 27)

    assert add_working_days(friday, 1) == datetime.date(2026, 2, 28)


def test_a_date_beyond_the_official_calendar_is_a_clear_error():
    with pytest.raises(CalendarError, match="does not know 2100 yet"):
        add_working_days(datetime.date(2099, 12, 31), 1)


def test_stars_due_are_awarded_even_when_the_calendar_cannot_open_new_notices(
    volunteer, other_volunteer, today_is
):
    serve(volunteer, 100)
    due = open_star_notice(volunteer)
    StarNotice.objects.filter(pk=due.pk).update(closes_on=datetime.date(2099, 12, 30))
    serve(other_volunteer, 100)
    today_is(datetime.date(2100, 1, 4))  # a year the calendar does not know

    with pytest.raises(CalendarError):
        review_stars()

    assert star_level_awarded(volunteer) == 1


def test_staff_entries_override_the_official_calendar():
    set_policy(extra_holidays="2026-03-02", extra_working_days="2026-03-07")
    make_up_saturday, friday = datetime.date(2026, 2, 28), datetime.date(2026, 3, 6)

    assert add_working_days(make_up_saturday, 1) == datetime.date(2026, 3, 3)
    assert add_working_days(friday, 1) == datetime.date(2026, 3, 7)


def test_a_year_entered_by_hand_counts_monday_to_friday_and_its_entries():
    set_policy(extra_holidays="2100-01-01", extra_working_days="2100-01-09")
    new_years_eve = datetime.date(2099, 12, 31)  # a Thursday; the library knows neither year

    # Friday 1st is a holiday; Monday 4th to Friday 8th, then Saturday 9th entered by staff.
    assert add_working_days(new_years_eve, 6) == datetime.date(2100, 1, 9)


def test_a_year_without_entries_stays_an_error_when_another_year_has_some():
    set_policy(extra_holidays="2100-01-01")

    with pytest.raises(CalendarError, match="does not know 2099 yet"):
        add_working_days(datetime.date(2099, 12, 29), 1)


def test_the_policy_refuses_a_date_it_cannot_read():
    policy = set_policy(extra_holidays="2026-02-30")

    with pytest.raises(ValidationError):
        policy.full_clean()


def test_staff_are_warned_of_a_year_nobody_has_given_the_calendar_of():
    policy = set_policy()

    assert unknown_year_ahead(datetime.date(2026, 3, 1), policy) is None
    assert unknown_year_ahead(datetime.date(2099, 3, 1), policy) == 2099
    # Weeks ahead: in late autumn the coming year is already due.
    only_this_year = set_policy(extra_holidays="2099-10-01")
    assert unknown_year_ahead(datetime.date(2099, 11, 20), only_this_year) == 2100
    entered = set_policy(extra_holidays="2099-10-01", extra_working_days="2100-01-02")
    assert unknown_year_ahead(datetime.date(2099, 11, 20), entered) is None


def test_the_dashboard_warns_while_this_year_is_unknown(client, city_staff, monkeypatch):
    import chinese_calendar

    def knows_nothing(day):
        raise NotImplementedError

    monkeypatch.setattr(chinese_calendar, "is_workday", knows_nothing)
    client.force_login(city_staff)
    year = timezone.localdate().year
    warned = client.get("/en/admin/dashboard/")
    this_year = f"{year}-10-01"
    next_year = f"{year + 1}-01-04"
    set_policy(extra_holidays=this_year, extra_working_days=next_year)
    entered = client.get("/en/admin/dashboard/")

    assert f"does not know {year} yet" in warned.content.decode()
    assert "/en/admin/credits/policy/" in warned.content.decode()
    assert "does not know" not in entered.content.decode()
