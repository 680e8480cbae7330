"""The volunteer's side: the market of claimable orders, and the volunteer's claims."""

from typing import NamedTuple

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import ngettext

from accounts.models import (
    District,
    Street,
    name_field,
)
from catalogue.models import ServiceType
from orders.forms import (
    MarketFilterForm,
)
from orders.models import VOLUNTEER_ACTIVE, Order
from orders.views.paging import PAGE_SIZE, _after_cursor, _cursor, _keyset_page

# The market's note of orders a qualification would open counts to this, then says "more than".
MARKET_LOCKED_SHOWN = 99


def _market_reference(street_ids):
    """Districts, offered services and the given streets, named in the page's language.

    One round trip of plain SQL: through the ORM these three small lookups
    cost more than the whole list of orders on the busiest page.
    """
    name = name_field()  # "name_zh" or "name_en", never user input
    placeholders = ", ".join(["%s"] * len(street_ids)) or "NULL"
    sql = (
        f"SELECT 'district', id, code, {name} FROM {District._meta.db_table}"  # noqa: S608 - our tables and columns  # nosec B608
        f" UNION ALL SELECT 'service', id, code, {name} FROM {ServiceType._meta.db_table}"
        " WHERE is_active"
        f" UNION ALL SELECT 'street', id, '', {name} FROM {Street._meta.db_table}"
        f" WHERE id IN ({placeholders}) ORDER BY 1, 3"
    )
    districts, service_types, streets = [], [], {}
    with connection.cursor() as cursor:
        cursor.execute(sql, list(street_ids))
        for table, pk, code, label in cursor.fetchall():
            if table == "district":
                districts.append((pk, label))
            elif table == "service":
                service_types.append((pk, code, label))
            else:
                streets[pk] = label
    return districts, service_types, streets


class MarketRow(NamedTuple):
    pk: int
    service: str
    when: str
    length: str
    place: str


@login_required
def market(request):
    """Published orders a volunteer may claim: district and street, never the address.

    Their own orders, their elders' and relatives' are left out, and so are
    professional ones they are not qualified for, with a note of how many
    a qualification would open. Orders an elder asked for them again come
    first under their own heading while the window lasts.

    The busiest page, so it reads plain values instead of model instances: the
    orders without joins, and their labels from the small reference tables
    that the filters need anyway.
    """
    form = MarketFilterForm(request.GET or None)
    now = timezone.now()
    orders = Order.objects.published().filter(starts_at__gt=now).not_barred_for(request.user)
    # Orders whose elder asked for this volunteer again, first and apart; to the
    # others they are not in the market until the volunteer's window ends.
    asked = (
        orders.offered_to(request.user, now)
        .select_related("service_type", "district", "street")
        .order_by("starts_at", "pk")
    )
    orders = orders.in_market(now)
    chosen = form.cleaned_data if form.is_valid() else {}
    if chosen.get("district"):
        orders = orders.filter(district=chosen["district"])
    if chosen.get("street"):
        orders = orders.filter(street=chosen["street"])
    if chosen.get("service"):
        orders = orders.filter(service_type=chosen["service"])
    if chosen.get("day"):
        orders = orders.filter(starts_at__date=chosen["day"])
    # Counted no further than the note needs: this must not become a COUNT
    # over the whole market.
    locked = orders.beyond_qualifications_of(request.user)[: MARKET_LOCKED_SHOWN + 1].count()
    orders = orders.within_qualifications_of(request.user)
    found = list(
        _after_cursor(orders, request)
        .order_by("starts_at", "pk")
        .values_list(
            "pk", "starts_at", "booked_hours", "service_type_id", "district_id", "street_id"
        )[: PAGE_SIZE + 1]
    )
    next_cursor = (
        _cursor(found[PAGE_SIZE - 1][1], found[PAGE_SIZE - 1][0])
        if len(found) > PAGE_SIZE
        else None
    )
    districts, service_types, streets = _market_reference({row[5] for row in found})
    district_names = dict(districts)
    service_names = {pk: label for pk, _code, label in service_types}
    rows = [
        MarketRow(
            pk=pk,
            service=service_names.get(service_id, ""),
            when=timezone.localtime(starts_at).strftime("%Y-%m-%d %H:%M"),
            length=ngettext("%(hours)s hour", "%(hours)s hours", hours) % {"hours": hours},
            place=f"{district_names.get(district_id, '')} {streets.get(street_id, '')}",
        )
        for pk, starts_at, hours, service_id, district_id, street_id in found[:PAGE_SIZE]
    ]
    query = request.GET.copy()
    query.pop("after", None)
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
            "asked": asked,
            "orders": rows,
            "locked": min(locked, MARKET_LOCKED_SHOWN),
            "more_locked": locked > MARKET_LOCKED_SHOWN,
            "next_cursor": next_cursor,
            "query": query.urlencode(),
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
    rows, next_cursor = _keyset_page(
        history.select_related("service_type", "district", "street"), request, descending=True
    )
    return render(
        request,
        "orders/my_claims.html",
        {"current": current, "history": rows, "next_cursor": next_cursor},
    )
