"""Volunteers claim published orders, and release a claim before it starts."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import (
    User,
    VerificationStatus,
    are_direct_relatives,
    is_qualified_for,
    may_act_for,
)
from notifications.services import queue_task as _queue
from orders.models import (
    BUSY_STATUSES,
    NotAgain,
    Order,
    OrderEvent,
)
from orders.services.steps import (
    AlreadyDone,
    OrderError,
    OrderTaken,
    S,
    _lock,
    _move,
    _notify,
    _require_volunteer,
)

# A volunteer claims at most this many orders an hour (released claims count
# too): enough for anyone planning their week, too few for a script that
# empties the market. Counted from OrderEvent rows, so it holds across
# workers and restarts. Taking a repeating service is one claim however many
# visits it claims, and the visits claimed later for its regular volunteer
# are none: those claims are recorded as `standing` and not counted.
CLAIMS_PER_HOUR = 10


def claim_limit_refusal(volunteer):
    """Why the volunteer may claim nothing more this hour, or None if they may."""
    recent_claims = OrderEvent.objects.filter(
        actor=volunteer,
        to_status=S.CLAIMED,
        standing=False,
        created_at__gt=timezone.now() - timedelta(hours=1),
    ).count()
    if recent_claims >= CLAIMS_PER_HOUR:
        return _("You have claimed %(count)s orders in the last hour. Please try again later.") % {
            "count": recent_claims
        }
    return None


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
    # Neutral on purpose: neither the elder's "not again" nor their asking for
    # someone else is the volunteer's to learn.
    if (
        order.offered_until is not None
        and order.offered_until > now
        and order.offered_to_id != volunteer.pk
    ) or NotAgain.objects.filter(elder=order.elder_id, volunteer=volunteer).exists():
        return _("This order is not open to you.")
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
def claim_order(order, *, by, now=None, standing=False):
    """A published order goes to the first eligible volunteer who claims it.

    `standing`: claimed for the regular volunteer of a repeating service, as
    part of taking it or by its publisher; not counted against the hourly limit.
    """
    order = _lock(order)
    # The volunteer's row serialises their own claims, so two overlapping
    # orders cannot both be claimed by parallel requests. Locked after the
    # order, always, so claims never wait on each other in a cycle.
    User.objects.select_for_update().get(pk=by.pk)
    if order.volunteer_id == by.pk:
        raise AlreadyDone(_("You have already claimed this order."), order)
    refusal = claim_refusal(order, by, now=now)
    if refusal:
        raise OrderTaken() if order.volunteer_id else OrderError(refusal, code="claim_refused")
    # Exact under parallel requests: the lock above serialises this count.
    refusal = None if standing else claim_limit_refusal(by)
    if refusal:
        raise OrderError(refusal, code="too_many_claims")
    _move(order, S.CLAIMED, by=by, standing=standing, volunteer=by, claimed_at=timezone.now())
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
        raise OrderError(
            _("Only a claim that has not started can be released."), code="wrong_status"
        )
    if order.starts_at <= timezone.now():
        raise OrderError(
            _("The service time has come; call the station instead of releasing."),
            code="too_late",
        )
    _back_to_market(order, by=by, note=reason, now=timezone.now())
    _notify(order, "released")
    return order


def _back_to_market(order, *, by, note, now):
    """A claim given back or taken back: the order is open again, and announced.

    An offer to the volunteer asked for ends with their claim: it is everyone's now.
    """
    offered_until = min(order.offered_until, now) if order.offered_until else None
    _move(
        order,
        S.PUBLISHED,
        by=by,
        note=note,
        volunteer=None,
        claimed_at=None,
        offered_until=offered_until,
    )
    _queue("orders.tasks.announce_new_orders", order.pk)


@transaction.atomic
def withdraw_claim(order, *, reason, now=None):
    """The platform takes back a claim that has not started, and the order is open again.

    For a regular volunteer who lost a repeating service: nobody should wait
    for a visit that person is unlikely to make. A claim that has started, or
    is no longer theirs, is left alone.
    """
    order = _lock(order)
    now = now or timezone.now()
    if order.status != S.CLAIMED or order.starts_at <= now:
        return order
    _back_to_market(order, by=None, note=reason, now=now)
    return order
