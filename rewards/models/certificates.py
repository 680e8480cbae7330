"""Service certificates, publicly verifiable by serial, and who issues them.

The national rules (《志愿服务记录与证明出具办法（试行）》, 2021) say what a
certificate carries: the volunteer's identity, the service, the issuer (its
name, the person in charge, the handler and a contact) and the certificate's
number and date. The issuer is the district's, else the city's; a certificate
keeps the issuer's details as they were on the day it was issued.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CertificateStatus(models.TextChoices):
    VALID = "valid", _("Valid")
    REVOKED = "revoked", _("Revoked")


class CertificateIssuer(models.Model):
    """Who signs a district's certificates; the row without a district is the city's."""

    district = models.OneToOneField(
        "accounts.District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("district"),
        help_text=_("Leave empty for the city's issuer, used where a district has none."),
    )
    name = models.CharField(_("issuing organisation"), max_length=100)
    person_in_charge = models.CharField(_("person in charge"), max_length=60)
    handler = models.CharField(_("handler"), max_length=60)
    contact = models.CharField(_("contact"), max_length=100)

    class Meta:
        verbose_name = _("certificate issuer")
        verbose_name_plural = _("certificate issuers")
        ordering = [F("district__code").asc(nulls_first=True)]
        constraints = [
            # One city row: the district is NULL there, and NULLs are never equal.
            models.UniqueConstraint(
                Coalesce("district", Value(0)),
                name="certificate_issuer_one_per_area",
                violation_error_message=_(
                    "This area already has an issuer: change that one instead."
                ),
            ),
        ]

    def __str__(self):
        return self.name


class Certificate(models.Model):
    """A printable record of hours served in a period, publicly verifiable by serial."""

    serial = models.CharField(_("serial number"), max_length=20, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=_("volunteer"),
    )
    public_name = models.CharField(_("public name"), max_length=60)
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    hours = models.PositiveIntegerField(_("hours served"))
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    issuer_name = models.CharField(_("issuing organisation"), max_length=100, blank=True)
    issuer_person_in_charge = models.CharField(_("person in charge"), max_length=60, blank=True)
    issuer_handler = models.CharField(_("handler"), max_length=60, blank=True)
    issuer_contact = models.CharField(_("contact"), max_length=100, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=CertificateStatus.choices,
        default=CertificateStatus.VALID,
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )
    revoke_reason = models.TextField(_("why it was revoked"), blank=True)

    # Staff revoke a certificate once (hours reversed, issued in error); it stays on record.
    TRANSITIONS = {CertificateStatus.VALID: {CertificateStatus.REVOKED}}

    class Meta:
        verbose_name = _("service certificate")
        verbose_name_plural = _("service certificates")
        ordering = ["-issued_at"]
        constraints = [
            models.CheckConstraint(condition=Q(start__lte=F("end")), name="certificate_period"),
            models.CheckConstraint(
                condition=Q(status=CertificateStatus.VALID, revoked_at__isnull=True)
                | Q(status=CertificateStatus.REVOKED, revoked_at__isnull=False),
                name="certificate_revoked_iff_dated",
            ),
        ]

    def __str__(self):
        return self.serial

    def get_absolute_url(self):
        return reverse("rewards:certificate", args=[self.serial])

    @property
    def is_revoked(self):
        return self.revoked_at is not None
