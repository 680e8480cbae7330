"""Which tables a request wrote to, for the tests that prove a request wrote nothing
(or only what it should).

Reading every row of every table before and after each request made those
tests the slowest of the suite. Inside a test's transaction PostgreSQL
counts the rows each table had inserted, updated or deleted
(`pg_stat_xact_user_tables`), so a table whose count did not move was not
written, and only the tables that moved need reading. A write that leaves a
row as it was still counts: for these tests an attempt to write is already
a finding. Elsewhere (SQLite, or outside a transaction, where the counts
restart with every statement) every table is read, as before.
"""

import hashlib

from django.apps import apps
from django.db import connection


def _counts():
    """{table: rows written so far in this transaction}, or None where that is not known."""
    if connection.vendor != "postgresql" or not connection.in_atomic_block:
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_xact_user_tables"
        )
        return dict(cursor.fetchall())


def _tables_of(model):
    """A model's rows live in its table and in those of the models it extends."""
    parents = model._meta.get_parent_list()
    return {model._meta.db_table, *(parent._meta.db_table for parent in parents)}


class Writes:
    """Made before a request; `tables()` then names the models whose tables it wrote."""

    def __init__(self, models):
        self.models = list(models)
        self.counts = _counts()
        self.digests = None if self.counts is not None else self._digests(self.models)

    def tables(self):
        if self.counts is None:
            after = self._digests(self.models)
            return [model for model in self.models if after[model] != self.digests[model]]
        now = _counts()
        moved = {table for table, count in now.items() if count != self.counts.get(table, 0)}
        return [model for model in self.models if moved & _tables_of(model)]

    @staticmethod
    def _digests(models):
        return {
            model: hashlib.sha256(
                repr(list(model._default_manager.order_by("pk").values_list())).encode()
            ).hexdigest()
            for model in models
        }


def all_models(skipped=()):
    """Every model's table, the many-to-many ones too (a permission granted is a row there)."""
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.label_lower not in skipped
    ]
