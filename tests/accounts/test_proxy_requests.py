"""A relative asks to act for a self-registered elder; the elder or station staff confirm."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from accounts import services
from accounts.models import ElderProfile, ProxyAuthorisation, TextMessage, VerificationStatus
from accounts.services.links import PROXY_REQUEST_COOL_DOWN
from tests.conftest import client_of, elder_fields, make_proxy_authorisation

pytestmark = pytest.mark.django_db

UNREGISTERED_ID = "11010519491231002X"


def ask(user, **data):
    return client_of(user).post(reverse("people:proxy_request"), {"relation": "family", **data})


def answer(response):
    return (
        response.status_code,
        response.get("Location"),
        [str(message) for message in get_messages(response.wsgi_request)],
    )


def test_a_relative_asks_by_id_number_and_the_elder_is_texted(
    proxy, elder_profile, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = ask(proxy, id_number=elder_profile.id_number, note="Her son")

    assert response.url == reverse("people:me")
    request = ProxyAuthorisation.objects.get(proxy=proxy)
    assert (request.elder, request.status, request.consent_note) == (
        elder_profile,
        VerificationStatus.PENDING,
        "Her son",
    )
    # The asker reads English here; the elder's text is in the site's language.
    assert "有人申请代您办理" in TextMessage.objects.get(recipient=elder_profile.phone).body


def test_a_relative_asks_by_the_elders_phone(proxy, elder_profile):
    ask(proxy, phone="13900000001")

    assert ProxyAuthorisation.objects.get(proxy=proxy).elder == elder_profile


def test_the_form_needs_an_id_number_or_a_phone(proxy, elder_profile):
    response = ask(proxy)

    assert response.status_code == 200
    assert "resident ID number or mobile number" in str(response.context["form"].errors)
    assert not ProxyAuthorisation.objects.exists()


def test_the_answer_is_the_same_for_an_elder_a_stranger_and_no_one(
    proxy, elder_profile, volunteer_profile
):
    elder = answer(ask(proxy, id_number=elder_profile.id_number))
    volunteer = answer(ask(proxy, id_number=volunteer_profile.id_number))
    nobody = answer(ask(proxy, id_number=UNREGISTERED_ID))
    by_phone = answer(ask(proxy, phone="13800138999"))

    assert elder == volunteer == nobody == by_phone
    assert ProxyAuthorisation.objects.get().elder == elder_profile


def test_asking_for_someone_who_is_not_an_elder_creates_nothing(proxy, volunteer_profile):
    ask(proxy, id_number=volunteer_profile.id_number)
    ask(proxy, phone=volunteer_profile.user.phone[3:])

    assert not ProxyAuthorisation.objects.exists()
    assert not ElderProfile.objects.exists()


def test_asking_twice_keeps_one_request(proxy, elder_profile):
    first = answer(ask(proxy, id_number=elder_profile.id_number))
    second = answer(ask(proxy, id_number=elder_profile.id_number))

    assert first == second
    assert ProxyAuthorisation.objects.count() == 1


def test_an_elder_cannot_ask_to_act_for_themselves(elder, elder_profile):
    ask(elder, id_number=elder_profile.id_number)

    assert not ProxyAuthorisation.objects.exists()


def test_a_pending_request_is_not_listed_to_the_asker(proxy, elder_profile):
    ask(proxy, id_number=elder_profile.id_number)

    page = client_of(proxy).get(reverse("people:me")).content.decode()

    assert elder_profile.masked_name not in page


def test_the_elder_sees_the_request_and_confirms_it(proxy, elder, elder_profile):
    ask(proxy, id_number=elder_profile.id_number)
    request = ProxyAuthorisation.objects.get()
    client = client_of(elder)

    page = client.get(reverse("people:me")).content.decode()
    response = client.post(reverse("people:proxy_confirm", args=[request.pk]))

    assert reverse("people:proxy_confirm", args=[request.pk]) in page
    assert response.url == reverse("people:me")
    request.refresh_from_db()
    assert (request.status, request.decided_by) == (VerificationStatus.VERIFIED, elder)
    assert ElderProfile.objects.actable_by(proxy).get() == elder_profile


def test_the_elder_declines_a_request(proxy, elder, elder_profile):
    ask(proxy, id_number=elder_profile.id_number)
    request = ProxyAuthorisation.objects.get()

    client_of(elder).post(reverse("people:proxy_revoke", args=[request.pk]))

    request.refresh_from_db()
    assert request.status == VerificationStatus.REVOKED


@pytest.mark.parametrize("who", ["proxy", "other_elder", "district_staff"])
def test_nobody_but_the_elder_confirms_a_request(request, who, proxy, elder_profile):
    ask(proxy, id_number=elder_profile.id_number)
    authorisation = ProxyAuthorisation.objects.get()

    response = client_of(request.getfixturevalue(who)).post(
        reverse("people:proxy_confirm", args=[authorisation.pk])
    )

    assert response.status_code == 404
    authorisation.refresh_from_db()
    assert authorisation.status == VerificationStatus.PENDING


def test_the_service_refuses_a_confirmation_by_anyone_but_the_elder(proxy, elder_profile):
    authorisation = make_proxy_authorisation(
        elder_profile, proxy, status=VerificationStatus.PENDING
    )

    with pytest.raises(services.PeopleError, match="Only the elder"):
        services.confirm_proxy_request(authorisation, by=proxy)


def test_a_decided_request_cannot_be_confirmed_again(proxy_authorisation, elder):
    response = client_of(elder).post(reverse("people:proxy_confirm", args=[proxy_authorisation.pk]))

    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "This has already been decided."
    ]


def test_station_staff_of_the_area_confirm_and_others_may_not(
    proxy, elder_profile, district_staff, other_district_staff
):
    ask(proxy, id_number=elder_profile.id_number)
    request = ProxyAuthorisation.objects.get()

    with pytest.raises(services.PeopleError, match="outside the area"):
        services.approve_request(request, by=other_district_staff)
    services.approve_request(request, by=district_staff)

    request.refresh_from_db()
    assert request.status == VerificationStatus.VERIFIED


def test_a_contact_phone_does_not_find_an_elder(proxy, district_staff, yuexiu):
    """A contact phone may be a station's, shared by many elders: only a login number counts."""
    services.register_elder(
        by=district_staff,
        relation="station_staff",
        consent_note="At the station",
        **elder_fields(yuexiu, phone="+8613900000077"),
    )

    ask(proxy, phone="13900000077")

    assert not ProxyAuthorisation.objects.filter(proxy=proxy).exists()


def test_an_elder_who_declined_is_not_texted_again_by_the_same_asker(
    proxy, elder_profile, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ask(proxy, id_number=elder_profile.id_number)
    services.revoke_proxy(ProxyAuthorisation.objects.get(), by=elder_profile.user)

    with django_capture_on_commit_callbacks(execute=True):
        again = answer(ask(proxy, id_number=elder_profile.id_number))
        by_phone = answer(ask(proxy, phone="13900000001"))

    assert again == by_phone == answer(ask(proxy, id_number=UNREGISTERED_ID))
    assert ProxyAuthorisation.objects.get().status == VerificationStatus.REVOKED
    assert TextMessage.objects.filter(recipient=elder_profile.phone).count() == 1


def test_the_same_asker_may_ask_again_after_the_cool_down(proxy, elder_profile):
    ask(proxy, id_number=elder_profile.id_number)
    declined = ProxyAuthorisation.objects.get()
    services.revoke_proxy(declined, by=elder_profile.user)
    ProxyAuthorisation.objects.filter(pk=declined.pk).update(
        created_at=declined.created_at - PROXY_REQUEST_COOL_DOWN
    )

    ask(proxy, id_number=elder_profile.id_number)

    assert ProxyAuthorisation.objects.filter(status=VerificationStatus.PENDING).count() == 1
