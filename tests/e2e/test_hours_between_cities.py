"""On a phone: a volunteer takes a signed statement away and brings one in."""

import json

import pytest

from credits.models import CarriedStatement, CarriedStatus
from credits.statements import verify_statement
from tests.conftest import fund, make_user, make_volunteer_profile
from tests.credits.carry import make_platform, statement_file
from tests.e2e.conftest import PHONE, assert_no_horizontal_overflow, logged_in_context

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_volunteer_downloads_a_statement_and_uploads_another_platforms(
    browser, live_server, yuexiu, tmp_path
):
    volunteer = make_user("+8613920000031", name="Sun Volunteer")
    profile = make_volunteer_profile(volunteer, yuexiu, sequence="151")
    fund(volunteer, 6)
    _platform, key = make_platform("Shenzhen Time Bank")
    context = logged_in_context(browser, live_server, volunteer, viewport=PHONE)
    page = context.new_page()

    page.goto(f"{live_server.url}/en/credits/")
    assert_no_horizontal_overflow(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download my signed hours statement").click()
    body, _signer = verify_statement(json.loads(download.value.path().read_bytes()))
    assert (body["volunteer"]["id_number"], body["balance"]) == (profile.id_number, 6)

    page.get_by_role("link", name="Carry in hours from another platform").click()
    tampered = tmp_path / "tampered.json"
    tampered.write_bytes(statement_file(key, profile).replace(b'"balance":12', b'"balance":120'))
    page.get_by_label("Hours statement file").set_input_files(tampered)
    page.get_by_role("button", name="Upload").click()
    page.get_by_text("changed after it was signed").wait_for()
    assert_no_horizontal_overflow(page)

    good = tmp_path / "statement.json"
    good.write_bytes(statement_file(key, profile))
    page.get_by_label("Hours statement file").set_input_files(good)
    page.get_by_role("button", name="Upload").click()
    page.get_by_text("12 credits from Shenzhen Time Bank — Waiting for staff").wait_for()
    assert_no_horizontal_overflow(page)
    context.close()
    assert CarriedStatement.objects.get().status == CarriedStatus.PENDING
