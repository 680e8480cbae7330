import datetime
from operator import itemgetter

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q, Sum
from django.shortcuts import render
from django.utils import timezone

from credits.forms import StatementForm
from credits.models import ServiceRecord, Transfer, current_policy
from credits.services import wallet_of

PASSBOOK_PAGE_SIZE = 20


@login_required
def my_credits(request):
    """Balance, whether it can be used yet, served time, stars and the passbook.

    Stars are shown as awarded after their public notice (rewards' `awarded_stars`
    tag), never as reached: a notice may still run, or an objection withhold it.
    """
    wallet = wallet_of(request.user)
    policy = current_policy()
    minutes = ServiceRecord.objects.minutes_served(request.user)
    hours = minutes // 60
    next_star = policy.next_star_hours(hours)
    transfers = Transfer.objects.passbook(wallet)
    page = Paginator(transfers, PASSBOOK_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [_row(transfer, wallet) for transfer in page]
    # Earnings above the cap fall between this page's transfers: after the
    # newest one of the next page, up to this page's newest (any time on page 1).
    period = {}
    if page.has_previous():
        period["created_at__lte"] = rows[0]["when"]
    if page.has_next():
        period["created_at__gt"] = transfers[page.end_index()].created_at
    rows = sorted(rows + _pooled_rows(request.user, **period), key=itemgetter("when"), reverse=True)
    return render(
        request,
        "credits/my_credits.html",
        {
            "wallet": wallet,
            "policy": policy,
            "hours_served": hours,
            "carried_minutes": minutes % 60,
            "spendable": policy.is_spendable(hours),
            "hours_to_spendable": max(0, policy.spendable_after_hours - hours),
            "next_star": next_star,
            "hours_to_next_star": next_star - hours if next_star else None,
            "page": page,
            "rows": rows,
        },
    )


@login_required
def statement(request):
    """A printable passbook (存折) for one period, oldest first, with running balance."""
    wallet = wallet_of(request.user)
    form = StatementForm(request.GET or None)
    start, end = form.period()
    since = _local_midnight(start)
    until = _local_midnight(end + datetime.timedelta(days=1))
    opening = _balance_before(wallet, since)
    transfers = (
        Transfer.objects.passbook(wallet)
        .filter(created_at__gte=since, created_at__lt=until)
        .reverse()
    )
    entries = [_row(transfer, wallet) for transfer in transfers] + _pooled_rows(
        request.user, created_at__gte=since, created_at__lt=until
    )
    rows, balance = [], opening
    for row in sorted(entries, key=itemgetter("when")):
        balance += row["amount"]
        rows.append({**row, "balance": balance})
    return render(
        request,
        "credits/statement.html",
        {
            "form": form,
            "start": start,
            "end": end,
            "opening": opening,
            "closing": balance,
            "rows": rows,
            "printed_at": timezone.now(),
        },
    )


def _row(transfer, wallet):
    return {
        "transfer": transfer,
        "when": transfer.created_at,
        "amount": transfer.signed_amount(wallet),
        "counterpart": transfer.counterpart(wallet),
    }


def _pooled_rows(volunteer, **created_at):
    """Credits earned above the wallet cap: they went straight to the public pool,
    so no transfer of the wallet tells the volunteer; these rows do."""
    records = ServiceRecord.objects.filter(volunteer=volunteer, pooled__gt=0, **created_at)
    return [{"pooled": record.pooled, "when": record.created_at, "amount": 0} for record in records]


def _local_midnight(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _balance_before(wallet, moment):
    totals = (
        Transfer.objects.involving(wallet)
        .filter(created_at__lt=moment)
        .aggregate(
            incoming=Sum("amount", filter=Q(target=wallet)),
            outgoing=Sum("amount", filter=Q(source=wallet)),
        )
    )
    return (totals["incoming"] or 0) - (totals["outgoing"] or 0)
