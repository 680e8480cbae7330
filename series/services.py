"""What can happen to a standing order. Every change goes through here, except
publishing the visits, which `series.publishing` does for all series at once.

Each function is one transaction that locks the series row first, so the
publisher, the elder's side and staff never act on a series at the same
time; each visit is then an ordinary order, moved only by `orders.services`
(which lock the order, then the ledger's accounts). Refusals raise
`SeriesError`, whose message is safe to show.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import VerificationStatus, covers, may_act_for
from accounts.status import move
from notifications.models import NotificationKind
from notifications.services import notify
from orders import services as orders
from orders.models import OrderStatus
from series.models import (
    Occurrence,
    OccurrenceState,
    Series,
    SeriesEvent,
    SeriesEventKind,
    SeriesStatus,
)

S = SeriesStatus
MAX_VISITS = 100
MAX_DAYS = 366
# Published visits that can still be called off: their order has not started.
CANCELLABLE = [OrderStatus.SUBMITTED, OrderStatus.PUBLISHED, OrderStatus.CLAIMED]


class SeriesError(Exception):
    """A refusal with a message that can be shown to the person who asked."""


def _lock(series):
    return Series.objects.select_for_update().get(pk=series.pk)


def _move(series, to, *, by, note="", audit=None, **changes):
    """Apply one allowed transition through the one mover and record it as a `SeriesEvent`."""

    def event(series, from_status):
        SeriesEvent.objects.create(
            series=series,
            kind=SeriesEventKind.STATUS,
            actor=by,
            from_status=from_status,
            to_status=to,
            note=note[:300],
        )

    refusal = SeriesError(
        _("This repeating service is %(status)s and cannot be changed that way.")
        % {"status": series.get_status_display()}
    )
    return move(series, to, by=by, refusal=refusal, audit=audit, event=event, **changes)


def _elder_side(series):
    proxies = series.elder.proxies.filter(status=VerificationStatus.VERIFIED)
    return [series.elder.user, *(authorisation.proxy for authorisation in proxies)]


def _require_elder_side_or_staff(series, user):
    if not (may_act_for(user, series.elder) or covers(user, series.district_id, series.street_id)):
        raise SeriesError(_("Only the elder, someone acting for them or staff can do this."))


def _require_staff_scope(series, user):
    if not covers(user, series.district_id, series.street_id):
        raise SeriesError(_("This repeating service is outside the area you manage."))


def _params(series, day, **extra):
    """What a notice about one visit says, in both languages where it has them."""
    service = series.service_type
    return {
        "service": {"zh-hans": service.name_zh, "en": service.name_en},
        "when": timezone.localtime(series.starts_at(day)).strftime("%m-%d %H:%M"),
        **extra,
    }


def _in_both_languages(wording):
    """What `wording()` says in each language, for a notice's params."""
    texts = {}
    for language in ("zh-hans", "en"):
        with translation.override(language):
            texts[language] = str(wording())
    return texts


# Setting up and reviewing ---------------------------------------------------


@transaction.atomic
def _check_visit_time(weekdays, booked_hours):
    if not 1 <= weekdays <= 127:
        raise SeriesError(_("Choose at least one weekday."))
    if not 1 <= booked_hours <= 8:
        raise SeriesError(_("Book between 1 and 8 whole hours."))


def _weekly_hours(weekdays, booked_hours):
    return weekdays.bit_count() * booked_hours


def set_up_series(
    elder,
    *,
    by,
    service_type,
    weekdays,
    time_of_day,
    booked_hours,
    funding,
    starts_on,
    ends_on=None,
    visits=None,
    notes="",
    skips_holidays=False,
    now=None,
):
    """The elder's side, or staff of the elder's area, ask for a service that repeats."""
    today = timezone.localdate(now)
    if not (may_act_for(by, elder) or covers(by, elder.district_id, elder.street_id)):
        raise SeriesError(_("You may only set up services for yourself or elders you act for."))
    if not service_type.is_active:
        raise SeriesError(_("This service is not offered at the moment."))
    _check_visit_time(weekdays, booked_hours)
    if starts_on <= today:
        raise SeriesError(_("Start from tomorrow or later."))
    if (ends_on is None) == (visits is None):
        raise SeriesError(_("Give either a last day or a number of visits."))
    if ends_on is not None and not starts_on <= ends_on <= starts_on + timedelta(days=MAX_DAYS):
        raise SeriesError(_("The last day must be within a year after the first day."))
    if visits is not None and not 1 <= visits <= MAX_VISITS:
        raise SeriesError(_("Choose between 1 and %(most)s visits.") % {"most": MAX_VISITS})
    # The funding rule of a one-off order, for an early answer;
    # `orders.services.submit_order` checks it again for every visit.
    refusal = orders.funding_refusal(elder, funding, starts_on)
    if refusal:
        raise SeriesError(refusal)
    series = Series.objects.create(
        elder=elder,
        placed_by=by,
        service_type=service_type,
        weekdays=weekdays,
        time_of_day=time_of_day,
        booked_hours=booked_hours,
        funding=funding,
        notes=notes,
        starts_on=starts_on,
        ends_on=ends_on,
        visits=visits,
        skips_holidays=skips_holidays,
        district_id=elder.district_id,
        street_id=elder.street_id,
    )
    SeriesEvent.objects.create(
        series=series, kind=SeriesEventKind.STATUS, actor=by, to_status=S.SUBMITTED
    )
    return series


@transaction.atomic
def approve_series(series, *, by):
    """Staff review a series once; its visits are then published without review."""
    series = _lock(series)
    _require_staff_scope(series, by)
    return _move(series, S.APPROVED, by=by, audit={}, reviewed_by=by)


@transaction.atomic
def reject_series(series, *, by, reason):
    if not reason.strip():
        raise SeriesError(_("Give the reason for rejecting, so the elder's side knows what to do."))
    series = _lock(series)
    _require_staff_scope(series, by)
    return _move(series, S.REJECTED, by=by, note=reason, audit={"reason": reason}, reviewed_by=by)


# The regular volunteer --------------------------------------------------------


# The elder's side: skip, pause, resume, end -----------------------------------------


def _call_off(occurrence, by):
    """Cancel a published visit's order if it has not started (the volunteer is told)."""
    order = occurrence.order
    if order is not None and order.status in CANCELLABLE:
        orders.cancel_order(order, by=by)
    occurrence.state = OccurrenceState.SKIPPED
    occurrence.save()


def _future_visits(series, now):
    return (
        Occurrence.objects.select_for_update()
        .filter(series=series, state=OccurrenceState.PUBLISHED)
        .filter(order__starts_at__gt=now, order__status__in=CANCELLABLE)
        .select_related("order")
    )


@transaction.atomic
def skip_date(series, day, *, by, now=None):
    """Call off one visit; a series counted in visits gains one at its end instead."""
    now = now or timezone.now()
    series = _lock(series)
    _require_elder_side_or_staff(series, by)
    if series.status not in {S.SUBMITTED, S.APPROVED, S.PAUSED}:
        raise SeriesError(_("This repeating service has ended."))
    occurrence = Occurrence.objects.select_for_update().filter(series=series, date=day).first()
    if occurrence and occurrence.state == OccurrenceState.SKIPPED:
        raise SeriesError(_("This date is already skipped."))
    if series.starts_at(day) <= now:
        raise SeriesError(_("Only a visit that has not started can be skipped."))
    skipped = set(
        series.occurrences.filter(state=OccurrenceState.SKIPPED).values_list("date", flat=True)
    )
    if day not in series.dates(day, skipped):
        raise SeriesError(_("There is no visit on that date."))
    if occurrence is None:
        occurrence = Occurrence(series=series, date=day)
    try:
        _call_off(occurrence, by)
    except orders.OrderError as error:
        raise SeriesError(str(error)) from error
    SeriesEvent.objects.create(series=series, kind=SeriesEventKind.SKIPPED, actor=by, note=str(day))
    return occurrence


def _stop(series, to, *, by, now):
    """Pause or end: no new visits, and the published ones not yet started are called off."""
    series = _lock(series)
    _require_elder_side_or_staff(series, by)
    if series.status == to:
        raise SeriesError(
            _("This repeating service is already %(status)s.")
            % {"status": series.get_status_display()}
        )
    _move(series, to, by=by)
    try:
        for occurrence in _future_visits(series, now):
            _call_off(occurrence, by)
    except orders.OrderError as error:
        raise SeriesError(str(error)) from error
    return series


@transaction.atomic
def pause_series(series, *, by, now=None):
    return _stop(series, S.PAUSED, by=by, now=now or timezone.now())


@transaction.atomic
def end_series(series, *, by, now=None):
    return _stop(series, S.ENDED, by=by, now=now or timezone.now())


@transaction.atomic
def change_time(series, *, by, from_day, weekdays, time_of_day, booked_hours, now=None):
    """From `from_day` on, visits are on other weekdays, at another time or for other hours.

    The series ends the day before and a new one `follows` it with the new
    settings, the visits left and the same volunteer (see `series.models`);
    its published visits from that day that have not started are called off
    (each volunteer is told, holds are released) and the publisher publishes
    the new series' visits on its next run. Returns the new series.
    """
    now = now or timezone.now()
    series = _lock(series)
    _require_elder_side_or_staff(series, by)
    if series.status not in {S.APPROVED, S.PAUSED}:
        raise SeriesError(_("Only a running or paused repeating service can be changed."))
    if Series.objects.filter(follows=series).exists():
        raise SeriesError(_("This repeating service was changed before; change the newer one."))
    if from_day <= timezone.localdate(now):
        raise SeriesError(_("Choose a day from tomorrow on."))
    _check_visit_time(weekdays, booked_hours)
    if (weekdays, time_of_day, booked_hours) == (
        series.weekdays,
        series.time_of_day,
        series.booked_hours,
    ):
        raise SeriesError(_("That is already its time. Choose other days, a time or hours."))
    from_day = max(from_day, series.starts_on)
    # Staff reviewed so many hours a week: more, asked by the elder's side, is
    # reviewed again before any visit of the new settings is published.
    reviewed = covers(by, series.district_id, series.street_id) or _weekly_hours(
        weekdays, booked_hours
    ) <= _weekly_hours(series.weekdays, series.booked_hours)
    skipped = set(
        series.occurrences.filter(state=OccurrenceState.SKIPPED).values_list("date", flat=True)
    )
    before = series.dates(from_day - timedelta(days=1), skipped)
    visits_left = series.visits - len(before) if series.visits else None
    if (series.ends_on and series.ends_on < from_day) or visits_left == 0:
        raise SeriesError(_("This repeating service has no visits from that day."))
    changed = Series.objects.create(
        elder=series.elder,
        placed_by=series.placed_by,
        service_type=series.service_type,
        weekdays=weekdays,
        time_of_day=time_of_day,
        booked_hours=booked_hours,
        funding=series.funding,
        notes=series.notes,
        starts_on=from_day,
        ends_on=series.ends_on,
        visits=visits_left,
        skips_holidays=series.skips_holidays,
        district_id=series.district_id,
        street_id=series.street_id,
        status=series.status if reviewed else S.SUBMITTED,
        volunteer=series.volunteer,
        reviewed_by=series.reviewed_by if reviewed else None,
        follows=series,
    )
    Occurrence.objects.bulk_create(
        Occurrence(series=changed, date=day, state=OccurrenceState.SKIPPED)
        for day in skipped
        if day >= from_day
    )
    try:
        for occurrence in _future_visits(series, now).filter(date__gte=from_day):
            _call_off(occurrence, by)
    except orders.OrderError as error:
        raise SeriesError(str(error)) from error
    note = _("From %(day)s on: repeating service %(number)s.") % {
        "day": from_day,
        "number": changed.pk,
    }
    if before:
        series.ends_on, series.visits = from_day - timedelta(days=1), None
        series.save(update_fields=["ends_on", "visits"])
        SeriesEvent.objects.create(series=series, kind=SeriesEventKind.CHANGED, actor=by, note=note)
    else:  # nothing left before the change: the old settings never served
        _move(series, S.ENDED, by=by, note=note)
    SeriesEvent.objects.create(
        series=changed, kind=SeriesEventKind.CHANGED, actor=by, note=str(series.pk)
    )
    if changed.volunteer:  # they take the new one, and its misses count from now
        SeriesEvent.objects.create(
            series=changed,
            kind=SeriesEventKind.TAKEN,
            actor=changed.volunteer,
            note=str(series.pk),
            created_at=now,
        )
    told = [changed.volunteer] if changed.volunteer else []
    if not may_act_for(by, series.elder):
        told += _elder_side(series)
    if told:
        notify(
            told,
            NotificationKind.SERIES_CHANGED,
            changed,
            params=_params(
                changed, from_day, days=_in_both_languages(lambda: changed.weekday_names)
            ),
        )
    return changed


@transaction.atomic
def resume_series(series, *, by):
    """Visits are published again from the next run of the publisher."""
    series = _lock(series)
    _require_elder_side_or_staff(series, by)
    if series.status != S.PAUSED:
        raise SeriesError(_("Only a paused repeating service can be resumed."))
    return _move(series, S.APPROVED, by=by)
