"""Publishing the visits of running standing orders, all series at once.

A run (`publish_due_occurrences`, the schedule's task) is one transaction
whose number of queries does not depend on the number of series: it locks
the running series, reads every date they have dealt with, works out in
memory which dates within the policy's horizon are due, and hands those to
`orders.services.publish_in_bulk`, which applies a one-off order's rules and
writes the orders, their events, audit rows and holds one statement each.
The occurrences are then written in one statement too, and the elders short
of credits are told in one queued task. (On PostgreSQL `bulk_create` writes
any number of rows in one statement; SQLite splits it into batches.)

Two things remain one row at a time, because they are rare and their rules
are others': the regular volunteer's claim of each new visit goes through the
ordinary `orders.claim_order` (every claim rule applies on the day), and a
series whose last visit has passed is ended through `series.services`.

A run skips the series another transaction holds (a second run, or someone
pausing a series): their dates stay missing, and the next run publishes
them, so two runs at once never publish a date twice.
"""

import logging
from datetime import timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import ProxyAuthorisation, VerificationStatus
from credits import services as ledger
from notifications.models import NotificationKind
from notifications.services import notify_each
from orders import services as orders
from series.models import Occurrence, OccurrenceState, Series, SeriesStatus
from series.services import _lock, _move, _params
from series.volunteers import _claim_for_volunteer

logger = logging.getLogger(__name__)
S = SeriesStatus


@transaction.atomic
def publish_due_occurrences(now=None):
    """Publish every running series' visits within the horizon not yet dealt with.

    A visit is published once: a run twice, late or at the same time as
    another adds nothing twice and leaves no gap. Returns the number published.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    policy = ledger.current_policy()
    until = today + timedelta(days=policy.series_horizon_days)
    running = _lock_running(until)
    dealt_with = {}
    for series_id, day, state in Occurrence.objects.filter(
        series__in=[series.pk for series in running]
    ).values_list("series_id", "date", "state"):
        dealt_with.setdefault(series_id, {})[day] = state
    due, finished = [], []
    for series in running:
        states = dealt_with.get(series.pk, {})
        skipped = {day for day, state in states.items() if state == OccurrenceState.SKIPPED}
        dates = series.dates(until, skipped, policy)
        due += [
            (series, day)
            for day in dates
            if states.get(day) in (None, OccurrenceState.SHORT) and series.starts_at(day) > now
        ]
        last_visit_past = dates and dates[-1] < today and len(dates) == series.visits
        if last_visit_past or (series.ends_on and series.ends_on < today):
            finished.append(series)
    placed = orders.publish_in_bulk(
        [
            orders.Visit(
                elder=series.elder,
                placed_by=_placer(series),
                reviewed_by=series.reviewed_by,
                service_type=series.service_type,
                starts_at=series.starts_at(day),
                booked_hours=series.booked_hours,
                funding=series.funding,
                notes=series.notes,
            )
            for series, day in due
        ],
        now=now,
    )
    published, short = [], []
    for (series, day), outcome in zip(due, placed, strict=True):
        if outcome.order is not None:
            published.append(
                Occurrence(
                    series=series, date=day, state=OccurrenceState.PUBLISHED, order=outcome.order
                )
            )
        elif outcome.short:
            if day not in dealt_with.get(series.pk, {}):  # told once, when it first falls short
                short.append(Occurrence(series=series, date=day, state=OccurrenceState.SHORT))
        else:
            logger.warning("Series %s, %s not published: %s", series.pk, day, outcome.refusal)
    # A date short of credits before has its row already: it becomes published.
    Occurrence.objects.bulk_create(
        published + short,
        update_conflicts=True,
        unique_fields=["series", "date"],
        update_fields=["state", "order"],
    )
    _tell_short(short)
    for occurrence in published:
        if occurrence.series.volunteer_id:
            _claim_for_volunteer(occurrence.series, occurrence, now=now)
    for series in finished:
        _end_finished(series)
    return len(published)


def _lock_running(until):
    """The running series with a date by `until`, locked, with all a run reads of them."""
    placer_acts = ProxyAuthorisation.objects.filter(
        elder=OuterRef("elder"), proxy=OuterRef("placed_by"), status=VerificationStatus.VERIFIED
    )
    return list(
        Series.objects.filter(status=S.APPROVED, starts_on__lte=until)
        .select_related(
            "elder__user", "service_type", "placed_by", "reviewed_by__staff_scope", "volunteer"
        )
        .annotate(placer_acts=Exists(placer_acts))
        .select_for_update(skip_locked=True, of=("self",))
        .order_by("pk")
    )


def _placer(series):
    """Who places the visits: whoever set the series up while they may still act for
    the elder, else the elder (staff set some up, and proxies can be revoked)."""
    if series.placed_by_id == series.elder.user_id or series.placer_acts:
        return series.placed_by
    return series.elder.user


def _tell_short(occurrences):
    """The elder and their verified proxies hear of each visit short of credits, once."""
    if not occurrences:
        return
    sides = {
        occurrence.series.elder_id: [occurrence.series.elder.user] for occurrence in occurrences
    }
    for authorisation in ProxyAuthorisation.objects.filter(
        elder__in=sides, status=VerificationStatus.VERIFIED
    ).select_related("proxy"):
        sides[authorisation.elder_id].append(authorisation.proxy)
    notify_each(
        NotificationKind.SERIES_SHORT,
        [
            (
                sides[occurrence.series.elder_id],
                occurrence,
                _params(occurrence.series, occurrence.date),
            )
            for occurrence in occurrences
        ],
    )


def _end_finished(series):
    """End a series whose visits have all taken place."""
    series = _lock(series)
    if series.status == S.APPROVED:
        _move(series, S.ENDED, by=None, note=_("All visits have taken place."))
