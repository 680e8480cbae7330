"""Editing a profile keeps what staff verified; a new identity goes back to them, knowingly."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from accounts import services
from accounts.models import ElderCategory, VerificationStatus
from catalogue.models import ServiceKind
from tests.conftest import client_of, image_file, make_id_number, make_service_type

pytestmark = pytest.mark.django_db


@pytest.fixture
def cleaning(db):
    return make_service_type("cleaning", kind=ServiceKind.GENERAL)


def edit_data(profile, **overrides):
    """What the edit form posts when the person changes nothing: no ID number, no photo."""
    return {
        "real_name": profile.real_name,
        "district": profile.district_id,
        "street": profile.street_id,
        "health_declared": "on",
        "serve_districts": [profile.district_id],
        **overrides,
    }


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_verified_volunteer_adds_a_skill_without_id_number_or_photo_and_stays_verified(
    volunteer_profile, cleaning
):
    client = client_of(volunteer_profile.user)

    response = client.post(
        reverse("people:volunteer"), edit_data(volunteer_profile, skills=[cleaning.pk])
    )

    assert response.url == reverse("people:me")
    volunteer_profile.refresh_from_db()
    assert volunteer_profile.status == VerificationStatus.VERIFIED
    assert list(volunteer_profile.skills.all()) == [cleaning]
    assert messages_of(response) == ["Your profile is saved and stays verified."]


def test_the_edit_form_is_filled_in_and_never_shows_the_id_number(volunteer_profile):
    page = client_of(volunteer_profile.user).get(reverse("people:volunteer")).content.decode()

    assert f'value="{volunteer_profile.real_name}"' in page
    assert volunteer_profile.id_number not in page
    assert volunteer_profile.masked_id_number in page
    assert "Changing your name, ID number or photo sends it back" in page


def test_a_new_name_without_accepting_review_is_refused_and_keeps_the_verification(
    volunteer_profile,
):
    client = client_of(volunteer_profile.user)

    response = client.post(
        reverse("people:volunteer"), edit_data(volunteer_profile, real_name="Li Wu")
    )

    assert response.status_code == 200
    assert "Tick the box to accept" in str(response.context["form"].non_field_errors())
    volunteer_profile.refresh_from_db()
    assert (volunteer_profile.real_name, volunteer_profile.status) == (
        "Li Volunteer",
        VerificationStatus.VERIFIED,
    )


@pytest.mark.parametrize(
    "change",
    [
        {"real_name": "Li Wu"},
        {"id_number": make_id_number(datetime.date(1991, 4, 2), sequence="321")},
        {"evidence": "photo"},
    ],
    ids=["name", "id_number", "photo"],
)
def test_an_accepted_identity_change_goes_back_to_staff(volunteer_profile, change):
    if "evidence" in change:
        change = {"evidence": image_file("new-id.jpg")}
    client = client_of(volunteer_profile.user)

    response = client.post(
        reverse("people:volunteer"),
        edit_data(volunteer_profile, review_accepted="on", **change),
    )

    assert response.url == reverse("people:me")
    volunteer_profile.refresh_from_db()
    assert volunteer_profile.status == VerificationStatus.PENDING
    assert messages_of(response) == ["Thank you. Staff will verify your profile."]


def test_a_rejected_profile_edited_goes_back_to_staff(volunteer_profile):
    volunteer_profile.status = VerificationStatus.REJECTED
    volunteer_profile.decision_reason = "Photo unreadable"
    volunteer_profile.save()

    client_of(volunteer_profile.user).post(
        reverse("people:volunteer"), edit_data(volunteer_profile, health_notes="Knees")
    )

    volunteer_profile.refresh_from_db()
    assert (volunteer_profile.status, volunteer_profile.decision_reason) == (
        VerificationStatus.PENDING,
        "",
    )


def test_the_service_refuses_an_unaccepted_identity_change(volunteer_profile, yuexiu):
    with pytest.raises(services.PeopleError, match="Tick the box"):
        services.save_volunteer_profile(
            real_name="Li Wu",
            id_number="",
            district=yuexiu,
            street=yuexiu.streets.first(),
            health_declared=True,
            by=volunteer_profile.user,
        )


def elder_edit_data(profile, **overrides):
    return {
        "real_name": profile.real_name,
        "district": profile.district_id,
        "street": profile.street_id,
        "address": profile.address,
        "emergency_contact_name": profile.emergency_contact_name,
        "emergency_contact_phone": "13900009999",
        **overrides,
    }


@pytest.fixture
def verified_category(elder_profile):
    return ElderCategory.objects.create(
        elder=elder_profile,
        category="alone",
        district=elder_profile.district,
        street=elder_profile.street,
        status=VerificationStatus.VERIFIED,
    )


def test_elder_corrects_the_address_and_keeps_verified_categories(elder_profile, verified_category):
    client = client_of(elder_profile.user)

    response = client.post(
        reverse("people:elder_self"), elder_edit_data(elder_profile, address="5 New Road")
    )

    assert response.url == reverse("people:elder", args=[elder_profile.pk])
    elder_profile.refresh_from_db()
    verified_category.refresh_from_db()
    assert elder_profile.address == "5 New Road"
    assert elder_profile.id_number == make_id_number(datetime.date(1948, 5, 17), sequence="124")
    assert verified_category.status == VerificationStatus.VERIFIED


def test_elder_with_verified_categories_must_accept_review_of_a_new_name(
    elder_profile, verified_category
):
    client = client_of(elder_profile.user)
    url = reverse("people:elder_self")

    refused = client.post(url, elder_edit_data(elder_profile, real_name="Chen Po"))
    accepted = client.post(
        url, elder_edit_data(elder_profile, real_name="Chen Po", review_accepted="on")
    )

    assert "Tick the box to accept" in str(refused.context["form"].non_field_errors())
    assert accepted.status_code == 302
    verified_category.refresh_from_db()
    assert verified_category.status == VerificationStatus.PENDING


def test_the_elder_edit_form_is_filled_in_and_never_shows_the_id_number(
    elder_profile, verified_category
):
    page = client_of(elder_profile.user).get(reverse("people:elder_self")).content.decode()

    assert 'value="1 Example Road"' in page
    assert elder_profile.id_number not in page
    assert elder_profile.masked_id_number in page
    assert "Changing your name or ID number sends them back to staff" in page
    assert 'name="review_accepted"' in page
