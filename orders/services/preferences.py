"""Who comes: the elder's side asks for a volunteer again, or that one not come again.

Both are the elder's side's private wishes about people, so neither is ever
shown to the volunteer as being about them: a volunteer marked "not again"
simply stops seeing the elder's orders, and a volunteer who passes on an
order asked for them only lets it into the market sooner.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit
from orders.models import NotAgain, Order
from orders.services.claims import withdraw_claim
from orders.services.steps import AlreadyDone, OrderError, S, _lock, _require_elder_side


def _require_served(order):
    if order.status != S.COMPLETED or order.volunteer_id is None:
        raise OrderError(_("You can say this once the volunteer's visit is completed."))


@transaction.atomic
def mark_not_again(order, *, by, now=None):
    """From now on the order's volunteer neither sees nor gets the elder's orders."""
    now = now or timezone.now()
    order = _lock(order)
    _require_elder_side(order, by)
    _require_served(order)
    if NotAgain.objects.filter(elder=order.elder, volunteer=order.volunteer).exists():
        raise AlreadyDone(_("You have already asked that this volunteer not come again."), order)
    try:
        with transaction.atomic():
            mark = NotAgain.objects.create(
                elder=order.elder,
                volunteer=order.volunteer,
                order=order,
                marked_by=by,
                created_at=now,
            )
    except IntegrityError:
        # Someone else of the elder's side marked the same volunteer just now.
        raise AlreadyDone(
            _("You have already asked that this volunteer not come again."), order
        ) from None
    # An order still waiting for them goes to everyone else at once, and so do
    # the visits ahead they have claimed: the page promises they will not be sent.
    Order.objects.filter(
        elder=order.elder, offered_to=order.volunteer, offered_until__gt=now
    ).update(offered_until=now)
    claimed_ahead = Order.objects.filter(
        elder=order.elder, volunteer=order.volunteer, status=S.CLAIMED, starts_at__gt=now
    )
    for ahead in claimed_ahead:
        withdraw_claim(ahead, reason=_("The elder's side made other arrangements."), now=now)
    audit.record(
        by,
        "order.not_again",
        mark,
        district=order.elder.district,
        after={"order": order.pk, "volunteer": order.volunteer_id},
    )
    return mark


@transaction.atomic
def withdraw_not_again(order, *, by):
    """The elder's side changed their mind: the volunteer may come again."""
    order = _lock(order)
    _require_elder_side(order, by)
    mark = NotAgain.objects.filter(elder=order.elder, volunteer=order.volunteer_id).first()
    if mark is None:
        raise AlreadyDone(_("This volunteer is welcome again."), order)
    audit.record(
        by,
        "order.not_again_withdrawn",
        mark,
        district=order.elder.district,
        before={"order": mark.order_id, "volunteer": mark.volunteer_id},
    )
    mark.delete()
    return order


@transaction.atomic
def pass_offer(order, *, by, now=None):
    """The volunteer asked for lets the order go to every volunteer now.

    The elder's side is not told: for them a volunteer will simply be found.
    """
    now = now or timezone.now()
    order = _lock(order)
    if order.volunteer_id == by.pk:
        raise OrderError(_("You have claimed this order: release it instead."))
    if order.offered_to_id != by.pk or order.offered_until is None or order.offered_until <= now:
        raise AlreadyDone(_("This order is open to every volunteer now."), order)
    order.offered_until = now
    order.save(update_fields=["offered_until"])
    return order
