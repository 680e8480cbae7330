"""The one confirm screen behind a service button, and ordering again."""

import datetime
import re

import pytest
from django.utils import timezone

from orders.forms import SLOT_TIMES, next_slots, preselected_slot
from orders.models import Funding, Order, OrderStatus
from tests.conftest import client_of, make_proxy_authorisation
from tests.orders.conftest import place

pytestmark = pytest.mark.django_db


def new_order_url(elder_profile, code="cleaning"):
    return f"/zh-hans/orders/elder/{elder_profile.pk}/new/{code}/"


def checked_slot(content):
    """The start time the confirm button would send (the radio checked in the page)."""
    match = re.search(r'<input type="radio" name="starts_at" value="([^"]+)"[^>]*checked', content)
    assert match, "no time is preselected"
    return datetime.datetime.fromisoformat(match.group(1))


def test_a_service_button_opens_a_confirm_screen_with_everything_prefilled(welfare_elder, cleaning):
    cleaning.default_hours = 2
    cleaning.save()

    content = client_of(welfare_elder.user).get(new_order_url(welfare_elder)).content.decode()

    assert checked_slot(content) == next_slots()[0]
    assert 'name="booked_hours"' in content and '<option value="2" selected>' in content
    assert 'name="funding" value="welfare" required id="id_funding_0" checked' in content
    assert welfare_elder.address in content
    assert "确认下单" in content


def test_the_preselected_slot_is_the_next_sensible_one(welfare_elder, cleaning):
    now = timezone.now()

    slot = checked_slot(
        client_of(welfare_elder.user).get(new_order_url(welfare_elder)).content.decode()
    )

    # Not in the past, at least the two hours' notice the form asks, at a slot time.
    assert slot >= now + datetime.timedelta(hours=2)
    assert timezone.localtime(slot).time() in SLOT_TIMES
    assert slot == min(next_slots())


def test_the_first_slot_is_two_hours_ahead_at_the_earliest():
    evening = timezone.make_aware(datetime.datetime(2030, 6, 3, 13, 0))

    assert preselected_slot(next_slots(evening)) == timezone.make_aware(
        datetime.datetime(2030, 6, 4, 9, 0)
    )
    morning = timezone.make_aware(datetime.datetime(2030, 6, 3, 6, 59))
    assert preselected_slot(next_slots(morning)) == timezone.make_aware(
        datetime.datetime(2030, 6, 3, 9, 0)
    )


def test_the_preferred_hour_is_kept_when_a_slot_has_it():
    morning = timezone.make_aware(datetime.datetime(2030, 6, 3, 6, 0))

    slot = preselected_slot(next_slots(morning), datetime.time(14, 0))

    assert slot == timezone.make_aware(datetime.datetime(2030, 6, 3, 14, 0))


def test_confirming_the_prefilled_screen_places_the_order(welfare_elder, cleaning):
    client = client_of(welfare_elder.user)
    content = client.get(new_order_url(welfare_elder)).content.decode()

    response = client.post(
        new_order_url(welfare_elder),
        {"starts_at": checked_slot(content).isoformat(), "booked_hours": "1", "funding": "welfare"},
    )

    order = Order.objects.get()
    assert response.url == order.get_absolute_url()
    assert (order.status, order.funding) == (OrderStatus.SUBMITTED, Funding.WELFARE)


def test_a_refused_confirm_opens_the_changes_with_the_reason(elder_profile, cleaning):
    """Welfare needs a verified category: the service says so, nothing is placed."""
    client = client_of(elder_profile.user)
    slot = next_slots()[0].isoformat()

    response = client.post(
        new_order_url(elder_profile),
        {"starts_at": slot, "booked_hours": "1", "funding": "welfare"},
    )

    content = response.content.decode()
    assert "免费服务需要已审核的服务对象类别" in content
    assert '<details class="order-changes" open>' in content
    assert not Order.objects.exists()


# Order again ---------------------------------------------------------------


def test_order_again_opens_the_confirm_screen_with_the_past_order(welfare_elder, cleaning):
    past = place(welfare_elder, cleaning, hours=3)
    Order.objects.filter(pk=past.pk).update(notes="Mop the kitchen, please")

    response = client_of(welfare_elder.user).get(f"/zh-hans/orders/{past.pk}/again/")

    content = response.content.decode()
    assert response.status_code == 200
    assert f'action="/zh-hans/orders/elder/{welfare_elder.pk}/new/cleaning/"' in content
    assert '<option value="3" selected>' in content
    assert "Mop the kitchen, please" in content
    slot = checked_slot(content)
    assert timezone.localtime(slot).time() == datetime.time(9, 0)
    assert slot > timezone.now()


def test_the_elder_home_offers_each_past_service_again(welfare_elder, cleaning):
    past = place(welfare_elder, cleaning)

    content = (
        client_of(welfare_elder.user)
        .get(f"/zh-hans/orders/elder/{welfare_elder.pk}/")
        .content.decode()
    )

    assert f'href="/zh-hans/orders/{past.pk}/again/"' in content
    assert "再约一次助洁服务，2 小时" in content


def test_a_proxy_orders_again_for_their_elder(welfare_elder, proxy, proxy_authorisation, cleaning):
    past = place(welfare_elder, cleaning)

    assert client_of(proxy).get(f"/zh-hans/orders/{past.pk}/again/").status_code == 200


def test_nobody_orders_again_someone_elses_order(welfare_elder, other_elder_profile, cleaning):
    past = place(welfare_elder, cleaning)

    response = client_of(other_elder_profile.user).get(f"/zh-hans/orders/{past.pk}/again/")

    assert response.status_code == 404


def test_a_volunteer_who_served_an_order_cannot_order_it_again(delivered, verified_volunteer):
    response = client_of(verified_volunteer).get(f"/zh-hans/orders/{delivered.pk}/again/")

    assert response.status_code == 404


def test_an_order_page_offers_order_again_to_the_elder_side_only(delivered, verified_volunteer):
    again = f'href="/zh-hans/orders/{delivered.pk}/again/"'

    elder_page = client_of(delivered.elder.user).get(delivered.get_absolute_url())
    volunteer_page = client_of(verified_volunteer).get(delivered.get_absolute_url())

    assert again in elder_page.content.decode()
    assert again not in volunteer_page.content.decode()


@pytest.mark.parametrize(
    "path", ["/zh-hans/orders/elder/{pk}/", "/zh-hans/orders/elder/{pk}/new/cleaning/"]
)
def test_the_elder_sees_her_own_name_in_full_and_her_proxy_sees_it_masked(
    welfare_elder, cleaning, proxy, path
):
    make_proxy_authorisation(welfare_elder, proxy)
    url = path.format(pk=welfare_elder.pk)

    own = client_of(welfare_elder.user).get(url).content.decode()
    proxied = client_of(proxy).get(url).content.decode()

    assert welfare_elder.real_name in own and welfare_elder.masked_name not in own
    assert welfare_elder.masked_name in proxied and welfare_elder.real_name not in proxied


def test_the_order_page_names_the_elder_in_full_to_her_alone(welfare_elder, cleaning, proxy):
    make_proxy_authorisation(welfare_elder, proxy)
    order = place(welfare_elder, cleaning)

    own = client_of(welfare_elder.user).get(order.get_absolute_url()).content.decode()
    proxied = client_of(proxy).get(order.get_absolute_url()).content.decode()

    assert welfare_elder.real_name in own and welfare_elder.masked_name not in own
    assert f"<dd>{welfare_elder.masked_name}</dd>" in proxied
