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


def _entered(fields):
    return {key: fields.get(key) for key in ("real_name", "district", "street")}


def _refuse_unaccepted_review():
    return PeopleError(
        gettext(
            "You changed what staff verified. Tick the box to accept that they check it "
            "again, or undo the change."
        )
    )


def _identity_changed(profile, *, real_name, id_number, photo=None):
    """Name, ID number and photo are what staff verified of a person."""
    return (
        profile.pk is None
        or real_name != profile.real_name
        or id_number != profile.id_number
        or photo is not None
    )


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
    serve_districts=(),
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
    if age_on(birth_date, datetime.date.today()) < MIN_VOLUNTEER_AGE:
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


def _authorise_proxy(elder, *, by, relation, consent_note, **fields):
    """`by` asks to act for `elder`; staff of the elder's area (or the elder) decide."""
    return ProxyAuthorisation.objects.create(
        elder=elder,
        proxy=by,
        relation=relation,
        consent_note=consent_note,
        district=elder.district,
        street=elder.street,
        **fields,
    )


def ask_to_act_for(*, by, relation, id_number="", phone="", note=""):
    """A relative asks to act for an elder who registered themselves.

    The elder is found by resident ID number or by the mobile number they log
    in with; the elder confirms in their account (`confirm_proxy_request`) or
    station staff verify it in the admin. The caller answers the same whatever happens here (no such
    elder, the asker's own profile, an open request already), so that nobody
    learns whether a number belongs to an elder; a matched elder is texted.
    """
    elders = ElderProfile.objects.select_related("user")
    if id_number:
        elder = elders.filter(id_number=id_number).first()
    else:
        # The number the elder logs in with: a contact phone may be a station's, shared by many.
        elder = elders.filter(user__phone=phone, user__phone_verified=True).first()
    if elder is None or elder.user_id == by.pk:
        return None
    return _open_proxy_request(elder, by=by, relation=relation, note=note)


@transaction.atomic
def _open_proxy_request(elder, *, by, relation, note):
    open_request = (
        ProxyAuthorisation.objects.select_for_update()
        .filter(
            elder=elder,
            proxy=by,
            status__in=[VerificationStatus.PENDING, VerificationStatus.VERIFIED],
        )
        .first()
    )
    if open_request is not None:
        return open_request
    authorisation = _authorise_proxy(elder, by=by, relation=relation, consent_note=note)
    audit.record(by, "proxyauthorisation.requested", authorisation)
    phone = elder.user.phone or elder.phone
    if phone:
        body = gettext(
            "[Time Bank] Someone asked to act for you. Log in to confirm or decline, "
            "or tell a service station."
        )
        transaction.on_commit(lambda: send_text_message(phone, body, account=elder.user))
    return authorisation


@transaction.atomic
def confirm_proxy_request(authorisation, *, by):
    """The elder agrees that the asker acts for them: the authorisation is verified."""
    authorisation = (
        ProxyAuthorisation.objects.select_for_update()
        .select_related("elder")
        .get(pk=authorisation.pk)
    )
    if authorisation.elder.user_id != by.pk:
        raise PeopleError(gettext("Only the elder can confirm this request."))
    return move(
        authorisation,
        VerificationStatus.VERIFIED,
        by=by,
        refusal=PeopleError(gettext("This has already been decided.")),
        audit={"action": "proxyauthorisation.confirmed"},
        decided_by=by,
        decided_at=timezone.now(),
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
