"""Certificates of hours served, who issues them, and their revocation."""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.codes import random_code
from accounts.models import VolunteerProfile
from accounts.status import move
from credits.models import ServiceRecord
from credits.references import name_references
from rewards.models import (
    Certificate,
    CertificateIssuer,
    CertificateStatus,
)
from rewards.services.refusals import RewardsError, _require_staff_for


def issuer_for(district_id):
    """The district's issuer, else the city's (None when neither is set up)."""
    issuers = CertificateIssuer.objects.filter(
        Q(district_id=district_id) | Q(district__isnull=True)
    )
    return issuers.order_by(F("district_id").asc(nulls_last=True)).first()


def issuers_for(district_ids):
    """`issuer_for` of each district at once: {district id: issuer or None}."""
    issuers = {
        issuer.district_id: issuer
        for issuer in CertificateIssuer.objects.filter(
            Q(district_id__in=set(district_ids)) | Q(district__isnull=True)
        )
    }
    return {pk: issuers.get(pk) or issuers.get(None) for pk in district_ids}


@dataclass(frozen=True)
class ServiceLine:
    """One service on a certificate: the national rules' content, place, time and hours."""

    served_on: object
    content: str
    place: str
    minutes: int

    @property
    def hours(self):
        return round(self.minutes / 60, 2)


def certificate_services(certificate):
    """The services a certificate counts, oldest first, named by the apps that own them."""
    records = list(
        ServiceRecord.objects.filter(
            volunteer_id=certificate.user_id,
            served_on__range=(certificate.start, certificate.end),
            # Recorded by issue: a reprint lists what the certificate counted.
            created_at__lte=certificate.issued_at,
        ).order_by("served_on", "pk")
    )
    named = name_references(record.reference for record in records)
    lines = []
    for record in records:
        about = named.get(record.reference)
        lines.append(
            ServiceLine(
                served_on=record.served_on,
                content=about.label if about else _("Volunteer service"),
                place=about.place if about else "",
                minutes=record.minutes,
            )
        )
    return lines


def issue_certificate(start, end, *, by):
    """A volunteer's own certificate of the whole hours served in a past period.

    It keeps the issuer's details of that day: a reprint shows what was issued.
    """
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
    issuer = issuer_for(_district_of(by.pk))
    if issuer is None:
        raise RewardsError(
            _("Certificates cannot be issued yet: staff have not said who issues them.")
        )
    return Certificate.objects.create(
        serial=f"TB{start:%Y}{random_code(10)}",
        user=by,
        public_name=by.public_name,
        start=start,
        end=end,
        hours=minutes // 60,
        issuer_name=issuer.name,
        issuer_person_in_charge=issuer.person_in_charge,
        issuer_handler=issuer.handler,
        issuer_contact=issuer.contact,
    )


@transaction.atomic
def revoke_certificate(certificate, *, reason, by):
    if not reason.strip():
        raise RewardsError(_("Say why the certificate is revoked."))
    _require_staff_for(by, _district_of(certificate.user_id))
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


def _district_of(user_id):
    profile = VolunteerProfile.objects.filter(user_id=user_id).first()
    return profile.district_id if profile else None
