"""The publisher: every visit exactly once, holds per visit, safe to run twice or late."""

from datetime import timedelta

import pytest
from django.core.management import call_command

from credits.models import Hold, HoldStatus, Transfer, TransferKind
from credits.services import wallet_of
from notifications.models import Notification, NotificationKind
from orders import services as orders
from orders.models import Funding, OrderEvent, OrderStatus
from series import publishing, services, volunteers
from series.models import Occurrence, OccurrenceState, SeriesStatus
from tests.conftest import fund
from tests.series.conftest import (
    CLOCK_START,
    FIRST_DAY,
    at,
    days_later,
    set_up,
    visits_of,
)


def _serve_or_expire_due(series, volunteer, now):
    """What happens to visits whose time has come: served and confirmed, or expired."""
    for order in visits_of(series).filter(starts_at__lte=now):
        if order.status == OrderStatus.CLAIMED:
            orders.check_in(order, by=volunteer, now=order.starts_at)
            orders.check_out(order, by=volunteer, now=order.starts_at + timedelta(hours=2))
            orders.confirm_order(order, by=series.elder.user)
        elif order.status == OrderStatus.PUBLISHED:
            orders.expire_order(order, now=now)


def test_ten_weekly_visits_published_twice_a_day_for_ten_weeks_come_out_exactly_once(
    welfare_elder, cleaning, staff, verified_volunteer
):
    fund(welfare_elder.user, 30)
    series = services.approve_series(
        set_up(welfare_elder, cleaning, funding=Funding.OWN_CREDITS), by=staff
    )
    volunteers.take_series(series, now=CLOCK_START, by=verified_volunteer)

    published = 0
    for half_day in range(2 * 7 * 11):
        now = CLOCK_START + timedelta(hours=12 * half_day)
        published += publishing.publish_due_occurrences(now=now)
        assert publishing.publish_due_occurrences(now=now) == 0  # the same run again
        if now.date() == FIRST_DAY + timedelta(weeks=4) and now.hour == 8:
            # One visit the volunteer gives back: it expires unclaimed, its hold released.
            fifth = visits_of(series).get(starts_at=at(FIRST_DAY + timedelta(weeks=4)))
            orders.release_claim(fifth, by=verified_volunteer)
        _serve_or_expire_due(series, verified_volunteer, now)

    visits = list(visits_of(series))
    assert published == 10
    assert [order.starts_at for order in visits] == [
        at(FIRST_DAY + timedelta(weeks=week)) for week in range(10)
    ]
    assert Occurrence.objects.filter(series=series, state=OccurrenceState.PUBLISHED).count() == 10
    for order in visits:
        assert (
            OrderEvent.objects.filter(
                order=order, from_status=OrderStatus.SUBMITTED, to_status=OrderStatus.PUBLISHED
            ).count()
            == 1
        )
        kinds = list(
            Transfer.objects.filter(reference=order.reference)
            .exclude(kind=TransferKind.EARN)
            .values_list("kind", flat=True)
        )
        assert sorted(kinds) == sorted(
            [TransferKind.HOLD, TransferKind.SPEND]
            if order.status == OrderStatus.COMPLETED
            else [TransferKind.HOLD, TransferKind.RELEASE]
        )
    assert [order.status for order in visits].count(OrderStatus.COMPLETED) == 9
    assert not Hold.objects.filter(status=HoldStatus.OPEN).exists()
    assert wallet_of(welfare_elder.user).balance == 30 - 9 * 2
    series.refresh_from_db()
    assert series.status == SeriesStatus.ENDED
    call_command("verify_ledger")


def test_credits_are_held_for_the_visits_within_the_horizon_only(welfare_elder, cleaning, staff):
    fund(welfare_elder.user, 30)
    series = services.approve_series(
        set_up(welfare_elder, cleaning, funding=Funding.OWN_CREDITS), by=staff
    )

    publishing.publish_due_occurrences(now=CLOCK_START)

    assert visits_of(series).count() == 2  # 06-03 and 06-10, within 14 days
    assert wallet_of(welfare_elder.user).balance == 30 - 2 * 2
    assert Hold.objects.filter(status=HoldStatus.OPEN).count() == 2


def test_a_run_late_publishes_every_missed_visit_still_ahead(weekly):
    publishing.publish_due_occurrences(now=days_later(7 * 3))  # three weeks without a run

    # 06-17 09:00 is ahead of 06-17 08:00: nothing within the horizon is left out.
    assert [order.starts_at.date() for order in visits_of(weekly)] == [
        FIRST_DAY + timedelta(weeks=week) for week in (2, 3, 4)
    ]


def test_the_horizon_is_the_policys(weekly):
    from tests.credits.conftest import set_policy

    set_policy(series_horizon_days=30)

    publishing.publish_due_occurrences(now=CLOCK_START)

    assert visits_of(weekly).count() == 4


def test_a_series_awaiting_review_publishes_nothing(welfare_elder, cleaning):
    series = set_up(welfare_elder, cleaning)

    assert publishing.publish_due_occurrences(now=CLOCK_START) == 0
    assert not visits_of(series).exists()


def test_a_visit_short_of_credits_is_not_published_and_the_elder_is_told_once(
    welfare_elder, cleaning, staff, django_capture_on_commit_callbacks
):
    fund(welfare_elder.user, 3)
    series = services.approve_series(
        set_up(welfare_elder, cleaning, funding=Funding.OWN_CREDITS), by=staff
    )

    with django_capture_on_commit_callbacks(execute=True):
        publishing.publish_due_occurrences(now=CLOCK_START)
        publishing.publish_due_occurrences(now=CLOCK_START + timedelta(hours=12))

    assert visits_of(series).count() == 1
    assert wallet_of(welfare_elder.user).balance == 1  # never below what is there
    short = Occurrence.objects.get(series=series, state=OccurrenceState.SHORT)
    assert short.date == FIRST_DAY + timedelta(weeks=1)
    notices = Notification.objects.filter(kind=NotificationKind.SERIES_SHORT)
    assert [notice.recipient for notice in notices] == [welfare_elder.user]

    fund(welfare_elder.user, 1)
    publishing.publish_due_occurrences(now=CLOCK_START + timedelta(days=1))

    short.refresh_from_db()
    assert short.state == OccurrenceState.PUBLISHED
    assert short.order.status == OrderStatus.PUBLISHED
    assert notices.count() == 1


@pytest.mark.parametrize("runs", [1, 2])
def test_the_schedule_task_publishes_the_due_visits(weekly, runs, monkeypatch):
    from django.utils import timezone

    from series import tasks

    monkeypatch.setattr(timezone, "now", lambda: CLOCK_START)
    for _run in range(runs):
        tasks.publish_occurrences()

    assert visits_of(weekly).count() == 2
