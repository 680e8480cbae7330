"""Real threads against PostgreSQL: the ledger holds under concurrent posting."""

import pytest

from credits.holds import hold_credits, release_hold, spend_hold
from credits.models import Hold, HoldStatus, Transfer
from credits.services import LedgerError, post_transfer, wallet_of
from tests.conftest import balance, fund, run_together

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_ten_threads_spending_from_one_wallet_never_overdraw_it(volunteer, other_volunteer):
    fund(volunteer, 7)
    source, target = wallet_of(volunteer), wallet_of(other_volunteer)

    results = run_together(
        *[
            lambda i=i: post_transfer(source, target, 2, kind="gift", key=f"spend:{i}")
            for i in range(10)
        ]
    )

    successes = [r for r in results if isinstance(r, Transfer)]
    assert len(successes) == 7 // 2
    assert all(isinstance(r, (Transfer, LedgerError)) for r in results)
    assert (balance(volunteer), balance(other_volunteer)) == (1, 6)


def test_crossed_transfers_finish_without_deadlock(volunteer, other_volunteer):
    fund(volunteer, 50)
    fund(other_volunteer, 50)
    a, b = wallet_of(volunteer), wallet_of(other_volunteer)

    results = run_together(
        *[
            lambda i=i: (
                post_transfer(a, b, 1, kind="gift", key=f"ab:{i}")
                if i % 2
                else post_transfer(b, a, 1, kind="gift", key=f"ba:{i}")
            )
            for i in range(10)
        ]
    )

    assert all(isinstance(r, Transfer) for r in results), results
    assert balance(volunteer) + balance(other_volunteer) == 100


def test_one_key_posted_by_eight_threads_creates_one_transfer(volunteer, other_volunteer):
    fund(volunteer, 50)
    source, target = wallet_of(volunteer), wallet_of(other_volunteer)

    results = run_together(
        *[lambda: post_transfer(source, target, 3, kind="gift", key="order:9:pay")] * 8
    )

    assert {r.pk for r in results} == {Transfer.objects.get(idempotency_key="order:9:pay").pk}
    assert (balance(volunteer), balance(other_volunteer)) == (47, 3)


def test_a_hold_released_and_spent_at_once_resolves_once(elder):
    fund(elder, 5)
    held = hold_credits(elder, 4, key="order:3:hold")

    results = run_together(lambda: release_hold(held), lambda: spend_hold(held))

    assert sum(isinstance(r, Hold) for r in results) == 1
    assert sum(isinstance(r, LedgerError) for r in results) == 1
    resolved = Hold.objects.get()
    assert balance(elder) == (5 if resolved.status == HoldStatus.RELEASED else 1)
    assert Transfer.objects.filter(kind__in=["release", "spend"]).count() == 1
