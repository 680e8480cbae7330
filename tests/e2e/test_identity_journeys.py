"""Signing up in a browser when others have already signed up the same way."""

import re

import pytest
from django.core import mail

from accounts.models import User
from tests.conftest import make_user
from tests.e2e.conftest import PASSWORD, latest_code

pytestmark = pytest.mark.django_db(transaction=True)


def sign_up(page, **fields):
    page.goto(page.base + "/en/accounts/signup/")
    for name, value in fields.items():
        page.fill(f"#id_{name}", value)
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.get_by_role("button", name="Sign Up").click()


def log_out_and_in(page, login):
    page.get_by_role("button", name="Log out").click()
    page.goto(page.base + "/en/accounts/login/")
    page.fill("#id_login", login)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.get_by_text("Logged in as").wait_for()


def test_a_second_phone_only_person_signs_up_verifies_and_logs_in(phone_page):
    make_user("+8613920000001", password=PASSWORD)
    page = phone_page

    sign_up(page, phone="139 2000 0002")
    page.fill("#id_code", latest_code("+8613920000002"))
    page.get_by_role("button", name="Confirm").click()
    page.get_by_text("Logged in as").wait_for()
    log_out_and_in(page, "13920000002")

    assert User.objects.get(phone="+8613920000002").email is None


def test_a_second_email_only_person_signs_up_confirms_and_logs_in(phone_page):
    make_user(email="first@example.org", password=PASSWORD)
    page = phone_page

    sign_up(page, email="second@example.org")
    page.get_by_role("heading", name="Verify Your Email Address").wait_for()
    link = re.search(r"https?://\S+/confirm-email/\S+/", mail.outbox[-1].body).group()
    page.goto(link)
    page.get_by_role("button", name="Confirm").click()
    page.get_by_role("heading", name="What brings you here?").wait_for()
    log_out_and_in(page, "second@example.org")

    user = User.objects.get(email="second@example.org")
    assert user.phone is None
    assert user.emailaddress_set.get().verified
