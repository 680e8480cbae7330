"""Keyset paging for the order lists: the next page starts after the last row shown.

The cursor is `<iso time>_<id>` of the last row; pages and the API pass it
on as `?after=`.
"""

from datetime import UTC, datetime

from django.utils import timezone

PAGE_SIZE = 20


def after_cursor(queryset, after, *, descending=False):
    """Rows after the cursor `after`; a cursor that does not parse is ignored."""
    stamp, _sep, pk = (after or "").rpartition("_")
    try:
        stamp, pk = datetime.fromisoformat(stamp), int(pk)
    except ValueError:
        return queryset
    if timezone.is_naive(stamp):
        stamp = timezone.make_aware(stamp)
    if descending:
        return queryset.filter(starts_at__lte=stamp).exclude(starts_at=stamp, pk__gte=pk)
    return queryset.filter(starts_at__gte=stamp).exclude(starts_at=stamp, pk__lte=pk)


def cursor(starts_at, pk):
    """Safe in an address as it is: UTC written with "Z", no "+" to become a space."""
    stamp = starts_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return f"{stamp}_{pk}"


def keyset_page(queryset, after, *, descending=False):
    """One page of orders after the cursor, and the next cursor (None on the last page).

    No COUNT over the table.
    """
    order = ["-starts_at", "-pk"] if descending else ["starts_at", "pk"]
    queryset = after_cursor(queryset, after, descending=descending).order_by(*order)
    rows = list(queryset[: PAGE_SIZE + 1])
    if len(rows) <= PAGE_SIZE:
        return rows, None
    rows = rows[:PAGE_SIZE]
    return rows, cursor(rows[-1].starts_at, rows[-1].pk)
