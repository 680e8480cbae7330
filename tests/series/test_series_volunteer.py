"""A regular volunteer: every visit claimed through the ordinary claim, one by one."""

from datetime import timedelta

import pytest

from accounts.models import Relation, RelativeLink, VerificationStatus
from notifications.models import Notification, NotificationKind
from orders import services as orders
from orders.models import OrderStatus
from series import publishing, services, volunteers
from series.models import SeriesEvent, SeriesEventKind
from tests.conftest import make_elder_profile, make_user
from tests.orders.conftest import place
from tests.series.conftest import CLOCK_START, FIRST_DAY, at, days_later, visits_of

pytestmark = pytest.mark.usefixtures("english")


def test_taking_a_series_claims_its_visits_except_one_that_clashes_with_another_claim(
    weekly, verified_volunteer, staff, yuexiu, cleaning, django_capture_on_commit_callbacks
):
    other = make_elder_profile(make_user("+8613900000041", name="Other"), yuexiu, sequence="141")
    from tests.orders.conftest import give_welfare_category

    give_welfare_category(other)
    second_monday = at(FIRST_DAY + timedelta(weeks=1))
    clash = orders.approve_order(place(other, cleaning, starts_at=second_monday), by=staff)
    orders.claim_order(clash, now=CLOCK_START, by=verified_volunteer)
    publishing.publish_due_occurrences(now=CLOCK_START)

    with django_capture_on_commit_callbacks(execute=True):
        _series, refusals = volunteers.take_series(weekly, now=CLOCK_START, by=verified_volunteer)

    first, second = visits_of(weekly)
    assert first.status == OrderStatus.CLAIMED
    assert first.volunteer == verified_volunteer
    assert second.status == OrderStatus.PUBLISHED  # still in the market
    assert refusals == [
        (second_monday.date(), f"You already have order {clash.number} at that time.")
    ]
    notice = Notification.objects.get(kind=NotificationKind.SERIES_CLAIM_REFUSED)
    assert notice.recipient == verified_volunteer
    assert clash.number in notice.details
    assert SeriesEvent.objects.filter(series=weekly, kind=SeriesEventKind.TAKEN).count() == 1


def test_visits_published_later_are_claimed_for_the_regular_volunteer(weekly, verified_volunteer):
    volunteers.take_series(weekly, now=CLOCK_START, by=verified_volunteer)

    publishing.publish_due_occurrences(now=CLOCK_START)
    publishing.publish_due_occurrences(now=days_later(7))

    assert [order.volunteer for order in visits_of(weekly)] == [verified_volunteer] * 3


def test_a_released_visit_alone_goes_back_to_the_market_and_the_elder_is_told(
    weekly, verified_volunteer, welfare_elder, django_capture_on_commit_callbacks
):
    volunteers.take_series(weekly, now=CLOCK_START, by=verified_volunteer)
    publishing.publish_due_occurrences(now=CLOCK_START)
    first, second = visits_of(weekly)

    with django_capture_on_commit_callbacks(execute=True):
        orders.release_claim(first, by=verified_volunteer)

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == OrderStatus.PUBLISHED
    assert first.volunteer is None
    assert second.volunteer == verified_volunteer
    assert Notification.objects.filter(
        kind=NotificationKind.RELEASED, recipient=welfare_elder.user, subject_id=first.pk
    ).exists()
    weekly.refresh_from_db()
    assert weekly.volunteer == verified_volunteer


def test_a_relative_cannot_take_the_series(weekly, verified_volunteer, welfare_elder):
    RelativeLink.objects.create(
        requester=verified_volunteer,
        relative=welfare_elder.user,
        relation=Relation.CHILD,
        status=VerificationStatus.VERIFIED,
        district=welfare_elder.district,
        street=welfare_elder.street,
    )

    with pytest.raises(services.SeriesError, match="your own elders"):
        volunteers.take_series(weekly, now=CLOCK_START, by=verified_volunteer)


def test_a_second_volunteer_cannot_take_a_taken_series(
    weekly, verified_volunteer, second_volunteer
):
    volunteers.take_series(weekly, now=CLOCK_START, by=verified_volunteer)

    with pytest.raises(services.SeriesError, match="Another volunteer"):
        volunteers.take_series(weekly, now=CLOCK_START, by=second_volunteer)


def test_a_series_awaiting_review_cannot_be_taken(welfare_elder, cleaning, verified_volunteer):
    from tests.series.conftest import set_up

    with pytest.raises(services.SeriesError, match="running"):
        volunteers.take_series(set_up(welfare_elder, cleaning), by=verified_volunteer)


def test_an_unverified_volunteer_cannot_take_a_series(weekly, other_volunteer):
    with pytest.raises(services.SeriesError, match="verified volunteers"):
        volunteers.take_series(weekly, by=other_volunteer)
