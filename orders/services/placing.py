"""The elder's side places an order, staff approve or reject it, either side calls it off."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.idnumbers import age_on
from accounts.models import (
    ElderProfile,
    may_act_for,
)
from credits import services as ledger
from notifications.services import queue_task as _queue
from orders.models import (
    OPEN_STATUSES,
    Funding,
    NotAgain,
    Order,
    OrderEvent,
    favourites_of,
)
from orders.services.steps import (
    AlreadyDone,
    OrderError,
    S,
    _hold_key,
    _lock,
    _move,
    _notify,
    _on_behalf,
    _release_hold,
    _require_elder_side,
    _require_staff_scope,
)

MAX_DAYS_AHEAD = 60


def funding_refusal(elder, funding, day):
    """Why `elder` may not have a service on `day` paid this way, or "" if they may.

    One rule for one-off orders and for each visit of a repeating service.
    """
    if funding == Funding.WELFARE and not elder.has_verified_category():
        return _(
            "Free services need a verified elder category. Pay with credits, "
            "or ask staff to verify the category first."
        )
    if funding == Funding.OWN_CREDITS:
        policy = ledger.current_policy()
        if age_on(elder.birth_date, day) < policy.self_pay_age:
            return _("Paying with credits for your own services opens at age %(age)s.") % {
                "age": policy.self_pay_age
            }
    return ""


@transaction.atomic
def submit_order(
    elder,
    *,
    by,
    service_type,
    starts_at,
    booked_hours,
    funding,
    notes="",
    favourite=None,
    now=None,
):
    """An elder's side asks for a service; own-credit orders hold the hours now.

    With a `favourite` (one of `favourites_of(elder)`) the order, once
    published, is offered to that volunteer first.
    """
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
    refusal = funding_refusal(elder, funding, timezone.localdate(starts_at))
    if refusal:
        raise OrderError(refusal)
    if favourite is not None and not favourites_of(elder).filter(pk=favourite.pk).exists():
        raise OrderError(_("Choose one of the volunteers shown, or any volunteer."))
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
        offered_to=favourite,
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


def _offer_window(order, now):
    """Until when a published order waits for the volunteer asked for, or None.

    Never past the start, and not at all for a volunteer the elder's side has
    since asked not to come again.
    """
    hours = ledger.current_policy().favourite_window_hours
    if (
        order.offered_to_id is None
        or not hours
        or NotAgain.objects.filter(elder=order.elder_id, volunteer=order.offered_to_id).exists()
    ):
        return None
    return min(now + timedelta(hours=hours), order.starts_at)


@transaction.atomic
def approve_order(order, *, by):
    order = _lock(order)
    _require_staff_scope(order, by)
    now = timezone.now()
    _move(
        order,
        S.PUBLISHED,
        by=by,
        audit={"action": "order.approved"},
        published_at=now,
        offered_until=_offer_window(order, now),
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
