"""Races with real threads on PostgreSQL: the regular volunteer against the market."""

from datetime import time, timedelta

import pytest

from orders import services as orders
from orders.models import Order, OrderStatus
from series import publishing, services, volunteers
from series.models import Series, weekdays_mask
from tests.conftest import run_together
from tests.series.conftest import CLOCK_START, FIRST_DAY, visits_of

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_the_regular_volunteer_and_a_market_volunteer_claim_one_visit_at_once_and_one_wins(
    weekly, verified_volunteer, second_volunteer
):
    publishing.publish_due_occurrences(now=CLOCK_START)
    first = visits_of(weekly).first()

    outcomes = run_together(
        lambda: volunteers.take_series(weekly, now=CLOCK_START, by=verified_volunteer),
        lambda: orders.claim_order(first, now=CLOCK_START, by=second_volunteer),
    )

    assert not isinstance(outcomes[0], Exception)  # taking never fails for a lost visit
    first.refresh_from_db()
    assert first.status == OrderStatus.CLAIMED
    assert first.events.filter(to_status=OrderStatus.CLAIMED).count() == 1
    market_won = isinstance(outcomes[1], Order)
    assert first.volunteer == (second_volunteer if market_won else verified_volunteer)
    _series, refusals = outcomes[0]
    # The market's claim wins either before the taking looks (nothing to refuse)
    # or while it waits on the order's lock (refused, with the reason).
    refused = [day for day, _reason in refusals]
    assert refused in ([], [first.starts_at.date()]) if market_won else refused == []


def test_the_elder_and_staff_change_the_time_at_once_and_one_change_holds(
    weekly, welfare_elder, staff
):
    publishing.publish_due_occurrences(now=CLOCK_START)

    def change(by, hour):
        return services.change_time(
            weekly,
            by=by,
            from_day=FIRST_DAY + timedelta(days=2),
            weekdays=weekdays_mask([2]),
            time_of_day=time(hour),
            booked_hours=2,
            now=CLOCK_START,
        )

    outcomes = run_together(lambda: change(welfare_elder.user, 14), lambda: change(staff, 16))

    made = [outcome for outcome in outcomes if isinstance(outcome, Series)]
    assert len(made) == 1
    # The second waits on the series' lock, then finds it already changed.
    assert [type(outcome) for outcome in outcomes if outcome not in made] == [services.SeriesError]
    assert Series.objects.filter(follows=weekly).count() == 1
    assert visits_of(weekly).filter(status=OrderStatus.CANCELLED).count() == 1
