import datetime

from django.utils import timezone

from accounts.models import (
    Qualification,
    VerificationStatus,
    is_qualified_for,
)
from catalogue.models import ServiceKind
from tests.conftest import make_organisation, make_service_type, make_user, make_volunteer_profile


def certificate(holder, service_type, *, expires_on, status=VerificationStatus.VERIFIED):
    return Qualification.objects.create(
        holder=holder,
        service_type=service_type,
        certificate_number="C-1",
        expires_on=expires_on,
        status=status,
        district=holder.volunteer_profile.district,
    )


def organisation(service_type, member, *, status=VerificationStatus.VERIFIED):
    return make_organisation(
        make_user(email="coordinator@example.org"),
        [member],
        [service_type],
        member.volunteer_profile.district,
        status=status,
    )


def test_verified_volunteer_is_qualified_for_general_services(volunteer_profile):
    meals = make_service_type("meals", ServiceKind.GENERAL)

    assert is_qualified_for(volunteer_profile.user, meals)


def test_unverified_volunteer_is_qualified_for_nothing(volunteer, yuexiu):
    make_volunteer_profile(volunteer, yuexiu, status=VerificationStatus.PENDING)

    assert not is_qualified_for(volunteer, make_service_type("meals", ServiceKind.GENERAL))


def test_person_without_volunteer_profile_is_not_qualified(elder, bathing):
    assert not is_qualified_for(elder, bathing)


def test_own_valid_certificate_qualifies_until_it_expires(volunteer_profile, bathing):
    volunteer = volunteer_profile.user
    today = timezone.localdate()
    certificate(volunteer, bathing, expires_on=today)

    assert is_qualified_for(volunteer, bathing)
    assert not is_qualified_for(volunteer, bathing, today + datetime.timedelta(days=1))


def test_pending_certificate_does_not_qualify(volunteer_profile, bathing):
    certificate(volunteer_profile.user, bathing, expires_on=timezone.localdate(), status="pending")

    assert not is_qualified_for(volunteer_profile.user, bathing)


def test_certificate_for_another_service_does_not_qualify(volunteer_profile, bathing):
    certificate(volunteer_profile.user, make_service_type("legal"), expires_on=timezone.localdate())

    assert not is_qualified_for(volunteer_profile.user, bathing)


def test_member_of_verified_organisation_qualified_for_the_service_is_qualified(
    volunteer_profile, bathing
):
    organisation(bathing, volunteer_profile.user)

    assert is_qualified_for(volunteer_profile.user, bathing)


def test_member_of_unverified_organisation_is_not_qualified(volunteer_profile, bathing):
    organisation(bathing, volunteer_profile.user, status=VerificationStatus.PENDING)

    assert not is_qualified_for(volunteer_profile.user, bathing)
