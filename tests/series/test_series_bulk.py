"""The publisher takes all series at once: fixed queries, one-off rules, credits in time order."""

import logging
from datetime import time, timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import AuditLog, ElderCategory, VerificationStatus
from credits.models import Hold, HoldStatus, Transfer, TransferKind
from credits.services import wallet_of
from notifications.models import Notification, NotificationKind
from orders import tasks as order_tasks
from orders.models import Funding, Order, OrderEvent, OrderStatus
from series import publishing, services
from series.models import Occurrence, OccurrenceState, weekdays_mask
from tests.conftest import (
    fund,
    make_elder_profile,
    make_proxy_authorisation,
    make_user,
    run_together,
)
from tests.orders.conftest import give_welfare_category, place
from tests.series.conftest import CLOCK_START, FIRST_DAY, MONDAY, at, set_up, visits_of

pytestmark = pytest.mark.usefixtures("english")
TUESDAY = 1
_elders = iter(range(200, 999))


def _elder(district, credits=0):
    number = next(_elders)
    elder = make_elder_profile(
        make_user(f"+86139000{number:05d}", name=f"Elder {number}"), district, sequence=str(number)
    )
    give_welfare_category(elder)
    if credits:
        fund(elder.user, credits)
    return elder


def _city(count, district, service_type, staff):
    """`count` approved series: welfare and own credits, and one elder short of credits."""
    elders = [_elder(district, credits=100) for _each in range((count + 4) // 5)]
    poor = _elder(district, credits=2)
    every = [
        services.approve_series(
            set_up(
                elders[index // 5],
                service_type,
                time_of_day=time(8 + index % 5),
                funding=Funding.OWN_CREDITS if index % 2 else Funding.WELFARE,
                skips_holidays=index % 3 == 0,  # they read the calendar, not the database
            ),
            by=staff,
        )
        for index in range(count - 1)
    ]
    every.append(
        services.approve_series(set_up(poor, service_type, funding=Funding.OWN_CREDITS), by=staff)
    )
    return every


@pytest.mark.postgres
def test_the_queries_of_a_run_do_not_grow_with_the_number_of_series(yuexiu, cleaning, staff):
    # A worker's first run reads what it then keeps for the process (content types).
    _city(1, yuexiu, cleaning, staff)
    publishing.publish_due_occurrences(now=CLOCK_START)
    counts, published = [], []
    for size in (5, 50):
        _city(size, yuexiu, cleaning, staff)
        with CaptureQueriesContext(connection) as queries:
            published.append(publishing.publish_due_occurrences(now=CLOCK_START))
        counts.append(len(queries))

    # Two Mondays within the horizon each; each poor elder's second one is short.
    assert published == [2 * 5 - 1, 2 * 50 - 1]
    assert counts[0] == counts[1]
    assert Occurrence.objects.filter(state=OccurrenceState.SHORT).count() == 1 + 2  # warm-up's
    call_command("verify_ledger")


def test_an_elders_credits_go_to_their_visits_in_time_order_across_series(
    welfare_elder, cleaning, staff, django_capture_on_commit_callbacks
):
    fund(welfare_elder.user, 5)
    mondays, tuesdays = (
        services.approve_series(
            set_up(
                welfare_elder, cleaning, funding=Funding.OWN_CREDITS, weekdays=weekdays_mask([day])
            ),
            by=staff,
        )
        for day in (MONDAY, TUESDAY)
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert publishing.publish_due_occurrences(now=CLOCK_START) == 2

    assert [order.starts_at for order in visits_of(mondays)] == [at(FIRST_DAY)]
    assert [order.starts_at for order in visits_of(tuesdays)] == [at(FIRST_DAY + timedelta(days=1))]
    short = Occurrence.objects.get(state=OccurrenceState.SHORT)
    assert (short.series, short.date) == (mondays, FIRST_DAY + timedelta(weeks=1))
    assert wallet_of(welfare_elder.user).balance == 1
    assert Hold.objects.filter(status=HoldStatus.OPEN).count() == 2
    notices = Notification.objects.filter(kind=NotificationKind.SERIES_SHORT)
    assert [(notice.recipient, notice.subject) for notice in notices] == [
        (welfare_elder.user, short)
    ]
    call_command("verify_ledger")


def test_each_published_visit_has_the_rows_of_a_submitted_and_approved_order(
    welfare_elder, proxy, cleaning, staff, django_capture_on_commit_callbacks
):
    make_proxy_authorisation(welfare_elder, proxy)
    fund(welfare_elder.user, 10)
    series = services.approve_series(
        set_up(welfare_elder, cleaning, by=proxy, funding=Funding.OWN_CREDITS), by=staff
    )

    with django_capture_on_commit_callbacks(execute=True):
        publishing.publish_due_occurrences(now=CLOCK_START)

    for order in visits_of(series):
        assert order.status == OrderStatus.PUBLISHED
        assert order.published_at is not None
        assert order.placed_by == proxy
        assert order.ends_at == order.starts_at + timedelta(hours=2)
        assert (order.address_detail, order.district, order.street) == (
            welfare_elder.address,
            welfare_elder.district,
            welfare_elder.street,
        )
        steps = list(order.events.values_list("actor", "on_behalf_of", "from_status", "to_status"))
        assert steps == [
            (proxy.pk, welfare_elder.user_id, "", OrderStatus.SUBMITTED),
            (staff.pk, None, OrderStatus.SUBMITTED, OrderStatus.PUBLISHED),
        ]
        approval = AuditLog.objects.get(target_type="orders.order", target_id=str(order.pk))
        assert (approval.actor, approval.action, approval.district) == (
            staff,
            "order.approved",
            order.district,
        )
        hold = Transfer.objects.get(reference=order.reference)
        assert (hold.kind, hold.amount, hold.idempotency_key, hold.created_by) == (
            TransferKind.HOLD,
            2,
            f"{order.reference}:hold",
            proxy,
        )
        # The elder's side hears of each approval, as of a one-off order's.
        assert Notification.objects.filter(
            kind=NotificationKind.APPROVED, recipient=welfare_elder.user, subject_id=order.pk
        ).exists()
    assert visits_of(series).count() == 2
    call_command("verify_ledger")


def test_a_long_list_of_published_orders_is_told_of_in_several_tasks(
    weekly, welfare_elder, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(order_tasks, "ANNOUNCE_AT_ONCE", 1)
    told = []
    real = order_tasks.notify_order
    monkeypatch.setattr(
        order_tasks,
        "notify_order",
        lambda order_id, kind: told.append(order_id) or real(order_id, kind),
    )

    with django_capture_on_commit_callbacks(execute=True):
        publishing.publish_due_occurrences(now=CLOCK_START)

    assert sorted(told) == sorted(visits_of(weekly).values_list("pk", flat=True))
    assert (
        Notification.objects.filter(
            kind=NotificationKind.APPROVED, recipient=welfare_elder.user
        ).count()
        == 2
    )


def test_visits_are_placed_by_the_elder_once_the_proxy_who_set_the_series_up_is_revoked(
    welfare_elder, proxy, cleaning, staff
):
    authorisation = make_proxy_authorisation(welfare_elder, proxy)
    series = services.approve_series(set_up(welfare_elder, cleaning, by=proxy), by=staff)
    authorisation.status = VerificationStatus.REVOKED
    authorisation.save()

    publishing.publish_due_occurrences(now=CLOCK_START)

    assert {order.placed_by for order in visits_of(series)} == {welfare_elder.user}
    assert not OrderEvent.objects.filter(on_behalf_of__isnull=False).exists()


def test_a_visit_the_order_rules_refuse_is_left_out_and_tried_again_on_the_next_run(
    weekly, welfare_elder, caplog
):
    ElderCategory.objects.filter(elder=welfare_elder).update(status=VerificationStatus.REVOKED)

    with caplog.at_level(logging.WARNING, logger="series.publishing"):
        assert publishing.publish_due_occurrences(now=CLOCK_START) == 0

    assert "verified elder category" in caplog.text
    assert not Occurrence.objects.exists()
    ElderCategory.objects.filter(elder=welfare_elder).update(status=VerificationStatus.VERIFIED)
    assert publishing.publish_due_occurrences(now=CLOCK_START + timedelta(hours=12)) == 2


def test_a_visit_booked_as_a_one_off_order_for_the_same_time_is_not_booked_twice(
    weekly, welfare_elder, cleaning, caplog
):
    one_off = place(welfare_elder, cleaning, starts_at=at(FIRST_DAY))

    with caplog.at_level(logging.WARNING, logger="series.publishing"):
        assert publishing.publish_due_occurrences(now=CLOCK_START) == 1

    assert f"already booked for that time: order {one_off.number}" in caplog.text
    assert [order.starts_at for order in visits_of(weekly)] == [at(FIRST_DAY + timedelta(weeks=1))]


def test_staff_who_no_longer_cover_the_area_publish_nothing_in_their_name(weekly, staff, caplog):
    staff.staff_scope.delete()

    with caplog.at_level(logging.WARNING, logger="series.publishing"):
        assert publishing.publish_due_occurrences(now=CLOCK_START) == 0

    assert "outside the area you manage" in caplog.text


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_publish_each_visit_once(yuexiu, cleaning, staff, caplog):
    every = _city(10, yuexiu, cleaning, staff)

    with caplog.at_level(logging.WARNING, logger="series.publishing"):
        outcomes = run_together(
            lambda: publishing.publish_due_occurrences(now=CLOCK_START),
            lambda: publishing.publish_due_occurrences(now=CLOCK_START),
        )

    # The second run leaves the series the first holds: it does not even try them
    # (without the lock it would, and be refused each visit as already booked).
    assert not caplog.records

    assert not any(isinstance(outcome, Exception) for outcome in outcomes)
    assert sum(outcomes) == 2 * 10 - 1
    for series in every:
        starts = list(visits_of(series).values_list("starts_at", flat=True))
        assert len(starts) == len(set(starts))
    assert Occurrence.objects.filter(state=OccurrenceState.PUBLISHED).count() == 2 * 10 - 1
    assert Order.objects.count() == 2 * 10 - 1  # none placed by a run that lost
    assert Hold.objects.count() == Transfer.objects.filter(kind=TransferKind.HOLD).count()
    assert publishing.publish_due_occurrences(now=CLOCK_START) == 0
    call_command("verify_ledger")
