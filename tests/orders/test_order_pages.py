"""The order pages: wiring, who sees what, and a constant number of queries."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse as django_reverse
from django.utils import timezone, translation

from credits.models import Policy
from orders import services
from orders.forms import next_slots
from orders.models import Order, OrderStatus
from tests.conftest import fund, messages_of

pytestmark = pytest.mark.django_db


def reverse(name, args=None):
    """Chinese URLs whatever language an earlier test left active."""
    with translation.override("zh-hans"):
        return django_reverse(name, args=args)


def soon(hours=48):
    return timezone.now() + timedelta(hours=hours)


def place_soon(elder, service_type, staff=None, hours_ahead=48):
    order = services.submit_order(
        elder,
        by=elder.user,
        service_type=service_type,
        starts_at=soon(hours_ahead),
        booked_hours=1,
        funding="welfare",
    )
    if staff:
        services.approve_order(order, by=staff)
    return order


def test_elder_home_offers_every_active_service(client, welfare_elder, cleaning):
    client.force_login(welfare_elder.user)

    response = client.get(reverse("orders:elder_home", args=[welfare_elder.pk]))

    assert response.status_code == 200
    assert reverse("orders:new", args=[welfare_elder.pk, "cleaning"]) in response.content.decode()


def test_order_start_goes_straight_to_the_only_elder(client, welfare_elder):
    client.force_login(welfare_elder.user)

    response = client.get(reverse("orders:start"))

    assert response.url == reverse("orders:elder_home", args=[welfare_elder.pk])


def test_another_persons_elder_home_is_not_found(client, welfare_elder, other_proxy):
    client.force_login(other_proxy)

    assert client.get(reverse("orders:elder_home", args=[welfare_elder.pk])).status_code == 404


def test_one_tap_order_prefills_everything_but_the_time(client, welfare_elder, cleaning):
    client.force_login(welfare_elder.user)
    url = reverse("orders:new", args=[welfare_elder.pk, "cleaning"])
    slot = next_slots()[0]

    response = client.post(
        url, {"starts_at": slot.isoformat(), "booked_hours": 2, "funding": "welfare"}
    )

    order = Order.objects.get()
    assert response.url == reverse("orders:detail", args=[order.pk])
    assert order.starts_at == slot
    assert order.placed_by == welfare_elder.user
    assert messages_of(response) == ["下单成功。工作人员会尽快审核，结果会通知您。"]


def test_order_form_says_what_is_missing_in_chinese(client, welfare_elder, cleaning):
    client.force_login(welfare_elder.user)

    response = client.post(
        reverse("orders:new", args=[welfare_elder.pk, "cleaning"]),
        {"booked_hours": 2, "funding": "welfare"},
    )

    assert response.status_code == 200
    assert "请选择时间。" in response.content.decode()
    assert not Order.objects.exists()


def test_refused_order_shows_the_reason_on_the_form(client, elder_profile, cleaning):
    client.force_login(elder_profile.user)

    response = client.post(
        reverse("orders:new", args=[elder_profile.pk, "cleaning"]),
        {"starts_at": next_slots()[0].isoformat(), "booked_hours": 1, "funding": "welfare"},
    )

    assert "免费服务需要已审核的服务对象类别" in response.content.decode()
    assert not Order.objects.exists()


def test_market_shows_district_and_street_but_never_the_address(
    client, welfare_elder, cleaning, staff, verified_volunteer
):
    place_soon(welfare_elder, cleaning, staff)
    client.force_login(verified_volunteer)

    content = client.get(reverse("orders:market")).content.decode()

    assert welfare_elder.street.name_zh in content
    assert welfare_elder.address not in content


def test_address_shows_only_after_claiming(
    client, welfare_elder, cleaning, staff, verified_volunteer
):
    order = place_soon(welfare_elder, cleaning, staff)
    client.force_login(verified_volunteer)
    url = reverse("orders:detail", args=[order.pk])

    assert welfare_elder.address not in client.get(url).content.decode()
    response = client.post(reverse("orders:claim", args=[order.pk]))
    assert response.url == url
    assert welfare_elder.address in client.get(url).content.decode()


def test_claim_refusal_is_shown_as_a_message(client, welfare_elder, cleaning, staff, other_proxy):
    order = place_soon(welfare_elder, cleaning, staff)
    client.force_login(other_proxy)

    response = client.post(reverse("orders:claim", args=[order.pk]), follow=True)

    assert "只有通过审核的志愿者才能接单" in response.content.decode()
    order.refresh_from_db()
    assert order.status == OrderStatus.PUBLISHED


def test_volunteer_who_opens_an_order_another_took_is_sent_to_the_market_told_why(
    client, welfare_elder, cleaning, staff, verified_volunteer, second_volunteer
):
    order = place_soon(welfare_elder, cleaning, staff)
    services.claim_order(order, by=second_volunteer)
    client.force_login(verified_volunteer)

    response = client.get(reverse("orders:detail", args=[order.pk]), follow=True)

    assert response.redirect_chain == [(reverse("orders:market"), 302)]
    assert messages_of(response) == ["已被其他志愿者接单"]


def test_volunteer_who_loses_the_claim_race_is_told_once_and_sent_to_the_market(
    client, welfare_elder, cleaning, staff, verified_volunteer, second_volunteer
):
    order = place_soon(welfare_elder, cleaning, staff)
    client.force_login(verified_volunteer)
    client.get(reverse("orders:detail", args=[order.pk]))
    services.claim_order(order, by=second_volunteer)

    response = client.post(reverse("orders:claim", args=[order.pk]), follow=True)

    assert response.redirect_chain == [(reverse("orders:market"), 302)]
    assert messages_of(response) == ["已被其他志愿者接单"]
    assert response.content.decode().count("已被其他志愿者接单") == 1


def test_published_order_cancelled_by_the_elder_is_not_called_taken(
    client, welfare_elder, cleaning, staff, verified_volunteer
):
    order = place_soon(welfare_elder, cleaning, staff)
    services.cancel_order(order, by=welfare_elder.user)
    client.force_login(verified_volunteer)

    assert client.get(reverse("orders:detail", args=[order.pk])).status_code == 404


def test_taken_order_is_not_found_for_someone_who_is_no_volunteer(
    client, welfare_elder, cleaning, staff, second_volunteer, other_proxy
):
    order = place_soon(welfare_elder, cleaning, staff)
    services.claim_order(order, by=second_volunteer)
    client.force_login(other_proxy)

    assert client.get(reverse("orders:detail", args=[order.pk])).status_code == 404


def over_reported(order, volunteer):
    services.claim_order(order, by=volunteer)
    services.check_in(order, now=order.starts_at, by=volunteer)
    return services.check_out(order, now=order.starts_at + timedelta(minutes=91), by=volunteer)


def test_elder_is_told_before_confirming_that_staff_will_check_an_over_reported_time(
    client, welfare_elder, cleaning, staff, verified_volunteer
):
    order = over_reported(place_soon(welfare_elder, cleaning, staff), verified_volunteer)
    client.force_login(welfare_elder.user)

    content = client.get(reverse("orders:detail", args=[order.pk])).content.decode()

    assert "上报的时长超过预约，您确认后，工作人员会先核实，再给志愿者记入时长。" in content


def test_elder_who_confirms_an_over_reported_time_is_told_staff_will_check_it(
    client, welfare_elder, cleaning, staff, verified_volunteer
):
    order = over_reported(place_soon(welfare_elder, cleaning, staff), verified_volunteer)
    client.force_login(welfare_elder.user)

    response = client.post(reverse("orders:confirm", args=[order.pk]))

    assert messages_of(response) == [
        "感谢您的确认。工作人员会先核实上报的时长，再给志愿者记入时长。"
    ]
    order.refresh_from_db()
    assert order.status == OrderStatus.DISPUTED


def test_order_page_tells_the_volunteer_what_went_to_the_pool_above_the_cap(
    client, welfare_elder, cleaning, staff, verified_volunteer
):
    Policy.objects.create(wallet_cap=1)
    fund(verified_volunteer, 1)
    order = place_soon(welfare_elder, cleaning, staff)
    services.claim_order(order, by=verified_volunteer)
    services.check_in(order, now=order.starts_at, by=verified_volunteer)
    services.check_out(order, now=order.starts_at + timedelta(minutes=60), by=verified_volunteer)
    services.confirm_order(order, by=welfare_elder.user)
    client.force_login(verified_volunteer)

    content = client.get(reverse("orders:detail", args=[order.pk])).content.decode()

    assert "您获得的 1 积分已转入公益积分池：您的账户已达上限。" in content


def test_unpublished_order_of_someone_else_is_not_found(
    client, welfare_elder, cleaning, other_proxy
):
    order = place_soon(welfare_elder, cleaning)
    client.force_login(other_proxy)

    assert client.get(reverse("orders:detail", args=[order.pk])).status_code == 404
    assert client.post(reverse("orders:cancel", args=[order.pk])).status_code == 404


def test_staff_of_another_district_cannot_open_the_order(
    client, welfare_elder, cleaning, other_district_staff
):
    order = place_soon(welfare_elder, cleaning)
    client.force_login(other_district_staff)

    assert client.get(reverse("orders:detail", args=[order.pk])).status_code == 404


def test_state_changes_refuse_get(client, welfare_elder, cleaning, staff, verified_volunteer):
    order = place_soon(welfare_elder, cleaning, staff)
    client.force_login(verified_volunteer)

    assert client.get(reverse("orders:claim", args=[order.pk])).status_code == 405


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(reverse("orders:market"))

    assert response.status_code == 302
    assert reverse("account_login") in response.url


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_market_runs_the_same_queries_for_5_and_50_orders(
    client, welfare_elder, cleaning, staff, verified_volunteer
):
    client.force_login(verified_volunteer)
    url = reverse("orders:market")
    for hour in range(5):
        place_soon(welfare_elder, cleaning, staff, hours_ahead=48 + hour)
    with_5 = _count_queries(client, url)
    for hour in range(45):
        place_soon(welfare_elder, cleaning, staff, hours_ahead=60 + hour)

    assert _count_queries(client, url) == with_5


def test_my_orders_runs_the_same_queries_for_5_and_50_orders(
    client, welfare_elder, cleaning, staff, verified_volunteer
):
    client.force_login(welfare_elder.user)
    url = reverse("orders:mine")
    for hour in range(5):
        services.claim_order(
            place_soon(welfare_elder, cleaning, staff, hours_ahead=48 + hour * 2),
            by=verified_volunteer,
        )
    with_5 = _count_queries(client, url)
    for hour in range(45):
        place_soon(welfare_elder, cleaning, staff, hours_ahead=100 + hour)

    assert _count_queries(client, url) == with_5


def test_market_pages_with_a_cursor_and_no_count(
    client, welfare_elder, cleaning, staff, verified_volunteer
):
    for hour in range(25):
        place_soon(welfare_elder, cleaning, staff, hours_ahead=48 + hour)
    client.force_login(verified_volunteer)

    first = client.get(reverse("orders:market"))
    cursor = first.context["next_cursor"]
    second = client.get(reverse("orders:market"), {"after": cursor})

    assert len(first.context["orders"]) == 20
    assert len(second.context["orders"]) == 5
    assert not {o.pk for o in first.context["orders"]} & {o.pk for o in second.context["orders"]}


def test_nonsense_cursor_is_ignored(client, verified_volunteer):
    client.force_login(verified_volunteer)

    assert client.get(reverse("orders:market"), {"after": "x_y"}).status_code == 200


def test_notifications_count_in_the_header_and_mark_read(client, published, welfare_elder):
    from orders.tasks import notify_order

    notify_order(published.pk, "approved")
    client.force_login(welfare_elder.user)

    page = client.get(reverse("notifications:list"))
    assert page.context["unread_notifications"] == 1
    client.post(reverse("notifications:read"))
    assert client.get(reverse("notifications:list")).context["unread_notifications"] == 0


def test_market_filters_by_district_and_offers_its_streets(
    client, welfare_elder, other_elder_profile, cleaning, staff, verified_volunteer
):
    place_soon(welfare_elder, cleaning, staff)
    client.force_login(verified_volunteer)

    page = client.get(reverse("orders:market"), {"district": welfare_elder.district.pk})

    content = page.content.decode()
    assert len(page.context["orders"]) == 1
    assert f'<option value="{welfare_elder.district.pk}" selected>' in content
    assert f'<option value="{welfare_elder.street.pk}">' in content
    other = client.get(reverse("orders:market"), {"district": other_elder_profile.district.pk})
    assert other.context["orders"] == []
