"""Builders for standing orders: a weekly series of the personas' elder, approved."""

import datetime
from datetime import time, timedelta

import pytest
from django.utils import timezone

from orders.models import Funding, Order
from series import services
from series.models import weekdays_mask
from tests.orders.conftest import (  # noqa: F401 - fixtures shared with the orders tests
    cleaning,
    english,
    second_volunteer,
    staff,
    verified_volunteer,
    welfare_elder,
)

# Mondays from 2030-06-03, at 09:00; the simulated clock starts a week before.
FIRST_DAY = datetime.date(2030, 6, 3)
CLOCK_START = timezone.make_aware(datetime.datetime(2030, 5, 27, 8, 0))
MONDAY = 0


def set_up(elder_profile, service_type, *, by=None, funding=Funding.WELFARE, **fields):
    values = {
        "weekdays": weekdays_mask([MONDAY]),
        "time_of_day": time(9, 0),
        "booked_hours": 2,
        "starts_on": FIRST_DAY,
        "visits": 10,
        **fields,
    }
    return services.set_up_series(
        elder_profile,
        by=by or elder_profile.user,
        service_type=service_type,
        funding=funding,
        now=CLOCK_START,
        **values,
    )


@pytest.fixture
def weekly(welfare_elder, cleaning, staff):  # noqa: F811 - the fixtures imported above
    """An approved weekly series of 10 welfare visits, Mondays 9:00 from FIRST_DAY."""
    return services.approve_series(set_up(welfare_elder, cleaning), by=staff)


def visits_of(series):
    return Order.objects.filter(occurrence__series=series).order_by("starts_at")


def at(day, hour=9):
    return timezone.make_aware(datetime.datetime.combine(day, time(hour)))


def days_later(days):
    return CLOCK_START + timedelta(days=days)
