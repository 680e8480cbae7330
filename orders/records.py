"""The feed of service records: every completed order, once, in the order it was committed.

Other systems (the city's volunteer registry, through `GET /api/v1/records`)
read the completed services incrementally: "everything after the last
position I saw". A position must therefore never appear *behind* one a
reader has already passed. Ordering by `completed_at` cannot promise that:
the time is taken inside the completing transaction, and a transaction that
takes its time longer commits after one that started later, so a reader
between the two commits would step over the slower one for good.

So each completion writes a `RecordEntry` in its own transaction, and takes
a transaction-level advisory lock (`FEED_LOCK`) just before the insert: the
entry's id comes from the sequence while the lock is held, and the lock is
released only after the transaction has committed and become visible. Ids
are therefore handed out in commit order: when a reader sees entry n, every
entry below n is already committed (or rolled back, leaving a gap that no
later commit fills). Paging by `id > last seen` then gives every record
exactly once, however the commits interleave with the reads.

The cost is that completions commit one at a time from the insert on: the
lock is taken as the last write of `_complete`, so it is held for the
commit only (a few milliseconds; completions are a few a minute per city).
SQLite serialises every writer anyway, so the lock is PostgreSQL's alone.

A correction of a completed record (none exists yet) would delete the entry
and enter it again, so that it comes back at the end of the feed.
"""

from django.db import connection, models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Any constant: the one advisory lock the feed's writers queue on.
FEED_LOCK = 7_311_204


class RecordEntry(models.Model):
    """An order's place in the feed of service records (see the module docstring)."""

    id = models.BigAutoField(primary_key=True)
    order = models.OneToOneField(
        "orders.Order",
        on_delete=models.PROTECT,
        related_name="record_entry",
        verbose_name=_("order"),
    )
    entered_at = models.DateTimeField(_("entered at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("service record entry")
        verbose_name_plural = _("service record entries")
        ordering = ["id"]

    def __str__(self):
        return f"#{self.pk}"


def enter_record(order):
    """Give a just-completed order its place in the feed; call it last in the transaction."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [FEED_LOCK])
    return RecordEntry.objects.create(order=order)
