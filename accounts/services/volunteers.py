"""Volunteers: their profile, their qualifications, their organisations."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from accounts.idnumbers import age_on, birth_date_from_id
from accounts.models import (
    AvailabilityWindow,
    ClashKind,
    Qualification,
    ServiceOrganisation,
    VerificationStatus,
    VolunteerProfile,
    window_refusal,
)
from accounts.models.people import MIN_VOLUNTEER_AGE
from accounts.services.identity import (
    _check_street,
    _clash,
    _entered,
    _identity_changed,
    _refuse_held_number,
    _refuse_unaccepted_review,
)
from accounts.services.refusals import PeopleError


def save_volunteer_profile(*, by, **fields):
    """Create or edit one's own volunteer profile.

    What staff verified (name, ID number, photo) goes back to them when it
    changes, and only once the person has accepted that; any other change
    keeps the verification. An empty ID number keeps the one on file.
    """
    if fields.get("id_number") and _clash(
        by, fields["id_number"], ClashKind.VOLUNTEER, **_entered(fields)
    ):
        raise _refuse_held_number()
    return _save_volunteer_profile(by, **fields)


@transaction.atomic
def _save_volunteer_profile(
    user,
    *,
    real_name,
    id_number="",
    district,
    street=None,
    health_declared,
    health_notes="",
    skills=(),
    evidence=None,
    review_accepted=False,
):
    if not health_declared:
        raise PeopleError(gettext("Volunteers must declare that they are fit to volunteer."))
    profile = VolunteerProfile.objects.select_for_update().filter(user=user).first()
    profile = profile or VolunteerProfile(user=user)
    id_number = id_number or profile.id_number
    if not id_number:
        raise PeopleError(gettext("Enter the resident ID number."))
    birth_date = birth_date_from_id(id_number)
    if age_on(birth_date, timezone.localdate()) < MIN_VOLUNTEER_AGE:
        raise PeopleError(gettext("Volunteers must be at least 18 years old."))
    _check_street(district, street)
    changed = _identity_changed(profile, real_name=real_name, id_number=id_number, photo=evidence)
    if changed and profile.is_verified and not review_accepted:
        raise _refuse_unaccepted_review()
    profile.real_name = real_name
    profile.id_number = id_number
    profile.birth_date = birth_date
    profile.district = district
    profile.street = street
    profile.health_declared = True
    profile.health_notes = health_notes
    if changed or not profile.is_verified:
        profile.status = VerificationStatus.PENDING
        profile.decision_reason = ""
    if evidence is not None:
        profile.evidence = evidence
    profile.save()
    profile.skills.set(skills)
    return profile


@transaction.atomic
def set_availability(*, by, windows, districts):
    """The volunteer says when and where they usually serve, the whole week at once.

    `windows` are (weekday, starts, ends); none means any time, and no
    `districts` means their own (`accounts.models.availability`).
    """
    profile = VolunteerProfile.objects.select_for_update().filter(user=by).first()
    if profile is None:
        raise PeopleError(gettext("Fill in your volunteer profile first."))
    refusal = window_refusal(windows)
    if refusal:
        raise PeopleError(refusal)
    profile.availability.all().delete()
    AvailabilityWindow.objects.bulk_create(
        AvailabilityWindow(profile=profile, weekday=weekday, starts=starts, ends=ends)
        for weekday, starts, ends in windows
    )
    # Their own district alone is kept as no choice, so it follows them when they move.
    own_only = {district.pk for district in districts} == {profile.district_id}
    profile.serve_districts.set([] if own_only else districts)
    return profile


@transaction.atomic
def add_qualification(*, by, service_type, certificate_number, expires_on, evidence):
    """A volunteer adds a professional certificate of their own; staff verify it."""
    profile = VolunteerProfile.objects.filter(user=by).first()
    if profile is None:
        raise PeopleError(gettext("Fill in your volunteer profile first."))
    if not service_type.is_professional:
        raise PeopleError(gettext("Only professional services need a qualification."))
    if expires_on < timezone.localdate():
        raise PeopleError(gettext("This certificate has already expired."))
    return Qualification.objects.create(
        holder=by,
        service_type=service_type,
        certificate_number=certificate_number,
        expires_on=expires_on,
        evidence=evidence,
        district=profile.district,
        street=profile.street,
    )


@transaction.atomic
def register_organisation(
    *, by, name, licence_number, district, street=None, service_types, evidence
):
    """A coordinator (`by`) registers an organisation and its licence; staff verify it."""
    if ServiceOrganisation.objects.filter(licence_number=licence_number).exists():
        raise PeopleError(gettext("An organisation with this licence number is registered."))
    if any(not service_type.is_professional for service_type in service_types):
        raise PeopleError(gettext("Only professional services need a qualification."))
    _check_street(district, street)
    organisation = ServiceOrganisation.objects.create(
        name=name,
        licence_number=licence_number,
        coordinator=by,
        district=district,
        street=street,
        evidence=evidence,
    )
    organisation.service_types.set(service_types)
    return organisation
