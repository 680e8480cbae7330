"""The visit: the volunteer checks in and checks out."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from credits import services as ledger
from orders.services.steps import AlreadyDone, OrderError, S, _lock, _move, _require_volunteer

CHECK_IN_EARLY = timedelta(hours=1)


@transaction.atomic
def check_in(order, *, by, location="", now=None):
    now = now or timezone.now()
    order = _lock(order)
    _require_volunteer(order, by)
    if order.checked_in_at is not None:
        raise AlreadyDone(_("You have already checked in."), order)
    if order.status == S.CLAIMED and now < order.starts_at - CHECK_IN_EARLY:
        raise OrderError(
            _("You can check in from one hour before the booked time."), code="too_early"
        )
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
        raise OrderError(_("Check in before checking out."), code="wrong_status")
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
