from pathlib import Path

import pytest
from django.test import Client

from accounts.models import User
from tests.e2e.conftest import PASSWORD, assert_no_horizontal_overflow, enlarge_text, latest_code

pytestmark = pytest.mark.django_db(transaction=True)

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def test_signup_verify_logout_login_and_switch_language(phone_page):
    page = phone_page
    page.goto(page.base + "/zh-hans/")
    page.get_by_role("link", name="注册成为志愿者").click()

    page.fill("#id_phone", "139 2000 0001")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.get_by_role("button", name="注册").click()

    page.fill("#id_code", "000000")
    page.get_by_role("button", name="确认").click()
    page.get_by_text("错误代码。").wait_for()

    page.fill("#id_code", latest_code("+8613920000001"))
    page.get_by_role("button", name="确认").click()
    page.get_by_text("已登录").wait_for()
    assert User.objects.get(phone="+8613920000001").phone_verified

    page.get_by_role("button", name="退出登录").click()
    page.get_by_role("link", name="登录").first.wait_for()

    page.goto(page.base + "/zh-hans/accounts/login/")
    page.fill("#id_login", "13920000001")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_text("已登录").wait_for()

    page.get_by_role("button", name="English").click()
    page.get_by_role("link", name="Find an order to help with").wait_for()
    assert page.url.endswith("/en/")
    assert page.locator("html").get_attribute("lang") == "en"


@pytest.mark.parametrize(
    "path",
    ["/zh-hans/", "/zh-hans/accounts/signup/", "/zh-hans/accounts/login/", "/en/accounts/signup/"],
)
def test_pages_fit_a_360px_phone(phone_page, path):
    page = phone_page
    page.goto(page.base + path)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    name = path.strip("/").replace("/", "-") or "home"
    page.screenshot(path=SCREENSHOTS / f"phone-{name}.png", full_page=True)

    assert_no_horizontal_overflow(page)


def test_pages_fit_at_double_text_size(phone_page):
    page = phone_page
    page.goto(page.base + "/zh-hans/accounts/signup/")
    enlarge_text(page)

    assert_no_horizontal_overflow(page)


def test_phone_change_page_keeps_its_hidden_form_hidden_under_the_csp(phone_page, db):
    """allauth hides its re-send form with style="display: none", allowed by hash."""
    user = User.objects.create_user(phone="+8613920000009", password="a-long-test-password-1")
    client = Client()
    client.force_login(user)
    page = phone_page
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": page.base}]
    )

    page.goto(page.base + "/zh-hans/accounts/phone/change/")

    assert page.locator("form#verify-phone").count() == 1
    assert page.locator("form#verify-phone").is_hidden()
