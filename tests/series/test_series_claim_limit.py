"""Taking a repeating service is one claim against the hourly limit, however many visits."""

from datetime import timedelta

import pytest

from orders import services as orders
from orders.models import OrderEvent, OrderStatus
from orders.services import CLAIMS_PER_HOUR
from series import publishing, services, volunteers
from series.models import ALL_WEEKDAYS
from tests.conftest import set_policy
from tests.orders.conftest import place
from tests.series.conftest import CLOCK_START, FIRST_DAY, at, set_up, visits_of

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def twelve_published(welfare_elder, cleaning, staff):
    """A series of 12 daily visits at 9:00, all 12 published."""
    set_policy(series_horizon_days=20)
    series = services.approve_series(
        set_up(welfare_elder, cleaning, weekdays=ALL_WEEKDAYS, visits=12), by=staff
    )
    publishing.publish_due_occurrences(now=CLOCK_START)
    assert visits_of(series).count() == 12
    return series


def ordinary_orders(elder, service_type, staff, count):
    """Published one-off orders in the afternoons, clear of the series' mornings."""
    return [
        orders.approve_order(
            place(elder, service_type, starts_at=at(FIRST_DAY + timedelta(days=day), 14)),
            by=staff,
        )
        for day in range(count)
    ]


def claim_all(found, volunteer):
    for order in found:
        orders.claim_order(order, now=CLOCK_START, by=volunteer)


def test_a_volunteer_takes_twelve_visits_and_can_still_claim_an_ordinary_order(
    twelve_published, welfare_elder, cleaning, staff, verified_volunteer
):
    _series, refusals = volunteers.take_series(
        twelve_published, now=CLOCK_START, by=verified_volunteer
    )
    [ordinary] = ordinary_orders(welfare_elder, cleaning, staff, 1)

    orders.claim_order(ordinary, now=CLOCK_START, by=verified_volunteer)

    assert refusals == []
    assert set(visits_of(twelve_published).values_list("status", flat=True)) == {
        OrderStatus.CLAIMED
    }
    ordinary.refresh_from_db()
    assert ordinary.volunteer == verified_volunteer
    counted = OrderEvent.objects.filter(to_status=OrderStatus.CLAIMED, standing=False)
    assert counted.count() == 2  # the take, and the ordinary claim


def test_taking_counts_as_one_claim_of_the_hour(
    twelve_published, welfare_elder, cleaning, staff, verified_volunteer
):
    found = ordinary_orders(welfare_elder, cleaning, staff, CLAIMS_PER_HOUR)
    claim_all(found[: CLAIMS_PER_HOUR - 1], verified_volunteer)

    volunteers.take_series(twelve_published, now=CLOCK_START, by=verified_volunteer)

    with pytest.raises(orders.OrderError, match=f"claimed {CLAIMS_PER_HOUR} orders"):
        orders.claim_order(found[-1], now=CLOCK_START, by=verified_volunteer)


def test_at_the_hourly_limit_a_series_cannot_be_taken(
    twelve_published, welfare_elder, cleaning, staff, verified_volunteer
):
    claim_all(ordinary_orders(welfare_elder, cleaning, staff, CLAIMS_PER_HOUR), verified_volunteer)

    with pytest.raises(services.SeriesError, match="in the last hour"):
        volunteers.take_series(twelve_published, now=CLOCK_START, by=verified_volunteer)

    twelve_published.refresh_from_db()
    assert twelve_published.volunteer is None
    assert set(visits_of(twelve_published).values_list("status", flat=True)) == {
        OrderStatus.PUBLISHED
    }


def test_visits_the_publisher_claims_for_the_regular_volunteer_are_not_counted(
    welfare_elder, cleaning, staff, verified_volunteer
):
    set_policy(series_horizon_days=20)
    series = services.approve_series(
        set_up(welfare_elder, cleaning, weekdays=ALL_WEEKDAYS, visits=12), by=staff
    )
    volunteers.take_series(series, now=CLOCK_START, by=verified_volunteer)  # nothing published yet

    publishing.publish_due_occurrences(now=CLOCK_START)

    assert visits_of(series).filter(volunteer=verified_volunteer).count() == 12
    assert orders.claim_limit_refusal(verified_volunteer) is None
