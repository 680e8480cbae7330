"""What can happen to an order. Every change of status goes through here.

Each function is one transaction. It locks the order row first (then, if
credits move, the ledger locks accounts in primary-key order), re-checks the
rule on the locked row, moves the status through `_move`, and queues
notifications through `_queue`, so that nothing is announced that did not
happen and nothing that happened goes unannounced. Refusals raise
`OrderError`, whose message is safe to show.
"""

from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import status
from accounts.idnumbers import age_on
from accounts.models import (
    ElderProfile,
    User,
    VerificationStatus,
    are_direct_relatives,
    covers,
    is_qualified_for,
    may_act_for,
)
from credits import services as ledger
from credits.models import Hold
from notifications.services import queue_task as _queue
from orders.models import (
    BUSY_STATUSES,
    OPEN_STATUSES,
    Confirmation,
    Funding,
    Order,
    OrderEvent,
    OrderStatus,
)

S = OrderStatus
MAX_DAYS_AHEAD = 60
CHECK_IN_EARLY = timedelta(hours=1)
CARD_CODE_ATTEMPTS = 5
# A volunteer claims at most this many orders an hour (released claims count
# too): enough for anyone planning their week, too few for a script that
# empties the market. Counted from OrderEvent rows, so it holds across
# workers and restarts.
CLAIMS_PER_HOUR = 10


class OrderError(Exception):
    """A refusal with a message that can be shown to the person who asked."""


class AlreadyDone(OrderError):
    """The same request went through before (a double tap, Back, a stale page).

    Nothing changed; the message tells what had already happened, and `order`
    is the order it happened to.
    """

    def __init__(self, message, order=None):
        super().__init__(message)
        self.order = order


class OrderTaken(OrderError):
    """Another volunteer has the order: whoever asked goes back to the market."""

    def __init__(self):
        super().__init__(_("Another volunteer has taken this order."))


def _lock(order):
    return Order.objects.select_for_update().get(pk=order.pk)


def _move(order, to, *, by, on_behalf_of=None, note="", audit=None, **changes):
    """Apply one allowed transition and record it in the order's history (and audit log)."""

    def event(order, from_status):
        OrderEvent.objects.create(
            order=order,
            actor=by,
            on_behalf_of=on_behalf_of,
            from_status=from_status,
            to_status=to,
            note=note[:300],
        )

    refusal = OrderError(
        _("This order is %(status)s and cannot be changed that way.")
        % {"status": order.get_status_display()}
    )
    return status.move(order, to, by=by, refusal=refusal, audit=audit, event=event, **changes)


def _notify(order, kind):
    _queue("orders.tasks.notify_order", order.pk, kind)


def _on_behalf(order, user):
    """Whom a person acts for when they are not the elder themselves."""
    return order.elder.user if user.pk != order.elder.user_id else None


def _require_elder_side(order, user):
    if not may_act_for(user, order.elder):
        raise OrderError(_("Only the elder or someone acting for them can do this."))


def _require_staff_scope(order, user):
    if not covers(user, order.district_id, order.street_id):
        raise OrderError(_("This order is outside the area you manage."))


def _require_volunteer(order, user):
    if order.volunteer_id != user.pk:
        raise OrderError(_("Only the volunteer who claimed this order can do this."))


def _hold_key(order):
    return f"{order.reference}:hold"


def _hold_of(order):
    return Hold.objects.select_related("transfer").get(transfer__idempotency_key=_hold_key(order))


def _release_hold(order, by):
    if order.funding == Funding.OWN_CREDITS:
        ledger.release_hold(_hold_of(order), by=by)


# Placing and reviewing ----------------------------------------------------


@transaction.atomic
def submit_order(elder, *, by, service_type, starts_at, booked_hours, funding, notes="", now=None):
    """An elder's side asks for a service; own-credit orders hold the hours now."""
    now = now or timezone.now()
    if not may_act_for(by, elder):
        raise OrderError(_("You may only order for yourself or for elders you act for."))
    if not service_type.is_active:
        raise OrderError(_("This service is not offered at the moment."))
    if starts_at <= now:
        raise OrderError(_("Choose a time in the future."))
    if starts_at > now + timedelta(days=MAX_DAYS_AHEAD):
        raise OrderError(
            _("Orders can be placed at most %(days)s days ahead.") % {"days": MAX_DAYS_AHEAD}
        )
    if not 1 <= booked_hours <= 8:
        raise OrderError(_("Book between 1 and 8 whole hours."))
    if funding == Funding.WELFARE and not elder.has_verified_category():
        raise OrderError(
            _(
                "Free services need a verified elder category. Pay with credits, "
                "or ask staff to verify the category first."
            )
        )
    if funding == Funding.OWN_CREDITS:
        policy = ledger.current_policy()
        if age_on(elder.birth_date, timezone.localdate(starts_at)) < policy.self_pay_age:
            raise OrderError(
                _("Paying with credits for your own services opens at age %(age)s.")
                % {"age": policy.self_pay_age}
            )
    # The elder's row serialises orders placed for them, so a form sent twice
    # (or by two relatives at once) finds the first order instead of adding one.
    ElderProfile.objects.select_for_update().get(pk=elder.pk)
    same = Order.objects.filter(
        elder=elder,
        service_type=service_type,
        starts_at=starts_at,
        status__in=sorted(OPEN_STATUSES),
    ).first()
    if same:
        raise AlreadyDone(
            _("This service is already booked for that time: order %(number)s.")
            % {"number": same.number},
            order=same,
        )
    order = Order.objects.create(
        elder=elder,
        placed_by=by,
        service_type=service_type,
        starts_at=starts_at,
        booked_hours=booked_hours,
        district_id=elder.district_id,
        street_id=elder.street_id,
        address_detail=elder.address,
        contact_phone=elder.phone or elder.user.phone or "",
        notes=notes,
        funding=funding,
    )
    if funding == Funding.OWN_CREDITS:
        try:
            ledger.hold_credits(
                elder.user, booked_hours, reference=order.reference, key=_hold_key(order), by=by
            )
        except ledger.LedgerError as error:
            raise OrderError(str(error)) from error
    OrderEvent.objects.create(
        order=order,
        actor=by,
        on_behalf_of=elder.user if by.pk != elder.user_id else None,
        from_status="",
        to_status=S.SUBMITTED,
    )
    return order


@transaction.atomic
def approve_order(order, *, by):
    order = _lock(order)
    _require_staff_scope(order, by)
    _move(
        order, S.PUBLISHED, by=by, audit={"action": "order.approved"}, published_at=timezone.now()
    )
    _notify(order, "approved")
    _queue("orders.tasks.announce_new_orders", order.pk)
    return order


@transaction.atomic
def reject_order(order, *, by, reason):
    if not reason.strip():
        raise OrderError(_("Give the reason for rejecting, so the elder's side knows what to do."))
    order = _lock(order)
    _require_staff_scope(order, by)
    _move(
        order, S.REJECTED, by=by, note=reason, audit={"action": "order.rejected", "reason": reason}
    )
    _release_hold(order, by)
    _notify(order, "rejected")
    return order


@transaction.atomic
def cancel_order(order, *, by, reason=""):
    """The elder's side or staff call an order off before the service starts."""
    order = _lock(order)
    if not by.is_staff:
        _require_elder_side(order, by)
    else:
        _require_staff_scope(order, by)
    if order.status == S.CANCELLED:
        raise AlreadyDone(_("This order is already cancelled."), order)
    if order.status not in {S.SUBMITTED, S.PUBLISHED, S.CLAIMED}:
        raise OrderError(_("Only orders that have not started yet can be cancelled."))
    had_volunteer = order.volunteer_id is not None
    _move(order, S.CANCELLED, by=by, on_behalf_of=_on_behalf(order, by), note=reason)
    _release_hold(order, by)
    if had_volunteer:
        _notify(order, "cancelled")
    return order


# Volunteers -----------------------------------------------------------------


def claim_refusal(order, volunteer, now=None):
    """Why this volunteer may not claim this order, or None if they may."""
    now = now or timezone.now()
    if order.status != S.PUBLISHED:
        if order.volunteer_id == volunteer.pk:
            return _("You have already claimed this order.")
        if order.volunteer_id is not None:
            return str(OrderTaken())
        return _("This order is no longer open.")
    if order.starts_at <= now:
        return _("This order has already started.")
    profile = getattr(volunteer, "volunteer_profile", None)
    if profile is None or profile.status != VerificationStatus.VERIFIED:
        return _("Only verified volunteers can claim orders. Complete your volunteer profile.")
    if volunteer.pk == order.elder.user_id or profile.id_number == order.elder.id_number:
        return _("You cannot claim your own order.")
    if may_act_for(volunteer, order.elder):
        return _("You cannot claim an order of an elder you act for.")
    if are_direct_relatives(volunteer, order.elder.user):
        return _("You cannot claim an order of your own relative.")
    if not is_qualified_for(volunteer, order.service_type, timezone.localdate(order.starts_at)):
        return _(
            "This is a professional service. You need a verified, unexpired qualification "
            "for it, or membership of an organisation qualified for it."
        )
    clash = (
        Order.objects.claimed_by(volunteer)
        .filter(status__in=BUSY_STATUSES)
        .overlapping(order.starts_at, order.ends_at)
        .exclude(pk=order.pk)
        .first()
    )
    if clash:
        return _("You already have order %(number)s at that time.") % {"number": clash.number}
    return None


@transaction.atomic
def claim_order(order, *, by, now=None):
    """A published order goes to the first eligible volunteer who claims it."""
    order = _lock(order)
    # The volunteer's row serialises their own claims, so two overlapping
    # orders cannot both be claimed by parallel requests. Locked after the
    # order, always, so claims never wait on each other in a cycle.
    User.objects.select_for_update().get(pk=by.pk)
    if order.volunteer_id == by.pk:
        raise AlreadyDone(_("You have already claimed this order."), order)
    refusal = claim_refusal(order, by, now=now)
    if refusal:
        raise OrderTaken() if order.volunteer_id else OrderError(refusal)
    # Exact under parallel requests: the lock above serialises this count.
    recent_claims = OrderEvent.objects.filter(
        actor=by,
        to_status=S.CLAIMED,
        created_at__gt=timezone.now() - timedelta(hours=1),
    ).count()
    if recent_claims >= CLAIMS_PER_HOUR:
        raise OrderError(
            _("You have claimed %(count)s orders in the last hour. Please try again later.")
            % {"count": recent_claims}
        )
    _move(order, S.CLAIMED, by=by, volunteer=by, claimed_at=timezone.now())
    _notify(order, "claimed")
    return order


def _released_by(order, volunteer):
    return order.events.filter(
        actor=volunteer, from_status=S.CLAIMED, to_status=S.PUBLISHED
    ).exists()


@transaction.atomic
def release_claim(order, *, by, reason=""):
    order = _lock(order)
    if order.volunteer_id is None and _released_by(order, by):
        raise AlreadyDone(_("You have already released this order."), order)
    _require_volunteer(order, by)
    if order.status != S.CLAIMED:
        raise OrderError(_("Only a claim that has not started can be released."))
    if order.starts_at <= timezone.now():
        raise OrderError(_("The service time has come; call the station instead of releasing."))
    _move(order, S.PUBLISHED, by=by, note=reason, volunteer=None, claimed_at=None)
    _notify(order, "released")
    return order


@transaction.atomic
def check_in(order, *, by, location="", now=None):
    now = now or timezone.now()
    order = _lock(order)
    _require_volunteer(order, by)
    if order.checked_in_at is not None:
        raise AlreadyDone(_("You have already checked in."), order)
    if order.status == S.CLAIMED and now < order.starts_at - CHECK_IN_EARLY:
        raise OrderError(_("You can check in from one hour before the booked time."))
    return _move(order, S.IN_SERVICE, by=by, checked_in_at=now, check_in_location=location[:40])


@transaction.atomic
def check_out(order, *, by, location="", now=None):
    """The service ends; time beyond the booking plus tolerance goes to review."""
    now = now or timezone.now()
    order = _lock(order)
    _require_volunteer(order, by)
    if order.checked_out_at is not None:
        raise AlreadyDone(_("You have already checked out."), order)
    if order.status != S.IN_SERVICE:
        raise OrderError(_("Check in before checking out."))
    minutes = int((now - order.checked_in_at).total_seconds() // 60)
    policy = ledger.current_policy()
    needs_review = ""
    if minutes > order.booked_hours * 60 + policy.over_report_minutes:
        needs_review = _("Reported %(reported)s minutes for a booking of %(booked)s hours.") % {
            "reported": minutes,
            "booked": order.booked_hours,
        }
    return _move(
        order,
        S.DELIVERED,
        by=by,
        checked_out_at=now,
        check_out_location=location[:40],
        reported_minutes=minutes,
        needs_review=needs_review,
    )


# Endings ------------------------------------------------------------------


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
        ledger.spend_hold(_hold_of(order), by=by)
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
        raise OrderError(_("Only a delivered service can be confirmed."))
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
            raise OrderError(_("Check out before confirming with the card code."))
        if order.card_code_failures >= CARD_CODE_ATTEMPTS:
            raise OrderError(
                _("Too many wrong codes. Ask the elder's side to confirm, or call the station.")
            )
        if code.strip().upper() == order.elder.card_code:
            return _confirm(order, by=by, confirmation=Confirmation.CARD_CODE)
        Order.objects.filter(pk=order.pk).update(card_code_failures=F("card_code_failures") + 1)
    raise OrderError(_("That is not the code on this elder's service card."))


@transaction.atomic
def dispute_order(order, *, by, reason):
    if not reason.strip():
        raise OrderError(_("Say what is wrong with the reported time."))
    order = _lock(order)
    _require_elder_side(order, by)
    _refuse_if_settled(order)
    if order.status != S.DELIVERED:
        raise OrderError(_("Only a delivered service can be disputed."))
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
        raise OrderError(_("You can rate a service once it is completed."))
    if order.rating is not None:
        raise AlreadyDone(_("This service has already been rated. Thank you!"), order)
    if rating not in range(1, 6):
        raise OrderError(_("Choose one of the five faces."))
    order.rating = rating
    order.rating_comment = comment[:300]
    order.save(update_fields=["rating", "rating_comment"])
    return order


# The platform's own moves (schedules) ----------------------------------------


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
