"""Donation projects and maker-checker grants."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Project(models.Model):
    """A donation project (公益项目) whose credits go to elders in difficulty."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=100)
    purpose = models.TextField(_("purpose"))
    district = models.ForeignKey(
        "accounts.District", on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    target = models.PositiveIntegerField(_("target in credits"))
    is_open = models.BooleanField(_("taking donations"), default=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("donation project")
        verbose_name_plural = _("donation projects")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(target__gt=0), name="project_target_positive"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("rewards:project", args=[self.code])

    @property
    def account_code(self):
        return f"project-{self.code}"


class GrantStatus(models.TextChoices):
    PROPOSED = "proposed", _("Waiting for approval")
    APPROVED = "approved", _("Approved and paid")
    REJECTED = "rejected", _("Rejected")


class Grant(models.Model):
    """Pool or project credits for an elder in need; moves only when a second staff approves."""

    elder = models.ForeignKey(
        "accounts.ElderProfile",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("elder"),
    )
    project = models.ForeignKey(
        Project,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="grants",
        verbose_name=_("from project"),
        help_text=_("Leave empty to grant from the public pool."),
    )
    amount = models.PositiveIntegerField(_("credits"))
    reason = models.TextField(_("why the elder needs it"))
    district = models.ForeignKey(
        "accounts.District", on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=GrantStatus.choices, default=GrantStatus.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    proposed_at = models.DateTimeField(_("proposed at"), default=timezone.now)
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
    transfer = models.OneToOneField(
        "credits.Transfer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("transfer"),
    )

    # A second staff member decides once; approval pays.
    TRANSITIONS = {GrantStatus.PROPOSED: {GrantStatus.APPROVED, GrantStatus.REJECTED}}

    class Meta:
        verbose_name = _("grant")
        verbose_name_plural = _("grants")
        ordering = ["status", "-proposed_at"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="grant_amount_positive"),
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=F("proposed_by")),
                name="grant_checker_is_not_maker",
            ),
            models.CheckConstraint(
                condition=Q(status=GrantStatus.APPROVED, transfer__isnull=False)
                | (~Q(status=GrantStatus.APPROVED) & Q(transfer__isnull=True)),
                name="grant_paid_iff_approved",
            ),
        ]

    def __str__(self):
        return _("%(amount)s credits for %(elder)s") % {"amount": self.amount, "elder": self.elder}
