"""A district staff member logs in with a password and an authenticator code, and approves."""

import pytest
from django.contrib.auth.models import Permission

from orders.models import Order, OrderStatus, ServiceKind
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
