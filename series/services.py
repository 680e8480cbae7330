"""What can happen to a standing order. Every change goes through here.

Each function is one transaction that locks the series row first, so the
publisher, the elder's side and staff never act on a series at the same
time; each visit is then an ordinary order, moved only by `orders.services`
(which lock the order, then the ledger's accounts). Refusals raise
`SeriesError`, whose message is safe to show.
"""

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import VerificationStatus, are_direct_relatives, covers, may_act_for
from accounts.status import move
from credits import services as ledger
from notifications.models import NotificationKind
from notifications.services import notify
from orders import services as orders
from orders.models import Funding, NotAgain, OrderStatus
from series.models import (
    Occurrence,
    OccurrenceState,
    Series,
    SeriesEvent,
    SeriesEventKind,
    SeriesStatus,
)

logger = logging.getLogger(__name__)
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


def _in_both_languages(message):
    """A lazy message, worded once in each language, for a notice's params."""
    texts = {}
    for language in ("zh-hans", "en"):
        with translation.override(language):
            texts[language] = str(message)
    return texts


# Setting up and reviewing ---------------------------------------------------


@transaction.atomic
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
    now=None,
):
    """The elder's side, or staff of the elder's area, ask for a service that repeats."""
    today = timezone.localdate(now)
    if not (may_act_for(by, elder) or covers(by, elder.district_id, elder.street_id)):
        raise SeriesError(_("You may only set up services for yourself or elders you act for."))
    if not service_type.is_active:
        raise SeriesError(_("This service is not offered at the moment."))
    if not 1 <= weekdays <= 127:
        raise SeriesError(_("Choose at least one weekday."))
    if not 1 <= booked_hours <= 8:
        raise SeriesError(_("Book between 1 and 8 whole hours."))
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


# Publishing -----------------------------------------------------------------


def publish_due_occurrences(now=None):
    """Publish every running series' visits within the horizon that are not yet dealt with.

    Set-based: one query finds the running series, one the dates already dealt
    with; only the missing dates (and those short of credits) are published,
    each in its own transaction, so a run twice or late adds nothing twice and
    leaves no gap. Returns the number of visits published.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    until = today + timedelta(days=ledger.current_policy().series_horizon_days)
    running = list(
        Series.objects.filter(status=S.APPROVED, starts_on__lte=until).select_related(
            "elder", "service_type"
        )
    )
    skipped, done = {}, {}
    dealt_with = Occurrence.objects.filter(series__in=running).values_list(
        "series_id", "date", "state"
    )
    for series_id, day, state in dealt_with:
        if state == OccurrenceState.SKIPPED:
            skipped.setdefault(series_id, set()).add(day)
        elif state == OccurrenceState.PUBLISHED:
            done.setdefault(series_id, set()).add(day)
    published = 0
    for series in running:
        dates = series.dates(until, skipped.get(series.pk, ()))
        for day in dates:
            if day not in done.get(series.pk, ()) and series.starts_at(day) > now:
                published += publish_occurrence(series, day, now=now) is not None
        last_visit_past = dates and dates[-1] < today and len(dates) == series.visits
        if last_visit_past or (series.ends_on and series.ends_on < today):
            _end_finished(series)
    return published


@transaction.atomic
def _end_finished(series):
    series = _lock(series)
    if series.status == S.APPROVED:
        _move(series, S.ENDED, by=None, note=_("All visits have taken place."))


def _placer(series):
    """Who places the visits: whoever set the series up while they may still act for
    the elder, else the elder (staff set some up, and proxies can be revoked)."""
    return series.placed_by if may_act_for(series.placed_by, series.elder) else series.elder.user


@transaction.atomic
def publish_occurrence(series, day, *, now=None):
    """Publish one visit as an approved order, or note it is short of credits.

    Returns the published occurrence, or None when nothing was published.
    """
    now = now or timezone.now()
    series = _lock(series)
    if series.status != S.APPROVED:
        return None
    occurrence = Occurrence.objects.select_for_update().filter(series=series, date=day).first()
    if occurrence and occurrence.state != OccurrenceState.SHORT:
        return None
    try:
        with transaction.atomic():
            order = orders.submit_order(
                series.elder,
                by=_placer(series),
                service_type=series.service_type,
                starts_at=series.starts_at(day),
                booked_hours=series.booked_hours,
                funding=series.funding,
                notes=series.notes,
                now=now,
            )
            orders.approve_order(order, by=series.reviewed_by)
    except orders.OrderError as error:
        if series.funding == Funding.OWN_CREDITS and (
            ledger.wallet_of(series.elder.user).balance < series.booked_hours
        ):
            _note_short(series, day, occurrence)
        else:
            logger.warning("Series %s, %s not published: %s", series.pk, day, error)
        return None
    if occurrence is None:
        occurrence = Occurrence(series=series, date=day)
    occurrence.state = OccurrenceState.PUBLISHED
    occurrence.order = order
    occurrence.save()
    if series.volunteer_id:
        _claim_for_volunteer(series, occurrence, now=now)
    return occurrence


def _note_short(series, day, occurrence):
    """The first time a visit is short of credits, the elder's side is told; never again."""
    if occurrence is not None:
        return
    occurrence = Occurrence.objects.create(series=series, date=day, state=OccurrenceState.SHORT)
    notify(
        _elder_side(series), NotificationKind.SERIES_SHORT, occurrence, params=_params(series, day)
    )


def _claim_for_volunteer(series, occurrence, *, now=None):
    """Claim one visit for the regular volunteer through the ordinary claim, so every
    rule applies on the day; a refused visit stays in the market and they are told why."""
    volunteer = series.volunteer
    try:
        with transaction.atomic():
            orders.claim_order(occurrence.order, now=now, by=volunteer)
    except orders.AlreadyDone:
        return None
    except orders.OrderError as error:
        notify(
            [volunteer],
            NotificationKind.SERIES_CLAIM_REFUSED,
            occurrence,
            params=_params(series, occurrence.date, reason=_in_both_languages(error)),
        )
        return str(error)
    return None


# The regular volunteer --------------------------------------------------------


@transaction.atomic
def take_series(series, *, by, now=None):
    """A volunteer takes every visit: those published now and those published later.

    Each visit is claimed through the ordinary claim, so every rule applies to
    each; returns the refusals as (date, reason) for the visits that stay in
    the market.
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
    series.volunteer = by
    series.save(update_fields=["volunteer"])
    SeriesEvent.objects.create(series=series, kind=SeriesEventKind.TAKEN, actor=by)
    refusals = []
    visits = (
        Occurrence.objects.filter(series=series, state=OccurrenceState.PUBLISHED)
        .filter(order__status=OrderStatus.PUBLISHED)
        .select_related("order")
        .order_by("date")
    )
    for occurrence in visits:
        reason = _claim_for_volunteer(series, occurrence, now=now)
        if reason:
            refusals.append((occurrence.date, reason))
    return series, refusals


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
def resume_series(series, *, by):
    """Visits are published again from the next run of the publisher."""
    series = _lock(series)
    _require_elder_side_or_staff(series, by)
    if series.status != S.PAUSED:
        raise SeriesError(_("Only a paused repeating service can be resumed."))
    return _move(series, S.APPROVED, by=by)
