"""Endings: confirming, card codes, disputes and settling them, ratings, expiry, auto-completion."""

from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from credits import holds as escrow
from credits import services as ledger
from orders.models import (
    Confirmation,
    Funding,
    Order,
)
from orders.records import enter_record
from orders.services.steps import (
    AlreadyDone,
    OrderError,
    S,
    _hold_of,
    _lock,
    _move,
    _notify,
    _on_behalf,
    _release_hold,
    _require_elder_side,
    _require_staff_scope,
    _require_volunteer,
)

CARD_CODE_ATTEMPTS = 5


def _complete(order, *, by, minutes, confirmation, on_behalf_of=None, note="", audit=None):
    """Pay the volunteer and settle the hold, exactly once (keys are per order).

    The ledger refuses minutes beyond the volunteer's daily limit; the caller
    decides whether that sends the order to review or back to staff.
    """
    if minutes:
        ledger.credit_served_time(
            order.volunteer,
            minutes,
            reference=order.reference,
            key=f"{order.reference}:earn",
            served_on=timezone.localdate(order.checked_in_at),
            by=by,
        )
    if order.funding == Funding.OWN_CREDITS:
        escrow.spend_hold(_hold_of(order), by=by)
    _move(
        order,
        S.COMPLETED,
        by=by,
        on_behalf_of=on_behalf_of,
        note=note,
        audit=audit,
        credited_minutes=minutes,
        confirmation=confirmation,
        completed_at=timezone.now(),
    )
    enter_record(order)
    _notify(order, "completed")
    return order


def _refuse_if_settled(order):
    """A confirmation sent twice finds the order completed, or with staff."""
    if order.status == S.COMPLETED:
        raise AlreadyDone(_("This service is already confirmed. Thank you!"), order)
    if order.status == S.DISPUTED:
        raise AlreadyDone(_("Staff are already checking the reported time."), order)


def _confirm(order, *, by, confirmation, on_behalf_of=None):
    """Complete a delivered order, or send it to staff review when the time is off."""
    reason = order.needs_review
    if not reason:
        try:
            return _complete(
                order,
                by=by,
                minutes=order.reported_minutes,
                confirmation=confirmation,
                on_behalf_of=on_behalf_of,
            )
        except ledger.LedgerError as error:
            reason = str(error)
    return _move(
        order, S.DISPUTED, by=by, on_behalf_of=on_behalf_of, note=reason, needs_review=reason
    )


@transaction.atomic
def confirm_order(order, *, by):
    """The elder's side confirms the visit online."""
    order = _lock(order)
    _require_elder_side(order, by)
    _refuse_if_settled(order)
    if order.status != S.DELIVERED:
        raise OrderError(_("Only a delivered service can be confirmed."), code="wrong_status")
    return _confirm(
        order, by=by, confirmation=Confirmation.ONLINE, on_behalf_of=_on_behalf(order, by)
    )


def confirm_with_card_code(order, code, *, by):
    """The volunteer (`by`) types the code printed on the elder's service card.

    Wrong codes are counted (and the count committed) before refusing, and
    after `CARD_CODE_ATTEMPTS` of them only the elder's side or staff can
    confirm: a volunteer must not be able to guess their way to credits.
    """
    with transaction.atomic():
        order = _lock(order)
        _require_volunteer(order, by)
        _refuse_if_settled(order)
        if order.status != S.DELIVERED:
            raise OrderError(
                _("Check out before confirming with the card code."), code="wrong_status"
            )
        if order.card_code_failures >= CARD_CODE_ATTEMPTS:
            raise OrderError(
                _("Too many wrong codes. Ask the elder's side to confirm, or call the station."),
                code="too_many_card_codes",
            )
        if code.strip().upper() == order.elder.card_code:
            return _confirm(order, by=by, confirmation=Confirmation.CARD_CODE)
        Order.objects.filter(pk=order.pk).update(card_code_failures=F("card_code_failures") + 1)
    raise OrderError(
        _("That is not the code on this elder's service card."), code="wrong_card_code"
    )


@transaction.atomic
def dispute_order(order, *, by, reason):
    if not reason.strip():
        raise OrderError(_("Say what is wrong with the reported time."))
    order = _lock(order)
    _require_elder_side(order, by)
    _refuse_if_settled(order)
    if order.status != S.DELIVERED:
        raise OrderError(_("Only a delivered service can be disputed."), code="wrong_status")
    return _move(order, S.DISPUTED, by=by, on_behalf_of=_on_behalf(order, by), note=reason)


@transaction.atomic
def settle_dispute(order, *, by, minutes, note=""):
    """Staff decide the minutes to credit for a disputed or over-reported order."""
    if minutes < 0 or minutes > order.booked_hours * 60 * 2:
        raise OrderError(_("Credit between 0 and twice the booked time."))
    order = _lock(order)
    _require_staff_scope(order, by)
    if order.status != S.DISPUTED:
        raise OrderError(_("Only an order under review can be settled."))
    try:
        return _complete(
            order,
            by=by,
            minutes=minutes,
            confirmation=Confirmation.STAFF,
            note=note,
            audit={"action": "order.settled", "reason": note, "after": {"minutes": minutes}},
        )
    except ledger.LedgerError as error:
        raise OrderError(str(error)) from error


@transaction.atomic
def rate_order(order, *, by, rating, comment=""):
    order = _lock(order)
    _require_elder_side(order, by)
    if order.status != S.COMPLETED:
        raise OrderError(_("You can rate a service once it is completed."), code="wrong_status")
    if order.rating is not None:
        raise AlreadyDone(_("This service has already been rated. Thank you!"), order)
    if rating not in range(1, 6):
        raise OrderError(_("Choose one of the five faces."), code="invalid_rating")
    order.rating = rating
    order.rating_comment = comment[:300]
    order.save(update_fields=["rating", "rating_comment"])
    return order


@transaction.atomic
def expire_order(order, now=None):
    """An order nobody claimed by its start time expires and releases its hold."""
    now = now or timezone.now()
    order = _lock(order)
    if order.status not in {S.SUBMITTED, S.PUBLISHED} or order.starts_at > now:
        return None
    _move(order, S.EXPIRED, by=None, note=_("Nobody claimed it before the booked time."))
    _release_hold(order, None)
    _notify(order, "expired")
    return order


@transaction.atomic
def auto_complete_order(order, now=None):
    """A delivered order nobody confirmed completes after the policy's hours."""
    now = now or timezone.now()
    order = _lock(order)
    wait = timedelta(hours=ledger.current_policy().auto_confirm_hours)
    if order.status != S.DELIVERED or order.checked_out_at + wait > now:
        return None
    return _confirm(order, by=None, confirmation=Confirmation.AUTOMATIC)
