"""Professional qualifications: a person's own certificate or their organisation's.

A volunteer is qualified for a professional service on a day when they hold
a verified certificate for it that has not expired, or belong to a verified
service organisation qualified for it (`is_qualified_for`).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models.verification import Verifiable, VerifiableQuerySet, VerificationStatus
from catalogue.models import PROFESSIONAL


class QualificationQuerySet(VerifiableQuerySet):
    def valid_on(self, day):
        """Verified and not yet expired on `day`: expiry needs no job to take effect."""
        return self.verified().filter(expires_on__gte=day)


class Qualification(Verifiable):
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="qualifications",
        verbose_name=_("holder"),
    )
    service_type = models.ForeignKey(
        "catalogue.ServiceType",
        on_delete=models.PROTECT,
        limit_choices_to=PROFESSIONAL,
        related_name="+",
        verbose_name=_("service"),
    )
    certificate_number = models.CharField(_("certificate number"), max_length=60)
    expires_on = models.DateField(_("expires on"))

    objects = QualificationQuerySet.as_manager()

    class Meta(Verifiable.Meta):
        verbose_name = _("qualification")
        verbose_name_plural = _("qualifications")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.service_type} · {self.certificate_number}"

    @property
    def is_expired(self):
        return self.expires_on < timezone.localdate()

    @classmethod
    def owner_q(cls, user):
        return Q(holder=user)


class ServiceOrganisation(Verifiable):
    """A social organisation, service centre, clinic or law firm (社会组织)."""

    name = models.CharField(_("name"), max_length=120)
    licence_number = models.CharField(
        _("registration or licence number"), max_length=60, unique=True
    )
    service_types = models.ManyToManyField(
        "catalogue.ServiceType",
        limit_choices_to=PROFESSIONAL,
        related_name="+",
        verbose_name=_("qualified services"),
    )
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="coordinated_organisations",
        verbose_name=_("coordinator"),
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="service_organisations",
        verbose_name=_("members"),
    )

    class Meta(Verifiable.Meta):
        verbose_name = _("service organisation")
        verbose_name_plural = _("service organisations")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @classmethod
    def owner_q(cls, user):
        return Q(coordinator=user)

    def standing_of(self, member):
        """(qualified, why) for a member: membership qualifies as `is_qualified_for` says."""
        profile = getattr(member, "volunteer_profile", None)
        if profile is None:
            return False, _("Not registered as a volunteer")
        if profile.status != VerificationStatus.VERIFIED:
            return False, _("Volunteer profile not verified")
        if not self.is_verified:
            return False, _("Qualified once the organisation is verified")
        return True, _("Qualified for its services")


def is_qualified_for(user, service_type, day=None):
    """May this person give `service_type` on `day` (today by default)?

    Everyone needs a verified volunteer profile; professional services also
    need an unexpired verified certificate of that type, or membership of a
    verified organisation qualified for it.
    """
    day = day or timezone.localdate()
    profile = getattr(user, "volunteer_profile", None)
    if profile is None or profile.status != VerificationStatus.VERIFIED:
        return False
    if not service_type.is_professional:
        return True
    if Qualification.objects.valid_on(day).filter(holder=user, service_type=service_type).exists():
        return True
    return (
        ServiceOrganisation.objects.verified()
        .filter(members=user, service_types=service_type)
        .exists()
    )
