"""Holds for many orders at once: the same postings as one by one, never beyond a balance."""

import pytest
from django.core.management import call_command
from django.db import IntegrityError

from credits.holds import hold_credits, hold_credits_in_bulk, release_hold, spend_hold, wallets_of
from credits.models import AccountKind, Hold, HoldStatus, Transfer, TransferKind
from credits.services import LedgerError, system_account, wallet_of
from tests.conftest import balance, fund


def test_each_hold_is_a_posting_to_escrow_and_each_wallet_pays_the_sum_of_its_own(
    elder, other_elder, district_staff
):
    fund(elder, 10)
    fund(other_elder, 3)
    wallets = wallets_of([elder, other_elder], lock=True)

    holds = hold_credits_in_bulk(
        [
            (wallets[elder.pk], 2, "order:1:hold", "order:1", district_staff),
            (wallets[other_elder.pk], 3, "order:2:hold", "order:2", None),
            (wallets[elder.pk], 4, "order:3:hold", "order:3", district_staff),
        ]
    )

    assert [(hold.transfer.idempotency_key, hold.amount) for hold in holds] == [
        ("order:1:hold", 2),
        ("order:2:hold", 3),
        ("order:3:hold", 4),
    ]
    assert all(hold.status == HoldStatus.OPEN for hold in holds)
    assert (balance(elder), balance(other_elder)) == (4, 0)
    assert system_account(AccountKind.ESCROW).derived_balance() == 9
    held = Transfer.objects.get(idempotency_key="order:1:hold")
    assert (held.kind, held.reference, held.created_by) == (
        TransferKind.HOLD,
        "order:1",
        district_staff,
    )
    # They resolve as holds taken one by one do, with the same keys.
    release_hold(holds[0])
    spend_hold(holds[1])
    assert Transfer.objects.filter(idempotency_key="order:1:hold:released").exists()
    assert balance(elder) == 6
    call_command("verify_ledger")


def test_holds_beyond_a_balance_hold_nothing_at_all(elder, other_elder):
    fund(elder, 5)
    fund(other_elder, 5)
    wallets = wallets_of([elder, other_elder])

    with pytest.raises(LedgerError, match="not enough credits"):
        hold_credits_in_bulk(
            [
                (wallets[other_elder.pk], 2, "order:1:hold", "order:1", None),
                (wallets[elder.pk], 3, "order:2:hold", "order:2", None),
                (wallets[elder.pk], 3, "order:3:hold", "order:3", None),
            ]
        )

    assert (balance(elder), balance(other_elder)) == (5, 5)
    assert not Hold.objects.exists()
    assert not Transfer.objects.filter(kind=TransferKind.HOLD).exists()
    call_command("verify_ledger")


def test_a_key_used_before_is_refused_not_held_twice(elder):
    fund(elder, 10)
    hold_credits(elder, 2, key="order:1:hold")

    with pytest.raises(IntegrityError):
        hold_credits_in_bulk([(wallet_of(elder), 2, "order:1:hold", "order:1", None)])

    assert balance(elder) == 8
    assert Hold.objects.count() == 1


@pytest.mark.parametrize("amount", [0, -1, 1.5])
def test_only_whole_positive_credits_are_held(elder, amount):
    fund(elder, 10)

    with pytest.raises(LedgerError, match="whole credits"):
        hold_credits_in_bulk([(wallet_of(elder), amount, "order:1:hold", "order:1", None)])


def test_people_without_a_wallet_have_none_to_hold_from(elder, other_elder):
    fund(elder, 1)

    assert list(wallets_of([elder, other_elder])) == [elder.pk]
    assert not hold_credits_in_bulk([])
