"""Logging in to the API: the session with its CSRF check, and the hour's token."""

import time

import pytest
from django.core import signing
from django.test import Client

from api.auth import TOKEN_LIFETIME, issue_token
from tests.api.conftest import ApiClient, token_of
from tests.conftest import DEMO_PASSWORD, make_user

pytestmark = pytest.mark.django_db


def ask_token(login, password=DEMO_PASSWORD, client=None):
    return (client or Client()).post(
        "/api/v1/auth/token",
        {"login": login, "password": password},
        content_type="application/json",
        headers={"Accept-Language": "en"},
    )


def with_token(token):
    client = ApiClient()
    client.headers["Authorization"] = f"Bearer {token}"
    return client


# Tokens ----------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["13900000003", "+86 139-0000-0003", "139 0000 0003"])
def test_a_volunteer_gets_a_token_with_their_number_however_typed(volunteer, typed):
    response = ask_token(typed)

    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 3600
    assert with_token(body["token"]).get("/credits").status_code == 200


def test_a_person_gets_a_token_with_their_email():
    make_user(email="li@example.org")

    assert ask_token("LI@example.org ").status_code == 200


@pytest.mark.parametrize("login", ["13900000003", "li@example.org", "nobody", ""])
def test_a_wrong_password_or_login_gets_no_token(volunteer, login):
    response = ask_token(login, "not-the-password")

    assert response.status_code == 401
    assert response.json()["code"] == "invalid_login"


def test_staff_get_no_token_even_with_the_right_password(district_staff, city_staff):
    for staff in (district_staff, city_staff):
        response = ask_token(staff.email)

        assert response.status_code == 403
        assert response.json()["code"] == "staff_need_second_factor"


def test_a_token_made_for_staff_is_refused_anyway(district_staff):
    assert with_token(issue_token(district_staff)).get("/credits").status_code == 401


def test_an_unverified_number_gets_no_token(db):
    user = make_user("+8613900000009")
    user.phone_verified = False
    user.save()

    response = ask_token("13900000009")

    assert response.status_code == 403
    assert response.json()["code"] == "phone_not_verified"


def test_an_inactive_person_gets_no_token(volunteer):
    volunteer.is_active = False
    volunteer.save()

    assert ask_token("13900000003").status_code == 401


def test_a_token_stops_working_after_an_hour(volunteer, monkeypatch):
    token = token_of("13900000003")
    client = with_token(token)
    assert client.get("/credits").status_code == 200

    later = time.time() + TOKEN_LIFETIME.total_seconds() + 1
    monkeypatch.setattr(signing.time, "time", lambda: later)

    response = client.get("/credits")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_a_token_stops_working_when_the_password_changes(volunteer):
    client = with_token(token_of("13900000003"))
    volunteer.set_password("a-new-password-2026")
    volunteer.save()

    assert client.get("/credits").status_code == 401


def test_a_token_stops_working_when_the_person_is_deactivated(volunteer):
    client = with_token(token_of("13900000003"))
    volunteer.is_active = False
    volunteer.save()

    assert client.get("/credits").status_code == 401


def test_a_token_stops_working_when_the_person_becomes_staff(volunteer):
    client = with_token(token_of("13900000003"))
    volunteer.is_staff = True
    volunteer.save()

    assert client.get("/credits").status_code == 401


@pytest.mark.parametrize("token", ["", "x", "x:y:z", "a.b.c", "signed:1"])
def test_made_up_tokens_are_refused(volunteer, token):
    if token == "signed:1":  # signed, but not by the API's signer
        token = signing.TimestampSigner(salt="other").sign("1")
    assert with_token(token).get("/credits").status_code == 401


def test_a_token_signed_for_something_else_is_refused(volunteer):
    other = signing.TimestampSigner(salt="other").sign_object(
        {"user": volunteer.pk, "hash": volunteer.get_session_auth_hash()}, compress=True
    )

    assert with_token(other).get("/credits").status_code == 401


# The site login's limits -----------------------------------------------------


def test_five_wrong_passwords_lock_the_token_for_that_login_only(volunteer, elder):
    for _ in range(5):
        assert ask_token("13900000003", "not-the-password").status_code == 401

    refused = ask_token("13900000003")
    assert refused.status_code == 429
    assert refused.json()["code"] == "too_many_attempts"
    assert refused.json()["message"] == "Too many failed login attempts. Try again later."
    assert ask_token("13900000001").status_code == 200


def test_wrong_passwords_on_the_site_lock_the_token_too(client, volunteer):
    for _ in range(5):
        client.post("/en/accounts/login/", {"login": "13900000003", "password": "wrong"})

    assert ask_token("13900000003").status_code == 429


def test_wrong_passwords_lock_new_tokens_but_not_the_ones_already_given(volunteer):
    client = with_token(token_of("13900000003"))
    for _ in range(5):
        ask_token("13900000003", "not-the-password")

    assert ask_token("13900000003").status_code == 429
    assert client.get("/credits").status_code == 200


def test_the_token_endpoint_counts_attempts_per_address_like_the_login_page(db, settings):
    settings.ACCOUNT_RATE_LIMITS = {"login": "2/m/ip", "login_failed": "10/m/ip,5/300s/key"}
    make_user(email="li@example.org")
    for _ in range(2):
        assert ask_token("li@example.org").status_code == 200

    assert ask_token("li@example.org").status_code == 429


# The session -----------------------------------------------------------------


def test_the_session_reads_without_a_csrf_token(volunteer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(volunteer)

    assert client.get("/api/v1/credits").status_code == 200


def test_the_session_needs_the_csrf_token_to_change_anything(volunteer, elder):
    client = Client(enforce_csrf_checks=True)
    client.force_login(volunteer)

    refused = client.post("/api/v1/notifications/read", headers={"Accept-Language": "en"})
    assert refused.status_code == 403
    assert refused.json()["code"] == "csrf_failed"

    client.cookies["csrftoken"] = "B" * 32
    wrong = client.post("/api/v1/notifications/read", headers={"X-CSRFToken": "C" * 32})
    assert wrong.status_code == 403

    right = client.post("/api/v1/notifications/read", headers={"X-CSRFToken": "B" * 32})
    assert right.status_code == 200


def test_a_token_needs_no_csrf_token(volunteer):
    client = Client(enforce_csrf_checks=True)
    token = token_of("13900000003")

    response = client.post(
        "/api/v1/notifications/read", headers={"Authorization": f"Bearer {token}"}
    )

    assert response.status_code == 200


def test_no_session_and_no_token_is_401_not_a_csrf_failure(db):
    response = Client(enforce_csrf_checks=True).post("/api/v1/notifications/read")

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
