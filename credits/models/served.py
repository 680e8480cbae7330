"""Served time: one row per credited service; hours served are their sum."""

from django.conf import settings
from django.db import models
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ServiceRecordQuerySet(models.QuerySet):
    def minutes_served(self, volunteer):
        return self.filter(volunteer=volunteer).aggregate(total=Sum("minutes"))["total"] or 0

    def pooled_for(self, reference, volunteer):
        """Credits the volunteer earned for `reference` that went to the public pool
        because their wallet was at its cap."""
        return (
            self.filter(reference=reference, volunteer=volunteer).aggregate(total=Sum("pooled"))[
                "total"
            ]
            or 0
        )


class ServiceRecord(models.Model):
    """Minutes one volunteer served for one business event: the carry-over tally."""

    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="service_records",
        verbose_name=_("volunteer"),
    )
    minutes = models.PositiveIntegerField(_("minutes served"))
    served_on = models.DateField(_("served on"))
    credited = models.PositiveIntegerField(_("credits to the wallet"))
    pooled = models.PositiveIntegerField(_("credits to the public pool"))
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    idempotency_key = models.CharField(_("idempotency key"), max_length=150, unique=True)
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    objects = ServiceRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("service record")
        verbose_name_plural = _("service records")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["volunteer", "served_on"])]
        constraints = [
            models.CheckConstraint(condition=Q(minutes__gt=0), name="service_minutes_positive"),
        ]

    def __str__(self):
        return _("%(minutes)s minutes by %(volunteer)s") % {
            "minutes": self.minutes,
            "volunteer": self.volunteer,
        }
