"""The elder's side: set up, skip one date, pause, resume, end — each one step."""

from datetime import time, timedelta

import pytest

from credits.models import Hold, HoldStatus
from credits.services import wallet_of
from orders.models import Funding, OrderStatus
from series import publishing, services, volunteers
from series.models import Occurrence, OccurrenceState, SeriesStatus, weekdays_mask
from tests.conftest import fund, make_proxy_authorisation, set_policy
from tests.series.conftest import CLOCK_START, FIRST_DAY, days_later, set_up, visits_of

pytestmark = pytest.mark.usefixtures("english")


def test_a_proxy_sets_up_a_series_for_the_elder(welfare_elder, proxy, cleaning):
    make_proxy_authorisation(welfare_elder, proxy)

    series = set_up(welfare_elder, cleaning, by=proxy)

    assert series.status == SeriesStatus.SUBMITTED
    assert series.placed_by == proxy
    assert series.district == welfare_elder.district


def test_staff_of_the_area_set_up_a_series(welfare_elder, cleaning, staff):
    assert set_up(welfare_elder, cleaning, by=staff).placed_by == staff


def test_someone_who_may_not_act_for_the_elder_cannot_set_up_a_series(
    welfare_elder, cleaning, other_proxy, other_district_staff
):
    for outsider in (other_proxy, other_district_staff):
        with pytest.raises(services.SeriesError, match="elders you act for"):
            set_up(welfare_elder, cleaning, by=outsider)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"weekdays": 0}, "at least one weekday"),
        ({"booked_hours": 9}, "between 1 and 8"),
        ({"starts_on": CLOCK_START.date()}, "tomorrow"),
        ({"ends_on": FIRST_DAY + timedelta(weeks=4)}, "either a last day"),
        ({"visits": None}, "either a last day"),
        ({"visits": None, "ends_on": FIRST_DAY - timedelta(days=1)}, "within a year"),
        ({"visits": 101}, "between 1 and 100"),
    ],
)
def test_a_series_with_wrong_figures_is_refused(welfare_elder, cleaning, fields, message):
    with pytest.raises(services.SeriesError, match=message):
        set_up(welfare_elder, cleaning, **fields)


def test_welfare_needs_a_verified_category(elder_profile, cleaning):
    with pytest.raises(services.SeriesError, match="verified elder category"):
        set_up(elder_profile, cleaning)


def test_paying_with_own_credits_waits_for_the_policys_age(welfare_elder, cleaning):
    set_policy(self_pay_age=120)

    with pytest.raises(services.SeriesError, match="opens at age 120"):
        set_up(welfare_elder, cleaning, funding=Funding.OWN_CREDITS)


def test_staff_of_another_district_cannot_review_the_series(
    welfare_elder, cleaning, other_district_staff
):
    series = set_up(welfare_elder, cleaning)

    for review in (
        lambda: services.approve_series(series, by=other_district_staff),
        lambda: services.reject_series(series, by=other_district_staff, reason="No"),
    ):
        with pytest.raises(services.SeriesError, match="outside the area"):
            review()
    series.refresh_from_db()
    assert series.status == SeriesStatus.SUBMITTED


def test_a_series_is_reviewed_once(weekly, staff):
    with pytest.raises(services.SeriesError, match="cannot be changed"):
        services.approve_series(weekly, by=staff)


def test_rejecting_needs_a_reason_and_is_final(welfare_elder, cleaning, staff):
    series = set_up(welfare_elder, cleaning)
    with pytest.raises(services.SeriesError, match="reason"):
        services.reject_series(series, by=staff, reason=" ")

    services.reject_series(series, by=staff, reason="No volunteers for that service")

    assert publishing.publish_due_occurrences(now=CLOCK_START) == 0
    with pytest.raises(services.SeriesError):
        services.approve_series(series, by=staff)


def test_skipping_a_published_date_cancels_its_order_releases_its_hold_and_adds_a_visit_later(
    welfare_elder, cleaning, staff
):
    fund(welfare_elder.user, 10)
    series = services.approve_series(
        set_up(welfare_elder, cleaning, funding=Funding.OWN_CREDITS, visits=2), by=staff
    )
    publishing.publish_due_occurrences(now=CLOCK_START)
    first = visits_of(series).first()

    services.skip_date(series, FIRST_DAY, by=welfare_elder.user, now=CLOCK_START)
    publishing.publish_due_occurrences(now=days_later(7))

    first.refresh_from_db()
    assert first.status == OrderStatus.CANCELLED
    assert Hold.objects.get(transfer__reference=first.reference).status == HoldStatus.RELEASED
    published = visits_of(series).exclude(status=OrderStatus.CANCELLED)
    assert [order.starts_at.date() for order in published] == [
        FIRST_DAY + timedelta(weeks=1),
        FIRST_DAY + timedelta(weeks=2),
    ]
    assert wallet_of(welfare_elder.user).balance == 10 - 2 * 2


def test_a_date_ahead_of_the_horizon_can_be_skipped_and_is_never_published(weekly, welfare_elder):
    later = FIRST_DAY + timedelta(weeks=5)

    services.skip_date(weekly, later, by=welfare_elder.user, now=CLOCK_START)
    publishing.publish_due_occurrences(now=days_later(7 * 5))

    assert later not in [order.starts_at.date() for order in visits_of(weekly)]
    assert Occurrence.objects.get(series=weekly, date=later).state == OccurrenceState.SKIPPED


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (FIRST_DAY + timedelta(days=1), "no visit on that date"),
        (CLOCK_START.date() - timedelta(days=7), "not started"),
    ],
)
def test_only_a_visit_of_the_series_ahead_can_be_skipped(weekly, welfare_elder, day, message):
    with pytest.raises(services.SeriesError, match=message):
        services.skip_date(weekly, day, by=welfare_elder.user, now=CLOCK_START)


def test_a_date_is_skipped_once(weekly, welfare_elder):
    services.skip_date(weekly, FIRST_DAY, by=welfare_elder.user, now=CLOCK_START)

    with pytest.raises(services.SeriesError, match="already skipped"):
        services.skip_date(weekly, FIRST_DAY, by=welfare_elder.user, now=CLOCK_START)


def test_pausing_calls_off_the_visits_ahead_and_resuming_publishes_again(
    weekly, welfare_elder, verified_volunteer
):
    volunteers.take_series(weekly, now=CLOCK_START, by=verified_volunteer)
    publishing.publish_due_occurrences(now=CLOCK_START)

    services.pause_series(weekly, by=welfare_elder.user, now=CLOCK_START)
    paused_run = publishing.publish_due_occurrences(now=days_later(7))

    assert paused_run == 0
    assert set(visits_of(weekly).values_list("status", flat=True)) == {OrderStatus.CANCELLED}

    services.resume_series(weekly, by=welfare_elder.user)
    publishing.publish_due_occurrences(now=days_later(7))

    running = visits_of(weekly).exclude(status=OrderStatus.CANCELLED)
    # The paused Mondays are skipped; the next is within the 14 days from 06-03.
    assert [order.starts_at.date() for order in running] == [FIRST_DAY + timedelta(weeks=2)]
    assert {order.volunteer for order in running} == {verified_volunteer}


def test_ending_calls_off_the_visits_ahead_and_publishes_no_more(weekly, welfare_elder):
    publishing.publish_due_occurrences(now=CLOCK_START)

    services.end_series(weekly, by=welfare_elder.user, now=CLOCK_START)

    assert publishing.publish_due_occurrences(now=days_later(7)) == 0
    assert set(visits_of(weekly).values_list("status", flat=True)) == {OrderStatus.CANCELLED}
    with pytest.raises(services.SeriesError):
        services.resume_series(weekly, by=welfare_elder.user)


def test_a_visit_that_has_started_is_not_called_off_by_ending(weekly, welfare_elder):
    publishing.publish_due_occurrences(now=CLOCK_START)
    first = visits_of(weekly).first()

    services.end_series(weekly, by=welfare_elder.user, now=first.starts_at)

    first.refresh_from_db()
    assert first.status == OrderStatus.PUBLISHED


def test_someone_else_cannot_pause_the_series(weekly, other_proxy, other_district_staff):
    for outsider in (other_proxy, other_district_staff):
        with pytest.raises(services.SeriesError, match="Only the elder"):
            services.pause_series(weekly, by=outsider)


def test_a_series_until_a_last_day_ends_after_it(welfare_elder, cleaning, staff):
    series = services.approve_series(
        set_up(
            welfare_elder,
            cleaning,
            visits=None,
            ends_on=FIRST_DAY + timedelta(weeks=1),
            weekdays=weekdays_mask([0, 3]),
            time_of_day=time(14, 0),
        ),
        by=staff,
    )

    publishing.publish_due_occurrences(now=CLOCK_START)
    publishing.publish_due_occurrences(now=days_later(30))

    assert [order.starts_at.date() for order in visits_of(series)] == [
        FIRST_DAY,
        FIRST_DAY + timedelta(days=3),
        FIRST_DAY + timedelta(weeks=1),
    ]
    series.refresh_from_db()
    assert series.status == SeriesStatus.ENDED
