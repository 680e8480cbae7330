import pytest

from tests.conftest import DEMO_PASSWORD, fund, make_user
from tests.e2e.conftest import assert_no_horizontal_overflow

pytestmark = pytest.mark.django_db(transaction=True)


def test_volunteer_reads_balance_and_statement_on_a_phone(phone_page):
    volunteer = make_user("+8613920000009", name="Zhou Volunteer")
    fund(volunteer, 12)
    page = phone_page

    page.goto(page.base + "/zh-hans/accounts/login/")
    page.fill("#id_login", "13920000009")
    page.fill("#id_password", DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_role("link", name="我的积分").click()

    page.get_by_text("12 积分").wait_for()
    assert_no_horizontal_overflow(page)
    page.get_by_role("link", name="打印存折").click()
    page.get_by_text("期末余额").wait_for()
    assert_no_horizontal_overflow(page)
