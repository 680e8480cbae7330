"""Races with real threads on PostgreSQL: one winner, one ending, one payment."""

from datetime import timedelta

import pytest

from credits.models import Hold, HoldStatus, ServiceRecord, Transfer, TransferKind
from orders import services
from orders.models import Funding, Order, OrderStatus
from orders.services import OrderError
from tests.conftest import fund, make_elder_profile, make_user, make_volunteer_profile, run_together
from tests.orders.conftest import BEFORE_START, START, place

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_sixteen_volunteers_claim_one_order_and_exactly_one_wins(published, yuexiu):
    volunteers = []
    for number in range(16):
        user = make_user(f"+861370000{number:04d}", name=f"Volunteer {number}")
        make_volunteer_profile(user, yuexiu, sequence=f"{300 + number}")
        volunteers.append(user)

    outcomes = run_together(
        *((lambda v=v: services.claim_order(published, now=BEFORE_START, by=v)) for v in volunteers)
    )

    winners = [o for o in outcomes if isinstance(o, Order)]
    losers = [o for o in outcomes if isinstance(o, OrderError)]
    assert len(winners) == 1
    assert len(losers) == 15
    # Threads speak the site's default language.
    assert all("已被其他志愿者接单" in str(error) for error in losers)
    published.refresh_from_db()
    assert published.volunteer == winners[0].volunteer
    assert published.events.filter(to_status=OrderStatus.CLAIMED).count() == 1


def test_confirm_auto_complete_and_dispute_at_once_end_the_order_once(
    delivered, welfare_elder, verified_volunteer
):
    later = delivered.checked_out_at + timedelta(hours=73)

    run_together(
        lambda: services.confirm_order(delivered, by=welfare_elder.user),
        lambda: services.auto_complete_order(delivered, now=later),
        lambda: services.dispute_order(delivered, by=welfare_elder.user, reason="Too long"),
    )

    delivered.refresh_from_db()
    endings = delivered.events.filter(
        to_status__in=[OrderStatus.COMPLETED, OrderStatus.DISPUTED]
    ).count()
    assert endings == 1
    earned = ServiceRecord.objects.filter(reference=delivered.reference).count()
    assert earned == (1 if delivered.status == OrderStatus.COMPLETED else 0)
    assert (
        Transfer.objects.filter(reference=delivered.reference, kind=TransferKind.EARN).count()
        == earned
    )


def test_cancel_and_claim_at_once_stay_consistent(yuexiu, cleaning, staff, verified_volunteer):
    user = make_user("+8613900000031", name="Racing Elder")
    elder = make_elder_profile(user, yuexiu, sequence="188")
    fund(user, 4)
    order = services.approve_order(
        place(elder, cleaning, funding=Funding.OWN_CREDITS, hours=2), by=staff
    )

    run_together(
        lambda: services.cancel_order(order, by=user, reason="Changed plans"),
        lambda: services.claim_order(order, now=BEFORE_START, by=verified_volunteer),
    )

    order.refresh_from_db()
    hold = Hold.objects.get(transfer__reference=order.reference)
    assert order.status in {OrderStatus.CANCELLED, OrderStatus.CLAIMED}
    if order.status == OrderStatus.CANCELLED:
        assert hold.status == HoldStatus.RELEASED
        assert (
            Transfer.objects.filter(reference=order.reference, kind=TransferKind.RELEASE).count()
            == 1
        )
    else:
        assert order.volunteer == verified_volunteer
        assert hold.status == HoldStatus.OPEN


def test_one_volunteer_claiming_two_overlapping_orders_at_once_gets_one(
    welfare_elder, cleaning, staff, verified_volunteer
):
    first = services.approve_order(place(welfare_elder, cleaning), by=staff)
    second = services.approve_order(
        place(welfare_elder, cleaning, starts_at=START + timedelta(hours=1)), by=staff
    )

    outcomes = run_together(
        lambda: services.claim_order(first, now=BEFORE_START, by=verified_volunteer),
        lambda: services.claim_order(second, now=BEFORE_START, by=verified_volunteer),
    )

    assert sum(isinstance(o, Order) for o in outcomes) == 1
    assert Order.objects.filter(volunteer=verified_volunteer).count() == 1
