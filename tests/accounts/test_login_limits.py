"""Wrong passwords lock the login that was typed, and no other."""

import pytest

from tests.accounts.conftest import login, url
from tests.conftest import DEMO_PASSWORD, make_user, totp_code

pytestmark = pytest.mark.django_db

LOCKED = "Too many failed login attempts. Try again later."


def six_wrong_passwords(client, typed):
    for _ in range(6):
        login(client, typed, "not-the-password", lang="en")


def test_six_wrong_passwords_for_one_number_lock_that_number_only(client, volunteer, elder):
    six_wrong_passwords(client, "139 0000 0003")

    refused = login(client, "13900000003", DEMO_PASSWORD, lang="en")
    assert LOCKED in refused.content.decode()
    assert "_auth_user_id" not in client.session

    response = login(client, "13900000001", DEMO_PASSWORD, lang="en")
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == elder.pk


def test_every_spelling_of_a_locked_number_is_locked(client, volunteer):
    six_wrong_passwords(client, "+86 139-0000-0003")

    response = login(client, "13900000003", DEMO_PASSWORD, lang="en")

    assert LOCKED in response.content.decode()


def test_six_wrong_passwords_for_one_email_lock_that_email_only(client):
    make_user(email="li@example.org")
    wang = make_user(email="wang@example.org")
    six_wrong_passwords(client, "LI@example.org")

    assert LOCKED in login(client, "li@example.org", DEMO_PASSWORD, lang="en").content.decode()

    response = login(client, "wang@example.org", DEMO_PASSWORD, lang="en")
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == wang.pk


def test_six_wrong_passwords_for_one_staff_login_leave_other_staff_into_the_admin(
    client, district_staff, other_district_staff
):
    admin_index = url("admin:index", "en")
    six_wrong_passwords(client, "staff@example.org")

    assert LOCKED in login(client, "staff@example.org", DEMO_PASSWORD, lang="en").content.decode()

    response = client.post(
        url("account_login", "en") + "?next=" + admin_index,
        {"login": "haizhu.staff@example.org", "password": DEMO_PASSWORD, "next": admin_index},
    )
    assert response.url == url("mfa_authenticate", "en")
    response = client.post(response.url, {"code": totp_code(other_district_staff)})
    assert response.url == admin_index
    assert client.get(admin_index).status_code == 200


def test_failed_logins_from_one_address_are_limited_across_logins(client, volunteer):
    for number in range(10):
        login(client, f"1390000010{number}", "not-the-password", lang="en")

    response = login(client, "13900000003", DEMO_PASSWORD, lang="en")

    assert LOCKED in response.content.decode()
