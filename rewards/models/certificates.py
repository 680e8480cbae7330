"""Service certificates, publicly verifiable by serial."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CertificateStatus(models.TextChoices):
    VALID = "valid", _("Valid")
    REVOKED = "revoked", _("Revoked")


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
