"""The service catalogue (项目库): what the time bank offers, the bottom layer.

People (`accounts`) say which services they can give and are qualified for,
orders (`orders`) book them and the dashboard counts them, so the catalogue
imports none of them. Its names speak the page's language (`localized_name`),
as do the regions' of `accounts`.
"""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def name_field():
    """The name column that speaks the page's language: Chinese, or English elsewhere."""
    return "name_zh" if (get_language() or "zh-hans").startswith("zh") else "name_en"


def localized_name(obj):
    return getattr(obj, name_field())


class ServiceKind(models.TextChoices):
    GENERAL = "general", _("General service")
    PROFESSIONAL = "professional", _("Professional service")


# What a qualification or an organisation may be for: professional services only.
PROFESSIONAL = {"kind": ServiceKind.PROFESSIONAL}


class ServiceTypeQuerySet(models.QuerySet):
    def offered(self):
        return self.filter(is_active=True)


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

    objects = ServiceTypeQuerySet.as_manager()

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
