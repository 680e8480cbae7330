"""What every order action shares: its refusals, the lock, the one status move, queued tasks."""

from django.utils.translation import gettext as _

from accounts import status
from accounts.models import covers, may_act_for
from credits import holds as escrow
from credits.models import Hold
from notifications.services import queue_task as _queue
from orders.models import Funding, Order, OrderEvent, OrderStatus

S = OrderStatus


class OrderError(Exception):
    """A refusal with a message that can be shown to the person who asked.

    `code` names the kind of refusal for programs (the API's error codes):
    it never changes once published, whatever the message says.
    """

    code = "order_refused"

    def __init__(self, message, *, code=None):
        super().__init__(message)
        if code:
            self.code = code


class NotAllowed(OrderError):
    """The person may see the order but this step is not theirs to take."""

    code = "not_allowed"


class AlreadyDone(OrderError):
    """The same request went through before (a double tap, Back, a stale page).

    Nothing changed; the message tells what had already happened, and `order`
    is the order it happened to.
    """

    code = "already_done"

    def __init__(self, message, order=None):
        super().__init__(message)
        self.order = order


class OrderTaken(OrderError):
    """Another volunteer has the order: whoever asked goes back to the market."""

    code = "order_taken"

    def __init__(self):
        super().__init__(_("Another volunteer has taken this order."))


def _lock(order):
    return Order.objects.select_for_update().get(pk=order.pk)


def _move(order, to, *, by, on_behalf_of=None, note="", audit=None, standing=False, **changes):
    """Apply one allowed transition and record it in the order's history (and audit log)."""

    def event(order, from_status):
        OrderEvent.objects.create(
            order=order,
            actor=by,
            on_behalf_of=on_behalf_of,
            from_status=from_status,
            to_status=to,
            note=note[:300],
            standing=standing,
        )

    refusal = OrderError(
        _("This order is %(status)s and cannot be changed that way.")
        % {"status": order.get_status_display()},
        code="wrong_status",
    )
    return status.move(order, to, by=by, refusal=refusal, audit=audit, event=event, **changes)


def _notify(order, kind):
    _queue("orders.tasks.notify_order", order.pk, kind)


def _on_behalf(order, user):
    """Whom a person acts for when they are not the elder themselves."""
    return order.elder.user if user.pk != order.elder.user_id else None


def _require_elder_side(order, user):
    if not may_act_for(user, order.elder):
        raise NotAllowed(_("Only the elder or someone acting for them can do this."))


def _outside_area():
    return _("This order is outside the area you manage.")


def _require_staff_scope(order, user):
    if not covers(user, order.district_id, order.street_id):
        raise NotAllowed(_outside_area())


def _require_volunteer(order, user):
    if order.volunteer_id != user.pk:
        raise NotAllowed(_("Only the volunteer who claimed this order can do this."))


def _hold_key(order):
    return f"{order.reference}:hold"


def _hold_of(order):
    return Hold.objects.select_related("transfer").get(transfer__idempotency_key=_hold_key(order))


def _release_hold(order, by):
    if order.funding == Funding.OWN_CREDITS:
        escrow.release_hold(_hold_of(order), by=by)
