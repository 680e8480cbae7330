"""Where people live and staff work: district (区) → street (街道) → community (社区)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from catalogue.models import localized_name


class District(models.Model):
    """A city district (区): the unit that district staff manage."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name_zh = models.CharField(_("Chinese name"), max_length=30)
    name_en = models.CharField(_("English name"), max_length=60)

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["code"]

    def __str__(self):
        return localized_name(self)


class Street(models.Model):
    """A street (街道) or town (镇) inside a district."""

    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="streets", verbose_name=_("district")
    )
    name_zh = models.CharField(_("Chinese name"), max_length=30)
    name_en = models.CharField(_("English name"), max_length=60)

    class Meta:
        verbose_name = _("street")
        verbose_name_plural = _("streets")
        ordering = ["district__code", "name_en"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "name_zh"], name="street_unique_in_district"
            ),
        ]

    def __str__(self):
        return localized_name(self)


class Community(models.Model):
    """A residents' community (社区) inside a street: the smallest unit of an address."""

    street = models.ForeignKey(
        Street, on_delete=models.PROTECT, related_name="communities", verbose_name=_("street")
    )
    name_zh = models.CharField(_("Chinese name"), max_length=30)
    name_en = models.CharField(_("English name"), max_length=60)

    class Meta:
        verbose_name = _("community")
        verbose_name_plural = _("communities")
        ordering = ["street__district__code", "street__name_en", "name_en"]
        constraints = [
            models.UniqueConstraint(
                fields=["street", "name_zh"], name="community_unique_in_street"
            ),
        ]

    def __str__(self):
        return localized_name(self)
