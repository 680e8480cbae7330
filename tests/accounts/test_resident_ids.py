"""One resident ID number, one person; a registered number is never revealed to a stranger."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from accounts import services
from accounts.models import (
    ClashKind,
    ElderProfile,
    IdClash,
    ProxyAuthorisation,
    ResidentIdentity,
    TextMessage,
    VerificationStatus,
    VolunteerProfile,
)
from tests.conftest import elder_fields, make_id_number, make_user, make_volunteer_profile

pytestmark = pytest.mark.django_db

REFUSED = "This resident ID number cannot be registered to this account."


@pytest.fixture
def second_account(db):
    """The volunteer's second account, or a stranger: either way not the number's holder."""
    return make_user("+8613900000088", name="Second Account")


def volunteer_fields(yuexiu, id_number):
    return {
        "real_name": "Li Si",
        "id_number": id_number,
        "district": yuexiu,
        "street": yuexiu.streets.first(),
        "health_declared": True,
    }


def test_a_second_account_cannot_take_a_volunteers_resident_id(
    volunteer_profile, second_account, yuexiu
):
    with pytest.raises(services.PeopleError, match=REFUSED) as refusal:
        services.save_volunteer_profile(
            **volunteer_fields(yuexiu, volunteer_profile.id_number), by=second_account
        )

    assert volunteer_profile.real_name not in str(refusal.value)
    assert not VolunteerProfile.objects.filter(user=second_account).exists()
    clash = IdClash.objects.get()
    assert (clash.holder.user, clash.attempted_by) == (volunteer_profile.user, second_account)


def test_an_elder_profile_under_a_volunteers_own_resident_id_on_a_second_account_is_refused(
    volunteer_profile, second_account, yuexiu
):
    fields = elder_fields(yuexiu, id_number=volunteer_profile.id_number)

    with pytest.raises(services.PeopleError, match=REFUSED):
        services.save_elder_profile(**fields, by=second_account)

    assert not ElderProfile.objects.filter(user=second_account).exists()
    assert IdClash.objects.get().kind == ClashKind.ELDER_SELF


def test_one_person_may_carry_one_number_on_both_profiles(volunteer, yuexiu):
    profile = make_volunteer_profile(volunteer, yuexiu)

    elder = services.save_elder_profile(
        **elder_fields(yuexiu, id_number=profile.id_number), by=volunteer
    )

    assert elder.id_number == profile.id_number
    assert ResidentIdentity.objects.get().user == volunteer


def test_a_corrected_number_frees_the_old_one(volunteer_profile, second_account, yuexiu):
    old = volunteer_profile.id_number
    services.save_volunteer_profile(
        **volunteer_fields(yuexiu, make_id_number(datetime.date(1980, 1, 1))),
        review_accepted=True,
        by=volunteer_profile.user,
    )

    services.save_volunteer_profile(**volunteer_fields(yuexiu, old), by=second_account)

    assert ResidentIdentity.objects.get(number=old).user == second_account


@pytest.mark.postgres
def test_the_database_refuses_one_number_on_two_accounts(volunteer_profile, elder_profile):
    with pytest.raises(IntegrityError), transaction.atomic():
        ElderProfile.objects.filter(pk=elder_profile.pk).update(
            id_number=volunteer_profile.id_number
        )


def test_an_elder_cannot_be_registered_under_ones_own_resident_id(volunteer_profile, yuexiu):
    with pytest.raises(services.PeopleError, match="your own resident ID number"):
        services.register_elder(
            by=volunteer_profile.user,
            relation="family",
            consent_note="Me",
            **elder_fields(yuexiu, id_number=volunteer_profile.id_number),
        )


def register_elder_form(client, yuexiu, id_number):
    return client.post(
        reverse("people:register_elder"),
        {
            "real_name": "Station Elder",
            "id_number": id_number,
            "district": yuexiu.pk,
            "street": yuexiu.streets.first().pk,
            "address": "2 Station Road",
            "emergency_contact_name": "Son",
            "emergency_contact_phone": "13900008888",
            "relation": "family",
            "consent_note": "She asked me to",
        },
    )


def answer(response):
    return (
        response.status_code,
        response.url,
        [str(message) for message in get_messages(response.wsgi_request)],
    )


def test_registering_an_elder_answers_the_same_for_a_registered_and_a_new_number(
    elder_profile, second_account, yuexiu
):
    first, second = Client(), Client()
    first.force_login(second_account)
    second.force_login(second_account)

    new = answer(register_elder_form(first, yuexiu, make_id_number(datetime.date(1941, 1, 1))))
    registered = answer(register_elder_form(second, yuexiu, elder_profile.id_number))

    assert new == registered


def test_a_registered_number_texts_its_holder_and_waits_for_staff(
    client, elder_profile, second_account, yuexiu, django_capture_on_commit_callbacks
):
    client.force_login(second_account)

    with django_capture_on_commit_callbacks(execute=True):
        register_elder_form(client, yuexiu, elder_profile.id_number)

    assert ElderProfile.objects.count() == 1
    request = ProxyAuthorisation.objects.get(proxy=second_account)
    assert (request.elder, request.status) == (elder_profile, VerificationStatus.PENDING)
    assert "Someone entered your resident ID number" in (
        TextMessage.objects.get(recipient=elder_profile.user.phone).body
    )
    assert IdClash.objects.get().kind == ClashKind.ELDER_FOR_OTHER


def test_a_verified_proxy_registering_a_registered_number_still_waits_for_staff(
    proxy_authorisation, proxy, other_elder_profile, yuexiu
):
    services.register_elder(
        by=proxy,
        relation="family",
        consent_note="Phone call",
        **elder_fields(yuexiu, id_number=other_elder_profile.id_number),
    )

    request = ProxyAuthorisation.objects.get(proxy=proxy, elder=other_elder_profile)
    assert request.status == VerificationStatus.PENDING


def test_staff_of_the_area_see_both_sides_of_a_clash(
    client, district_staff, elder_profile, second_account, yuexiu
):
    client.force_login(second_account)
    register_elder_form(client, yuexiu, elder_profile.id_number)
    client.force_login(district_staff)

    page = client.get(reverse("admin:accounts_idclash_changelist")).content.decode()

    assert "Second Account" in page
    assert reverse("admin:accounts_elderprofile_change", args=[elder_profile.pk]) in page
    assert elder_profile.masked_id_number in page
    assert elder_profile.id_number not in page
