"""Links between people: proxies who act for an elder, and direct relatives."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext

from accounts import audit
from accounts.models import (
    ElderProfile,
    ProxyAuthorisation,
    RelativeLink,
    User,
    VerificationStatus,
    VolunteerProfile,
    covers,
)
from accounts.services.refusals import PeopleError
from accounts.sms import send_text_message
from accounts.status import move


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


# An elder who declined is not texted again by the same asker for this long;
# the asker sees the same answer as ever and can still go to a station.
PROXY_REQUEST_COOL_DOWN = timedelta(days=30)


@transaction.atomic
def _open_proxy_request(elder, *, by, relation, note):
    # The elder's row serialises two requests sent at once by the same asker.
    ElderProfile.objects.select_for_update().filter(pk=elder.pk).first()
    earlier = ProxyAuthorisation.objects.filter(elder=elder, proxy=by)
    open_or_recent = earlier.filter(
        Q(status__in=[VerificationStatus.PENDING, VerificationStatus.VERIFIED])
        | Q(created_at__gt=timezone.now() - PROXY_REQUEST_COOL_DOWN)
    ).first()
    if open_or_recent is not None:
        return open_or_recent
    authorisation = _authorise_proxy(elder, by=by, relation=relation, consent_note=note)
    audit.record(by, "proxyauthorisation.requested", authorisation)
    phone = elder.user.phone or elder.phone
    if phone:
        # Worded for the elder, in the site's language, not in the asker's.
        with translation.override(settings.LANGUAGE_CODE):
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
