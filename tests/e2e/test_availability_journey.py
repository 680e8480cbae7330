"""On a 360 × 740 phone, a volunteer gives the times they usually serve and the market
narrows to them, with one tap back to every order; the page holds at 200 % text."""

import datetime
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from catalogue.models import ServiceKind, ServiceType
from orders import services
from tests.conftest import make_elder_profile, make_user
from tests.e2e.conftest import (
    PHONE,
    assert_no_horizontal_overflow,
    enlarge_text,
    logged_in_context,
    make_order_staff,
    make_volunteer,
)
from tests.orders.conftest import give_welfare_category

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def market(yuexiu):
    """Two open orders a week ahead: one morning, and the next day's afternoon."""
    cleaning = ServiceType.objects.create(
        code="cleaning", kind=ServiceKind.GENERAL, name_zh="助洁服务", name_en="Cleaning"
    )
    elder = give_welfare_category(
        make_elder_profile(make_user("+8613900000001", name="Chen Elder"), yuexiu)
    )
    staff = make_order_staff("staff@example.org", yuexiu)
    day = timezone.localdate() + timedelta(days=7)
    morning = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
    orders = [
        services.approve_order(
            services.submit_order(
                elder,
                by=elder.user,
                service_type=cleaning,
                starts_at=starts_at,
                booked_hours=1,
                funding="welfare",
            ),
            by=staff,
        )
        for starts_at in (morning, morning + timedelta(days=1, hours=6))
    ]
    return {"volunteer": make_volunteer("+8613900000003", yuexiu), "orders": orders, "day": day}


def listed(page):
    """The market's rows, for `expect`: a click returns once the next page has begun
    to arrive, so a count taken at once may see only its first half."""
    return page.locator(".order-list .order-row")


def test_a_volunteer_sets_their_times_and_sees_the_market_narrowed(browser, live_server, market):
    context = logged_in_context(browser, live_server, market["volunteer"], viewport=PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}/en/orders/market/")
    expect(listed(page)).to_have_count(2)

    page.goto(f"{live_server.url}/en/me/")
    page.get_by_role("link", name="When and where I serve").click()
    expect(page.get_by_text("you count as available at any time")).to_be_visible()
    assert_no_horizontal_overflow(page)
    page.select_option("#id_times-0-weekday", str(market["day"].weekday()))
    page.fill("#id_times-0-starts", "08:00")
    page.fill("#id_times-0-ends", "07:00")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The end must be after the start.")).to_be_visible()

    page.fill("#id_times-0-ends", "12:00")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Your times and districts are saved.")).to_be_visible()
    enlarge_text(page, 200)
    assert_no_horizontal_overflow(page)

    page.locator(".availability-form").get_by_role("link", name="Open orders").click()
    expect(listed(page)).to_have_count(1)
    shown = page.get_by_text("Shown: the orders at your times and in your districts.")
    expect(shown).to_be_visible()
    assert_no_horizontal_overflow(page)

    page.get_by_role("link", name="Show all orders").click()
    expect(listed(page)).to_have_count(2)
    page.get_by_role("link", name="Only my times and districts").click()
    expect(listed(page)).to_have_count(1)
    context.close()
