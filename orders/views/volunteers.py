"""The volunteer's side: the market of claimable orders, and the volunteer's claims."""

from typing import NamedTuple

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import ngettext

from accounts.models import name_field
from orders.forms import MarketFilterForm
from orders.market import MARKET_LOCKED_SHOWN, asked_for, market_page, market_reference
from orders.models import VOLUNTEER_ACTIVE, Order
from orders.paging import keyset_page


class MarketRow(NamedTuple):
    pk: int
    service: str
    when: str
    length: str
    place: str


@login_required
def market(request):
    """Published orders a volunteer may claim (`orders.market`): district and street,
    never the address, with a note of how many a qualification would open. Orders
    an elder asked for them again come first under their own heading. By default
    only those in the volunteer's times and districts, with a switch to all."""
    form = MarketFilterForm(request.GET or None)
    chosen = form.cleaned_data if form.is_valid() else {}
    page = market_page(request.user, **chosen, after=request.GET.get("after"))
    districts, service_types, streets = market_reference({row.street_id for row in page.orders})
    district_names = dict(districts)
    service_names = {pk: label for pk, _code, label in service_types}
    rows = [
        MarketRow(
            pk=row.pk,
            service=service_names.get(row.service_type_id, ""),
            when=timezone.localtime(row.starts_at).strftime("%Y-%m-%d %H:%M"),
            length=ngettext("%(hours)s hour", "%(hours)s hours", row.booked_hours)
            % {"hours": row.booked_hours},
            place=f"{district_names.get(row.district_id, '')} {streets.get(row.street_id, '')}",
        )
        for row in page.orders
    ]
    query = request.GET.copy()
    query.pop("after", None)
    # The one-tap switch between the volunteer's times and districts and every order.
    switched = query.copy()
    switched.pop("show_all", None)
    if page.narrowed:
        switched["show_all"] = "1"
    district = chosen.get("district")
    return render(
        request,
        "orders/market.html",
        {
            "form": form,
            "chosen": chosen,
            "selected_district": district.pk if district else None,
            "selected_street": chosen["street"].pk if chosen.get("street") else None,
            "selected_service": chosen["service"].pk if chosen.get("service") else None,
            "selected_day": chosen.get("day"),
            # The filters are drawn by hand: Django's select widgets cost more
            # than the whole list of orders on this busy page.
            "districts": districts,
            "streets": district.streets.values_list("pk", name_field()) if district else [],
            "service_types": service_types,
            "asked": asked_for(request.user),
            "orders": rows,
            "locked": min(page.locked, MARKET_LOCKED_SHOWN),
            "more_locked": page.locked > MARKET_LOCKED_SHOWN,
            "next_cursor": page.next_cursor,
            "query": query.urlencode(),
            "narrowed": page.narrowed,
            "show_all": chosen.get("show_all"),
            "switched": switched.urlencode(),
        },
    )


@login_required
def my_claims(request):
    current = (
        Order.objects.claimed_by(request.user)
        .filter(status__in=VOLUNTEER_ACTIVE)
        .select_related("service_type", "district", "street")
        .order_by("starts_at")
    )
    history = Order.objects.claimed_by(request.user).exclude(status__in=VOLUNTEER_ACTIVE)
    rows, next_cursor = keyset_page(
        history.select_related("service_type", "district", "street"),
        request.GET.get("after"),
        descending=True,
    )
    return render(
        request,
        "orders/my_claims.html",
        {"current": current, "history": rows, "next_cursor": next_cursor},
    )
