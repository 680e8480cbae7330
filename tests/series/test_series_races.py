"""Races with real threads on PostgreSQL: the regular volunteer against the market."""

import pytest

from orders import services as orders
from orders.models import Order, OrderStatus
from series import publishing, services
from tests.conftest import run_together
from tests.series.conftest import CLOCK_START, visits_of

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_the_regular_volunteer_and_a_market_volunteer_claim_one_visit_at_once_and_one_wins(
    weekly, verified_volunteer, second_volunteer
):
    publishing.publish_due_occurrences(now=CLOCK_START)
    first = visits_of(weekly).first()

    outcomes = run_together(
        lambda: services.take_series(weekly, now=CLOCK_START, by=verified_volunteer),
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
