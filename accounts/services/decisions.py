"""Staff decisions on what people ask them to verify."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import VerificationStatus, covers
from accounts.services.refusals import PeopleError
from accounts.status import check_move, move


@transaction.atomic
def approve_request(obj, *, by):
    """Verify a pending elder category, volunteer, qualification, organisation or link."""
    return _decide(obj, VerificationStatus.VERIFIED, by=by)


@transaction.atomic
def reject_request(obj, *, by, reason):
    reason = (reason or "").strip()
    if not reason:
        raise PeopleError(gettext("Give a reason for the rejection: the applicant will see it."))
    return _decide(obj, VerificationStatus.REJECTED, by=by, reason=reason)


def _decide(obj, status, *, by, reason=""):
    obj = type(obj).objects.select_for_update().get(pk=obj.pk)
    if not covers(by, obj.district_id, obj.street_id):
        raise PeopleError(gettext("This is outside the area you manage."))
    if type(obj).objects.owned_by(by).filter(pk=obj.pk).exists():
        raise PeopleError(gettext("Another staff member must decide on a request of your own."))
    decided = PeopleError(gettext("This has already been decided."))
    check_move(obj, status, decided)
    if status == VerificationStatus.VERIFIED and getattr(obj, "is_expired", False):
        raise PeopleError(gettext("This certificate has expired and cannot be verified."))
    return move(
        obj,
        status,
        by=by,
        refusal=decided,
        audit={"reason": reason},
        decided_by=by,
        decided_at=timezone.now(),
        decision_reason=reason,
    )
