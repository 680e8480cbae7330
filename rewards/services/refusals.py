"""The rewards app's one refusal, and the checks its operations share."""

from django.utils.translation import gettext as _

from accounts.models import covers
from credits.services import LedgerError


class RewardsError(Exception):
    """A rewards operation refused; the message is safe to show."""


def _ledger(call, *args, **kwargs):
    """Call the ledger, turning its refusal into ours (same safe message)."""
    try:
        return call(*args, **kwargs)
    except LedgerError as error:
        raise RewardsError(str(error)) from error


def _require_staff_for(user, district_id, street_id=None):
    if not covers(user, district_id, street_id):
        raise RewardsError(_("This is outside the area you manage."))
