"""Certificates of hours served, and their revocation."""

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.codes import random_code
from accounts.models import VolunteerProfile
from accounts.status import move
from credits.models import ServiceRecord
from rewards.models import (
    Certificate,
    CertificateStatus,
)
from rewards.services.refusals import RewardsError, _require_staff_for


def issue_certificate(start, end, *, by):
    """A volunteer's own certificate of the whole hours served in a past period."""
    if start > end:
        raise RewardsError(_("The period must start before it ends."))
    if end > timezone.localdate():
        raise RewardsError(_("A certificate can only cover days already past."))
    minutes = (
        ServiceRecord.objects.filter(volunteer=by, served_on__range=(start, end)).aggregate(
            total=Sum("minutes")
        )["total"]
        or 0
    )
    if minutes < 60:
        raise RewardsError(_("There is no whole hour of service in this period."))
    return Certificate.objects.create(
        serial=f"TB{start:%Y}{random_code(10)}",
        user=by,
        public_name=by.public_name,
        start=start,
        end=end,
        hours=minutes // 60,
    )


@transaction.atomic
def revoke_certificate(certificate, *, reason, by):
    if not reason.strip():
        raise RewardsError(_("Say why the certificate is revoked."))
    _require_staff_for(by, _certificate_district(certificate))
    return move(
        Certificate.objects.select_for_update().get(pk=certificate.pk),
        CertificateStatus.REVOKED,
        by=by,
        refusal=RewardsError(_("This certificate was already revoked.")),
        audit={"reason": reason.strip()},
        revoked_at=timezone.now(),
        revoked_by=by,
        revoke_reason=reason.strip(),
    )


def _certificate_district(certificate):
    profile = VolunteerProfile.objects.filter(user_id=certificate.user_id).first()
    return profile.district_id if profile else None
