import pytest

from rewards.models import RedemptionStatus
from tests.conftest import DEMO_PASSWORD, make_staff, make_user
from tests.credits.conftest import fund, set_policy
from tests.e2e.conftest import PHONE, assert_no_horizontal_overflow
from tests.e2e.test_people_journeys import logged_in_context
from tests.rewards.conftest import make_goods, make_station

pytestmark = pytest.mark.django_db(transaction=True)


def test_volunteer_redeems_on_a_phone_and_station_staff_hand_it_over(
    phone_page, browser, live_server, yuexiu
):
    set_policy(spendable_after_hours=0)
    volunteer = make_user("+8613920000011", name="Qian Volunteer")
    fund(volunteer, 25)
    make_goods(yuexiu, name="Commemorative badge", price=10, stock=2)
    make_station(yuexiu)
    staff = make_staff("yuexiu.station@example.org", yuexiu)
    page = phone_page

    page.goto(page.base + "/en/accounts/login/")
    page.fill("#id_login", "13920000011")
    page.fill("#id_password", DEMO_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.get_by_role("link", name="Rewards").click()
    assert_no_horizontal_overflow(page)
    page.get_by_role("link", name="Commemorative badge").click()
    page.get_by_role("button", name="Redeem").click()

    page.get_by_text("Show this code at the station").wait_for()
    assert page.locator(".service-card-qr svg").is_visible()
    assert_no_horizontal_overflow(page)
    redemption = volunteer.redemptions.get()
    assert page.locator(".service-card-code").inner_text() == redemption.code

    # Scanning the QR opens the staff page with the code filled in.
    staff_context = logged_in_context(browser, live_server, staff, viewport=PHONE)
    station = staff_context.new_page()
    station.goto(f"{live_server.url}/en/rewards/pickup/?code={redemption.code}")
    assert_no_horizontal_overflow(station)
    station.get_by_role("button", name="Mark handed over").click()
    station.get_by_text("Handed over: Commemorative badge").wait_for()
    staff_context.close()
    redemption.refresh_from_db()
    assert redemption.status == RedemptionStatus.COLLECTED

    page.get_by_role("link", name="My credits").click()
    debit = page.locator("tr", has_text="Redeemed for goods")
    debit.get_by_text("-10").wait_for()
    page.get_by_text("15 credits").wait_for()
