"""Any number of people sign up by phone only or by email only, verify and log in."""

import re

import pytest
from django.core import mail
from django.db import IntegrityError, transaction

from accounts.models import User
from tests.accounts.conftest import PASSWORD, code_sent_to, login, signup, url

pytestmark = pytest.mark.django_db

PHONES = ["+8613800138001", "+8613800138002", "+8613800138003"]
EMAILS = ["li@example.org", "wang@example.org", "zhao@example.org"]


def test_three_phone_only_people_sign_up_verify_and_log_in(client):
    for phone in PHONES:
        client.logout()
        assert signup(client, phone=phone).url == url("account_verify_phone")
        client.post(url("account_verify_phone"), {"code": code_sent_to(phone)})
        client.logout()

        response = login(client, phone.removeprefix("+86"), PASSWORD)

        assert response.url == url("landing")
        assert int(client.session["_auth_user_id"]) == User.objects.get(phone=phone).pk
    assert list(User.objects.values_list("email", "phone_verified")) == [(None, True)] * 3


def test_three_email_only_people_sign_up_verify_and_log_in(client):
    for email in EMAILS:
        client.logout()
        signup(client, email=email)
        link = re.search(r"https?://\S+/confirm-email/\S+/", mail.outbox[-1].body).group()
        client.post(link)
        client.logout()

        response = login(client, email, PASSWORD)

        assert response.url == url("landing")
        user = User.objects.get(email=email)
        assert int(client.session["_auth_user_id"]) == user.pk
        assert user.emailaddress_set.get().verified
    assert list(User.objects.values_list("phone", flat=True)) == [None] * 3


def test_an_empty_email_is_stored_as_null():
    user = User.objects.create_user(email="", phone="+8613800138001")

    user.refresh_from_db()
    assert user.email is None


@pytest.mark.parametrize("field", ["email", "phone"])
def test_the_database_refuses_an_empty_login_field(field):
    user = User.objects.create_user(email="li@example.org", phone="+8613800138001")

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=user.pk).update(**{field: ""})
