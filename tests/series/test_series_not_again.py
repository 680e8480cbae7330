"""A volunteer the elder's side asked not to come again takes none of their repeating visits."""

from datetime import timedelta

import pytest

from notifications.models import Notification, NotificationKind
from orders import services as orders
from orders.models import OrderStatus
from series import publishing, services, volunteers
from tests.conftest import client_of
from tests.orders.conftest import place
from tests.series.conftest import CLOCK_START, FIRST_DAY, at, visits_of

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def not_again(welfare_elder, cleaning, staff, verified_volunteer):
    """The volunteer served the elder once, and the elder asked them not to come again."""
    visit = orders.approve_order(
        place(welfare_elder, cleaning, starts_at=at(FIRST_DAY + timedelta(days=1), 14)), by=staff
    )
    orders.claim_order(visit, now=CLOCK_START, by=verified_volunteer)
    orders.check_in(visit, now=visit.starts_at, by=verified_volunteer)
    orders.check_out(visit, now=visit.starts_at + timedelta(hours=1), by=verified_volunteer)
    orders.confirm_order(visit, by=welfare_elder.user)
    return orders.mark_not_again(visit, by=welfare_elder.user)


def test_a_volunteer_marked_not_again_cannot_take_the_elders_series(
    weekly, not_again, verified_volunteer
):
    with pytest.raises(services.SeriesError, match="not open to you"):
        volunteers.take_series(weekly, now=CLOCK_START, by=verified_volunteer)

    weekly.refresh_from_db()
    assert weekly.volunteer is None


def test_another_volunteer_still_can(weekly, not_again, second_volunteer):
    volunteers.take_series(weekly, now=CLOCK_START, by=second_volunteer)

    weekly.refresh_from_db()
    assert weekly.volunteer == second_volunteer


def test_the_regular_volunteer_marked_since_gets_no_more_visits(
    weekly, verified_volunteer, welfare_elder, cleaning, staff
):
    volunteers.take_series(weekly, now=CLOCK_START, by=verified_volunteer)
    publishing.publish_due_occurrences(now=CLOCK_START)
    assert {order.volunteer for order in visits_of(weekly)} == {verified_volunteer}
    visit = orders.approve_order(
        place(welfare_elder, cleaning, starts_at=at(FIRST_DAY + timedelta(days=1), 14)), by=staff
    )
    orders.claim_order(visit, now=CLOCK_START, by=verified_volunteer)
    orders.check_in(visit, now=visit.starts_at, by=verified_volunteer)
    orders.check_out(visit, now=visit.starts_at + timedelta(hours=1), by=verified_volunteer)
    orders.confirm_order(visit, by=welfare_elder.user)
    orders.mark_not_again(visit, by=welfare_elder.user)

    # The visits they had claimed are back in the market at once...
    visits = list(visits_of(weekly))
    assert visits
    assert {(order.status, order.volunteer) for order in visits} == {(OrderStatus.PUBLISHED, None)}
    # ...and the next run lets the series go, without a notice a visit was refused.
    publishing.publish_due_occurrences(now=CLOCK_START + timedelta(days=7))
    weekly.refresh_from_db()
    assert weekly.volunteer is None
    assert not Notification.objects.filter(
        recipient=verified_volunteer, kind=NotificationKind.SERIES_CLAIM_REFUSED
    ).exists()


def test_the_series_page_is_a_404_for_the_marked_volunteer(
    weekly, not_again, verified_volunteer, second_volunteer
):
    url = weekly.get_absolute_url()

    assert client_of(verified_volunteer).get(url).status_code == 404
    assert client_of(second_volunteer).get(url).status_code == 200
