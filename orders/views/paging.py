"""Keyset paging for the order lists: the next page starts after the last row shown."""

from datetime import datetime

from django.utils import timezone

PAGE_SIZE = 20


def _after_cursor(queryset, request, *, descending=False):
    """Rows after the cursor `?after=<iso time>_<id>`; a cursor that does not parse is ignored."""
    stamp, _sep, pk = request.GET.get("after", "").rpartition("_")
    try:
        stamp, pk = datetime.fromisoformat(stamp), int(pk)
    except ValueError:
        return queryset
    if timezone.is_naive(stamp):
        stamp = timezone.make_aware(stamp)
    if descending:
        return queryset.filter(starts_at__lte=stamp).exclude(starts_at=stamp, pk__gte=pk)
    return queryset.filter(starts_at__gte=stamp).exclude(starts_at=stamp, pk__lte=pk)


def _cursor(starts_at, pk):
    return f"{starts_at.isoformat()}_{pk}"


def _keyset_page(queryset, request, *, descending=False):
    """One page of orders after the cursor; no COUNT over the table."""
    order = ["-starts_at", "-pk"] if descending else ["starts_at", "pk"]
    queryset = _after_cursor(queryset, request, descending=descending).order_by(*order)
    rows = list(queryset[: PAGE_SIZE + 1])
    if len(rows) <= PAGE_SIZE:
        return rows, None
    rows = rows[:PAGE_SIZE]
    return rows, _cursor(rows[-1].starts_at, rows[-1].pk)
