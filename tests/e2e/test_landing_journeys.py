"""Each person's way in on a 360 × 740 phone: the landing after login, the taps
to a submitted order, and elder mode with read-aloud.

Taps are counted from the page the login lands on; the login form itself is
not counted.
"""

import re
from io import StringIO

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command

from accounts.models import User
from catalogue.models import ServiceKind, ServiceType
from orders.forms import next_slots
from orders.models import Funding, Order, OrderStatus
from orders.services import approve_order, submit_order
from tests.conftest import (
    DEMO_PASSWORD,
    make_elder_profile,
    make_proxy_authorisation,
    make_staff,
    make_user,
    make_volunteer_profile,
)
from tests.e2e.conftest import PHONE, assert_no_horizontal_overflow
from tests.orders.conftest import give_welfare_category
from timebank.management.commands import seed_demo

pytestmark = pytest.mark.django_db(transaction=True)

# The browser's own speech synthesis, replaced by one that notes what it was asked to say.
SPEECH_STUB = """
window.spoken = [];
const speak = (utterance) => window.spoken.push(utterance.text);
if (window.speechSynthesis) {
  window.speechSynthesis.speak = speak;
  window.speechSynthesis.cancel = () => {};
} else {
  Object.defineProperty(window, "speechSynthesis", {value: {speak, cancel: () => {}}});
}
"""
NO_SPEECH = """
delete Window.prototype.speechSynthesis;
Object.defineProperty(window, "speechSynthesis", {value: undefined});
"""


@pytest.fixture
def phone(browser, live_server):
    """Opens a 360 × 740 page in a fresh context; the test fails on any console error."""
    contexts, errors = [], []

    def open_phone(init_script=None):
        context = browser.new_context(viewport=PHONE, device_scale_factor=1, locale="zh-CN")
        if init_script:
            context.add_init_script(init_script)
        contexts.append(context)
        page = context.new_page()
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.base = live_server.url
        page.taps = 0
        return page

    yield open_phone
    for context in contexts:
        context.close()
    assert errors == []


def log_in(page, login, language="zh-hans", password=DEMO_PASSWORD):
    """The real login form, without a `next`: the person lands where their role starts."""
    page.goto(f"{page.base}/{language}/accounts/login/")
    page.fill("#id_login", login)
    page.fill("#id_password", password)
    page.press("#id_password", "Enter")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def tap(page, locator):
    page.taps += 1
    locator.click()


def in_first_viewport(locator):
    box = locator.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]


@pytest.fixture
def cleaning(db):
    return ServiceType.objects.create(
        code="cleaning", kind=ServiceKind.GENERAL, name_zh="助洁服务", name_en="Cleaning"
    )


@pytest.fixture
def rehabilitation(db):
    return ServiceType.objects.create(
        code="rehabilitation",
        kind=ServiceKind.PROFESSIONAL,
        name_zh="康复护理",
        name_en="Rehabilitation nursing",
    )


@pytest.fixture
def welfare_elder(yuexiu):
    elder = make_elder_profile(make_user("+8613900000001", name="Chen Elder"), yuexiu)
    return give_welfare_category(elder)


def confirm_order_on_screen(page, confirm_label="确认下单", placed="下单成功"):
    """The confirm screen: the order in words and its button within the first viewport."""
    confirm = page.get_by_role("button", name=confirm_label).first
    confirm.wait_for()
    assert in_first_viewport(confirm), confirm.bounding_box()
    assert_no_horizontal_overflow(page)
    tap(page, confirm)
    page.get_by_text(placed).wait_for()


def test_elder_logs_in_and_orders_cleaning_in_three_taps(phone, welfare_elder, cleaning):
    page = phone()
    log_in(page, "13900000001")
    assert page.url.endswith(f"/zh-hans/orders/elder/{welfare_elder.pk}/")
    assert_no_horizontal_overflow(page)

    tap(page, page.get_by_role("link", name="助洁服务"))
    confirm_order_on_screen(page)

    order = Order.objects.get(elder=welfare_elder)
    assert page.taps <= 3
    assert (order.service_type, order.status, order.funding) == (
        cleaning,
        OrderStatus.SUBMITTED,
        Funding.WELFARE,
    )


@pytest.mark.parametrize(
    ("language", "own_heading", "cleaning_label", "confirm_label", "placed"),
    [
        ("zh-hans", "为 陈婆婆 预约服务", "助洁服务", "确认下单", "下单成功"),
        ("en", "Services for 陈婆婆", "Cleaning", "Confirm order", "Your order is placed"),
    ],
)
def test_demo_elder_in_elder_mode_orders_cleaning_in_three_taps_with_confirm_on_first_screen(
    phone, language, own_heading, cleaning_label, confirm_label, placed
):
    """The demo elder, as seeded: elder mode on, her own landing, her real address and orders."""
    call_command("seed_demo", stdout=StringIO())
    login, name, *_ = seed_demo.DEMO_USERS[0]
    elder = User.objects.get(name=name)
    assert elder.elder_mode
    before = set(Order.objects.values_list("pk", flat=True))

    page = phone()
    log_in(page, login, language, seed_demo.DEMO_PASSWORD)
    assert page.url.endswith(f"/{language}/orders/elder/{elder.elder_profile.pk}/")
    assert page.locator("html").get_attribute("class") == "elder-mode"
    # Her own name in full: masking hides it from others, not from her.
    assert page.get_by_role("heading", level=1).inner_text() == own_heading
    assert_no_horizontal_overflow(page)

    tap(page, page.get_by_role("link", name=cleaning_label, exact=True))
    confirm = page.get_by_role("button", name=confirm_label).first
    confirm.wait_for()
    box = confirm.bounding_box()
    assert box["y"] + box["height"] <= PHONE["height"], box
    assert Axe().run(page).response["violations"] == []
    confirm_order_on_screen(page, confirm_label, placed)

    (order,) = Order.objects.exclude(pk__in=before)
    assert page.taps <= 3
    assert (order.elder.user, order.placed_by, order.service_type.code) == (
        elder,
        elder,
        "cleaning",
    )


def test_proxy_orders_for_one_of_two_elders_in_four_taps(phone, yuexiu, cleaning):
    proxy = make_user("+8613900000002", name="Chen Proxy")
    first = make_elder_profile(make_user("+8613900000001", name="Chen Elder"), yuexiu)
    second = make_elder_profile(
        make_user("+8613900000005", name="Zhou Elder"), yuexiu, sequence="135"
    )
    for elder in (first, second):
        give_welfare_category(elder)
        make_proxy_authorisation(elder, proxy)

    page = phone()
    log_in(page, "13900000002")
    assert page.url.endswith("/zh-hans/orders/")
    tap(page, page.get_by_role("link", name=str(second)))
    tap(page, page.get_by_role("link", name="助洁服务"))
    confirm_order_on_screen(page)

    order = Order.objects.get()
    assert page.taps <= 4
    assert (order.elder, order.placed_by) == (second, proxy)


def test_volunteer_lands_on_a_market_without_professional_orders_they_cannot_claim(
    phone, welfare_elder, cleaning, rehabilitation, yuexiu
):
    staff = make_staff("staff@example.org", yuexiu)
    for service in (cleaning, rehabilitation):
        order = submit_order(
            welfare_elder,
            by=welfare_elder.user,
            service_type=service,
            starts_at=next_slots()[0],
            booked_hours=1,
            funding=Funding.WELFARE,
        )
        approve_order(order, by=staff)
    make_volunteer_profile(make_user("+8613900000003", name="Li Volunteer"), yuexiu)

    page = phone()
    log_in(page, "13900000003")

    assert page.url.endswith("/zh-hans/orders/market/")
    page.locator(".order-row", has_text="助洁服务").wait_for()
    assert page.locator(".order-row", has_text="康复护理").count() == 0
    assert_no_horizontal_overflow(page)


def test_elder_mode_stays_on_shows_large_type_and_elder_tasks_and_reads_the_page_aloud(
    phone, welfare_elder, cleaning
):
    page = phone(SPEECH_STUB)
    log_in(page, "13900000001")
    page.get_by_role("button", name="大字（长者模式）").click()
    page.wait_for_load_state()

    page.reload()

    assert page.locator("html").get_attribute("class") == "elder-mode"
    root_size = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    assert root_size >= 24
    assert User.objects.get(pk=welfare_elder.user_id).elder_mode
    nav = page.get_by_role("navigation", name="主菜单")
    my_orders = nav.get_by_role("link", name="我的订单")
    assert not my_orders.is_visible()  # behind the menu, so the header stays short
    menu = page.locator(".site-menu > summary")
    assert menu.inner_text().startswith("菜单")
    menu.focus()
    menu_outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    page.keyboard.press("Enter")
    assert my_orders.is_visible()
    assert menu_outline != "none"
    assert nav.get_by_role("link", name="待接订单").count() == 0
    assert nav.get_by_role("link", name="我的接单").count() == 0
    assert_no_horizontal_overflow(page)
    assert Axe().run(page).response["violations"] == []

    read_aloud = page.get_by_role("button", name="朗读本页")
    read_aloud.focus()
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    page.keyboard.press("Enter")

    page.wait_for_function("window.spoken.length === 1")
    spoken = page.evaluate("window.spoken[0]")
    main_text = re.sub(r"\s+", " ", page.locator("main").inner_text()).strip()
    assert spoken == main_text
    assert "助洁服务" in spoken and "点一下您需要的服务" in spoken
    assert outline != "none"


def test_read_aloud_is_hidden_where_the_browser_cannot_speak(phone, welfare_elder, cleaning):
    page = phone(NO_SPEECH)
    log_in(page, "13900000001")

    page.get_by_role("link", name="助洁服务").wait_for()
    assert page.locator("[data-read-aloud]").count() == 1
    assert not page.locator("[data-read-aloud]").is_visible()
