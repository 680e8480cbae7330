"""The market: published orders a volunteer may claim, one page at a time.

The page (`orders.views.market`) and the API (`api.orders`) both list it
through `market_page`, so that the filters and what is left out are the same
for both. It is the busiest list, so it reads plain values instead of model
instances: the orders without joins, and their labels from the small
reference tables that the filters need anyway (`market_reference`).
"""

from typing import NamedTuple

from django.db import connection
from django.utils import timezone

from accounts.models import District, Street, name_field
from catalogue.models import ServiceType
from orders.models import Order
from orders.paging import PAGE_SIZE, after_cursor, cursor

# The note of orders a qualification would open counts to this, then says "more than".
MARKET_LOCKED_SHOWN = 99


class MarketOrder(NamedTuple):
    pk: int
    starts_at: object
    booked_hours: int
    service_type_id: int
    district_id: int
    street_id: int


class MarketPage(NamedTuple):
    orders: list
    next_cursor: str | None
    # Professional orders a qualification would open, counted to MARKET_LOCKED_SHOWN + 1.
    locked: int
    # Only the orders in the volunteer's times and districts (`show_all` not asked for).
    narrowed: bool


def _open_to(volunteer, now):
    return Order.objects.published().filter(starts_at__gt=now).not_barred_for(volunteer)


def asked_for(volunteer):
    """Orders whose elder asked for `volunteer` again, while their window lasts: shown
    to them first and apart; to the others they are not in the market until then."""
    now = timezone.now()
    return (
        _open_to(volunteer, now)
        .offered_to(volunteer, now)
        .select_related("service_type", "district", "street")
        .order_by("starts_at", "pk")
    )


def market_page(
    volunteer, *, district=None, street=None, service=None, day=None, show_all=False, after=""
):
    """Published orders `volunteer` may claim, after the cursor `after`.

    Their own orders, their elders' and relatives' are left out, and so are
    professional ones they are not qualified for, which are only counted, and
    those still offered to a volunteer asked for by name (`asked_for`). Unless
    `show_all`, only those in the volunteer's times of the week and districts.
    """
    now = timezone.now()
    orders = _open_to(volunteer, now).in_market(now)
    profile = getattr(volunteer, "volunteer_profile", None)
    narrowed = profile is not None and not show_all
    if narrowed:
        orders = orders.within_availability_of(profile)
    if district:
        orders = orders.filter(district=district)
    if street:
        orders = orders.filter(street=street)
    if service:
        orders = orders.filter(service_type=service)
    if day:
        orders = orders.filter(starts_at__date=day)
    # Counted no further than the note needs: this must not become a COUNT
    # over the whole market.
    locked = orders.beyond_qualifications_of(volunteer)[: MARKET_LOCKED_SHOWN + 1].count()
    found = [
        MarketOrder(*row)
        for row in after_cursor(orders.within_qualifications_of(volunteer), after)
        .order_by("starts_at", "pk")
        .values_list(
            "pk", "starts_at", "booked_hours", "service_type_id", "district_id", "street_id"
        )[: PAGE_SIZE + 1]
    ]
    next_cursor = None
    if len(found) > PAGE_SIZE:
        last = found[PAGE_SIZE - 1]
        next_cursor = cursor(last.starts_at, last.pk)
    return MarketPage(found[:PAGE_SIZE], next_cursor, locked, narrowed)


def market_reference(street_ids):
    """Districts, offered services and the given streets, named in the active language.

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
    with connection.cursor() as db:
        db.execute(sql, list(street_ids))
        for table, pk, code, label in db.fetchall():
            if table == "district":
                districts.append((pk, label))
            elif table == "service":
                service_types.append((pk, code, label))
            else:
                streets[pk] = label
    return districts, service_types, streets
