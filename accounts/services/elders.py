"""Elders: their profile, registering one at a station, their categories, who saw them."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from accounts import audit
from accounts.idnumbers import birth_date_from_id
from accounts.models import (
    ClashKind,
    ElderCategory,
    ElderProfile,
    ProxyAuthorisation,
    ResidentIdentity,
    User,
    VerificationStatus,
    covers,
    may_act_for,
)
from accounts.services.identity import (
    _check_street,
    _clash,
    _entered,
    _identity_changed,
    _refuse_held_number,
    _refuse_unaccepted_review,
    _tell_holder,
)
from accounts.services.links import _authorise_proxy
from accounts.services.refusals import PeopleError


def _elder_values(fields):
    id_number = fields["id_number"]
    birth_date = birth_date_from_id(id_number)
    given = fields.pop("birth_date", None)
    if given and given != birth_date:
        raise PeopleError(gettext("The birth date does not match the resident ID number."))
    _check_street(fields["district"], fields["street"], fields.get("community"))
    return {**fields, "birth_date": birth_date}


def save_elder_profile(*, by, **fields):
    """The elder fills in (or corrects) their own profile; an empty ID number keeps the one on file.

    Verified categories were verified for the person the profile names: a new
    name or ID number sends them back to staff, once the elder has accepted that.
    """
    if fields.get("id_number") and _clash(
        by, fields["id_number"], ClashKind.ELDER_SELF, **_entered(fields)
    ):
        raise _refuse_held_number()
    return _save_elder_profile(by, **fields)


@transaction.atomic
def _save_elder_profile(user, *, review_accepted=False, **fields):
    profile = ElderProfile.objects.select_for_update().filter(user=user).first()
    profile = profile or ElderProfile(user=user, registered_by=user)
    fields["id_number"] = fields.get("id_number") or profile.id_number
    if not fields["id_number"]:
        raise PeopleError(gettext("Enter the resident ID number."))
    values = _elder_values(fields)
    verified = profile.categories.verified() if profile.pk else ElderCategory.objects.none()
    changed = _identity_changed(
        profile, real_name=values["real_name"], id_number=values["id_number"]
    )
    if changed and verified.exists() and not review_accepted:
        raise _refuse_unaccepted_review()
    for field, value in values.items():
        setattr(profile, field, value)
    profile.save()
    if changed:
        verified.update(status=VerificationStatus.PENDING, decision_reason="")
    return profile


@transaction.atomic
def register_elder(*, by, relation, consent_note, evidence=None, **fields):
    """Register an elder who may have no phone or login; `by` becomes their proxy.

    Staff of the elder's area and already-verified proxies are trusted, so
    their authorisation is verified at once; anyone else's waits for staff.

    A resident ID number another account holds gets the same answer as a new
    one, so that nobody learns whether a number is registered: the holder is
    texted, staff see the clash, and a proxy request for the registered elder
    waits for staff like any other.
    """
    values = _elder_values(fields)
    if ResidentIdentity.objects.filter(number=values["id_number"], user=by).exists():
        raise PeopleError(
            gettext("An elder cannot be registered under your own resident ID number.")
        )
    holder = _clash(by, values["id_number"], ClashKind.ELDER_FOR_OTHER, **_entered(values))
    if holder is not None:
        _ask_to_act_for_registered(
            holder, by=by, relation=relation, consent_note=consent_note, evidence=evidence
        )
        return None
    elder_user = User(name=values["real_name"])
    elder_user.set_unusable_password()
    elder_user.save()
    elder = ElderProfile.objects.create(user=elder_user, registered_by=by, **values)
    trusted = covers(by, elder.district_id, elder.street_id) or (
        ProxyAuthorisation.objects.filter(proxy=by, status=VerificationStatus.VERIFIED).exists()
    )
    authorisation = _authorise_proxy(
        elder,
        by=by,
        relation=relation,
        consent_note=consent_note,
        evidence=evidence,
        status=VerificationStatus.VERIFIED if trusted else VerificationStatus.PENDING,
        decided_by=by if trusted else None,
        decided_at=timezone.now() if trusted else None,
    )
    audit.record(
        by,
        "elderprofile.registered",
        elder,
        after={"proxy_authorisation": authorisation.pk, "status": authorisation.status},
    )
    return elder


def _ask_to_act_for_registered(holder, *, by, relation, consent_note, evidence):
    elder = ElderProfile.objects.filter(user=holder.user).first()
    open_request = ProxyAuthorisation.objects.filter(
        elder=elder,
        proxy=by,
        status__in=[VerificationStatus.PENDING, VerificationStatus.VERIFIED],
    )
    if elder is not None and elder.user_id != by.pk and not open_request.exists():
        _authorise_proxy(
            elder, by=by, relation=relation, consent_note=consent_note, evidence=evidence
        )
    _tell_holder(holder)


@transaction.atomic
def request_category(elder, category, *, evidence, by):
    """Ask staff to verify one recipient category; a rejected one may be asked again."""
    if not may_act_for(by, elder):
        raise PeopleError(gettext("You may not act for this elder."))
    existing = ElderCategory.objects.select_for_update().filter(elder=elder, category=category)
    row = existing.first()
    if row is not None and row.status != VerificationStatus.REJECTED:
        raise PeopleError(gettext("This category has already been requested."))
    row = row or ElderCategory(elder=elder, category=category)
    row.status = VerificationStatus.PENDING
    row.decision_reason = ""
    row.evidence = evidence
    row.district_id = elder.district_id
    row.street_id = elder.street_id
    row.save()
    return row


def record_elder_view(elder, *, by):
    """Log that `by` opened the elder's full record (PIPL: who saw what)."""
    return audit.record(by, "elderprofile.viewed", elder)
