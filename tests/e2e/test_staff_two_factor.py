"""Staff in the browser: enrolling an authenticator app, and logging in with its code."""

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Permission

from accounts.twofactor import current_code
from catalogue.models import ServiceKind
from orders.models import Order, OrderStatus
from tests.conftest import DEMO_PASSWORD, make_elder_profile, make_service_type, totp_code
from tests.e2e.conftest import DESKTOP
from tests.orders.conftest import give_welfare_category, place

pytestmark = pytest.mark.django_db(transaction=True)

ORDERS = "/zh-hans/admin/orders/order/"


@pytest.fixture
def submitted(elder, yuexiu):
    elder_profile = give_welfare_category(make_elder_profile(elder, yuexiu))
    return place(elder_profile, make_service_type("cleaning", ServiceKind.GENERAL))


def test_district_staff_log_in_with_a_code_from_their_app_and_approve_an_order(
    browser, live_server, district_staff, submitted
):
    district_staff.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="orders")
    )
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    page.goto(live_server.url + ORDERS)
    page.fill("#id_login", "staff@example.org")
    page.fill("#id_password", DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_role("heading", name="双因素身份认证").wait_for()
    page.fill("#id_code", totp_code(district_staff))
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**" + ORDERS)
    page.locator("input[name=_selected_action]").first.check()
    page.select_option("select[name=action]", "approve")
    page.locator("button[name=index]").click()
    page.get_by_text("已处理 1 项。").wait_for()
    context.close()

    assert Order.objects.get(pk=submitted.pk).status == OrderStatus.PUBLISHED
    assert errors == []


def test_staff_without_an_authenticator_enrol_in_the_browser_and_reach_the_admin(
    browser, live_server, district_staff
):
    """The enrolment pages work under the site's CSP: a blocked QR code or
    script shows as a console error, which fails the test."""
    Authenticator.objects.filter(user=district_staff).delete()
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    page = context.new_page()
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    page.goto(live_server.url + "/zh-hans/admin/")
    page.fill("#id_login", "staff@example.org")
    page.fill("#id_password", DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    # allauth asks for the password again before a change of factors.
    page.fill("#id_password", DEMO_PASSWORD)
    page.locator("main button[type=submit]").click()
    page.get_by_role("heading", name="激活身份验证器应用").wait_for()
    assert page.locator(".service-card-qr svg").bounding_box()["width"] > 100
    secret = page.locator("#authenticator_secret").input_value()
    page.fill("#id_code", current_code(secret))
    page.get_by_role("button", name="激活").click()
    page.get_by_role("link", name="进入工作人员后台").click()
    page.get_by_role("link", name="打开工作台").wait_for()
    context.close()

    assert errors == []
