"""Standing orders: a service that repeats on chosen weekdays.

A `Series` is reviewed once by staff; after that the publisher
(`series.publishing.publish_due_occurrences`, run by a schedule) turns each of
its dates within the policy's horizon into an ordinary order, placed and
approved by `orders.services.publish_in_bulk`, so every rule of a one-off
order holds for each visit: own-credit funding holds the hours of that one
visit when it is published, never the whole series.

Each date the publisher has dealt with is an `Occurrence`, unique per
(series, date) in the database, so a run that comes twice or late finds the
dates already there and adds nothing; a date is `published` (with its order),
`skipped` by the elder's side, or `short` (the balance could not cover it; it
is tried again on every run until its day, and the elder's side is told once).

A series' dates are the chosen weekdays from its first day, without skipped
ones, up to its last day or its number of visits.

A series never changes its weekdays, time or hours: changing them from a
day D on (`series.services.change_time`) ends it on the day before D and
starts a series that `follows` it with the new settings and the visits
left, already approved. Each order and visit keeps the settings it was
published with, the history stays readable from either side, and the
publisher needs no notion of settings that differ by date. The status moves through
`TRANSITIONS`; `series.services._move` applies them through `accounts.status.move`
and writes a `SeriesEvent`.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _

from accounts.models import ElderProfile, scoped
from catalogue.models import ServiceType
from credits.models import current_policy
from orders.models import Funding, NotAgain
from rewards.working_days import is_public_holiday


class SeriesStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Awaiting review")
    APPROVED = "approved", _("Running")
    PAUSED = "paused", _("Paused")
    ENDED = "ended", _("Ended")
    REJECTED = "rejected", _("Rejected")


S = SeriesStatus
TRANSITIONS = {
    S.SUBMITTED: {S.APPROVED, S.REJECTED, S.ENDED},
    S.APPROVED: {S.PAUSED, S.ENDED},
    S.PAUSED: {S.APPROVED, S.ENDED},
}
# Weekdays are a bit mask: Monday is 1, Tuesday 2, ... Sunday 64.
ALL_WEEKDAYS = 127


class SeriesQuerySet(models.QuerySet):
    def for_elder_side(self, user):
        return self.filter(elder__in=ElderProfile.objects.actable_by(user))

    def managed_by(self, user):
        """The series a user may change: staff those of their area, others their elders'."""
        if user.is_authenticated and user.is_staff:
            return scoped(self, user)
        return self.for_elder_side(user)

    def visible_to(self, user):
        """The elder's side, staff of the area, the standing volunteer, and running series
        (whose visits anyone may see in the market), but not to a volunteer the
        elder's side asked not to come again."""
        if not user.is_authenticated:
            return self.none()
        if user.is_staff:
            return scoped(self, user)
        return self.filter(
            Q(elder__in=ElderProfile.objects.actable_by(user))
            | Q(volunteer=user)
            | (
                Q(status=SeriesStatus.APPROVED)
                & ~Q(elder__in=NotAgain.objects.filter(volunteer=user).values("elder"))
            )
        )


class Series(models.Model):
    TRANSITIONS = TRANSITIONS  # the steps `accounts.status.move` allows
    elder = models.ForeignKey(
        "accounts.ElderProfile",
        on_delete=models.PROTECT,
        related_name="series",
        verbose_name=_("elder"),
    )
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("set up by"),
    )
    service_type = models.ForeignKey(
        ServiceType, on_delete=models.PROTECT, related_name="+", verbose_name=_("service")
    )
    weekdays = models.PositiveSmallIntegerField(_("weekdays"))
    time_of_day = models.TimeField(_("time"))
    booked_hours = models.PositiveSmallIntegerField(_("hours per visit"))
    funding = models.CharField(_("funding"), max_length=20, choices=Funding.choices)
    notes = models.TextField(_("notes for the volunteer"), blank=True, max_length=500)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"), null=True, blank=True)
    visits = models.PositiveSmallIntegerField(_("number of visits"), null=True, blank=True)
    skips_holidays = models.BooleanField(
        _("no visits on public holidays"),
        default=False,
        help_text=_(
            "Official public holidays (and those in the policy) have no visit; "
            "make-up working days add none."
        ),
    )
    district = models.ForeignKey(
        "accounts.District", on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    street = models.ForeignKey(
        "accounts.Street", on_delete=models.PROTECT, related_name="+", verbose_name=_("street")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=SeriesStatus.choices, default=SeriesStatus.SUBMITTED
    )
    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="series_taken",
        verbose_name=_("regular volunteer"),
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    follows = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="followed_by",
        verbose_name=_("continues"),
        help_text=_("The repeating service this one replaced when its time changed."),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = SeriesQuerySet.as_manager()

    class Meta:
        verbose_name = _("repeating service")
        verbose_name_plural = _("repeating services")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weekdays__gte=1) & Q(weekdays__lte=ALL_WEEKDAYS),
                name="series_weekdays_valid",
            ),
            models.CheckConstraint(
                condition=Q(booked_hours__gte=1) & Q(booked_hours__lte=8),
                name="series_booked_hours_1_to_8",
            ),
            models.CheckConstraint(
                condition=Q(status__in=SeriesStatus.values), name="series_status_valid"
            ),
            models.CheckConstraint(
                condition=(Q(ends_on__isnull=False) & Q(visits__isnull=True))
                | (Q(ends_on__isnull=True) & Q(visits__gte=1)),
                name="series_ends_by_day_or_visits",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="series_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[S.APPROVED, S.PAUSED]) | Q(reviewed_by__isnull=False),
                name="series_running_was_reviewed",
            ),
        ]

    def __str__(self):
        return _("Repeating %(service)s (%(number)s)") % {
            "service": self.service_type,
            "number": self.pk,
        }

    def get_absolute_url(self):
        return reverse("series:detail", args=[self.pk])

    def can_move_to(self, status):
        return status in self.TRANSITIONS.get(self.status, set())

    @property
    def weekday_numbers(self):
        """Python's weekday numbers (Monday 0) of the chosen days."""
        return [day for day in range(7) if self.weekdays & (1 << day)]

    @property
    def weekday_names(self):
        return ", ".join(str(WEEKDAYS[day]) for day in self.weekday_numbers)

    def dates(self, until, skipped=(), policy=None):
        """The visit dates up to `until`: chosen weekdays from the first day, without
        the skipped ones (nor public holidays if it skips them), up to the last day or
        the number of visits; like a skipped date, a holiday does not count as a visit.
        A run over many series passes the `policy` it read once."""
        last = min(until, self.ends_on) if self.ends_on else until
        policy = (policy or current_policy()) if self.skips_holidays else None
        found = []
        day = self.starts_on
        while day <= last and (self.visits is None or len(found) < self.visits):
            if (
                self.weekdays & (1 << day.weekday())
                and day not in skipped
                and not (policy and is_public_holiday(day, policy))
            ):
                found.append(day)
            day += timedelta(days=1)
        return found

    def starts_at(self, day):
        return timezone.make_aware(datetime.combine(day, self.time_of_day))


def weekdays_mask(numbers):
    return sum(1 << int(number) for number in set(numbers))


class SeriesEventKind(models.TextChoices):
    STATUS = "status", _("Status changed")
    SKIPPED = "skipped", _("Date skipped")
    TAKEN = "taken", _("Taken by a volunteer")
    CHANGED = "changed", _("Time changed")
    DROPPED = "dropped", _("Regular volunteer taken off after missed visits")


class SeriesEvent(models.Model):
    """One change to a series; never changed afterwards."""

    series = models.ForeignKey(Series, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("what"), max_length=20, choices=SeriesEventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    from_status = models.CharField(
        _("from"), max_length=20, choices=SeriesStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=20, choices=SeriesStatus.choices, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("repeating service event")
        verbose_name_plural = _("repeating service events")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.series} {self.get_kind_display()}"

    def get_absolute_url(self):
        return self.series.get_absolute_url()


class OccurrenceState(models.TextChoices):
    PUBLISHED = "published", _("Published")
    SKIPPED = "skipped", _("Skipped")
    SHORT = "short", _("Not enough credits")


class Occurrence(models.Model):
    """One date of a series that the publisher or the elder's side has dealt with."""

    series = models.ForeignKey(Series, on_delete=models.PROTECT, related_name="occurrences")
    date = models.DateField(_("date"))
    state = models.CharField(_("state"), max_length=20, choices=OccurrenceState.choices)
    order = models.OneToOneField(
        "orders.Order",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="occurrence",
        verbose_name=_("order"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("visit of a repeating service")
        verbose_name_plural = _("visits of repeating services")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["series", "date"], name="occurrence_once_per_date"),
            models.CheckConstraint(
                condition=~Q(state=OccurrenceState.PUBLISHED) | Q(order__isnull=False),
                name="occurrence_published_has_order",
            ),
            models.CheckConstraint(
                condition=~Q(state=OccurrenceState.SHORT) | Q(order__isnull=True),
                name="occurrence_short_has_no_order",
            ),
            models.CheckConstraint(
                condition=Q(state__in=OccurrenceState.values), name="occurrence_state_valid"
            ),
        ]

    def __str__(self):
        return f"{self.series} {self.date}"

    def get_absolute_url(self):
        return self.series.get_absolute_url()
