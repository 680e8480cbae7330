"""Volunteers a city system verified, brought in one row at a time by their city number.

Each row is its own transaction: a bad or conflicting row is reported and
changes nothing, and never undoes the rows before it. A row is matched in
this order, and nothing already on record is ever overwritten:

- its city number is linked already: the same name, ID number and district
  (and no other account holding its phone) is `unchanged`; anything else is
  a `conflict`;
- an account holds its ID number: that account is `linked` (its volunteer
  profile made, or given the city number) when nothing on record disagrees:
  no other account holds the phone, the account is an active non-staff one,
  its profile names the same person in the same district, has no other city
  number and was not rejected by staff;
- nobody holds the ID number and no account holds the phone: a new account
  is `created`, as a station registers someone without a login (no
  password; the phone, unverified, is theirs to verify when they sign up),
  with its profile verified by the city system.

A phone alone never links: numbers are recycled and registries go stale, so
an account found only by its phone is a `conflict` for staff to look at.
Every conflict says the same words, so that the answers tell a client no
more about people outside its rows than that they could not be brought in.

So the same batch sent twice changes nothing the second time, and a phone or
ID number never gets a second account. Two imports of one person at once
meet the database's unique ID number and city number: one of them reports a
conflict, to be sent again.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts import audit
from accounts.idnumbers import age_on, birth_date_from_id, normalize_resident_id
from accounts.models import (
    District,
    ResidentIdentity,
    User,
    VerificationStatus,
    VolunteerProfile,
)
from accounts.models.people import MIN_VOLUNTEER_AGE
from accounts.phones import normalize_mobile
from accounts.services.refusals import PeopleError
from accounts.services.volunteers import _save_volunteer_profile


class ImportResult(models.TextChoices):
    CREATED = "created", _("created")
    LINKED = "linked", _("linked to the existing account")
    UNCHANGED = "unchanged", _("unchanged")
    CONFLICT = "conflict", _("conflict: nothing changed")
    INVALID = "invalid", _("not valid: nothing changed")
    REFUSED = "refused", _("outside the client's area: nothing changed")


@dataclass
class RowReport:
    external_number: str
    result: str
    message: str = ""
    volunteer_number: str | None = None


class _Stop(Exception):
    """The row ends here with `result`; nothing it did is kept."""

    def __init__(self, result, message):
        super().__init__(message)
        self.result, self.message = result, str(message)


def import_volunteer(row, *, source, district=None):
    """Bring in one volunteer a city system verified; return its `RowReport`.

    `row` holds external_number, name, id_number, phone (or None), district (a
    code), street (a name, or None); `source` names the system in the audit
    log; with `district`, rows of any other district are refused.
    """
    number = row["external_number"].strip()
    try:
        values = _clean(row, district)
        with transaction.atomic():
            result, profile = _apply(number, values, source)
    except _Stop as stop:
        return RowReport(number, stop.result, stop.message)
    except IntegrityError:
        message = gettext("This person changed at the same time: send the row again.")
        return RowReport(number, ImportResult.CONFLICT, message)
    return RowReport(number, result, str(result.label), profile.volunteer_number)


def _clean(row, within):
    """The row's values, normalised as signup does, or `_Stop` saying what is wrong."""
    invalid = ImportResult.INVALID
    if not row["external_number"].strip():
        raise _Stop(invalid, gettext("The city volunteer number is empty."))
    name = " ".join(row["name"].split())
    if not name:
        raise _Stop(invalid, gettext("The name is empty."))
    try:
        id_number = normalize_resident_id(row["id_number"])
        phone = normalize_mobile(row["phone"]) if row.get("phone") else None
    except ValidationError as error:
        raise _Stop(invalid, error.messages[0]) from error
    if age_on(birth_date_from_id(id_number), timezone.localdate()) < MIN_VOLUNTEER_AGE:
        raise _Stop(invalid, gettext("Volunteers must be at least 18 years old."))
    district = District.objects.filter(code=row["district"]).first()
    if district is None:
        raise _Stop(invalid, gettext("There is no district with this code."))
    street = None
    if row.get("street"):
        street = district.streets.filter(Q(name_zh=row["street"]) | Q(name_en=row["street"]))
        street = street.first()
        if street is None:
            raise _Stop(invalid, gettext("There is no street of this name in the district."))
    if within is not None and district.pk != within.pk:
        raise _Stop(ImportResult.REFUSED, gettext("This client may only bring in its district."))
    return {
        "name": name,
        "id_number": id_number,
        "phone": phone,
        "district": district,
        "street": street,
    }


def _conflict():
    return _Stop(
        ImportResult.CONFLICT,
        gettext(
            "This person could not be matched to the records here as sent: nothing changed."
            " Staff of the district can check it."
        ),
    )


def _apply(number, values, source):
    linked = (
        VolunteerProfile.objects.select_for_update()
        .select_related("user")
        .filter(external_number=number)
        .first()
    )
    holder = ResidentIdentity.objects.filter(number=values["id_number"]).first()
    by_phone = values["phone"] and User.objects.filter(phone=values["phone"]).first()
    if linked is not None:
        if _same(linked, values) and by_phone in (None, linked.user):
            return ImportResult.UNCHANGED, linked
        raise _conflict()
    if by_phone and (holder is None or holder.user_id != by_phone.pk):
        raise _conflict()
    if holder is not None:
        profile = _link(holder.user, number, values)
        result = ImportResult.LINKED
    else:
        person = User(name=values["name"], phone=values["phone"])
        person.set_unusable_password()
        person.save()
        profile = _new_profile(person, values)
        result = ImportResult.CREATED
    profile.external_number = number
    profile.status = VerificationStatus.VERIFIED
    profile.decided_by = None
    profile.decided_at = timezone.now()
    profile.decision_reason = gettext("Verified by the city system %(source)s.") % {
        "source": source
    }
    profile.save()
    audit.record(
        None,
        "volunteerprofile.imported",
        profile,
        reason=str(source),
        after={"external_number": number, "result": str(result)},
    )
    return result, profile


def _same(profile, values):
    return (
        profile.real_name == values["name"]
        and profile.id_number == values["id_number"]
        and profile.district_id == values["district"].pk
    )


# A staff decision stands: a rejected profile is not verified by an import.
LINKABLE = {VerificationStatus.PENDING, VerificationStatus.VERIFIED}


def _link(person, number, values):
    """The volunteer profile of the account holding the ID number, to be given the city number."""
    if person.is_staff or person.is_superuser or not person.is_active:
        raise _conflict()
    profile = VolunteerProfile.objects.select_for_update().filter(user=person).first()
    if profile is None:
        return _new_profile(person, values)
    if profile.external_number or not _same(profile, values) or profile.status not in LINKABLE:
        raise _conflict()
    return profile


def _new_profile(person, values):
    try:
        return _save_volunteer_profile(
            person,
            real_name=values["name"],
            id_number=values["id_number"],
            district=values["district"],
            street=values["street"],
            health_declared=True,
        )
    except PeopleError as error:
        raise _Stop(ImportResult.INVALID, str(error)) from error
