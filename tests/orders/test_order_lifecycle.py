import datetime
from datetime import timedelta

import pytest

from credits.models import Hold, HoldStatus, Transfer, TransferKind
from credits.services import wallet_of
from orders import services
from orders.models import Confirmation, Funding, OrderEvent, OrderStatus
from orders.services import OrderError
from tests.conftest import fund, make_elder_profile, make_user
from tests.orders.conftest import BEFORE_START, START, place

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
S = OrderStatus


def statuses(order):
    return list(OrderEvent.objects.filter(order=order).values_list("to_status", flat=True))


def earned(volunteer):
    return sum(
        Transfer.objects.filter(target=wallet_of(volunteer), kind=TransferKind.EARN).values_list(
            "amount", flat=True
        )
    )


def hold_status(order):
    return Hold.objects.get(transfer__reference=order.reference).status


@pytest.fixture
def self_paying_elder(yuexiu):
    """A 78-year-old with 5 credits of her own and no welfare category."""
    user = make_user("+8613900000011", name="Self Payer")
    profile = make_elder_profile(user, yuexiu, sequence="155")
    fund(user, 5)
    return profile


@pytest.fixture
def paid_order(self_paying_elder, cleaning):
    return place(self_paying_elder, cleaning, funding=Funding.OWN_CREDITS, hours=2)


# Submitting ------------------------------------------------------------------


def test_welfare_order_is_submitted_with_an_address_snapshot(welfare_elder, cleaning):
    order = place(welfare_elder, cleaning)

    assert order.status == S.SUBMITTED
    assert order.address_detail == welfare_elder.address
    assert (order.district, order.street) == (welfare_elder.district, welfare_elder.street)
    assert order.ends_at == START + timedelta(hours=2)
    assert statuses(order) == [S.SUBMITTED]


def test_welfare_needs_a_verified_category(elder_profile, cleaning):
    with pytest.raises(OrderError, match="verified elder category"):
        place(elder_profile, cleaning)


def test_proxy_orders_for_the_elder_and_is_recorded(
    welfare_elder, proxy_authorisation, proxy, cleaning
):
    order = place(welfare_elder, cleaning, by=proxy)

    event = order.events.get()
    assert order.placed_by == proxy
    assert (event.actor, event.on_behalf_of) == (proxy, welfare_elder.user)


def test_stranger_cannot_order_for_an_elder(welfare_elder, other_proxy, cleaning):
    with pytest.raises(OrderError, match="only order for yourself"):
        place(welfare_elder, cleaning, by=other_proxy)


@pytest.mark.parametrize(
    ("starts_at", "message"),
    [
        (BEFORE_START - timedelta(minutes=1), "in the future"),
        (BEFORE_START + timedelta(days=61), "60 days"),
    ],
)
def test_order_time_must_be_ahead_but_not_too_far(welfare_elder, cleaning, starts_at, message):
    with pytest.raises(OrderError, match=message):
        place(welfare_elder, cleaning, starts_at=starts_at)


def test_own_credit_order_holds_the_booked_hours(self_paying_elder, paid_order):
    assert wallet_of(self_paying_elder.user).balance == 3
    assert hold_status(paid_order) == HoldStatus.OPEN


def test_own_credit_order_beyond_the_balance_leaves_nothing_behind(self_paying_elder, cleaning):
    with pytest.raises(OrderError):
        place(self_paying_elder, cleaning, funding=Funding.OWN_CREDITS, hours=6)

    assert not self_paying_elder.orders.exists()
    assert wallet_of(self_paying_elder.user).balance == 5


def test_paying_with_credits_opens_at_the_policy_age(yuexiu, cleaning):
    user = make_user("+8613900000012", name="Young")
    young = make_elder_profile(user, yuexiu, born=datetime.date(1980, 1, 1), sequence="166")
    fund(user, 10)

    with pytest.raises(OrderError, match="age 60"):
        place(young, cleaning, funding=Funding.OWN_CREDITS)
    assert wallet_of(user).balance == 10


# Review ------------------------------------------------------------------------


def test_staff_approval_publishes(submitted, staff):
    order = services.approve_order(submitted, by=staff)

    assert order.status == S.PUBLISHED
    assert order.published_at is not None


def test_staff_of_another_district_cannot_approve(submitted, other_district_staff):
    with pytest.raises(OrderError, match="outside the area"):
        services.approve_order(submitted, by=other_district_staff)


def test_rejection_needs_a_reason(submitted, staff):
    with pytest.raises(OrderError, match="reason"):
        services.reject_order(submitted, by=staff, reason="  ")


def test_rejection_releases_the_hold_once(self_paying_elder, paid_order, staff):
    services.reject_order(paid_order, by=staff, reason="No volunteers that day")

    assert hold_status(paid_order) == HoldStatus.RELEASED
    assert wallet_of(self_paying_elder.user).balance == 5
    assert paid_order.events.last().note == "No volunteers that day"


# Service and completion -------------------------------------------------------------


def test_claim_check_in_and_out_records_the_minutes(delivered):
    assert delivered.status == S.DELIVERED
    assert delivered.reported_minutes == 90
    assert statuses(delivered) == [S.SUBMITTED, S.PUBLISHED, S.CLAIMED, S.IN_SERVICE, S.DELIVERED]


def test_check_in_opens_an_hour_before_the_start(claimed, verified_volunteer):
    with pytest.raises(OrderError, match="one hour before"):
        services.check_in(claimed, now=START - timedelta(minutes=61), by=verified_volunteer)


def test_only_the_claiming_volunteer_checks_in(claimed, second_volunteer):
    with pytest.raises(OrderError, match="Only the volunteer"):
        services.check_in(claimed, now=START, by=second_volunteer)


def test_confirmation_completes_and_pays_the_volunteer(
    delivered, welfare_elder, verified_volunteer
):
    order = services.confirm_order(delivered, by=welfare_elder.user)

    assert order.status == S.COMPLETED
    assert order.confirmation == Confirmation.ONLINE
    assert order.credited_minutes == 90
    assert earned(verified_volunteer) == 1  # 90 minutes: one credit, 30 carried


def test_confirmation_by_proxy_names_the_elder(
    delivered, welfare_elder, proxy_authorisation, proxy
):
    services.confirm_order(delivered, by=proxy)

    event = delivered.events.last()
    assert (event.actor, event.on_behalf_of) == (proxy, welfare_elder.user)


def test_card_code_confirms_for_an_elder_without_a_phone(
    delivered, welfare_elder, verified_volunteer
):
    order = services.confirm_with_card_code(
        delivered, f" {welfare_elder.card_code.lower()} ", by=verified_volunteer
    )

    assert order.confirmation == Confirmation.CARD_CODE
    assert earned(verified_volunteer) == 1


def test_wrong_card_code_is_refused(delivered, verified_volunteer):
    with pytest.raises(OrderError, match="not the code"):
        services.confirm_with_card_code(delivered, "ZZZZZZ", by=verified_volunteer)
    assert earned(verified_volunteer) == 0


def test_completion_spends_the_hold_and_pays_exactly_once(
    self_paying_elder, paid_order, staff, verified_volunteer
):
    services.approve_order(paid_order, by=staff)
    services.claim_order(paid_order, now=BEFORE_START, by=verified_volunteer)
    services.check_in(paid_order, now=START, by=verified_volunteer)
    services.check_out(paid_order, now=START + timedelta(minutes=120), by=verified_volunteer)
    services.confirm_order(paid_order, by=self_paying_elder.user)

    with pytest.raises(OrderError):
        services.confirm_order(paid_order, by=self_paying_elder.user)
    assert services.auto_complete_order(paid_order, now=START + timedelta(days=30)) is None
    assert hold_status(paid_order) == HoldStatus.SPENT
    assert wallet_of(self_paying_elder.user).balance == 3
    assert earned(verified_volunteer) == 2


def test_over_reported_time_goes_to_staff_instead_of_paying(
    claimed, welfare_elder, verified_volunteer, staff
):
    services.check_in(claimed, now=START, by=verified_volunteer)
    services.check_out(claimed, now=START + timedelta(minutes=151), by=verified_volunteer)

    order = services.confirm_order(claimed, by=welfare_elder.user)

    assert order.status == S.DISPUTED
    assert "151" in order.needs_review
    assert earned(verified_volunteer) == 0
    settled = services.settle_dispute(order, by=staff, minutes=120, note="Agreed with family")
    assert settled.status == S.COMPLETED
    assert settled.credited_minutes == 120
    assert earned(verified_volunteer) == 2


def test_time_within_the_tolerance_is_paid(claimed, welfare_elder, verified_volunteer):
    services.check_in(claimed, now=START, by=verified_volunteer)
    services.check_out(claimed, now=START + timedelta(minutes=150), by=verified_volunteer)

    assert services.confirm_order(claimed, by=welfare_elder.user).status == S.COMPLETED


def test_dispute_then_settlement(delivered, welfare_elder, staff, verified_volunteer):
    services.dispute_order(delivered, by=welfare_elder.user, reason="She left after an hour")
    order = services.settle_dispute(delivered, by=staff, minutes=60)

    assert order.confirmation == Confirmation.STAFF
    assert earned(verified_volunteer) == 1


def test_only_the_elder_side_confirms(delivered, second_volunteer):
    with pytest.raises(OrderError, match="Only the elder"):
        services.confirm_order(delivered, by=second_volunteer)


def test_delivered_order_completes_automatically_after_the_policy_hours(
    delivered, verified_volunteer
):
    early = services.auto_complete_order(
        delivered, now=delivered.checked_out_at + timedelta(hours=71)
    )
    late = services.auto_complete_order(
        delivered, now=delivered.checked_out_at + timedelta(hours=72)
    )

    assert early is None
    assert late.status == S.COMPLETED
    assert late.confirmation == Confirmation.AUTOMATIC
    assert late.events.last().actor is None


def test_rating_once_after_completion(delivered, welfare_elder):
    services.confirm_order(delivered, by=welfare_elder.user)
    services.rate_order(delivered, by=welfare_elder.user, rating=5, comment="很好")

    with pytest.raises(OrderError, match="already been rated"):
        services.rate_order(delivered, by=welfare_elder.user, rating=1)
    delivered.refresh_from_db()
    assert (delivered.rating, delivered.rating_comment) == (5, "很好")


# Other endings ---------------------------------------------------------------------


def test_volunteer_releases_a_claim_before_the_start(claimed, verified_volunteer):
    order = services.release_claim(claimed, by=verified_volunteer)

    assert order.status == S.PUBLISHED
    assert order.volunteer is None


def test_elder_cancels_before_service_and_the_hold_is_released(self_paying_elder, paid_order):
    order = services.cancel_order(paid_order, by=self_paying_elder.user, reason="Feeling better")

    assert order.status == S.CANCELLED
    assert hold_status(paid_order) == HoldStatus.RELEASED
    assert wallet_of(self_paying_elder.user).balance == 5


def test_service_in_progress_cannot_be_cancelled(claimed, welfare_elder, verified_volunteer):
    services.check_in(claimed, now=START, by=verified_volunteer)

    with pytest.raises(OrderError, match="not started"):
        services.cancel_order(claimed, by=welfare_elder.user)


def test_unclaimed_order_expires_at_its_time_and_releases_the_hold(
    self_paying_elder, paid_order, staff
):
    services.approve_order(paid_order, by=staff)

    assert services.expire_order(paid_order, now=START - timedelta(minutes=1)) is None
    order = services.expire_order(paid_order, now=START)
    assert order.status == S.EXPIRED
    assert hold_status(paid_order) == HoldStatus.RELEASED
    assert services.expire_order(paid_order, now=START) is None


def test_time_beyond_the_daily_limit_goes_to_review(delivered, welfare_elder, verified_volunteer):
    from credits.services import credit_served_time

    credit_served_time(verified_volunteer, 7 * 60, key="earlier:same-day", served_on=START.date())

    order = services.confirm_order(delivered, by=welfare_elder.user)

    assert order.status == S.DISPUTED
    assert "2030-06-03" in order.needs_review
    assert earned(verified_volunteer) == 7


def test_five_wrong_card_codes_lock_the_card_for_this_order(
    delivered, welfare_elder, verified_volunteer
):
    for _ in range(5):
        with pytest.raises(OrderError, match="not the code"):
            services.confirm_with_card_code(delivered, "ZZZZZZ", by=verified_volunteer)

    with pytest.raises(OrderError, match="Too many wrong codes"):
        services.confirm_with_card_code(delivered, welfare_elder.card_code, by=verified_volunteer)
    delivered.refresh_from_db()
    assert delivered.status == S.DELIVERED
    assert services.confirm_order(delivered, by=welfare_elder.user).status == S.COMPLETED
