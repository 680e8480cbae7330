"""Carrying hours in from another platform: upload a signed statement, staff decide.

Each function is one transaction and raises `StatementError` with a message
safe to show. The statement is checked when it is uploaded (a registered
active key signed exactly these bytes, it is about the uploader, it is
recent); nothing moves until a staff member who did not upload it approves.
"""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit
from accounts.models import VerificationStatus, VolunteerProfile, covers
from accounts.status import check_move, move
from credits.models import CarriedStatement, CarriedStatus
from credits.services import LedgerError, carry_in_hours
from credits.statements import (
    CLOCK_SKEW,
    FORMAT,
    ID_TYPE,
    VALID_DAYS,
    StatementError,
    parse_statement,
    verify_statement,
)


def import_statement(volunteer, data, *, by, now=None):
    """Check the uploaded statement `data` (bytes) and keep it for staff to decide."""
    now = now or timezone.now()
    document = parse_statement(data)
    body, platform = verify_statement(document)
    if body.get("format") != FORMAT:  # something else the platform signed
        raise StatementError(_("This file is not an hours statement."))
    if platform is None:
        raise StatementError(_("This statement is from this platform: its hours are already here."))
    profile = VolunteerProfile.objects.filter(
        user=volunteer, status=VerificationStatus.VERIFIED
    ).first()
    if profile is None:
        raise StatementError(
            _("Hours can be carried in once staff have verified the volunteer's identity.")
        )
    if by.pk != volunteer.pk and not covers(by, profile.district_id):
        raise StatementError(_("This is outside the area you manage."))
    identity = body.get("volunteer")
    if not isinstance(identity, dict) or (identity.get("id_type"), identity.get("id_number")) != (
        ID_TYPE,
        profile.id_number,
    ):
        raise StatementError(_("This statement is about someone else: the ID number differs."))
    issued_at = _issued_at(body, now)
    figures = [body.get(name) for name in ("balance", "hours_served")]
    statement_id = body.get("statement_id")
    if not all(type(figure) is int and figure >= 0 for figure in figures) or not (
        isinstance(statement_id, str) and 0 < len(statement_id) <= 64
    ):
        raise StatementError(_("This file is not an hours statement."))
    if not figures[0]:
        raise StatementError(_("This statement has no credits to carry in."))
    try:
        with transaction.atomic():
            carried = CarriedStatement.objects.create(
                volunteer=volunteer,
                platform=platform,
                statement_id=statement_id,
                issued_at=issued_at,
                credits=figures[0],
                hours_served=figures[1],
                document=document,  # as signed: anyone can check it again
                district_id=profile.district_id,
                uploaded_by=by,
            )
    except IntegrityError:
        if CarriedStatement.objects.filter(platform=platform, statement_id=statement_id).exists():
            raise StatementError(_("This statement was already uploaded.")) from None
        # A platform that does not take the hours out when it issues a statement
        # would let one balance be carried in twice.
        raise StatementError(
            _(
                "Hours from this platform have already been carried in for you. If you have "
                "served there since, ask staff at a service station."
            )
        ) from None
    if by.pk != volunteer.pk:  # staff acting for someone answer for it; a person's own upload not
        audit.record(by, "carriedstatement.uploaded", carried, after={"credits": carried.credits})
    return carried


def _issued_at(body, now):
    try:
        issued_at = datetime.datetime.strptime(body.get("issued_at"), "%Y-%m-%dT%H:%M:%SZ")
    except (TypeError, ValueError):
        raise StatementError(_("This file is not an hours statement.")) from None
    issued_at = issued_at.replace(tzinfo=datetime.UTC)
    if issued_at > now + CLOCK_SKEW:
        raise StatementError(_("This statement is dated in the future."))
    if issued_at < now - datetime.timedelta(days=VALID_DAYS):
        raise StatementError(
            _("This statement is older than %(days)s days: ask the platform for a new one.")
            % {"days": VALID_DAYS}
        )
    return issued_at


@transaction.atomic
def approve_statement(carried, *, by):
    """A staff member who did not upload it approves: the credits are posted, once."""
    locked = _open(carried, CarriedStatus.APPROVED, by)
    try:
        transfer = carry_in_hours(
            locked.volunteer,
            locked.credits,
            platform_name=locked.platform.name,
            key=locked.ledger_key,
            reference=f"carried:{locked.pk}",
            by=by,
        )
    except LedgerError as error:
        raise StatementError(str(error)) from error
    return _decide(locked, CarriedStatus.APPROVED, by=by, transfer=transfer)


@transaction.atomic
def reject_statement(carried, *, by, reason):
    if not reason.strip():
        raise StatementError(_("Give a reason for the rejection."))
    locked = _open(carried, CarriedStatus.REJECTED, by)
    return _decide(locked, CarriedStatus.REJECTED, by=by, decision_reason=reason.strip())


def _decided(carried):
    return StatementError(
        _("This statement was already %(status)s.") % {"status": carried.get_status_display()}
    )


def _open(carried, to, by):
    locked = (
        CarriedStatement.objects.select_for_update(of=("self",))
        .select_related("volunteer", "platform")
        .get(pk=carried.pk)
    )
    if not covers(by, locked.district_id):
        raise StatementError(_("This is outside the area you manage."))
    check_move(locked, to, _decided(locked))
    if to == CarriedStatus.APPROVED and not locked.platform.is_active:
        raise StatementError(_("This platform is no longer trusted: reject the statement."))
    if by.pk in (locked.uploaded_by_id, locked.volunteer_id):
        raise StatementError(
            _("A staff member who did not upload this statement must decide on it.")
        )
    return locked


def _decide(locked, status, *, by, **changes):
    return move(
        locked,
        status,
        by=by,
        refusal=_decided(locked),
        audit={"reason": changes.get("decision_reason", "")},
        decided_by=by,
        decided_at=timezone.now(),
        **changes,
    )
