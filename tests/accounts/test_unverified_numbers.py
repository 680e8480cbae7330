"""An unverified signup does not own its number; unverified accounts holding nothing go."""

import datetime
from importlib import import_module

import pytest
from django.apps import apps
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from django_q.models import Schedule

from accounts import tasks
from accounts.models import User
from tests.accounts.conftest import PASSWORD, code_sent_to, login, signup, url
from tests.conftest import make_elder_profile, make_user

pytestmark = pytest.mark.django_db

NUMBER = "+8613800138000"


def squat(phone=NUMBER, **fields):
    """Someone signs up with a number that is not theirs and never verifies it."""
    signup(Client(), lang="en", phone=phone, **fields)
    # The owner comes along later than allauth's 30 seconds between codes to one number.
    cache.clear()
    return User.objects.get(phone=phone)


def test_the_owner_of_a_squatted_number_signs_up_verifies_and_takes_it(
    client, django_capture_on_commit_callbacks
):
    squatter = squat(email="squatter@example.org")

    response = signup(client, lang="en", phone="13800138000")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("account_verify_phone", "en"), {"code": code_sent_to(NUMBER)})

    assert response.url == url("account_verify_phone", "en")
    owner = User.objects.get(phone=NUMBER)
    assert owner != squatter and owner.phone_verified
    squatter.refresh_from_db()
    assert (squatter.phone, squatter.is_active) == (None, True)
    assert mail.outbox[-1].to == ["squatter@example.org"]
    assert "verified by another account" in mail.outbox[-1].subject


def test_a_phone_only_squatter_who_loses_the_number_is_closed(client):
    squatter = squat()

    signup(client, lang="en", phone="13800138000")
    client.post(url("account_verify_phone", "en"), {"code": code_sent_to(NUMBER)})

    squatter.refresh_from_db()
    assert (squatter.phone, squatter.is_active) == (None, False)


def test_after_the_takeover_the_number_logs_in_its_owner(client):
    squat()
    signup(client, lang="en", phone="13800138000")
    client.post(url("account_verify_phone", "en"), {"code": code_sent_to(NUMBER)})
    client.logout()

    login(client, "13800138000", PASSWORD)

    assert int(client.session["_auth_user_id"]) == User.objects.get(phone_verified=True).pk


def test_a_verified_number_is_not_taken_over(client):
    owner = make_user(NUMBER)

    signup(client, lang="en", phone="13800138000")

    assert list(User.objects.filter(phone=NUMBER)) == [owner]


def age(user, days):
    User.objects.filter(pk=user.pk).update(
        date_joined=timezone.now() - datetime.timedelta(days=days)
    )


def test_the_task_removes_stale_empty_unverified_accounts_and_keeps_the_rest(yuexiu):
    stale = squat()
    recent = squat("+8613800138001")
    verified = make_user("+8613800138002")
    with_profile = squat("+8613800138003")
    make_elder_profile(with_profile, yuexiu)
    staff = make_user(email="staff@example.org", is_staff=True)
    for user in (stale, verified, with_profile, staff):
        age(user, 15)
    age(recent, 13)

    removed = tasks.remove_stale_unverified_accounts()

    assert removed == 1
    assert not User.objects.filter(pk=stale.pk).exists()
    assert set(User.objects.all()) == {recent, verified, with_profile, staff}


def test_removing_stale_accounts_twice_removes_nothing_more():
    age(squat(), 15)
    tasks.remove_stale_unverified_accounts()

    assert tasks.remove_stale_unverified_accounts() == 0


def test_the_removal_runs_on_a_schedule_created_once():
    # Transactional tests elsewhere empty the table, so run the migration's step here.
    create_schedules = import_module("accounts.migrations.0008_schedules").create_schedules
    create_schedules(apps, None)
    create_schedules(apps, None)

    schedule = Schedule.objects.get(func="accounts.tasks.remove_stale_unverified_accounts")
    assert schedule.repeats == -1
