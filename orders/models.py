"""The service catalogue and, later, orders and their life cycle."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import localized_name


class ServiceKind(models.TextChoices):
    GENERAL = "general", _("General service")
    PROFESSIONAL = "professional", _("Professional service")


class ServiceType(models.Model):
    """A service in the catalogue (项目库); professional ones need a qualification."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=ServiceKind.choices)
    name_zh = models.CharField(_("Chinese name"), max_length=30)
    name_en = models.CharField(_("English name"), max_length=60)
    description = models.TextField(_("description"), blank=True)
    default_hours = models.PositiveSmallIntegerField(_("default booked hours"), default=1)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("offered"), default=True)

    class Meta:
        verbose_name = _("service type")
        verbose_name_plural = _("service types")
        ordering = ["position", "code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(default_hours__gte=1) & models.Q(default_hours__lte=8),
                name="service_type_default_hours_1_to_8",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=ServiceKind.values), name="service_type_kind_valid"
            ),
        ]

    def __str__(self):
        return localized_name(self)

    @property
    def is_professional(self):
        return self.kind == ServiceKind.PROFESSIONAL
