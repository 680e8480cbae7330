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
from django.db.models import Count, F, OuterRef, Subquery
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts import audit
from accounts.models import VerificationStatus, are_direct_relatives, covers, may_act_for
from accounts.status import move
from credits import services as ledger
from notifications.models import NotificationKind
from notifications.services import notify
from orders import services as orders
from orders.models import NotAgain, Order, OrderStatus
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


def _claim_for_volunteer(series, occurrence, *, now=None, standing=True):
    """Claim one visit for the regular volunteer through the ordinary claim, so every
    rule applies on the day; a refused visit stays in the market and they are told why.

    Such claims are `standing`, outside the hourly claim limit: the volunteer
    chose once, when taking the series (see `take_series`)."""
    volunteer = series.volunteer
    if NotAgain.objects.filter(elder=series.elder_id, volunteer=volunteer).exists():
        _let_go_unwelcome(series)
        return None
    try:
        with transaction.atomic():
            orders.claim_order(occurrence.order, now=now, by=volunteer, standing=standing)
    except orders.AlreadyDone:
        return None
    except orders.OrderError as error:
        refusal = str(error)
    else:
        return None
    # Worded again in each language once the claim is rolled back: the reason is
    # the same rule on the same rows, and this runs in the server's language.
    notify(
        [volunteer],
        NotificationKind.SERIES_CLAIM_REFUSED,
        occurrence,
        params=_params(
            series,
            occurrence.date,
            reason=_in_both_languages(
                lambda: orders.claim_refusal(occurrence.order, volunteer, now) or refusal
            ),
        ),
    )
    return refusal


def _let_go_unwelcome(series):
    """The elder's side asked that the regular volunteer not come again: the series is
    open to others. The volunteer is not told why (`orders.services.preferences`);
    their claimed visits ahead were given back when the elder's side said so."""
    series = _lock(series)
    volunteer = series.volunteer
    if volunteer is None:
        return
    series.volunteer = None
    series.save(update_fields=["volunteer"])
    audit.record(
        None,
        "series.volunteer_dropped",
        series,
        reason=_("The elder's side asked for another volunteer."),
        before={"volunteer": volunteer.pk},
        after={"volunteer": None},
    )


@transaction.atomic
def take_series(series, *, by, now=None):
    """A volunteer takes every visit: those published now and those published later.

    Each visit is claimed through the ordinary claim, so every rule applies to
    each; returns the refusals as (date, reason) for the visits that stay in
    the market. Taking is one claim against the hourly limit, however many
    visits it claims: the first is counted, the others are `standing`.
    """
    series = _lock(series)
    if series.volunteer_id == by.pk:
        raise SeriesError(_("You already take this repeating service."))
    if series.status != S.APPROVED:
        raise SeriesError(_("Only a running repeating service can be taken."))
    if series.volunteer_id is not None:
        raise SeriesError(_("Another volunteer already takes this repeating service."))
    profile = getattr(by, "volunteer_profile", None)
    if profile is None or profile.status != VerificationStatus.VERIFIED:
        raise SeriesError(_("Only verified volunteers can take services."))
    if (
        by.pk == series.elder.user_id
        or may_act_for(by, series.elder)
        or are_direct_relatives(by, series.elder.user)
    ):
        raise SeriesError(_("You cannot take the services of yourself or of your own elders."))
    if NotAgain.objects.filter(elder=series.elder_id, volunteer=by).exists():
        # As neutral as the refusal of a single visit (`claim_refusal`).
        raise SeriesError(_("This repeating service is not open to you."))
    refusal = orders.claim_limit_refusal(by)
    if refusal:
        raise SeriesError(refusal)
    series.volunteer = by
    series.save(update_fields=["volunteer"])
    # Dated by the same clock as the visits: misses count from this moment (`missed_visits`).
    SeriesEvent.objects.create(
        series=series, kind=SeriesEventKind.TAKEN, actor=by, created_at=now or timezone.now()
    )
    refusals = []
    visits = (
        Occurrence.objects.filter(series=series, state=OccurrenceState.PUBLISHED)
        .filter(order__status=OrderStatus.PUBLISHED)
        .select_related("order")
        .order_by("date")
    )
    counted = False
    for occurrence in visits:
        reason = _claim_for_volunteer(series, occurrence, now=now, standing=counted)
        if reason:
            refusals.append((occurrence.date, reason))
        counted = counted or not reason
    return series, refusals


def missed_visits():
    """Visits a series' regular volunteer missed since taking it: flagged as a no-show
    (`orders.tasks.flag_orders`: no check-in 30 minutes after the start) and never
    checked in, so a late arrival is not a miss."""
    taken_at = (
        SeriesEvent.objects.filter(
            series=OuterRef("occurrence__series"),
            kind=SeriesEventKind.TAKEN,
            actor=OuterRef("volunteer"),
        )
        .order_by("-created_at")
        .values("created_at")[:1]
    )
    return Order.objects.filter(
        occurrence__series__volunteer=F("volunteer"),
        flagged_no_show_at__isnull=False,
        checked_in_at__isnull=True,
        flagged_no_show_at__gte=Subquery(taken_at),
    )


def drop_absent_volunteers(now=None):
    """Take each series off a regular volunteer who missed the policy's number of its
    visits. One query finds them; each is dropped in its own transaction. Returns how many."""
    limit = ledger.current_policy().series_misses_allowed
    due = (
        missed_visits()
        .filter(occurrence__series__status__in=[S.APPROVED, S.PAUSED])
        .values("occurrence__series")
        .annotate(missed=Count("pk"))
        .filter(missed__gte=limit)
        .values_list("occurrence__series", flat=True)
    )
    return sum(_drop_volunteer(series, limit, now) for series in Series.objects.filter(pk__in=due))


@transaction.atomic
def _drop_volunteer(series, limit, now=None):
    """The series is open to others again: its claimed visits ahead go back to the
    market at once, and both the volunteer and the elder's side are told."""
    now = now or timezone.now()
    series = _lock(series)
    volunteer = series.volunteer
    missed = missed_visits().filter(occurrence__series=series).count()
    if volunteer is None or missed < limit:
        return False
    series.volunteer = None
    series.save(update_fields=["volunteer"])
    reason = _("%(missed)s visits missed") % {"missed": missed}
    event = SeriesEvent.objects.create(series=series, kind=SeriesEventKind.DROPPED, note=reason)
    audit.record(
        None,
        "series.volunteer_dropped",
        series,
        reason=reason,
        before={"volunteer": volunteer.pk},
        after={"volunteer": None},
    )
    ahead = Order.objects.filter(
        occurrence__series=series, volunteer=volunteer, status=OrderStatus.CLAIMED
    ).filter(starts_at__gt=now)
    for order in ahead:
        orders.withdraw_claim(order, reason=reason, now=now)
    notify(
        [volunteer, *_elder_side(series)],
        NotificationKind.SERIES_VOLUNTEER_DROPPED,
        event,
        params={**_params(series, timezone.localdate(now)), "missed": missed},
    )
    return True


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
