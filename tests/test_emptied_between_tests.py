"""The suite's PostgreSQL empties every table between transactional tests by
deleting rows (tests/postgresql): nothing may survive it, not even the
ledger's append-only rows or rows that others point at."""

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command

from credits.models import Transfer
from orders.models import Order
from tests.conftest import fund, make_user, on_postgres

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not on_postgres(), reason="the quicker flush is PostgreSQL's"),
]


def rows_left():
    """Rows in every table of ours, leaving out what Django writes back after a flush."""
    rebuilt = {ContentType, Permission}
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models(include_auto_created=True)
        if model not in rebuilt and model._meta.managed and model.objects.exists()
    }


def test_a_flush_after_a_test_leaves_every_table_empty(transactional_db, world):
    volunteer = make_user("+8613900000098", name="Zhao Volunteer")
    fund(volunteer, 3)
    assert Transfer.objects.exists() and Order.objects.exists()

    # As Django empties the database after a transactional test.
    call_command("flush", verbosity=0, interactive=False, reset_sequences=False)

    assert rows_left() == {}
    assert ContentType.objects.exists()  # written back, for the next test
