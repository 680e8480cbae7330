"""Browser journeys of an order, from the elder's tap to the volunteer's passbook.

Each person has their own browser context (their own cookies), and logs in
through the real login form. The volunteer always uses a 360-px phone.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts import services as people
from accounts.models import ElderCategory, RecipientCategory, VerificationStatus
from catalogue.models import ServiceKind, ServiceType
from credits.services import wallet_of
from orders.models import Confirmation, Funding, Order, OrderStatus
from orders.services import approve_order, claim_order, submit_order
from tests.conftest import (
    DEMO_PASSWORD,
    elder_fields,
    make_elder_profile,
    make_user,
)
from tests.e2e.conftest import (
    DESKTOP,
    PHONE,
    assert_no_horizontal_overflow,
    enter_authenticator_code,
    make_order_staff,
    make_volunteer,
    pretend_an_hour_passed_since_check_in,
)

pytestmark = pytest.mark.django_db(transaction=True)

GUANGZHOU = {"latitude": 23.12911, "longitude": 113.26436}


# Builders ------------------------------------------------------------------


@pytest.fixture
def cleaning(db):
    return ServiceType.objects.create(
        code="cleaning", kind=ServiceKind.GENERAL, name_zh="助洁服务", name_en="Cleaning"
    )


def give_welfare_category(elder_profile):
    ElderCategory.objects.create(
        elder=elder_profile,
        category=RecipientCategory.LOW_INCOME,
        status=VerificationStatus.VERIFIED,
        district=elder_profile.district,
        street=elder_profile.street,
    )


# Browser helpers -----------------------------------------------------------


@pytest.fixture
def open_page(browser, live_server):
    """Opens a page in a fresh browser context; the test fails on any console error."""
    contexts, errors = [], []

    def open_page(viewport=PHONE, **options):
        context = browser.new_context(
            viewport=viewport, device_scale_factor=1, locale="zh-CN", **options
        )
        contexts.append(context)
        page = context.new_page()
        page.on("console", lambda msg: errors.append(console_error(msg)))
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.base = live_server.url
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert [error for error in errors if error] == []


def console_error(message):
    """An error worth failing for, or None. Django's admin pages link no icon,
    so Chromium asks for /favicon.ico and logs its 404."""
    if message.type != "error" or message.location["url"].endswith("/favicon.ico"):
        return None
    return f"{message.location['url']}: {message.text}"


def log_in(page, login, path="/zh-hans/", *, staff=None):
    """Logs in through the real form; `staff` also give their authenticator code."""
    page.goto(page.base + "/zh-hans/accounts/login/?next=" + path)
    page.fill("#id_login", login)
    page.fill("#id_password", DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    if staff is not None:
        enter_authenticator_code(page, staff)
    page.wait_for_url("**" + path)


def order_the_first_time_offered(page, service_name):
    """The one-tap order: a service button, then confirm (the next time slot is preselected)."""
    page.goto(page.base + "/zh-hans/orders/")
    page.get_by_role("link", name=service_name).click()
    page.get_by_text("越秀区 北京街").wait_for()
    page.get_by_role("button", name="确认下单").click()
    page.get_by_text("下单成功").wait_for()


def move_to_start_soon(order):
    """Let the volunteer check in now.

    The one-tap slots start at least two hours ahead, and check-in opens one
    hour before the start; the journey cannot wait, so the order moves to
    start in half an hour (still in the future, so it stays claimable).
    """
    starts_at = timezone.now() + timedelta(minutes=30)
    Order.objects.filter(pk=order.pk).update(
        starts_at=starts_at, ends_at=starts_at + timedelta(hours=order.booked_hours)
    )


def claim_check_in_and_out(page, order):
    page.goto(page.base + order.get_absolute_url())
    page.get_by_role("button", name="接这个单").click()
    page.get_by_text("接单成功").wait_for()
    page.get_by_role("button", name="签到").click()
    page.get_by_text("已签到").wait_for()
    pretend_an_hour_passed_since_check_in(order)
    page.get_by_role("button", name="签退").click()
    page.get_by_text("已签退").wait_for()
    order.refresh_from_db()
    return order


# Journeys ------------------------------------------------------------------


def test_elder_orders_with_one_tap_staff_approve_volunteer_serves_and_earns_a_credit(
    open_page, yuexiu, cleaning
):
    elder = make_elder_profile(make_user("+8613900000001", name="Chen Elder"), yuexiu)
    give_welfare_category(elder)
    staff = make_order_staff("staff@example.org", yuexiu)
    volunteer = make_volunteer("+8613900000003", yuexiu)

    elder_page = open_page()
    log_in(elder_page, "13900000001")
    elder_page.goto(elder_page.base + "/zh-hans/orders/")
    elder_page.get_by_text("点一下您需要的服务").wait_for()
    assert_no_horizontal_overflow(elder_page)
    order_the_first_time_offered(elder_page, "助洁服务")
    order = Order.objects.get(elder=elder)
    assert order.status == OrderStatus.SUBMITTED
    move_to_start_soon(order)

    admin = open_page(viewport=DESKTOP)
    log_in(admin, "staff@example.org", path="/zh-hans/admin/orders/order/", staff=staff)
    admin.locator("input[name=_selected_action]").first.check()
    admin.select_option("select[name=action]", "approve")
    admin.locator("button[name=index]").click()
    admin.get_by_text("已处理 1 项。").wait_for()

    phone = open_page(geolocation=GUANGZHOU, permissions=["geolocation"])
    log_in(phone, "13900000003")
    phone.goto(phone.base + "/zh-hans/orders/market/")
    assert_no_horizontal_overflow(phone)
    phone.locator(".order-row", has_text="助洁服务").get_by_role("link").click()
    phone.get_by_role("button", name="接这个单").wait_for()
    assert_no_horizontal_overflow(phone)
    order = claim_check_in_and_out(phone, order)
    assert order.check_in_location == order.check_out_location == "23.12911,113.26436"
    assert order.reported_minutes == 60
    assert_no_horizontal_overflow(phone)

    elder_page.goto(elder_page.base + order.get_absolute_url())
    elder_page.get_by_role("button", name="是的，服务已完成").click()
    elder_page.get_by_text("感谢确认").wait_for()
    elder_page.get_by_role("radiogroup", name="服务怎么样？").wait_for()
    assert_no_horizontal_overflow(elder_page)
    elder_page.get_by_label("非常满意").check()
    elder_page.get_by_label("意见（选填）").fill("很细心")
    elder_page.get_by_role("button", name="提交评价").click()
    elder_page.get_by_text("感谢您的评价。").wait_for()

    phone.get_by_role("link", name="我的积分").click()
    phone.locator("table.passbook td.number", has_text="+1").wait_for()
    assert_no_horizontal_overflow(phone)
    order.refresh_from_db()
    assert (order.status, order.volunteer) == (OrderStatus.COMPLETED, volunteer)
    assert (order.rating, order.rating_comment) == (5, "很细心")
    assert wallet_of(volunteer).balance == 1


def test_station_staff_order_for_elder_without_phone_and_volunteer_confirms_with_card_code(
    open_page, yuexiu, cleaning
):
    station = make_order_staff("station@example.org", yuexiu)
    # Registered at the station: no phone, no password; the staff member is
    # their verified proxy from that moment.
    elder = people.register_elder(
        by=station,
        relation="station",
        consent_note="Said yes at the station",
        **elder_fields(yuexiu),
    )
    give_welfare_category(elder)
    assert not elder.user.has_usable_password() and not elder.user.phone
    volunteer = make_volunteer("+8613900000003", yuexiu)

    desk = open_page(viewport=DESKTOP)
    log_in(desk, "station@example.org", staff=station)
    order_the_first_time_offered(desk, "助洁服务")
    order = Order.objects.get(elder=elder)
    assert order.placed_by == station
    move_to_start_soon(order)
    approve_order(order, by=station)

    # No geolocation permission granted: headless Chromium refuses at once, and
    # check-in and check-out go through without a location.
    phone = open_page()
    log_in(phone, "13900000003")
    order = claim_check_in_and_out(phone, order)
    assert order.check_in_location == order.check_out_location == ""
    phone.get_by_label("长者服务卡上的确认码").fill(elder.card_code)
    phone.get_by_role("button", name="确认", exact=True).click()
    phone.get_by_text("已用服务卡确认码确认").wait_for()
    assert_no_horizontal_overflow(phone)

    order.refresh_from_db()
    assert (order.status, order.confirmation) == (OrderStatus.COMPLETED, Confirmation.CARD_CODE)
    assert wallet_of(volunteer).balance == 1


# A phone that shows the location prompt and nobody answers it: the browser
# never calls back, and the geolocation timeout does not run while it waits.
UNANSWERED_PROMPT = "navigator.geolocation.getCurrentPosition = function () {};"


def test_check_in_goes_through_when_nobody_answers_the_location_prompt(open_page, yuexiu, cleaning):
    elder = make_elder_profile(make_user("+8613900000001", name="Chen Elder"), yuexiu)
    give_welfare_category(elder)
    staff = make_order_staff("staff@example.org", yuexiu)
    volunteer = make_volunteer("+8613900000003", yuexiu)
    order = submit_order(
        elder,
        by=elder.user,
        service_type=cleaning,
        starts_at=timezone.now() + timedelta(minutes=30),
        booked_hours=1,
        funding=Funding.WELFARE,
    )
    claim_order(approve_order(order, by=staff), by=volunteer)

    phone = open_page()
    phone.add_init_script(UNANSWERED_PROMPT)
    log_in(phone, "13900000003")
    phone.goto(phone.base + order.get_absolute_url())
    phone.get_by_role("button", name="签到").click()
    phone.get_by_text("已签到").wait_for(timeout=10_000)

    order.refresh_from_db()
    assert (order.status, order.check_in_location) == (OrderStatus.IN_SERVICE, "")
