"""Forms answer a stranger the same whether or not a number or an email is registered.

Signup by phone: tests/accounts/test_signup_login.py; elder registration by
resident ID number: tests/accounts/test_resident_ids.py.
"""

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import RelativeLink, TextMessage, User
from tests.accounts.conftest import url
from tests.conftest import image_file, make_user

pytestmark = pytest.mark.django_db

UNREGISTERED = "+8613800138999"


def answer(response):
    return (
        response.status_code,
        response.get("Location"),
        [str(message) for message in get_messages(response.wsgi_request)],
    )


def ask_to_link(user, phone):
    client = Client()
    client.force_login(user)
    return client.post(
        reverse("people:relative_new"),
        {"relative_phone": phone, "relation": "parent", "evidence": image_file()},
    )


def test_the_relative_form_answers_the_same_for_a_registered_and_an_unregistered_number(
    volunteer_profile, elder
):
    registered = answer(ask_to_link(volunteer_profile.user, elder.phone))
    unregistered = answer(ask_to_link(volunteer_profile.user, UNREGISTERED))

    assert registered == unregistered
    assert RelativeLink.objects.get().relative == elder


def test_the_registered_relative_is_texted_about_the_request(
    volunteer_profile, elder, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ask_to_link(volunteer_profile.user, elder.phone)

    assert "link your account" in TextMessage.objects.get(recipient=elder.phone).body


def test_asking_twice_for_one_relative_answers_as_the_first_time(volunteer_profile, elder):
    first = answer(ask_to_link(volunteer_profile.user, elder.phone))
    second = answer(ask_to_link(volunteer_profile.user, elder.phone))

    assert first == second
    assert RelativeLink.objects.count() == 1


def test_signup_with_a_registered_email_answers_as_for_a_new_one_and_emails_the_owner():
    make_user(email="li@example.org")

    registered, new = (
        Client().post(
            url("account_signup", "en"),
            {"email": email, "password1": "Quiet-River-2026", "password2": "Quiet-River-2026"},
        )
        for email in ("LI@example.org", "wang@example.org")
    )

    assert (registered.status_code, registered.url) == (new.status_code, new.url)
    assert registered.url == url("account_email_verification_sent", "en")
    assert User.objects.filter(email="li@example.org").count() == 1
    assert sorted(message.to[0] for message in mail.outbox) == [
        "li@example.org",
        "wang@example.org",
    ]


def test_password_reset_answers_the_same_for_a_registered_and_an_unregistered_email():
    make_user(email="li@example.org")

    registered, unregistered = (
        answer(Client().post(url("account_reset_password", "en"), {"email": email}))
        for email in ("li@example.org", "nobody@example.org")
    )

    assert registered == unregistered
    assert sorted(message.to[0] for message in mail.outbox) == [
        "li@example.org",
        "nobody@example.org",
    ]
