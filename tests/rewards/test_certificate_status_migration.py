"""Certificates revoked before they had a status come out of the migration revoked."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tests.conftest import make_user

BEFORE = [("rewards", "0003_redemption_request_key")]
AFTER = [("rewards", "0004_certificate_status")]


def migrate(targets=None):
    """Migrate to `targets`, or to the latest migrations; the apps as they are there."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture(autouse=True)
def latest_afterwards(transactional_db):
    """The tests after these on the same database need every table of the latest migrations."""
    yield
    migrate()


@pytest.mark.django_db(transaction=True)
def test_the_migration_marks_revoked_certificates_revoked_and_keeps_the_rest_valid():
    old = migrate(BEFORE)
    Certificate = old.get_model("rewards", "Certificate")
    user_id = make_user(email="certified@example.org").pk
    period = {"start": datetime.date(2026, 1, 1), "end": datetime.date(2026, 1, 31), "hours": 3}
    Certificate.objects.create(serial="TB1", user_id=user_id, public_name="L**", **period)
    Certificate.objects.create(
        serial="TB2", user_id=user_id, public_name="L**", revoked_at=timezone.now(), **period
    )

    new = migrate(AFTER)

    statuses = dict(new.get_model("rewards", "Certificate").objects.values_list("serial", "status"))
    assert statuses == {"TB1": "valid", "TB2": "revoked"}
