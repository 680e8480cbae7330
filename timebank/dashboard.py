"""The staff dashboard's and monthly report's figures.

Every function takes a staff scope (`accounts.models.StaffScope`, saved or
not: a city-level one sees everything) and, where it speaks of a period, a
`Period` (a month). An order belongs to the month of its start time; its
served hours are its `credited_minutes` once completed. Every figure is one
aggregate query (or two, for the median), never a loop over orders, so the
dashboard's query count does not grow with the data.

Credits outstanding against volunteer supply: the credits held by people of
the policy's self-pay age (those who may spend them on services now) are a
promise of future service; the hours volunteers serve each month in the same
district are what can keep it. Where the promise would take more than
`WARNING_MONTHS` of that supply to keep, the dashboard warns.
"""

import datetime
from dataclasses import dataclass

from django.db.models import (
    Avg,
    CharField,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Q,
    Sum,
    Value,
)
from django.db.models.functions import Cast, Coalesce, Concat, TruncMonth
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import (
    District,
    ElderCategory,
    ElderProfile,
    ProxyAuthorisation,
    Qualification,
    RecipientCategory,
    RelativeLink,
    ScopeLevel,
    ServiceOrganisation,
    StaffScope,
    Street,
    User,
    VerificationStatus,
    VolunteerProfile,
)
from catalogue.models import ServiceType
from credits.models import Account, AccountKind, Transfer, TransferKind, current_policy
from orders.models import WITH_VOLUNTEER, Order, OrderStatus
from rewards.models import Grant, GrantStatus, Redemption, RedemptionStatus

WARNING_MONTHS = 12
SUPPLY_MONTHS = 3  # the monthly supply is the average of the last three months
HISTORY_MONTHS = 12
VERIFICATION_QUEUES = [
    ElderCategory,
    VolunteerProfile,
    Qualification,
    ServiceOrganisation,
    ProxyAuthorisation,
    RelativeLink,
]


@dataclass(frozen=True)
class Period:
    """One calendar month in the platform's time zone."""

    year: int
    month: int

    @classmethod
    def containing(cls, moment):
        local = timezone.localtime(moment)
        return cls(local.year, local.month)

    @classmethod
    def parse(cls, text, default):
        """`2030-06` → Period(2030, 6); anything else → `default`."""
        try:
            year, month = (int(part) for part in (text or "").split("-"))
            return cls(year, month) if 1 <= month <= 12 and 2000 <= year <= 2100 else default
        except ValueError:
            return default

    def __str__(self):
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def start(self):
        return timezone.make_aware(datetime.datetime(self.year, self.month, 1))

    @property
    def end(self):
        return self.shifted(1).start

    def shifted(self, months):
        index = self.year * 12 + self.month - 1 + months
        return Period(index // 12, index % 12 + 1)


def area_scope(scope, district=None):
    """The scope narrowed to one district, if the staff member may see it; else None."""
    if district is None:
        return scope
    if scope.level == ScopeLevel.CITY:
        return StaffScope(level=ScopeLevel.DISTRICT, district=district)
    return scope if scope.district_id == district.pk else None


def _orders(scope, period=None):
    orders = scope.filter(Order.objects.all())
    if period is not None:
        orders = orders.filter(starts_at__gte=period.start, starts_at__lt=period.end)
    return orders


def _changelist(model, **filters):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    query = "&".join(f"{key}={value}" for key, value in filters.items())
    return f"{url}?{query}" if query else url


# What needs doing now ------------------------------------------------------


def work_to_do(scope):
    """Cards of open work: (label, count, link to the filtered admin list)."""
    open_orders = _orders(scope).filter(
        status__in=[
            OrderStatus.SUBMITTED,
            OrderStatus.PUBLISHED,
            OrderStatus.CLAIMED,
            OrderStatus.DISPUTED,
        ]
    )
    counts = open_orders.aggregate(
        review=Count("pk", filter=Q(status=OrderStatus.SUBMITTED)),
        disputed=Count("pk", filter=Q(status=OrderStatus.DISPUTED)),
        unclaimed=Count(
            "pk",
            filter=Q(
                flagged_unclaimed_at__isnull=False,
                status__in=[OrderStatus.SUBMITTED, OrderStatus.PUBLISHED],
            ),
        ),
        no_show=Count("pk", filter=Q(flagged_no_show_at__isnull=False, status=OrderStatus.CLAIMED)),
    )
    cards = [
        (_("Orders awaiting review"), counts["review"], _changelist(Order, status="submitted")),
        (_("Orders under staff review"), counts["disputed"], _changelist(Order, flag="review")),
        (_("Flagged: still unclaimed"), counts["unclaimed"], _changelist(Order, flag="unclaimed")),
        (
            _("Flagged: volunteer not checked in"),
            counts["no_show"],
            _changelist(Order, flag="no_show"),
        ),
    ]
    pickups = scope.filter(
        Redemption.objects.filter(status=RedemptionStatus.RESERVED),
        "station__district",
        "station__street",
    ).count()
    grants = scope.filter(
        Grant.objects.filter(status=GrantStatus.PROPOSED), "district", street_field=None
    ).count()
    cards += [
        (
            _("Pickups waiting at the stations"),
            pickups,
            _changelist(Redemption, status__exact=RedemptionStatus.RESERVED),
        ),
        (
            _("Grants waiting for a second approval"),
            grants,
            _changelist(Grant, status__exact=GrantStatus.PROPOSED),
        ),
    ]
    for model in VERIFICATION_QUEUES:
        pending = scope.filter(model.objects.pending()).count()
        label = _("Pending: %(queue)s") % {"queue": model._meta.verbose_name_plural}
        cards.append((label, pending, _changelist(model, status=VerificationStatus.PENDING)))
    return cards


# How it is going ---------------------------------------------------------


def series_coverage(scope, now=None, days=7):
    """Of the repeating services' visits in the next `days` days still to take place,
    how many a volunteer has claimed: (claimed, all, percent or None)."""
    now = now or timezone.now()
    counts = (
        _orders(scope)
        .filter(
            occurrence__isnull=False,
            starts_at__gte=now,
            starts_at__lt=now + datetime.timedelta(days=days),
            status__in=[OrderStatus.SUBMITTED, OrderStatus.PUBLISHED, OrderStatus.CLAIMED],
        )
        .aggregate(
            claimed=Count("pk", filter=Q(status=OrderStatus.CLAIMED)),
            total=Count("pk"),
        )
    )
    total = counts["total"]
    percent = round(100 * counts["claimed"] / total) if total else None
    return counts["claimed"], total, percent


def orders_by_status(scope, period):
    """[(status label, count)] for every status, zeros included."""
    counts = dict(_orders(scope, period).values_list("status").annotate(n=Count("pk")).order_by())
    return [(status.label, counts.get(status.value, 0)) for status in OrderStatus]


def median_minutes_to_claim(scope, period):
    """Median minutes from publication to claim of the period's claimed orders, or None."""
    waits = (
        _orders(scope, period)
        .filter(published_at__isnull=False, claimed_at__gte=F("published_at"))
        .annotate(
            wait=ExpressionWrapper(
                F("claimed_at") - F("published_at"), output_field=DurationField()
            )
        )
    )
    count = waits.count()
    if not count:
        return None
    middle = list(
        waits.order_by("wait").values_list("wait", flat=True)[(count - 1) // 2 : count // 2 + 1]
    )
    return round(sum(wait.total_seconds() for wait in middle) / len(middle) / 60)


def fill_rate(scope, period):
    """Of the period's published orders that reached an outcome, the share a volunteer took.

    Filled: claimed at some point. Unfilled: expired without a claim.
    Returns (filled, unfilled, percent or None).
    """
    counts = _orders(scope, period).aggregate(
        filled=Count("pk", filter=Q(published_at__isnull=False, claimed_at__isnull=False)),
        unfilled=Count(
            "pk",
            filter=Q(
                published_at__isnull=False, claimed_at__isnull=True, status=OrderStatus.EXPIRED
            ),
        ),
    )
    total = counts["filled"] + counts["unfilled"]
    percent = round(100 * counts["filled"] / total) if total else None
    return counts["filled"], counts["unfilled"], percent


def unmet_demand(scope, period):
    """Expired orders nobody served, by street and service: [(street, service, count)]."""
    rows = (
        _orders(scope, period)
        .filter(status=OrderStatus.EXPIRED)
        .values_list("street", "service_type")
        .annotate(n=Count("pk"))
        .order_by("-n", "street", "service_type")
    )
    rows = list(rows)
    streets = Street.objects.in_bulk({street for street, _service, _n in rows})
    services = ServiceType.objects.in_bulk({service for _street, service, _n in rows})
    return [(str(streets[s]), str(services[t]), n) for s, t, n in rows]


def hours_by_month_and_district(scope, period, months=HISTORY_MONTHS):
    """Hours served in the `months` months up to `period`: (month labels, [(district, hours…)])."""
    first = period.shifted(-(months - 1))
    periods = [first.shifted(i) for i in range(months)]
    rows = (
        scope.filter(Order.objects.filter(status=OrderStatus.COMPLETED))
        .filter(starts_at__gte=first.start, starts_at__lt=period.end)
        .annotate(month=TruncMonth("starts_at"))
        .values_list("district", "month")
        .annotate(minutes=Sum("credited_minutes"))
        .order_by()
    )
    minutes = {(district, Period.containing(month)): total or 0 for district, month, total in rows}
    districts = _districts_of(scope)
    table = [
        (str(district), [round(minutes.get((district.pk, p), 0) / 60, 1) for p in periods])
        for district in districts
    ]
    return [str(p) for p in periods], table


def hours_served(scope, period):
    minutes = (
        _orders(scope, period)
        .filter(status=OrderStatus.COMPLETED)
        .aggregate(total=Sum("credited_minutes"))["total"]
    )
    return round((minutes or 0) / 60, 1)


def satisfaction(scope, period):
    """(average rating or None, [(stars, count)] for 1…5)."""
    figures = _orders(scope, period).aggregate(
        average=Avg("rating"), **{f"r{n}": Count("pk", filter=Q(rating=n)) for n in range(1, 6)}
    )
    average = round(figures["average"], 2) if figures["average"] is not None else None
    return average, [(n, figures[f"r{n}"]) for n in range(1, 6)]


def active_volunteers(scope, period):
    """People who took at least one order starting in the period."""
    return (
        _orders(scope, period)
        .filter(status__in=WITH_VOLUNTEER)
        .aggregate(n=Count("volunteer", distinct=True))["n"]
    )


def credits_against_supply(scope, period, today=None):
    """Per district: credits held by people of self-pay age, monthly hours served, months to redeem.

    Rows: (district, credits held, hours per month, months or None, warning: bool).
    """
    today = today or timezone.localdate()
    age = current_policy().self_pay_age
    born_by = _years_before(today, age)
    wallets = Account.objects.filter(kind=AccountKind.WALLET, balance__gt=0).annotate(
        home_id=Coalesce("owner__elder_profile__district", "owner__volunteer_profile__district"),
        home_street_id=Coalesce("owner__elder_profile__street", "owner__volunteer_profile__street"),
        born=Coalesce("owner__elder_profile__birth_date", "owner__volunteer_profile__birth_date"),
    )
    held = dict(
        scope.filter(wallets.filter(born__lte=born_by), "home", "home_street")
        .values_list("home_id")
        .annotate(total=Sum("balance"))
        .order_by()
    )
    first = period.shifted(-(SUPPLY_MONTHS - 1))
    served = dict(
        scope.filter(Order.objects.filter(status=OrderStatus.COMPLETED))
        .filter(starts_at__gte=first.start, starts_at__lt=period.end)
        .values_list("district")
        .annotate(minutes=Sum("credited_minutes"))
        .order_by()
    )
    rows = []
    for district in _districts_of(scope):
        credits = held.get(district.pk) or 0
        per_month = round((served.get(district.pk) or 0) / 60 / SUPPLY_MONTHS, 1)
        months = round(credits / per_month, 1) if per_month else None
        warning = credits > 0 and (months is None or months > WARNING_MONTHS)
        rows.append((str(district), credits, per_month, months, warning))
    return rows


def _years_before(day, years):
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _districts_of(scope):
    """The districts a scope spans (one, or all of the city)."""
    if scope.level == ScopeLevel.CITY:
        return list(District.objects.all())
    return [scope.district]


# The monthly report ------------------------------------------------------


def people_served_by_category(scope, period):
    """Elders whose orders were completed in the period, by verified category.

    An elder in two categories counts in both; `total` counts each once.
    Returns (total, [(category label, count)]).
    """
    served = _orders(scope, period).filter(status=OrderStatus.COMPLETED).values("elder")
    total = ElderProfile.objects.filter(pk__in=served).count()
    counts = dict(
        ElderCategory.objects.verified()
        .filter(elder__in=served)
        .values_list("category")
        .annotate(n=Count("elder", distinct=True))
        .order_by()
    )
    return total, [(c.label, counts.get(c.value, 0)) for c in RecipientCategory]


def credits_by_kind(scope, period):
    """Credits moved in the period, by transfer kind: [(kind label, credits)].

    Citywide this is the whole ledger. For a district or street it is the
    transfers about its orders (`order:<id>`) and those touching the wallet
    of someone who lives or volunteers there (a gift between two districts
    counts in both).
    """
    transfers = Transfer.objects.filter(created_at__gte=period.start, created_at__lt=period.end)
    if scope.level != ScopeLevel.CITY:
        references = _orders(scope).annotate(
            ref=Concat(Value("order:"), Cast("pk", CharField()), output_field=CharField())
        )
        people = User.objects.filter(
            Q(pk__in=scope.filter(ElderProfile.objects.all()).values("user"))
            | Q(pk__in=scope.filter(VolunteerProfile.objects.all()).values("user"))
        )
        transfers = transfers.filter(
            Q(reference__in=references.values("ref"))
            | Q(source__owner__in=people)
            | Q(target__owner__in=people)
        )
    totals = dict(transfers.values_list("kind").annotate(total=Sum("amount")).order_by())
    return [(kind.label, totals.get(kind.value, 0)) for kind in TransferKind]


def monthly_report(scope, period):
    """The report as rows of (section, item, value): the page, CSV and Excel all show these."""
    average, ratings = satisfaction(scope, period)
    percent = fill_rate(scope, period)[2]
    total_people, by_category = people_served_by_category(scope, period)
    rows = [(_("Orders"), label, n) for label, n in orders_by_status(scope, period)]
    rows.append((_("Orders"), _("Fill rate (%)"), percent if percent is not None else "—"))
    rows.append((_("Hours"), _("Hours served"), hours_served(scope, period)))
    rows.append((_("Hours"), _("Active volunteers"), active_volunteers(scope, period)))
    rows.append((_("People served"), _("Elders served"), total_people))
    rows += [(_("People served"), label, n) for label, n in by_category]
    rows.append((_("Satisfaction"), _("Average rating"), average if average is not None else "—"))
    rows += [
        (_("Satisfaction"), _("%(stars)s stars") % {"stars": stars}, n) for stars, n in ratings
    ]
    rows += [(_("Credits"), label, n) for label, n in credits_by_kind(scope, period)]
    return rows
