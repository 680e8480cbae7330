import datetime

import pytest

from accounts import services
from accounts.models import (
    AuditLog,
    ElderProfile,
    ProxyAuthorisation,
    RelativeLink,
    VerificationStatus,
    are_direct_relatives,
    may_act_for,
)
from tests.conftest import elder_fields, image_file, make_proxy_authorisation


def test_elder_may_act_for_themselves(elder_profile, elder):
    assert may_act_for(elder, elder_profile)


def test_verified_proxy_may_act_for_the_elder(proxy_authorisation, proxy, elder_profile):
    assert may_act_for(proxy, elder_profile)


def test_pending_proxy_may_not_act(elder_profile, proxy):
    make_proxy_authorisation(elder_profile, proxy, status=VerificationStatus.PENDING)

    assert not may_act_for(proxy, elder_profile)


def test_proxy_of_another_elder_may_not_act(other_proxy_authorisation, other_proxy, elder_profile):
    assert not may_act_for(other_proxy, elder_profile)


def test_elder_revokes_proxy_and_it_stops_counting(proxy_authorisation, elder, proxy):
    services.revoke_proxy(proxy_authorisation, by=elder)

    assert not may_act_for(proxy, proxy_authorisation.elder)
    entry = AuditLog.objects.get()
    assert (entry.action, entry.actor) == ("proxyauthorisation.revoked", elder)


def test_stranger_cannot_revoke_a_proxy(proxy_authorisation, volunteer):
    with pytest.raises(services.PeopleError):
        services.revoke_proxy(proxy_authorisation, by=volunteer)


def test_staff_approve_proxy_request_and_audit_it(elder_profile, proxy, district_staff):
    request = make_proxy_authorisation(elder_profile, proxy, status=VerificationStatus.PENDING)

    services.approve_request(request, by=district_staff)

    assert may_act_for(proxy, elder_profile)
    assert AuditLog.objects.get().action == "proxyauthorisation.verified"


def test_station_staff_register_elder_without_login_and_become_verified_proxy(
    district_staff, yuexiu
):
    elder = services.register_elder(
        by=district_staff,
        relation="station_staff",
        consent_note="Signed at the station",
        **elder_fields(yuexiu),
    )

    assert not elder.user.has_usable_password()
    assert elder.user.phone is None and elder.user.email is None
    assert elder.birth_date == datetime.date(1940, 2, 3)
    assert may_act_for(district_staff, elder)
    assert AuditLog.objects.get().action == "elderprofile.registered"


def test_newcomer_registering_for_someone_else_waits_for_staff(volunteer, yuexiu):
    elder = services.register_elder(
        by=volunteer,
        relation="family",
        consent_note="She asked me to",
        evidence=image_file(),
        **elder_fields(yuexiu),
    )

    authorisation = ProxyAuthorisation.objects.get(elder=elder)
    assert authorisation.status == VerificationStatus.PENDING
    assert not may_act_for(volunteer, elder)


def test_verified_proxy_registering_another_elder_is_trusted(proxy_authorisation, proxy, yuexiu):
    elder = services.register_elder(
        by=proxy, relation="family", consent_note="Phone call", **elder_fields(yuexiu)
    )

    assert may_act_for(proxy, elder)


def test_birth_date_must_match_the_id_number(district_staff, yuexiu):
    with pytest.raises(services.PeopleError, match="birth date"):
        services.register_elder(
            by=district_staff,
            relation="station_staff",
            consent_note="Signed",
            **elder_fields(yuexiu, birth_date=datetime.date(1941, 2, 3)),
        )

    assert not ElderProfile.objects.exists()


def test_relatives_count_only_after_staff_verify_in_either_direction(
    elder, volunteer, elder_profile, district_staff
):
    link = services.request_relative_link(
        relative_phone=volunteer.phone, relation="child", evidence=image_file(), by=elder
    )
    assert not are_direct_relatives(elder, volunteer)

    services.approve_request(link, by=district_staff)

    assert are_direct_relatives(elder, volunteer)
    assert are_direct_relatives(volunteer, elder)
    assert AuditLog.objects.get().action == "relativelink.verified"


def test_rejected_relative_link_does_not_count(elder, volunteer, elder_profile, district_staff):
    link = services.request_relative_link(
        relative_phone=volunteer.phone, relation="spouse", evidence=image_file(), by=elder
    )

    services.reject_request(link, by=district_staff, reason="No marriage certificate")

    assert not are_direct_relatives(elder, volunteer)
    assert RelativeLink.objects.get().decision_reason == "No marriage certificate"
