"""When and where a volunteer serves: weekly windows of time, and districts.

The one rule, used by the market, the offers to a volunteer asked for by name
and the notices of new orders: a volunteer is *available for* a visit when it
starts inside one of their windows (its weekday and time of day in the
project's time zone, `settings.TIME_ZONE`) and lies in a district they serve.
A volunteer with no window is available at any time, and one who chose no
district serves their own, so nothing changes for those who never said.

It is a preference, not a claim rule: an order outside it stays claimable.
"""

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import ExtractIsoWeekDay, TruncTime
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Enough for a morning and an afternoon every day, and a third on some.
MAX_WINDOWS = 21


class Weekday(models.IntegerChoices):
    """Monday first, as Python's `date.weekday()` counts."""

    MONDAY = 0, gettext_lazy("Monday")
    TUESDAY = 1, gettext_lazy("Tuesday")
    WEDNESDAY = 2, gettext_lazy("Wednesday")
    THURSDAY = 3, gettext_lazy("Thursday")
    FRIDAY = 4, gettext_lazy("Friday")
    SATURDAY = 5, gettext_lazy("Saturday")
    SUNDAY = 6, gettext_lazy("Sunday")


class AvailabilityWindow(models.Model):
    """A time of the week the volunteer is usually free to serve."""

    profile = models.ForeignKey(
        "accounts.VolunteerProfile",
        on_delete=models.CASCADE,
        related_name="availability",
        verbose_name=gettext_lazy("volunteer"),
    )
    weekday = models.PositiveSmallIntegerField(gettext_lazy("weekday"), choices=Weekday.choices)
    starts = models.TimeField(gettext_lazy("available from"))
    ends = models.TimeField(gettext_lazy("available until"))

    class Meta:
        verbose_name = gettext_lazy("time available")
        verbose_name_plural = gettext_lazy("times available")
        ordering = ["weekday", "starts"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weekday__gte=0, weekday__lte=6), name="availability_weekday"
            ),
            models.CheckConstraint(
                condition=Q(ends__gt=models.F("starts")), name="availability_ends_after_start"
            ),
            models.UniqueConstraint(
                fields=["profile", "weekday", "starts"], name="availability_window_once"
            ),
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.starts:%H:%M}–{self.ends:%H:%M}"


def window_refusal(windows):
    """Why these (weekday, starts, ends) windows cannot be saved together, or "".

    The database checks each window alone; that they do not overlap and how
    many there are is checked here, for the form and the service alike.
    """
    if len(windows) > MAX_WINDOWS:
        return _("Give at most %(count)s times.") % {"count": MAX_WINDOWS}
    for _weekday, starts, ends in windows:
        if ends <= starts:
            return _("Each time must end after it starts.")
    ordered = sorted(windows)
    for (weekday, _starts, ends), (next_weekday, next_starts, _ends) in zip(
        ordered, ordered[1:], strict=False
    ):
        if weekday == next_weekday and next_starts < ends:
            return _("Two times on %(day)s overlap: join them into one.") % {
                "day": Weekday(weekday).label
            }
    return ""


def served_districts(profile):
    """The ids of the districts the volunteer serves: those chosen, else their own."""
    return list(profile.serve_districts.values_list("pk", flat=True)) or [profile.district_id]


def _covering(weekday, time):
    """Windows inside which a visit starting on `weekday` at `time` starts."""
    return Q(weekday=weekday, starts__lte=time, ends__gt=time)


def available_for(profiles, starts_at, district_id):
    """The volunteer profiles among `profiles` available for a visit then and there."""
    local = timezone.localtime(starts_at, timezone.get_default_timezone())
    windows = AvailabilityWindow.objects.filter(profile=OuterRef("pk"))
    chosen = profiles.model.serve_districts.through.objects.filter(volunteerprofile=OuterRef("pk"))
    return profiles.filter(
        ~Exists(windows) | Exists(windows.filter(_covering(local.weekday(), local.time()))),
        Exists(chosen.filter(district=district_id)) | (~Exists(chosen) & Q(district=district_id)),
    )


def is_available(profile, starts_at, district_id):
    """Whether one volunteer is available for a visit then and there (`available_for`);
    someone with no volunteer profile (None) is not."""
    if profile is None:
        return False
    return available_for(
        type(profile).objects.filter(pk=profile.pk), starts_at, district_id
    ).exists()


def within_availability(visits, profile, *, starts="starts_at", district="district"):
    """The rows of `visits` (anything with a start and a district) `profile` is available for."""
    visits = visits.filter(**{f"{district}__in": served_districts(profile)})
    windows = profile.availability.all()
    if not windows.exists():
        return visits
    zone = timezone.get_default_timezone()
    return visits.annotate(
        start_weekday=ExtractIsoWeekDay(starts, tzinfo=zone) - 1,
        start_time=TruncTime(starts, tzinfo=zone),
    ).filter(Exists(windows.filter(_covering(OuterRef("start_weekday"), OuterRef("start_time")))))
