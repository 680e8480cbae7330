"""What every staff-verified thing shares: status, evidence, decision, place."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models.staff import scoped


class VerificationStatus(models.TextChoices):
    PENDING = "pending", _("Pending verification")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Rejected")
    REVOKED = "revoked", _("Revoked")


def evidence_path(instance, filename):
    """An unguessable name: nobody can reach another person's file by counting."""
    suffix = PurePath(filename).suffix.lower()
    return f"evidence/{instance._meta.model_name}/{uuid.uuid4().hex}{suffix}"


class VerifiableQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=VerificationStatus.PENDING)

    def verified(self):
        return self.filter(status=VerificationStatus.VERIFIED)

    def owned_by(self, user):
        """Rows the user is a party to; each model says how."""
        return self.filter(self.model.owner_q(user))

    def in_scope_of(self, user):
        return scoped(self, user)

    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            Q(pk__in=self.owned_by(user).values("pk"))
            | Q(pk__in=self.in_scope_of(user).values("pk"))
        )


class Verifiable(models.Model):
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=VerificationStatus.choices,
        default=VerificationStatus.PENDING,
        db_index=True,
    )
    evidence = models.FileField(_("evidence image"), upload_to=evidence_path, blank=True)
    district = models.ForeignKey(
        "accounts.District", on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    street = models.ForeignKey(
        "accounts.Street",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("street"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)

    objects = VerifiableQuerySet.as_manager()
    # Staff decide once; a resubmitted profile or category is pending again (its own service).
    TRANSITIONS = {
        VerificationStatus.PENDING: {VerificationStatus.VERIFIED, VerificationStatus.REJECTED},
    }

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=VerificationStatus.values),
                name="%(class)s_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status=VerificationStatus.REJECTED) | ~Q(decision_reason=""),
                name="%(class)s_rejection_has_reason",
            ),
        ]

    @property
    def is_verified(self):
        return self.status == VerificationStatus.VERIFIED

    @classmethod
    def owner_q(cls, user):
        raise NotImplementedError
