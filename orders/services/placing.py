"""The elder's side places an order, staff approve or reject it, either side calls it off."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit
from accounts.idnumbers import age_on
from accounts.models import (
    ElderCategory,
    ElderProfile,
    ProxyAuthorisation,
    VerificationStatus,
    covers,
    is_available,
    may_act_for,
)
from credits import holds as escrow
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
    NotAllowed,
    OrderError,
    S,
    _hold_key,
    _lock,
    _move,
    _notify,
    _on_behalf,
    _outside_area,
    _release_hold,
    _require_elder_side,
    _require_staff_scope,
)

MAX_DAYS_AHEAD = 60
APPROVED = "order.approved"  # the audit action of an approval


def funding_refusal(elder, funding, day, *, policy=None, verified_category=None):
    """Why `elder` may not have a service on `day` paid this way, or "" if they may.

    One rule for one-off orders and for each visit of a repeating service. A
    caller checking many visits at once passes the `policy` and whether the
    elder has a `verified_category`, so the rule costs no query per visit.
    """
    if funding == Funding.WELFARE:
        if verified_category is None:
            verified_category = elder.has_verified_category()
        if not verified_category:
            return _(
                "Free services need a verified elder category. Pay with credits, "
                "or ask staff to verify the category first."
            )
    if funding == Funding.OWN_CREDITS:
        policy = policy or ledger.current_policy()
        if age_on(elder.birth_date, day) < policy.self_pay_age:
            return _("Paying with credits for your own services opens at age %(age)s.") % {
                "age": policy.self_pay_age
            }
    return ""


def _placing_refusal(elder, *, acts, service_type, starts_at, booked_hours, funding, now, **facts):
    """Why the order may not be placed, as the error to raise, or None: the rules of
    `submit_order`, for one order or, with the `facts` of `funding_refusal` given, for
    many in memory."""
    if not acts:
        return NotAllowed(_("You may only order for yourself or for elders you act for."))
    if not service_type.is_active:
        return OrderError(_("This service is not offered at the moment."), code="not_offered")
    if starts_at <= now:
        return OrderError(_("Choose a time in the future."), code="time_in_past")
    if starts_at > now + timedelta(days=MAX_DAYS_AHEAD):
        return OrderError(
            _("Orders can be placed at most %(days)s days ahead.") % {"days": MAX_DAYS_AHEAD},
            code="too_far_ahead",
        )
    if not 1 <= booked_hours <= 8:
        return OrderError(_("Book between 1 and 8 whole hours."), code="invalid_hours")
    refusal = funding_refusal(elder, funding, timezone.localdate(starts_at), **facts)
    return OrderError(refusal, code="funding_refused") if refusal else None


def _already_booked(order):
    return _("This service is already booked for that time: order %(number)s.") % {
        "number": order.number
    }


def _new_order(elder, *, by, service_type, starts_at, booked_hours, funding, notes, **fields):
    return Order(
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
        **fields,
    )


def _placed_event(order, by):
    return OrderEvent(
        order=order,
        actor=by,
        on_behalf_of=_on_behalf(order, by),
        from_status="",
        to_status=S.SUBMITTED,
    )


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
    published, is offered to that volunteer first, if they are usually
    available then and there: otherwise it goes straight to everyone, no
    hours are spent waiting for them, and `offered_to` stays empty so the
    elder's side can be told so at once.
    """
    now = now or timezone.now()
    refusal = _placing_refusal(
        elder,
        acts=may_act_for(by, elder),
        service_type=service_type,
        starts_at=starts_at,
        booked_hours=booked_hours,
        funding=funding,
        now=now,
    )
    if refusal:
        raise refusal
    if favourite is not None and not favourites_of(elder).filter(pk=favourite.pk).exists():
        raise OrderError(
            _("Choose one of the volunteers shown, or any volunteer."), code="not_a_favourite"
        )
    if favourite is not None and not is_available(
        getattr(favourite, "volunteer_profile", None), starts_at, elder.district_id
    ):
        favourite = None
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
        raise AlreadyDone(_already_booked(same), order=same)
    order = _new_order(
        elder,
        by=by,
        service_type=service_type,
        starts_at=starts_at,
        booked_hours=booked_hours,
        funding=funding,
        notes=notes,
        offered_to=favourite,
    )
    order.save()
    if funding == Funding.OWN_CREDITS:
        try:
            escrow.hold_credits(
                elder.user, booked_hours, reference=order.reference, key=_hold_key(order), by=by
            )
        except ledger.LedgerError as error:
            raise OrderError(str(error), code="credits_refused") from error
    _placed_event(order, by).save()
    return order


# A window shorter than this is no offer: the volunteer would hardly see it.
OFFER_AT_LEAST = timedelta(hours=1)


def _offer_window(order, now):
    """Until when a published order waits for the volunteer asked for, or None.

    At most half the time left before the start, so that others still have
    time to take it; none under `OFFER_AT_LEAST`, none for a volunteer the
    elder's side has since asked not to come again, and none for one who has
    since said they are not usually available then and there.
    """
    hours = ledger.current_policy().favourite_window_hours
    until = min(now + timedelta(hours=hours), now + (order.starts_at - now) / 2)
    if (
        order.offered_to_id is None
        or until - now < OFFER_AT_LEAST
        or NotAgain.objects.filter(elder=order.elder_id, volunteer=order.offered_to_id).exists()
        or not is_available(
            getattr(order.offered_to, "volunteer_profile", None), order.starts_at, order.district_id
        )
    ):
        return None
    return until


@transaction.atomic
def approve_order(order, *, by):
    order = _lock(order)
    _require_staff_scope(order, by)
    now = timezone.now()
    _move(
        order,
        S.PUBLISHED,
        by=by,
        audit={"action": APPROVED},
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
        raise OrderError(
            _("Only orders that have not started yet can be cancelled."), code="wrong_status"
        )
    had_volunteer = order.volunteer_id is not None
    _move(order, S.CANCELLED, by=by, on_behalf_of=_on_behalf(order, by), note=reason)
    _release_hold(order, by)
    if had_volunteer:
        _notify(order, "cancelled")
    return order


@dataclass(frozen=True)
class Visit:
    """One visit to place and publish at once: it was reviewed with the repeating
    service it belongs to (`reviewed_by`), so it needs no review of its own."""

    elder: ElderProfile
    placed_by: object
    reviewed_by: object
    service_type: object
    starts_at: datetime
    booked_hours: int
    funding: str
    notes: str = ""


@dataclass
class Placed:
    """What became of one `Visit`: its order, or why there is none."""

    order: Order | None = None
    refusal: str = ""
    short: bool = False  # the elder's own credits cannot cover it


@transaction.atomic
def publish_in_bulk(visits, *, now=None):
    """`submit_order` then `approve_order` for many visits, in a fixed number of queries.

    The same rules are checked, in memory, on facts read once for all the
    visits' elders (their rows locked, as one order locks its elder); the same
    rows are written, each kind in one statement: the published order, its two
    events, the approval's audit row and, for own credits, the hold (through
    `credits.holds.hold_credits_in_bulk`). An elder's credits go to their
    visits in time order; a visit the rest cannot cover is `short` and nothing
    is held for it. Returns one `Placed` per visit, in the same order.
    """
    now = now or timezone.now()
    placed = [Placed() for _visit in visits]
    if not visits:
        return placed
    policy = ledger.current_policy()
    elder_ids = sorted({visit.elder.pk for visit in visits})
    list(
        ElderProfile.objects.select_for_update()
        .filter(pk__in=elder_ids)
        .order_by("pk")
        .values_list("pk")
    )
    with_category = set(
        ElderCategory.objects.filter(
            elder__in=elder_ids, status=VerificationStatus.VERIFIED
        ).values_list("elder_id", flat=True)
    )
    proxies = set(
        ProxyAuthorisation.objects.filter(
            elder__in=elder_ids, status=VerificationStatus.VERIFIED
        ).values_list("elder_id", "proxy_id")
    )
    times = [visit.starts_at for visit in visits]
    booked = {
        (order.elder_id, order.service_type_id, order.starts_at): order
        for order in Order.objects.filter(
            elder__in=elder_ids,
            status__in=sorted(OPEN_STATUSES),
            starts_at__gte=min(times),
            starts_at__lte=max(times),
        ).only("pk", "elder_id", "service_type_id", "starts_at")
    }
    payers = {visit.elder.user_id for visit in visits if visit.funding == Funding.OWN_CREDITS}
    wallets = escrow.wallets_of(payers, lock=True)
    left = {owner: wallet.balance for owner, wallet in wallets.items()}
    published_at = timezone.now()
    new, twice, covered = [], [], {}
    for index in sorted(range(len(visits)), key=lambda index: visits[index].starts_at):
        visit, outcome = visits[index], placed[index]
        elder, by = visit.elder, visit.placed_by
        refused = _placing_refusal(
            elder,
            acts=elder.user_id == by.pk or (elder.pk, by.pk) in proxies,
            service_type=visit.service_type,
            starts_at=visit.starts_at,
            booked_hours=visit.booked_hours,
            funding=visit.funding,
            now=now,
            policy=policy,
            verified_category=elder.pk in with_category,
        )
        outcome.refusal = str(refused) if refused else ""
        area = (visit.reviewed_by.pk, elder.district_id, elder.street_id)
        if area not in covered:
            covered[area] = covers(visit.reviewed_by, elder.district_id, elder.street_id)
        if not outcome.refusal and not covered[area]:
            outcome.refusal = _outside_area()
        if outcome.refusal:
            continue
        slot = (elder.pk, visit.service_type.pk, visit.starts_at)
        if slot in booked:
            twice.append((outcome, booked[slot]))  # worded once the order has its number
            continue
        if visit.funding == Funding.OWN_CREDITS:
            if left.get(elder.user_id, 0) < visit.booked_hours:
                outcome.short = True
                continue
            left[elder.user_id] -= visit.booked_hours
        order = _new_order(
            elder,
            by=by,
            service_type=visit.service_type,
            starts_at=visit.starts_at,
            booked_hours=visit.booked_hours,
            funding=visit.funding,
            notes=visit.notes,
            status=S.PUBLISHED,
            published_at=published_at,
        )
        order.set_end()
        booked[slot] = outcome.order = order
        new.append((visit, order))
    Order.objects.bulk_create(order for _visit, order in new)
    for outcome, order in twice:
        outcome.refusal = _already_booked(order)
    OrderEvent.objects.bulk_create(
        event
        for visit, order in new
        for event in (
            _placed_event(order, visit.placed_by),
            OrderEvent(
                order=order, actor=visit.reviewed_by, from_status=S.SUBMITTED, to_status=S.PUBLISHED
            ),
        )
    )
    audit.record_many(
        (visit.reviewed_by, APPROVED, order, {"status": S.SUBMITTED}, {"status": S.PUBLISHED})
        for visit, order in new
    )
    try:
        escrow.hold_credits_in_bulk(
            [
                (
                    wallets[order.elder.user_id],
                    order.booked_hours,
                    _hold_key(order),
                    order.reference,
                    visit.placed_by,
                )
                for visit, order in new
                if order.funding == Funding.OWN_CREDITS
            ]
        )
    except ledger.LedgerError as error:
        raise OrderError(str(error)) from error
    if new:
        _queue("orders.tasks.announce_published", [order.pk for _visit, order in new])
    return placed
