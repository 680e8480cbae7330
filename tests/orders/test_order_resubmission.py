"""A form sent twice (a double tap, Back, a stale page) acts once and says so."""

from datetime import timedelta

import pytest
from django.urls import reverse

from orders import services
from orders.forms import next_slots
from orders.models import Funding, Order, OrderStatus
from orders.services import AlreadyDone
from tests.conftest import messages_of, run_together
from tests.orders.conftest import BEFORE_START, START, place

pytestmark = pytest.mark.django_db


def order_form(elder, slot):
    url = reverse("orders:new", args=[elder.pk, "cleaning"])
    return url, {"starts_at": slot.isoformat(), "booked_hours": 2, "funding": "welfare"}


def test_the_order_form_sent_twice_places_one_order(client, welfare_elder, cleaning):
    client.force_login(welfare_elder.user)
    url, data = order_form(welfare_elder, next_slots()[0])

    first = client.post(url, data)
    client.get(first.url)
    again = client.post(url, data)

    order = Order.objects.get()
    assert first.url == again.url == order.get_absolute_url()
    assert messages_of(again) == [f"该时间已预约这项服务：订单 {order.number}。"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_an_elder_and_their_proxy_booking_one_slot_at_once_place_one_order(
    welfare_elder, proxy_authorisation, cleaning
):
    outcomes = run_together(
        lambda: place(welfare_elder, cleaning),
        lambda: place(welfare_elder, cleaning, by=proxy_authorisation.proxy),
    )

    placed = [outcome for outcome in outcomes if isinstance(outcome, Order)]
    repeated = [outcome for outcome in outcomes if isinstance(outcome, AlreadyDone)]
    assert len(placed) == len(repeated) == 1
    assert repeated[0].order == placed[0]
    assert Order.objects.count() == 1


def test_a_cancelled_slot_can_be_booked_again(welfare_elder, cleaning):
    first = place(welfare_elder, cleaning)
    services.cancel_order(first, by=welfare_elder.user)

    second = place(welfare_elder, cleaning)

    assert second.pk != first.pk


def test_another_time_or_service_is_another_order(welfare_elder, cleaning, bathing):
    place(welfare_elder, cleaning)
    place(welfare_elder, cleaning, starts_at=START + timedelta(days=1))
    place(welfare_elder, bathing, funding=Funding.WELFARE)

    assert Order.objects.count() == 3


@pytest.mark.parametrize(
    ("repeat", "message"),
    [
        ("claim", "您已经接了这个订单。"),
        ("check_in", "您已经签到。"),
        ("check_out", "您已经签退。"),
        ("card_code", "这次服务已确认，谢谢！"),
        ("confirm", "这次服务已确认，谢谢！"),
        ("rate", "该服务已经评价过了，谢谢！"),
        ("cancel", "这个订单已经取消。"),
        ("release", "您已经放弃了这个订单。"),
        ("dispute", "工作人员已在核实上报的时长。"),
    ],
)
def test_a_step_sent_twice_acts_once_and_says_it_was_done(
    client, delivered, welfare_elder, verified_volunteer, staff, repeat, message
):
    """Each step is taken once in the order's life, then sent again from a stale page."""
    order = delivered
    if repeat in {"cancel", "release"}:
        order = place(welfare_elder, order.service_type, starts_at=START + timedelta(days=1))
        if repeat == "cancel":
            services.cancel_order(order, by=welfare_elder.user)
        else:
            services.approve_order(order, by=staff)
            services.claim_order(order, now=BEFORE_START, by=verified_volunteer)
            services.release_claim(order, by=verified_volunteer)
    elif repeat == "dispute":
        services.dispute_order(order, by=welfare_elder.user, reason="Too long")
    elif repeat in {"card_code", "confirm", "rate"}:
        services.confirm_order(order, by=welfare_elder.user)
        if repeat == "rate":
            services.rate_order(order, by=welfare_elder.user, rating=5)
    by_volunteer = repeat in {"claim", "release", "check_in", "check_out", "card_code"}
    client.force_login(verified_volunteer if by_volunteer else welfare_elder.user)
    data = {"code": welfare_elder.card_code, "rating": 4, "reason": "Too long"}
    before = (Order.objects.values().get(pk=order.pk), order.events.count())

    response = client.post(reverse(f"orders:{repeat}", args=[order.pk]), data)

    assert response.url == order.get_absolute_url()
    assert messages_of(response) == [message]
    assert (Order.objects.values().get(pk=order.pk), order.events.count()) == before


def test_a_confirmation_sent_while_staff_review_the_time_says_so(english, delivered, welfare_elder):
    services.dispute_order(delivered, by=welfare_elder.user, reason="Too long")

    with pytest.raises(AlreadyDone, match="Staff are already checking"):
        services.confirm_order(delivered, by=welfare_elder.user)
    assert delivered.events.filter(to_status=OrderStatus.DISPUTED).count() == 1


def test_check_out_sent_again_does_not_ask_to_check_in_first(
    english, delivered, verified_volunteer
):
    with pytest.raises(AlreadyDone, match="already checked out"):
        services.check_out(delivered, now=BEFORE_START, by=verified_volunteer)
