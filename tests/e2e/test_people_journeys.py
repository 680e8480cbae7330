import datetime
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import Qualification, TextMessage, VerificationStatus
from tests.conftest import DEMO_PASSWORD, image_file, make_id_number, make_service_type, make_staff
from tests.e2e.conftest import (
    DESKTOP,
    assert_no_horizontal_overflow,
    enlarge_text,
    enter_authenticator_code,
    logged_in_context,
)

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "Quiet-River-2026"
PHONE = "+8613920000009"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def latest_code(phone):
    body = TextMessage.objects.filter(recipient=phone).latest("sent_at").body
    return re.search(r"\d{6}", body).group()


def test_newcomer_volunteers_uploads_a_qualification_and_staff_verify_it(
    phone_page, browser, live_server, yuexiu, tmp_path
):
    bathing = make_service_type("bathing")
    staff = make_staff("yuexiu.staff@example.org", yuexiu)
    photo = tmp_path / "certificate.jpg"
    photo.write_bytes(image_file().read())
    page = phone_page

    page.goto(page.base + "/en/accounts/signup/")
    page.fill("#id_phone", PHONE)
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    page.fill("#id_code", latest_code(PHONE))
    page.get_by_role("button", name="Confirm").click()

    page.get_by_role("heading", name="What brings you here?").wait_for()
    assert_no_horizontal_overflow(page)
    page.get_by_role("link", name="Become a volunteer").click()
    page.fill("#id_real_name", "Li Si")
    page.fill("#id_id_number", make_id_number(datetime.date(1990, 1, 15)))
    page.select_option("#id_district", label="Yuexiu")
    page.select_option("#id_street", label="Beijing Jie")
    page.check("#id_health_declared")
    page.set_input_files("#id_evidence", photo)
    assert_no_horizontal_overflow(page)
    page.get_by_role("button", name="Send").click()
    page.get_by_text("Staff will verify your profile").wait_for()

    page.get_by_role("link", name="Add a qualification").click()
    page.select_option("#id_service_type", label="bathing")
    page.fill("#id_certificate_number", "NURSE-2026-1")
    page.fill("#id_expires_on", (timezone.localdate() + datetime.timedelta(days=400)).isoformat())
    page.set_input_files("#id_evidence", photo)
    page.get_by_role("button", name="Send").click()
    page.get_by_text("NURSE-2026-1").wait_for()
    assert Qualification.objects.get().status == VerificationStatus.PENDING

    staff_context = browser.new_context(viewport=DESKTOP, locale="en-GB")
    admin = staff_context.new_page()
    admin.goto(live_server.url + "/en/admin/accounts/qualification/")
    admin.fill("#id_login", "yuexiu.staff@example.org")
    admin.fill("#id_password", DEMO_PASSWORD)
    admin.get_by_role("button", name="Sign In").click()
    enter_authenticator_code(admin, staff)
    admin.locator("input[name=_selected_action]").first.check()
    admin.select_option("select[name=action]", "approve_selected")
    admin.get_by_role("button", name="Go").click()
    admin.get_by_text("1 item done.").wait_for()
    staff_context.close()

    page.goto(page.base + "/en/me/")
    qualification = page.locator("li", has_text="NURSE-2026-1")
    qualification.get_by_text("Verified").wait_for()
    verified = Qualification.objects.get(status="verified")
    assert (verified.service_type, verified.decided_by) == (bathing, staff)
    assert_no_horizontal_overflow(page)


@pytest.mark.parametrize("page_name", ["me", "start", "register_elder", "elder", "card"])
def test_people_pages_fit_a_360px_phone_at_large_text(
    browser, live_server, proxy, proxy_authorisation, page_name
):
    context = logged_in_context(browser, live_server, proxy, viewport={"width": 360, "height": 740})
    page = context.new_page()
    args = [proxy_authorisation.elder_id] if page_name in {"elder", "card"} else []
    page.goto(live_server.url + reverse(f"people:{page_name}", args=args))
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"phone-people-{page_name}.png", full_page=True)

    assert_no_horizontal_overflow(page)
    enlarge_text(page)
    assert_no_horizontal_overflow(page)
    context.close()


def test_print_button_on_the_service_card_opens_the_print_dialog(
    browser, live_server, proxy, proxy_authorisation
):
    """It used an onclick attribute, which the CSP blocks: the button did nothing."""
    context = logged_in_context(browser, live_server, proxy)
    context.add_init_script("window.print = () => { window.printed = true; };")
    page = context.new_page()
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    with translation.override("en"):
        page.goto(live_server.url + reverse("people:card", args=[proxy_authorisation.elder_id]))

    page.get_by_role("button", name="Print").click()

    assert page.evaluate("window.printed === true")
    assert errors == []
    context.close()
