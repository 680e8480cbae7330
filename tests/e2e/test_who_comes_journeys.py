"""Who comes, on a 360 × 740 phone: the elder's side asks for a volunteer again, that
volunteer alone sees the order first, and later the elder's side says "not again"."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from catalogue.models import ServiceKind, ServiceType
from orders import services
from orders.forms import next_slots
from orders.models import NotAgain, Order
from tests.conftest import make_elder_profile, make_user, make_volunteer_profile
from tests.e2e.conftest import (
    PHONE,
    assert_no_horizontal_overflow,
    logged_in_context,
    make_order_staff,
)
from tests.orders.conftest import give_welfare_category

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world(yuexiu):
    cleaning = ServiceType.objects.create(
        code="cleaning", kind=ServiceKind.GENERAL, name_zh="助洁服务", name_en="Cleaning"
    )
    elder = give_welfare_category(
        make_elder_profile(make_user("+8613900000001", name="Chen Elder"), yuexiu)
    )
    favourite = make_user("+8613900000003", name="Li Volunteer")
    make_volunteer_profile(favourite, yuexiu)
    other = make_user("+8613900000004", name="Wang Volunteer")
    make_volunteer_profile(other, yuexiu, sequence="126")
    staff = make_order_staff("staff@example.org", yuexiu)
    visit = services.approve_order(
        services.submit_order(
            elder,
            by=elder.user,
            service_type=cleaning,
            starts_at=next_slots()[0],
            booked_hours=1,
            funding="welfare",
        ),
        by=staff,
    )
    services.claim_order(visit, by=favourite)
    services.check_in(visit, now=visit.starts_at, by=favourite)
    services.check_out(visit, now=visit.starts_at + timedelta(hours=1), by=favourite)
    services.confirm_order(visit, by=elder.user)
    return {"elder": elder, "favourite": favourite, "other": other, "staff": staff, "visit": visit}


@pytest.fixture
def phone_of(browser, live_server):
    """Opens a 360 × 740 page logged in as a person; closes them all afterwards."""
    contexts = []

    def open_phone(user):
        context = logged_in_context(browser, live_server, user, viewport=PHONE)
        contexts.append(context)
        page = context.new_page()
        page.base = live_server.url
        return page

    yield open_phone
    for context in contexts:
        context.close()


def market_rows(page):
    page.goto(page.base + "/zh-hans/orders/market/")
    page.get_by_role("heading", name="待接订单").wait_for()
    assert_no_horizontal_overflow(page)
    return page


def test_elder_asks_for_the_same_volunteer_who_alone_sees_the_order_first(phone_of, world):
    visit, favourite, other = world["visit"], world["favourite"], world["other"]
    elder_page = phone_of(world["elder"].user)

    elder_page.goto(elder_page.base + f"/zh-hans/orders/{visit.pk}/")
    elder_page.get_by_text("非常满意").click()
    elder_page.get_by_role("button", name="提交评价").click()
    elder_page.get_by_text("感谢您的评价。").wait_for()
    assert_no_horizontal_overflow(elder_page)
    elder_page.get_by_role("link", name="再请 Li Volunteer 来").click()
    elder_page.get_by_text("上门的志愿者").wait_for()
    assert_no_horizontal_overflow(elder_page)
    elder_page.get_by_role("button", name="确认下单").first.click()
    elder_page.get_by_text("下单成功").wait_for()

    order = Order.objects.exclude(pk=visit.pk).get()
    assert order.offered_to == favourite
    services.approve_order(order, by=world["staff"])

    favourite_page = market_rows(phone_of(favourite))
    asked = favourite_page.locator(".asked-for-you .order-row")
    assert asked.count() == 1
    assert favourite_page.get_by_role("heading", name="点名请您").is_visible()
    other_page = market_rows(phone_of(other))
    assert other_page.locator(f'a[href="../{order.pk}/"]').count() == 0

    Order.objects.filter(pk=order.pk).update(offered_until=timezone.now() - timedelta(minutes=1))
    market_rows(other_page)
    assert other_page.locator(f'a[href="../{order.pk}/"]').count() == 1
    market_rows(favourite_page)
    assert favourite_page.locator(".asked-for-you").count() == 0


def test_elder_asks_that_a_volunteer_not_come_again(phone_of, world):
    visit, favourite = world["visit"], world["favourite"]
    elder_page = phone_of(world["elder"].user)

    elder_page.goto(elder_page.base + f"/zh-hans/orders/{visit.pk}/")
    elder_page.get_by_text("不再请 Li Volunteer 来").click()
    assert_no_horizontal_overflow(elder_page)
    elder_page.get_by_role("button", name="不要再派这位志愿者").click()
    elder_page.get_by_text("已记下").wait_for()

    assert NotAgain.objects.get().volunteer == favourite
    expect(elder_page.get_by_role("button", name="允许这位志愿者再次上门")).to_be_visible()
    assert_no_horizontal_overflow(elder_page)
