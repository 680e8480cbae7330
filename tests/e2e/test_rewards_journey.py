import datetime

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from rewards.models import Project, RedemptionStatus
from rewards.services import issue_certificate, open_star_notice, redeem_goods
from tests.conftest import DEMO_PASSWORD, fund, make_staff, make_user, set_policy
from tests.e2e.conftest import PHONE, assert_no_horizontal_overflow, enlarge_text, logged_in_context
from tests.rewards.conftest import make_goods, make_issuer, make_station, serve

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
    page.get_by_role("link", name="Commemorative badge").wait_for()
    assert_no_horizontal_overflow(page)
    page.get_by_role("link", name="Commemorative badge").click()
    page.get_by_role("button", name="Redeem").click()

    page.get_by_text("Show this code at the station").wait_for()
    expect(page.locator(".service-card-qr svg")).to_be_visible()
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
    debit = page.locator("tr", has_text="Exchanged for goods")
    debit.get_by_text("-10").wait_for()
    debit.get_by_role("link", name="Commemorative badge").wait_for()
    page.get_by_text("15 credits").wait_for()


@pytest.fixture
def rewards_world(yuexiu, volunteer, volunteer_profile, other_volunteer):
    """One of everything a rewards page shows, for the volunteer."""
    set_policy(spendable_after_hours=0)
    fund(volunteer, 40)
    goods = make_goods(yuexiu, name="长寿面礼盒（五公斤装，本地粮油企业赞助）", sponsor="越秀粮油")
    redemption = redeem_goods(goods, make_station(yuexiu), by=volunteer)
    serve(volunteer, 120, on=datetime.date(2026, 1, 10))
    notice = open_star_notice(volunteer)
    make_issuer(yuexiu, name="越秀区志愿者联合会")
    certificate = issue_certificate(
        datetime.date(2026, 1, 1), datetime.date(2026, 1, 31), by=volunteer
    )
    project = Project.objects.create(
        code="warm", name="冬日暖心", purpose="为独居长者添置取暖器", district=yuexiu, target=500
    )
    return {
        "shelf": [],
        "goods": [goods.pk],
        "redemption": [redemption.pk],
        "mine": [],
        "gift": [],
        "donate": [],
        "projects": [],
        "project": [project.code],
        "notices": [],
        "notice": [notice.pk],
        "honours": [],
        "certificate_new": [],
        "certificate_print": [certificate.serial],
        "certificate": [certificate.serial],
    }


def test_rewards_pages_fit_a_360px_phone_at_large_text(
    browser, live_server, rewards_world, volunteer
):
    context = logged_in_context(browser, live_server, volunteer, viewport=PHONE)
    page = context.new_page()
    for name, args in rewards_world.items():
        page.goto(live_server.url + reverse(f"rewards:{name}", args=args))
        assert_no_horizontal_overflow(page)
        enlarge_text(page)
        assert_no_horizontal_overflow(page)
    context.close()
