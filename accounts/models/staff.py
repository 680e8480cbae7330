"""Staff scope (city → district → street) and the append-only audit log."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import labels


class ScopeLevel(models.TextChoices):
    CITY = "city", _("City")
    DISTRICT = "district", _("District")
    STREET = "street", _("Street")


class StaffScope(models.Model):
    """The part of the city a staff member manages; staff without one see nothing."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="staff_scope",
        verbose_name=_("staff member"),
    )
    level = models.CharField(_("level"), max_length=10, choices=ScopeLevel.choices)
    district = models.ForeignKey(
        "accounts.District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("district"),
    )
    street = models.ForeignKey(
        "accounts.Street",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("street"),
    )

    class Meta:
        verbose_name = _("staff scope")
        verbose_name_plural = _("staff scopes")
        constraints = [
            models.CheckConstraint(
                condition=Q(level=ScopeLevel.CITY, district__isnull=True, street__isnull=True)
                | Q(level=ScopeLevel.DISTRICT, district__isnull=False, street__isnull=True)
                | Q(level=ScopeLevel.STREET, district__isnull=False, street__isnull=False),
                name="staff_scope_matches_level",
            ),
        ]

    def __str__(self):
        if self.level == ScopeLevel.CITY:
            return str(ScopeLevel.CITY.label)
        return str(self.street or self.district)

    def clean(self):
        if self.street_id and self.street.district_id != self.district_id:
            raise ValidationError({"street": _("This street is not in the chosen district.")})

    def filter(self, queryset, district_field="district", street_field="street"):
        """Narrow `queryset` to the rows this scope covers.

        Rows without a street (`street_field=None`) are matched by district.
        """
        if self.level == ScopeLevel.CITY:
            return queryset
        if self.level == ScopeLevel.DISTRICT or street_field is None:
            return queryset.filter(**{f"{district_field}_id": self.district_id})
        return queryset.filter(**{f"{street_field}_id": self.street_id})

    def covers(self, district_id, street_id=None):
        if self.level == ScopeLevel.CITY:
            return True
        if self.level == ScopeLevel.DISTRICT:
            return district_id == self.district_id
        return street_id == self.street_id


def scope_of(user):
    """The user's StaffScope; superusers are city-level; None for everyone else."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return None
    if user.is_superuser:
        return StaffScope(user=user, level=ScopeLevel.CITY)
    try:
        return user.staff_scope
    except StaffScope.DoesNotExist:
        return None


def is_city_staff(user):
    scope = scope_of(user)
    return scope is not None and scope.level == ScopeLevel.CITY


def scoped(queryset, user, district_field="district", street_field="street"):
    """`queryset` narrowed to what `user` manages as staff (nothing if not staff)."""
    scope = scope_of(user)
    if scope is None:
        return queryset.none()
    return scope.filter(queryset, district_field, street_field)


def covers(user, district_id, street_id=None):
    scope = scope_of(user)
    return scope is not None and scope.covers(district_id, street_id)


class AuditLog(models.Model):
    """One staff decision or sensitive read. Rows are only ever added.

    Write through `accounts.audit.record`. On PostgreSQL a trigger refuses
    UPDATE and DELETE (migration 0002); the admin shows the log read-only.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    action = models.CharField(_("action"), max_length=60, db_index=True)
    target_type = models.CharField(_("target type"), max_length=60)
    target_id = models.CharField(_("target id"), max_length=40)
    district = models.ForeignKey(
        "accounts.District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("district"),
    )
    reason = models.TextField(_("reason"), blank=True)
    before = models.JSONField(_("before"), default=dict, blank=True)
    after = models.JSONField(_("after"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="audit_target")]

    def __str__(self):
        return f"{self.action_label} · {self.record_label} {self.target_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Audit log entries are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Audit log entries are never deleted.")

    @property
    def action_label(self):
        return labels.action_label(self.action)

    @property
    def record_label(self):
        return labels.record_label(self.target_type)
