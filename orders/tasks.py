"""Background work for orders. Every task takes ids and is safe to run twice.

Notices (`notifications.post`) are unique per (recipient, kind, topic), so a
repeated task finds its notice already there and sends nothing again. Schedules work on sets
("every order due now"), so running late or twice changes nothing more.
"""

import logging
from datetime import timedelta

from django.utils import timezone

from accounts.models import VerificationStatus, VolunteerProfile, available_for
from notifications.models import NotificationKind
from notifications.services import post, queue_task
from orders import services
from orders.models import Order, OrderStatus

logger = logging.getLogger(__name__)
S = OrderStatus
K = NotificationKind

# Who hears of what happened to an order.
ELDER_SIDE_KINDS = {"approved", "rejected", "claimed", "released", "completed", "expired"}


def _elder_side(order):
    """The elder's account and every verified proxy's."""
    proxies = order.elder.proxies.filter(status=VerificationStatus.VERIFIED).select_related("proxy")
    return [order.elder.user, *(authorisation.proxy for authorisation in proxies)]


def _order_params(order):
    """What an order's notice says about it, in both languages where it has them."""
    service = order.service_type
    return {
        "service": {"zh-hans": service.name_zh, "en": service.name_en},
        "when": timezone.localtime(order.starts_at).strftime("%m-%d %H:%M"),
        "number": order.number,
    }


def order_recipients(order, kind):
    """Who hears of `kind` happening to this order."""
    recipients = []
    if kind in ELDER_SIDE_KINDS:
        recipients = _elder_side(order)
    if kind == "completed" and order.volunteer:
        recipients.append(order.volunteer)
    if kind == "cancelled" and order.volunteer:
        recipients = [order.volunteer]
    return recipients


def notify_order(order_id, kind):
    order = Order.objects.select_related("elder__user", "volunteer", "service_type").get(
        pk=order_id
    )
    for recipient in order_recipients(order, kind):
        post(recipient, kind, subject=order, topic=order.reference, params=_order_params(order))


def announce_new_orders(order_id):
    """Volunteers with the skill who are available then and there (their times of the
    week and districts, `accounts.models.availability`) get one digest notice an hour.

    Also run when a claim is given back (`release_claim`, `withdraw_claim`). An
    order asked for one volunteer again is theirs alone to hear of while it
    waits for them; nobody hears of an elder who asked them not to come again,
    nor of an order they held before.
    """
    order = Order.objects.select_related("service_type", "offered_to").get(pk=order_id)
    if order.status != S.PUBLISHED:
        return
    if order.offered_until and order.offered_until > timezone.now():
        post(order.offered_to, K.ASKED_FOR_YOU, subject=order, params=_order_params(order))
        return
    # The hour it (last) came into everyone's market: a run twice posts one digest.
    given_back = order.events.filter(from_status=S.CLAIMED, to_status=S.PUBLISHED)
    last_back = given_back.order_by("-created_at").values_list("created_at", flat=True).first()
    opened = max(
        (moment for moment in (order.offered_until, order.published_at, last_back) if moment),
        default=timezone.now(),
    )
    hour = timezone.localtime(opened).strftime("%Y-%m-%dT%H")
    serving = (
        available_for(
            VolunteerProfile.objects.verified().filter(skills=order.service_type_id),
            order.starts_at,
            order.district_id,
        )
        .exclude(user__elder_profile=order.elder_id)
        .exclude(user__not_again_marks__elder=order.elder_id)
        # Whoever held it let it go or lost it: it is no news to them.
        .exclude(
            user__in=order.events.filter(to_status=S.CLAIMED, actor__isnull=False).values("actor")
        )
        .select_related("user")
    )
    for profile in serving:
        post(
            profile.user,
            K.NEW_ORDERS,
            topic=f"digest:{hour}",
            params={"page": "orders:market"},
            text=False,
        )


# Long enough that a run late by a few schedule ticks still sees every offer that ended.
OFFERS_ENDED_WITHIN = timedelta(minutes=30)


def announce_ended_offers(now=None):
    """Tell the volunteers nearby of orders whose offer to one volunteer ended lately
    (the window ran out, they passed, or the elder's side asked them not to come).

    Run every 10 minutes; the digest of the hour each came into the market is
    posted once, so a run twice or late adds nothing.
    """
    now = now or timezone.now()
    ended = Order.objects.published().filter(
        offered_until__lte=now,
        offered_until__gt=now - OFFERS_ENDED_WITHIN,
        starts_at__gt=now,
    )
    for order_id in ended.values_list("pk", flat=True):
        announce_new_orders(order_id)


# Orders a task tells of at most, so that each task ends within the worker's timeout.
ANNOUNCE_AT_ONCE = 200


def announce_published(order_ids):
    """Orders published at once (`services.publish_in_bulk`): each is told of as one
    approved alone; a long list is first split into tasks of its own."""
    if len(order_ids) > ANNOUNCE_AT_ONCE:
        for start in range(0, len(order_ids), ANNOUNCE_AT_ONCE):
            queue_task(
                "orders.tasks.announce_published", order_ids[start : start + ANNOUNCE_AT_ONCE]
            )
        return
    for order_id in order_ids:
        notify_order(order_id, "approved")
        announce_new_orders(order_id)


def send_reminders(now=None):
    """24 h before a claimed visit, remind both sides once."""
    now = now or timezone.now()
    due = Order.objects.filter(
        status=S.CLAIMED, starts_at__gt=now, starts_at__lte=now + timedelta(hours=24)
    ).select_related("elder__user", "volunteer", "service_type")
    for order in due:
        for recipient in [order.volunteer, *_elder_side(order)]:
            post(
                recipient,
                K.REMINDER,
                subject=order,
                topic=order.reference,
                params=_order_params(order),
            )


def expire_due_orders(now=None):
    now = now or timezone.now()
    due = Order.objects.filter(status__in=[S.SUBMITTED, S.PUBLISHED], starts_at__lte=now)
    for order in due.only("pk").iterator():
        services.expire_order(order, now=now)


def auto_complete_due_orders(now=None):
    from credits.services import current_policy

    now = now or timezone.now()
    cutoff = now - timedelta(hours=current_policy().auto_confirm_hours)
    # Over-reported ones too: completing them sends them to staff review, so
    # an elder's silence never leaves a volunteer unpaid and nobody told.
    due = Order.objects.filter(status=S.DELIVERED, checked_out_at__lte=cutoff)
    for order in due.only("pk").iterator():
        services.auto_complete_order(order, now=now)


def flag_orders(now=None):
    """Mark for staff: unclaimed 24 h before start; no check-in 30 min after start."""
    now = now or timezone.now()
    unclaimed = Order.objects.filter(
        status__in=[S.SUBMITTED, S.PUBLISHED],
        starts_at__lte=now + timedelta(hours=24),
        flagged_unclaimed_at__isnull=True,
    ).update(flagged_unclaimed_at=now)
    no_show = Order.objects.filter(
        status=S.CLAIMED,
        starts_at__lte=now - timedelta(minutes=30),
        flagged_no_show_at__isnull=True,
    ).update(flagged_no_show_at=now)
    if unclaimed or no_show:
        logger.info("Flagged %s unclaimed and %s no-show orders.", unclaimed, no_show)
