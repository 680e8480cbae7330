"""The regular volunteer of a standing order: taking every visit, each claimed by
the ordinary rules on its day, and losing the series after too many misses or
when the elder's side asks for someone else. The rest of what happens to a
series is in `series.services`, whose conventions these follow.
"""

from django.db import transaction
from django.db.models import Count, F, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit
from accounts.models import VerificationStatus, are_direct_relatives, may_act_for
from credits import services as ledger
from notifications.models import NotificationKind
from notifications.services import notify
from orders import services as orders
from orders.models import NotAgain, Order, OrderStatus
from series.models import Occurrence, OccurrenceState, Series, SeriesEvent, SeriesEventKind
from series.services import (
    S,
    SeriesError,
    _elder_side,
    _in_both_languages,
    _lock,
    _params,
)


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
