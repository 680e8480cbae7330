"""A series may leave out official public holidays: the 2026 Spring Festival (15–23 February)."""

import datetime
from datetime import time

import pytest
from django.urls import reverse
from django.utils import timezone

from orders.models import Funding
from series import publishing, services
from series.models import Series, weekdays_mask
from tests.conftest import client_of, set_policy
from tests.series.conftest import visits_of

pytestmark = pytest.mark.usefixtures("english")
BEFORE = timezone.make_aware(datetime.datetime(2026, 2, 1, 8, 0))
MONDAY, WEDNESDAY, SATURDAY = 0, 2, 5


def around_the_spring_festival(elder, service_type, *, skips_holidays, weekdays=(0, 2), **fields):
    fields = {"ends_on": datetime.date(2026, 3, 4), **fields}
    return services.set_up_series(
        elder,
        by=elder.user,
        service_type=service_type,
        weekdays=weekdays_mask(weekdays),
        time_of_day=time(9, 0),
        booked_hours=1,
        funding=Funding.WELFARE,
        starts_on=datetime.date(2026, 2, 9),
        skips_holidays=skips_holidays,
        now=BEFORE,
        **fields,
    )


def days(*numbers):
    """Dates of February 2026, or of March for numbers above 28 (29 is 1 March)."""
    return [datetime.date(2026, 2, 1) + datetime.timedelta(days=n - 1) for n in numbers]


def test_a_series_that_skips_holidays_has_no_visit_in_the_spring_festival(welfare_elder, cleaning):
    skipping = around_the_spring_festival(welfare_elder, cleaning, skips_holidays=True)
    keeping = around_the_spring_festival(welfare_elder, cleaning, skips_holidays=False)
    until = datetime.date(2026, 3, 31)

    assert skipping.dates(until) == days(9, 11, 25, 30, 32)  # not 16, 18, 23
    assert keeping.dates(until) == days(9, 11, 16, 18, 23, 25, 30, 32)


def test_make_up_working_days_add_no_visit(welfare_elder, cleaning):
    weekdays_only = around_the_spring_festival(
        welfare_elder, cleaning, skips_holidays=True, weekdays=range(5)
    )

    dates = weekdays_only.dates(datetime.date(2026, 3, 4))

    assert datetime.date(2026, 2, 14) not in dates  # a make-up Saturday
    assert datetime.date(2026, 2, 28) not in dates
    assert all(day.weekday() < 5 for day in dates)
    assert not set(days(16, 17, 18, 19, 20, 23)) & set(dates)


def test_a_series_counted_in_visits_gains_the_holidays_at_its_end(welfare_elder, cleaning):
    series = around_the_spring_festival(
        welfare_elder,
        cleaning,
        skips_holidays=True,
        weekdays=[MONDAY],
        ends_on=None,
        visits=3,
    )

    assert series.dates(datetime.date(2026, 12, 31)) == days(9, 30, 37)


def test_the_policys_extra_holidays_are_skipped_too(welfare_elder, cleaning):
    set_policy(extra_holidays="2026-03-02")
    series = around_the_spring_festival(welfare_elder, cleaning, skips_holidays=True)

    assert datetime.date(2026, 3, 2) not in series.dates(datetime.date(2026, 3, 4))


def test_the_publisher_publishes_no_visit_on_a_holiday(welfare_elder, cleaning, staff):
    set_policy(series_horizon_days=40)
    series = services.approve_series(
        around_the_spring_festival(welfare_elder, cleaning, skips_holidays=True), by=staff
    )

    publishing.publish_due_occurrences(now=BEFORE)

    published = [timezone.localdate(order.starts_at) for order in visits_of(series)]
    assert published == days(9, 11, 25, 30, 32)


def test_the_set_up_form_asks_whether_to_skip_holidays(welfare_elder, cleaning):
    client = client_of(welfare_elder.user)
    page = client.get(reverse("series:new", args=[welfare_elder.pk]))
    assert 'name="skips_holidays"' in page.content.decode()

    client.post(
        reverse("series:new", args=[welfare_elder.pk]),
        {
            "service_type": cleaning.pk,
            "weekdays": ["0"],
            "time_of_day": "09:00",
            "booked_hours": "1",
            "funding": "welfare",
            "starts_on": "2030-06-03",
            "visits": "4",
            "skips_holidays": "on",
        },
    )

    assert Series.objects.get().skips_holidays is True
