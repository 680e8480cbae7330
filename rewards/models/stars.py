"""Star levels: the public notice (公示), objections to it and the honours board consent."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NoticeStatus(models.TextChoices):
    OPEN = "open", _("Public notice running")
    AWARDED = "awarded", _("Awarded")
    WITHHELD = "withheld", _("Withheld after an objection")


class StarNoticeQuerySet(models.QuerySet):
    def running(self):
        return self.filter(status=NoticeStatus.OPEN)

    def awarded(self):
        return self.filter(status=NoticeStatus.AWARDED)


class StarNotice(models.Model):
    """The public notice (公示) of a star level a volunteer reached."""

    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="star_notices",
        verbose_name=_("volunteer"),
    )
    level = models.PositiveSmallIntegerField(_("star level"))
    hours = models.PositiveIntegerField(_("hours served when opened"))
    public_name = models.CharField(_("public name"), max_length=60)
    district = models.ForeignKey(
        "accounts.District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("district"),
    )
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    closes_on = models.DateField(_("objections until (inclusive)"))
    status = models.CharField(
        _("status"), max_length=10, choices=NoticeStatus.choices, default=NoticeStatus.OPEN
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    objects = StarNoticeQuerySet.as_manager()
    # Awarded when the period ends with no open objection; withheld when one is upheld.
    TRANSITIONS = {NoticeStatus.OPEN: {NoticeStatus.AWARDED, NoticeStatus.WITHHELD}}

    class Meta:
        verbose_name = _("star notice")
        verbose_name_plural = _("star notices")
        ordering = ["-opened_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["volunteer", "level"], name="star_notice_once"),
            models.CheckConstraint(condition=Q(level__gt=0), name="star_notice_level_positive"),
        ]

    def __str__(self):
        return _("%(name)s: %(level)s stars") % {"name": self.public_name, "level": self.level}

    def get_absolute_url(self):
        return reverse("rewards:notice", args=[self.pk])

    def takes_objections(self, today=None):
        """Open to objections until the end of `closes_on`, not while it waits for a decision."""
        return self.status == NoticeStatus.OPEN and self.closes_on >= (
            today or timezone.localdate()
        )


class ObjectionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    UPHELD = "upheld", _("Upheld: the star is withheld")
    DISMISSED = "dismissed", _("Dismissed")


class Objection(models.Model):
    notice = models.ForeignKey(
        StarNotice, on_delete=models.PROTECT, related_name="objections", verbose_name=_("notice")
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("raised by"),
    )
    reason = models.TextField(_("reason"))
    raised_at = models.DateTimeField(_("raised at"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=10, choices=ObjectionStatus.choices, default=ObjectionStatus.OPEN
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolution = models.TextField(_("resolution"), blank=True)

    TRANSITIONS = {ObjectionStatus.OPEN: {ObjectionStatus.UPHELD, ObjectionStatus.DISMISSED}}

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["status", "-raised_at"]

    def __str__(self):
        return _("Objection to %(notice)s") % {"notice": self.notice}

    def get_absolute_url(self):
        return self.notice.get_absolute_url()


class HonourPreference(models.Model):
    """A volunteer's consent to appear (masked) on the public honours board."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="honour_preference",
        verbose_name=_("volunteer"),
    )
    show_on_board = models.BooleanField(_("show me on the honours board"), default=False)

    class Meta:
        verbose_name = _("honours board consent")
        verbose_name_plural = _("honours board consents")

    def __str__(self):
        return str(self.user)
