"""Every change to people, links and verifications goes through these functions.

Each runs in one transaction, locks the row it decides on, re-checks the
rule on the locked row and raises `PeopleError` with a message safe to show.
Staff decisions are written to the audit log (`accounts.audit.record`).
"""

import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from accounts import audit
from accounts.idnumbers import age_on, birth_date_from_id
from accounts.models import (
    ClashKind,
    ElderCategory,
    ElderProfile,
    IdClash,
    ProxyAuthorisation,
    Qualification,
    RelativeLink,
    ResidentIdentity,
    ServiceOrganisation,
    User,
    VerificationStatus,
    VolunteerProfile,
    covers,
    may_act_for,
)
from accounts.models.people import MIN_VOLUNTEER_AGE
from accounts.privacy import holds_anything
from accounts.sms import send_text_message
from accounts.status import check_move, move


class PeopleError(Exception):
    """A refused change; the message can be shown to the person who asked."""


# Mobile numbers ---------------------------------------------------------------


@transaction.atomic
def verify_phone(phone, *, by):
    """The first account to verify a number takes it; accounts holding it unverified lose it.

    An account left with no way to log in is closed (and removed later with
    the other stale accounts); one with an email address is told by email.
    A second verified holder is impossible: the database allows one.
    """
    holders = User.objects.select_for_update().filter(Q(phone=phone) | Q(pk=by.pk)).order_by("pk")
    for holder in holders:
        if holder.pk == by.pk:
            continue
        holder.phone = None
        holder.is_active = bool(holder.email) and holder.is_active
        holder.save(update_fields=["phone", "is_active"])
        if holder.email:
            _tell_number_taken(holder.email)
    by.phone = phone
    by.phone_verified = True
    by.save(update_fields=["phone", "phone_verified"])
    return by


def _tell_number_taken(email):
    subject = gettext("[Time Bank] Your mobile number was verified by another account")
    body = gettext(
        "Someone verified the mobile number you gave when you signed up, by entering the "
        "code texted to it, so the number now belongs to their account and no longer to "
        "yours. You can still log in with this email address and add a number you can "
        "receive texts on."
    )
    transaction.on_commit(lambda: send_mail(subject, body, None, [email]))


def stale_unverified_accounts(now=None):
    """Accounts with neither a verified number nor a verified email, unused for a while."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.UNVERIFIED_ACCOUNT_DAYS)
    return (
        User.objects.filter(
            Q(last_login__isnull=True) | Q(last_login__lt=cutoff),
            date_joined__lt=cutoff,
            phone_verified=False,
            is_staff=False,
            is_superuser=False,
        )
        .exclude(emailaddress__verified=True)
        # Registered at a station, with no login of their own: kept for their profile.
        .exclude(password__startswith="!")  # noqa: S106 - "!" marks an unusable password
    )


@transaction.atomic
def remove_stale_account(user, now=None):
    """Remove an unverified account that holds nothing else; False when it must stay."""
    user = stale_unverified_accounts(now).select_for_update().filter(pk=user.pk).first()
    if user is None or holds_anything(user):
        return False
    user.delete()
    return True


# Resident ID numbers ---------------------------------------------------------


def _clash(user, id_number, kind, *, real_name, district, street=None):
    """Record it when `id_number` is held by another account; return the holder row or None.

    Written in its own transaction, so that the record stays when the caller's
    refusal rolls its own work back.
    """
    holder = ResidentIdentity.objects.filter(number=id_number).exclude(user=user).first()
    if holder is not None:
        IdClash.objects.create(
            holder=holder,
            attempted_by=user,
            kind=kind,
            real_name=real_name,
            district=district,
            street=street,
        )
    return holder


def _refuse_held_number():
    # Whose the number is, and whether it is anyone's, is for station staff to say.
    return PeopleError(
        gettext(
            "This resident ID number cannot be registered to this account. If it is yours, "
            "bring your ID card to a service station and staff will sort it out."
        )
    )


def _tell_holder(holder):
    """A text to the number's holder: someone else entered their resident ID number."""
    profile = ElderProfile.objects.filter(user=holder.user).first()
    phone = holder.user.phone or (profile.phone if profile else "")
    if phone:
        body = gettext(
            "[Time Bank] Someone entered your resident ID number to register an elder. "
            "If it was not you or your family, please tell a service station."
        )
        transaction.on_commit(lambda: send_text_message(phone, body, account=holder.user))


# Staff decisions ----------------------------------------------------------


@transaction.atomic
def approve_request(obj, *, by):
    """Verify a pending elder category, volunteer, qualification, organisation or link."""
    return _decide(obj, VerificationStatus.VERIFIED, by=by)


@transaction.atomic
def reject_request(obj, *, by, reason):
    reason = (reason or "").strip()
    if not reason:
        raise PeopleError(gettext("Give a reason for the rejection: the applicant will see it."))
    return _decide(obj, VerificationStatus.REJECTED, by=by, reason=reason)


def _decide(obj, status, *, by, reason=""):
    obj = type(obj).objects.select_for_update().get(pk=obj.pk)
    if not covers(by, obj.district_id, obj.street_id):
        raise PeopleError(gettext("This is outside the area you manage."))
    if type(obj).objects.owned_by(by).filter(pk=obj.pk).exists():
        raise PeopleError(gettext("Another staff member must decide on a request of your own."))
    decided = PeopleError(gettext("This has already been decided."))
    check_move(obj, status, decided)
    if status == VerificationStatus.VERIFIED and getattr(obj, "is_expired", False):
        raise PeopleError(gettext("This certificate has expired and cannot be verified."))
    return move(
        obj,
        status,
        by=by,
        refusal=decided,
        audit={"reason": reason},
        decided_by=by,
        decided_at=timezone.now(),
        decision_reason=reason,
    )


# Volunteers and qualifications ---------------------------------------------


def save_volunteer_profile(*, by, **fields):
    """Create or resubmit one's own volunteer profile; any change goes back to staff."""
    if _clash(by, fields["id_number"], ClashKind.VOLUNTEER, **_entered(fields)):
        raise _refuse_held_number()
    return _save_volunteer_profile(by, **fields)


def _entered(fields):
    return {key: fields.get(key) for key in ("real_name", "district", "street")}


@transaction.atomic
def _save_volunteer_profile(
    user,
    *,
    real_name,
    id_number,
    district,
    street=None,
    health_declared,
    health_notes="",
    skills=(),
    serve_districts=(),
    evidence=None,
):
    if not health_declared:
        raise PeopleError(gettext("Volunteers must declare that they are fit to volunteer."))
    birth_date = birth_date_from_id(id_number)
    if age_on(birth_date, datetime.date.today()) < MIN_VOLUNTEER_AGE:
        raise PeopleError(gettext("Volunteers must be at least 18 years old."))
    _check_street(district, street)
    profile = VolunteerProfile.objects.select_for_update().filter(user=user).first()
    profile = profile or VolunteerProfile(user=user)
    profile.real_name = real_name
    profile.id_number = id_number
    profile.birth_date = birth_date
    profile.district = district
    profile.street = street
    profile.health_declared = True
    profile.health_notes = health_notes
    profile.status = VerificationStatus.PENDING
    profile.decision_reason = ""
    if evidence is not None:
        profile.evidence = evidence
    profile.save()
    profile.skills.set(skills)
    profile.serve_districts.set(serve_districts or [district])
    return profile


@transaction.atomic
def add_qualification(*, by, service_type, certificate_number, expires_on, evidence):
    """A volunteer adds a professional certificate of their own; staff verify it."""
    profile = VolunteerProfile.objects.filter(user=by).first()
    if profile is None:
        raise PeopleError(gettext("Fill in your volunteer profile first."))
    if not service_type.is_professional:
        raise PeopleError(gettext("Only professional services need a qualification."))
    if expires_on < datetime.date.today():
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


# Elders -------------------------------------------------------------------


def _check_street(district, street, community=None):
    if street is not None and street.district_id != district.pk:
        raise PeopleError(gettext("The street is not in the chosen district."))
    if community is not None and community.street_id != getattr(street, "pk", None):
        raise PeopleError(gettext("The community is not in the chosen street."))


def _elder_values(fields):
    id_number = fields["id_number"]
    birth_date = birth_date_from_id(id_number)
    given = fields.pop("birth_date", None)
    if given and given != birth_date:
        raise PeopleError(gettext("The birth date does not match the resident ID number."))
    _check_street(fields["district"], fields["street"], fields.get("community"))
    return {**fields, "birth_date": birth_date}


def save_elder_profile(*, by, **fields):
    """The elder fills in (or corrects) their own profile."""
    if _clash(by, fields["id_number"], ClashKind.ELDER_SELF, **_entered(fields)):
        raise _refuse_held_number()
    return _save_elder_profile(by, **fields)


@transaction.atomic
def _save_elder_profile(user, **fields):
    values = _elder_values(fields)
    profile, _ = ElderProfile.objects.update_or_create(
        user=user, defaults=values, create_defaults={**values, "registered_by": user}
    )
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


def _authorise_proxy(elder, *, by, relation, consent_note, evidence, **decision):
    """`by` asks to act for `elder`; staff of the elder's area decide, unless `decision` says."""
    return ProxyAuthorisation.objects.create(
        elder=elder,
        proxy=by,
        relation=relation,
        consent_note=consent_note,
        evidence=evidence,
        district=elder.district,
        street=elder.street,
        **decision,
    )


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


# Links --------------------------------------------------------------------


@transaction.atomic
def revoke_proxy(authorisation, *, by):
    """The elder, the proxy, or staff of the area end an authorisation."""
    authorisation = ProxyAuthorisation.objects.select_for_update().get(pk=authorisation.pk)
    allowed = by.pk in (authorisation.proxy_id, authorisation.elder.user_id) or covers(
        by, authorisation.district_id, authorisation.street_id
    )
    if not allowed:
        raise PeopleError(gettext("You may not revoke this authorisation."))
    return move(
        authorisation,
        VerificationStatus.REVOKED,
        by=by,
        refusal=PeopleError(gettext("This authorisation has already ended.")),
        audit={},
    )


@transaction.atomic
def request_relative_link(*, by, relative_phone, relation, evidence):
    """Ask staff to verify a direct relative, found by their verified mobile number.

    The answer is the same whether or not the number has an account, so that
    nobody learns who is registered here; a relative who has one is texted.
    """
    profile = (
        ElderProfile.objects.filter(user=by).first()
        or VolunteerProfile.objects.filter(user=by).first()
    )
    if profile is None:
        raise PeopleError(gettext("Fill in your profile first, so that staff know where you live."))
    if relative_phone == by.phone:
        raise PeopleError(gettext("Enter your relative's mobile number, not your own."))
    relative = User.objects.filter(phone=relative_phone, phone_verified=True).first()
    if relative is None:
        return None
    open_link = RelativeLink.objects.filter(
        requester=by,
        relative=relative,
        status__in=[VerificationStatus.PENDING, VerificationStatus.VERIFIED],
    ).first()
    if open_link is not None:
        return open_link
    link = RelativeLink.objects.create(
        requester=by,
        relative=relative,
        relation=relation,
        evidence=evidence,
        district=profile.district,
        street=profile.street,
    )
    body = gettext(
        "[Time Bank] Someone asked staff to link your account to theirs as a direct relative. "
        "If you do not know about it, please tell a service station."
    )
    transaction.on_commit(lambda: send_text_message(relative_phone, body, account=relative))
    return link
