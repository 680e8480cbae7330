"""What the platform tells people: in-app notices, and their text messages.

Every app tells people what happened to them through here (`notify`, `post`),
so this app sits below `orders` and `rewards` and knows neither: a notice is
about a *subject* (any row, by content type and id) and says what happened
by its `kind` and a few `params` of plain values. It is worded when it is
read, in the reader's language (`text`), so a notice posted in Chinese reads
in English to someone who switched; a text message is worded when it is
sent, in Chinese.

A notice is unique per (recipient, kind, topic): the topic names what it is
about ("order:42", "rewards.starnotice:7", "digest:2026-11-28T09"), so a
task that runs twice finds its notice already there and posts nothing again.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    APPROVED = "approved", _("Your order was approved")
    REJECTED = "rejected", _("Your order was rejected")
    CLAIMED = "claimed", _("A volunteer claimed your order")
    RELEASED = "released", _("The volunteer released your order")
    COMPLETED = "completed", _("Your order is completed")
    EXPIRED = "expired", _("Nobody claimed your order in time")
    CANCELLED = "cancelled", _("An order was cancelled")
    NEW_ORDERS = "new_orders", _("New orders near you")
    REMINDER = "reminder", _("Reminder: a visit tomorrow")
    STAR_NOTICE_OPENED = "star_notice_opened", _("Your new star level is on public notice")
    STAR_AWARDED = "star_awarded", _("You were awarded a star level")
    OBJECTION_UPHELD = "objection_upheld", _("An objection was upheld and the star withheld")
    OBJECTION_DISMISSED = "objection_dismissed", _("An objection was dismissed")
    REDEMPTION_READY = "redemption_ready", _("Your goods are reserved for you to collect")
    REDEMPTION_EXPIRED = "redemption_expired", _("Goods not collected in time and refunded")
    GIFT_RECEIVED = "gift_received", _("A relative gave you credits")
    GRANT_RECEIVED = "grant_received", _("You received a grant of credits")
    SERIES_SHORT = "series_short", _("Not enough credits for a visit of a repeating service")
    SERIES_CLAIM_REFUSED = (
        "series_claim_refused",
        _("A visit of your regular service could not be yours"),
    )
    SERIES_CHANGED = "series_changed", _("The time of a repeating service changed")
    SERIES_VOLUNTEER_DROPPED = (
        "series_volunteer_dropped",
        _("A regular volunteer was taken off a repeating service after missed visits"),
    )
    ASKED_FOR_YOU = "asked_for_you", _("An elder asked for you again")


K = NotificationKind
_ORDER = _("%(service)s, %(when)s (order %(number)s)")
# What a notice of each kind says beyond its kind, from its params.
DETAILS = {
    K.APPROVED: _ORDER,
    K.REJECTED: _ORDER,
    K.CLAIMED: _ORDER,
    K.RELEASED: _ORDER,
    K.COMPLETED: _ORDER,
    K.EXPIRED: _ORDER,
    K.CANCELLED: _ORDER,
    K.REMINDER: _ORDER,
    K.STAR_NOTICE_OPENED: _("%(level)s stars; objections may be raised until %(closes_on)s."),
    K.STAR_AWARDED: _("%(level)s stars."),
    K.OBJECTION_UPHELD: _("%(level)s stars."),
    K.OBJECTION_DISMISSED: _("%(level)s stars."),
    K.REDEMPTION_READY: _("%(goods)s at %(station)s; collect it by %(deadline)s."),
    K.REDEMPTION_EXPIRED: _("%(goods)s, %(price)s credits."),
    K.GIFT_RECEIVED: _("%(amount)s credits."),
    K.GRANT_RECEIVED: _("%(amount)s credits."),
    K.SERIES_SHORT: _("%(service)s, %(when)s: top up the credits before the day."),
    K.SERIES_CLAIM_REFUSED: _("%(service)s, %(when)s: %(reason)s"),
    K.SERIES_CHANGED: _("%(service)s: from %(when)s on, every %(days)s."),
    K.SERIES_VOLUNTEER_DROPPED: _(
        "%(service)s: %(missed)s visits missed; its visits are open to other volunteers again."
    ),
    K.ASKED_FOR_YOU: _ORDER,
}


def in_language(value):
    """A param given in several languages (`{"zh-hans": ..., "en": ...}`) in the active one."""
    if not isinstance(value, dict):
        return value
    language = get_language() or settings.LANGUAGE_CODE
    return value.get(language) or value.get(settings.LANGUAGE_CODE) or next(iter(value.values()))


class Notification(models.Model):
    """An in-app notice. One per (recipient, kind, topic), so a repeated task adds nothing."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=NotificationKind.choices)
    subject_type = models.ForeignKey(
        ContentType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("about"),
    )
    subject_id = models.PositiveBigIntegerField(_("about (id)"), null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    # Plain values the notice is worded with; a page to link to when it has no subject.
    params = models.JSONField(_("details"), default=dict, blank=True)
    topic = models.CharField(_("topic"), max_length=40)
    created_at = models.DateTimeField(_("at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "topic"], name="notification_once"
            ),
        ]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self):
        return self.get_kind_display()

    @property
    def details(self):
        """The notice's particulars, worded in the active language ("" if it has none)."""
        wording = DETAILS.get(self.kind)
        if wording is None:
            return ""
        try:
            return wording % {name: in_language(value) for name, value in self.params.items()}
        except (KeyError, TypeError, ValueError):
            return ""  # a notice posted before its wording changed still shows its kind

    @property
    def text(self):
        return f"{self.get_kind_display()}: {self.details}" if self.details else str(self)

    @property
    def link(self):
        """Its subject's page, else the page its params name, else none."""
        subject = self.subject
        if subject is not None and hasattr(subject, "get_absolute_url"):
            return subject.get_absolute_url()
        try:
            return reverse(self.params["page"]) if "page" in self.params else ""
        except NoReverseMatch:
            return ""
