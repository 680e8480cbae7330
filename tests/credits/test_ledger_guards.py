"""The database and the admin refuse to change what was posted."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from credits.holds import hold_credits
from credits.models import Account, ServiceRecord, Transfer
from credits.services import credit_served_time, give_gift, wallet_of
from tests.conftest import fund, next_key

pytestmark = pytest.mark.django_db


@pytest.mark.postgres
@pytest.mark.parametrize(
    "sql", ["UPDATE credits_transfer SET amount = 99", "DELETE FROM credits_transfer"]
)
def test_raw_sql_cannot_change_or_delete_transfers(volunteer, sql):
    fund(volunteer, 5)

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        connection.cursor().execute(sql)
    assert Transfer.objects.get().amount == 5


def test_admin_refuses_to_edit_a_transfer(admin_client, volunteer):
    posted = fund(volunteer, 5)

    response = admin_client.post(f"/en/admin/credits/transfer/{posted.pk}/change/", {"amount": 99})

    assert response.status_code == 403
    assert Transfer.objects.get().amount == 5


def test_admin_refuses_to_delete_a_transfer(admin_client, volunteer):
    posted = fund(volunteer, 5)

    response = admin_client.post(f"/en/admin/credits/transfer/{posted.pk}/delete/", {"post": "yes"})

    assert response.status_code == 403
    assert Transfer.objects.filter(pk=posted.pk).exists()


def test_admin_shows_a_transfer_read_only(admin_client, volunteer):
    posted = fund(volunteer, 5)

    response = admin_client.get(f"/en/admin/credits/transfer/{posted.pk}/change/")

    assert response.status_code == 200
    assert b'name="amount"' not in response.content


def test_verify_ledger_passes_on_a_healthy_ledger(open_policy, volunteer, elder):
    fund(volunteer, 5)
    credit_served_time(volunteer, 90, key=next_key())
    give_gift(volunteer, elder, 2, key=next_key())
    hold_credits(elder, 1, key=next_key())
    out = StringIO()

    call_command("verify_ledger", stdout=out)

    assert out.getvalue().startswith("Ledger OK")


def test_verify_ledger_fails_naming_a_corrupted_balance(volunteer):
    fund(volunteer, 5)
    wallet = wallet_of(volunteer)
    Account.objects.filter(pk=wallet.pk).update(balance=7)
    err = StringIO()

    with pytest.raises(CommandError) as failure:
        call_command("verify_ledger", stderr=err)

    assert failure.value.returncode != 0
    assert f"account {wallet.pk} (Li Volunteer): stored balance 7 but transfers give 5" in (
        err.getvalue()
    )
    assert "balances sum to 2" in err.getvalue()


def test_verify_ledger_fails_when_minted_credits_do_not_match_minutes(volunteer):
    credit_served_time(volunteer, 60, key=next_key())
    ServiceRecord.objects.create(
        volunteer=volunteer,
        minutes=60,
        served_on=timezone.localdate(),
        credited=0,
        pooled=0,
        idempotency_key=next_key(),
    )
    err = StringIO()

    with pytest.raises(CommandError):
        call_command("verify_ledger", stderr=err)

    assert f"volunteer {volunteer.pk}: 120 minutes served but 1 credits minted" in err.getvalue()
