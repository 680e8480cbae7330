"""The staff dashboard in a real browser: charts drawn, no console errors, fits a phone."""

import pytest

from accounts.models import ElderCategory, RecipientCategory, VerificationStatus
from catalogue.models import ServiceKind, ServiceType
from orders.models import OrderStatus
from tests.conftest import DEMO_PASSWORD, make_elder_profile, make_volunteer_profile
from tests.e2e.conftest import (
    DESKTOP,
    PHONE,
    assert_no_horizontal_overflow,
    enter_authenticator_code,
)
from tests.staff.conftest import make_order

pytestmark = pytest.mark.django_db(transaction=True)

DASHBOARD = "/zh-hans/admin/dashboard/?month=2030-06"


@pytest.fixture
def june(elder, volunteer, yuexiu):
    elder_profile = make_elder_profile(elder, yuexiu)
    ElderCategory.objects.create(
        elder=elder_profile,
        category=RecipientCategory.LOW_INCOME,
        status=VerificationStatus.VERIFIED,
        district=yuexiu,
        street=elder_profile.street,
    )
    make_volunteer_profile(volunteer, yuexiu)
    cleaning = ServiceType.objects.create(
        code="cleaning", kind=ServiceKind.GENERAL, name_zh="助洁服务", name_en="Cleaning"
    )
    for day, rating in enumerate([5, 4, 5]):
        make_order(
            elder_profile,
            cleaning,
            OrderStatus.COMPLETED,
            day=day,
            waited=30,
            minutes=90,
            rating=rating,
            volunteer=volunteer,
        )
    make_order(elder_profile, cleaning, OrderStatus.EXPIRED, day=4)


def open_dashboard(browser, base, viewport, staff):
    context = browser.new_context(viewport=viewport, device_scale_factor=1, locale="zh-CN")
    page = context.new_page()
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(base + "/zh-hans/accounts/login/?next=" + DASHBOARD)
    page.fill("#id_login", "city@example.org")
    page.fill("#id_password", DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    enter_authenticator_code(page, staff)
    page.wait_for_url("**/admin/dashboard/**")
    return context, page, errors


def test_dashboard_draws_its_charts_at_desktop_width(
    browser, live_server, city_staff, june, tmp_path
):
    context, page, errors = open_dashboard(browser, live_server.url, DESKTOP, city_staff)
    page.get_by_role("heading", name="待办事项").wait_for()
    charts = page.locator("figure.staff-chart svg")
    assert charts.count() >= 5
    assert page.locator("figure.staff-chart svg rect").count() >= 10
    box = charts.first.bounding_box()
    assert box["width"] > 300
    assert box["height"] > 100
    page.screenshot(path=tmp_path / "dashboard.png", full_page=True)
    context.close()
    assert errors == []


def test_dashboard_and_report_fit_a_phone(browser, live_server, city_staff, june):
    context, page, errors = open_dashboard(browser, live_server.url, PHONE, city_staff)
    page.get_by_role("heading", name="待办事项").wait_for()
    assert_no_horizontal_overflow(page)
    page.get_by_role("link", name="本月月度报表").click()
    page.get_by_role("link", name="下载 Excel").wait_for()
    assert_no_horizontal_overflow(page)
    context.close()
    assert errors == []
