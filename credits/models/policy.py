"""The policy: versioned figures the ledger and the other apps read."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import (
    MaxValueValidator,
    MinValueValidator,
    validate_comma_separated_integer_list,
)
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

DEFAULT_STARS = "100,300,600,1000,1500"


def parse_dates(text):
    """The set of ISO dates (YYYY-MM-DD) in `text`, separated by commas or white space."""
    return {datetime.date.fromisoformat(word) for word in text.replace(",", " ").split()}


def validate_date_list(text):
    try:
        parse_dates(text)
    except ValueError:
        raise ValidationError(
            _("Enter dates as YYYY-MM-DD, separated by commas or spaces."), code="invalid"
        ) from None


class Policy(models.Model):
    """One version of the city's rules; the newest is in force."""

    spendable_after_hours = models.PositiveIntegerField(
        _("hours served before credits can be redeemed or gifted"),
        default=100,
        help_text=_("0 turns the rule off. Donating is always allowed."),
    )
    self_pay_age = models.PositiveSmallIntegerField(
        _("age from which people may pay for their own services"), default=60
    )
    wallet_cap = models.PositiveIntegerField(
        _("most credits a wallet may hold"),
        default=1500,
        help_text=_("Earnings above it go to the public pool. 0 means no cap."),
    )
    star_thresholds = models.CharField(
        _("star thresholds (hours)"),
        max_length=100,
        default=DEFAULT_STARS,
        validators=[validate_comma_separated_integer_list],
        help_text=_("Hours served for each star, ascending, separated by commas."),
    )
    auto_confirm_hours = models.PositiveSmallIntegerField(
        _("hours after which a delivered order completes by itself"), default=72
    )
    daily_hour_limit = models.PositiveSmallIntegerField(
        _("most credited hours per volunteer per day"), default=8
    )
    over_report_minutes = models.PositiveSmallIntegerField(
        _("minutes beyond the booking before staff review"), default=30
    )
    star_notice_working_days = models.PositiveSmallIntegerField(
        _("working days a new star is on public notice"), default=5
    )
    extra_holidays = models.TextField(
        _("extra holidays"),
        blank=True,
        validators=[validate_date_list],
        help_text=_(
            "Dates (YYYY-MM-DD) not worked although the official calendar says they are, "
            "or the holidays of a year it does not know yet."
        ),
    )
    extra_working_days = models.TextField(
        _("extra working days"),
        blank=True,
        validators=[validate_date_list],
        help_text=_(
            "Dates (YYYY-MM-DD) worked although the official calendar says they are not, "
            "such as the make-up working days of a year it does not know yet. In such a "
            "year Monday to Friday are working days apart from the dates entered here."
        ),
    )
    daily_gift_limit = models.PositiveSmallIntegerField(
        _("most gifts per giver per day"),
        default=3,
        help_text=_("Counted by calendar day in the city's time zone. 0 means no limit."),
    )
    credential_change_days = models.PositiveSmallIntegerField(
        _("days a login change bars a second approval"),
        default=30,
        help_text=_(
            "A grant's proposer and approver must not have changed each other's login, "
            "password or scope within these days. 0 turns the rule off."
        ),
    )
    series_horizon_days = models.PositiveSmallIntegerField(
        _("days ahead that visits of repeating services are published"),
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    series_misses_allowed = models.PositiveSmallIntegerField(
        _("missed visits after which a regular volunteer loses a repeating service"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    favourite_window_hours = models.PositiveSmallIntegerField(
        _("hours an order asked for one volunteer is offered to them alone"),
        default=12,
        validators=[MaxValueValidator(72)],
        help_text=_("Then, or as soon as they pass, every volunteer sees it. 0 turns it off."),
    )
    created_at = models.DateTimeField(_("in force from"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )

    class Meta:
        verbose_name = _("policy")
        verbose_name_plural = _("policy versions")
        ordering = ["-created_at", "-pk"]
        get_latest_by = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(daily_hour_limit__gte=1) & Q(daily_hour_limit__lte=24),
                name="policy_daily_hour_limit_1_to_24",
            ),
        ]

    def __str__(self):
        return _("Policy of %(date)s") % {
            "date": timezone.localtime(self.created_at).strftime("%Y-%m-%d %H:%M")
        }

    @property
    def stars(self):
        return sorted(int(hours) for hours in self.star_thresholds.split(",") if hours)

    @property
    def extra_holidays_set(self):
        return parse_dates(self.extra_holidays)

    @property
    def extra_working_days_set(self):
        return parse_dates(self.extra_working_days)

    def is_spendable(self, hours_served):
        return hours_served >= self.spendable_after_hours

    def star_level(self, hours_served):
        return sum(1 for threshold in self.stars if hours_served >= threshold)

    def next_star_hours(self, hours_served):
        """Hours needed for the next star, or None at the top."""
        return next((t for t in self.stars if t > hours_served), None)

    def room_under_cap(self, balance):
        """How many more credits a wallet may take, or None when there is no cap."""
        if not self.wallet_cap:
            return None
        return max(0, self.wallet_cap - balance)


def current_policy():
    """The rules in force: the newest version, or the defaults before any exists."""
    return Policy.objects.order_by("-created_at", "-pk").first() or Policy()
