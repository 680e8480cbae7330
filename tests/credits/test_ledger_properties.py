"""Random sequences of postings against a simple in-memory model of the ledger."""

import datetime

import pytest
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from credits.holds import hold_credits, release_hold, spend_hold
from credits.management.commands.verify_ledger import check_ledger
from credits.models import Account, AccountKind, HoldStatus, Transfer, TransferKind
from credits.services import (
    LedgerError,
    credit_served_time,
    give_gift,
    grant_credits,
    make_donation,
    reverse_transfer,
    system_account,
    wallet_of,
)
from tests.conftest import make_user, set_policy

CAP = 20
SPENDABLE_AFTER = 2
DAY = datetime.date(2026, 1, 5)
UNREVERSIBLE = [TransferKind.HOLD, TransferKind.RELEASE, TransferKind.SPEND, TransferKind.REVERSAL]
people = st.integers(0, 2)
credits = st.integers(1, 8)


class LedgerMachine(RuleBasedStateMachine):
    def __init__(self, users, staff):
        super().__init__()
        self.users, self.staff = users, staff
        # Each example runs in a savepoint that teardown rolls back.
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        self.accounts = {u.pk: wallet_of(u) for u in users}
        for kind in [
            AccountKind.ISSUANCE,
            AccountKind.PUBLIC_POOL,
            AccountKind.ESCROW,
            AccountKind.REDEEMED,
        ]:
            self.accounts[kind] = system_account(kind)
        self.balances = dict.fromkeys(self.accounts, 0)
        self.minutes = {u.pk: 0 for u in users}
        self.day_minutes = {}
        self.holds = []  # [hold, status]
        self.transfers = []
        self.replays = []  # (call, pk it returned)
        self.keys = 0

    def teardown(self):
        transaction.set_rollback(True)
        self.atomic.__exit__(None, None, None)

    def key(self):
        self.keys += 1
        return f"prop:{self.keys}"

    def post(self, call, refused, replayable=True):
        """Run a service call; it must be refused exactly when the model says so."""
        if refused:
            with pytest.raises(LedgerError):
                call()
            return None
        result = call()
        if replayable:
            self.replays.append((call, result.pk))
        return result

    def move(self, source, target, amount):
        self.balances[source] -= amount
        self.balances[target] += amount

    def over_cap(self, user, amount):
        return self.balances[user.pk] + amount > CAP

    @rule(person=people, minutes=st.integers(1, 300), day=st.integers(0, 2))
    def earn(self, person, minutes, day):
        user = self.users[person]
        served_on = DAY + datetime.timedelta(days=day)
        today = self.day_minutes.get((user.pk, day), 0)
        key = self.key()
        record = self.post(
            lambda: credit_served_time(user, minutes, key=key, served_on=served_on),
            refused=today + minutes > 8 * 60,
        )
        if record is None:
            return
        before = self.minutes[user.pk]
        minted = (before + minutes) // 60 - before // 60
        credited = min(minted, CAP - self.balances[user.pk])
        assert (record.credited, record.pooled) == (credited, minted - credited)
        self.minutes[user.pk] += minutes
        self.day_minutes[(user.pk, day)] = today + minutes
        self.move(AccountKind.ISSUANCE, user.pk, credited)
        self.move(AccountKind.ISSUANCE, AccountKind.PUBLIC_POOL, minted - credited)
        self.transfers += Transfer.objects.filter(idempotency_key__startswith=key)

    @rule(person=people, amount=credits)
    def hold(self, person, amount):
        user = self.users[person]
        key = self.key()
        held = self.post(
            lambda: hold_credits(user, amount, key=key),
            refused=self.balances[user.pk] < amount,
        )
        if held:
            self.move(user.pk, AccountKind.ESCROW, amount)
            self.holds.append([held, HoldStatus.OPEN])
            self.transfers.append(held.transfer)

    @precondition(lambda self: self.holds)
    @rule(index=st.integers(0, 100), spending=st.booleans())
    def resolve(self, index, spending):
        entry = self.holds[index % len(self.holds)]
        held, status = entry
        wanted = HoldStatus.SPENT if spending else HoldStatus.RELEASED
        call = (lambda: spend_hold(held)) if spending else (lambda: release_hold(held))
        if status == HoldStatus.OPEN:
            resolved = call()
            target = AccountKind.REDEEMED if spending else held.transfer.source.owner_id
            self.move(AccountKind.ESCROW, target, held.amount)
            entry[1] = wanted
            self.transfers.append(resolved.resolution)
        elif status == wanted:
            assert call().status == wanted  # a retry is a no-op
        else:
            with pytest.raises(LedgerError):
                call()

    @rule(giver=people, receiver=people, amount=credits)
    def gift(self, giver, receiver, amount):
        giving, receiving = self.users[giver], self.users[receiver]
        key = self.key()
        given = self.post(
            lambda: give_gift(giving, receiving, amount, key=key),
            refused=giver == receiver
            or self.minutes[giving.pk] // 60 < SPENDABLE_AFTER
            or self.balances[giving.pk] < amount
            or self.over_cap(receiving, amount),
        )
        if given:
            self.move(giving.pk, receiving.pk, amount)
            self.transfers.append(given)

    @rule(person=people, amount=credits)
    def donate(self, person, amount):
        user = self.users[person]
        key = self.key()
        given = self.post(
            lambda: make_donation(user, amount, key=key),
            refused=self.balances[user.pk] < amount,
        )
        if given:
            self.move(user.pk, AccountKind.PUBLIC_POOL, amount)
            self.transfers.append(given)

    @rule(person=people, amount=credits)
    def grant(self, person, amount):
        user = self.users[person]
        key = self.key()
        granted = self.post(
            lambda: grant_credits(user, amount, key=key, by=self.staff),
            refused=self.balances[AccountKind.PUBLIC_POOL] < amount or self.over_cap(user, amount),
        )
        if granted:
            self.move(AccountKind.PUBLIC_POOL, user.pk, amount)
            self.transfers.append(granted)

    @precondition(lambda self: self.transfers)
    @rule(index=st.integers(0, 100))
    def reverse(self, index):
        original = self.transfers[index % len(self.transfers)]
        source, target = self.model_account(original.target), self.model_account(original.source)
        reversal = self.post(
            lambda: reverse_transfer(original, reason="test", by=self.staff),
            refused=original.kind in UNREVERSIBLE
            or Transfer.objects.filter(reverses=original).exists()
            or (source != AccountKind.ISSUANCE and self.balances[source] < original.amount),
            replayable=False,  # reversing again is refused, not replayed: it has no key
        )
        if reversal:
            self.move(source, target, original.amount)
            self.transfers.append(reversal)

    @precondition(lambda self: self.replays)
    @rule(index=st.integers(0, 100))
    def replay(self, index):
        call, pk = self.replays[index % len(self.replays)]
        assert call().pk == pk

    def model_account(self, account):
        return account.owner_id if account.kind == AccountKind.WALLET else account.kind

    @invariant()
    def balances_match_the_model(self):
        for key, account in self.accounts.items():
            assert Account.objects.get(pk=account.pk).current_balance == self.balances[key], key
        assert sum(self.balances.values()) == 0
        problems, _summary = check_ledger()
        assert problems == []


@pytest.mark.django_db
def test_random_postings_keep_every_invariant():
    set_policy(spendable_after_hours=SPENDABLE_AFTER, wallet_cap=CAP)
    users = [make_user(f"+86139000001{i}{i}", name=f"Person {i}") for i in range(3)]
    staff = make_user(email="grants@example.org", is_staff=True)

    run_state_machine_as_test(
        lambda: LedgerMachine(users, staff),
        settings=settings(
            max_examples=30,
            stateful_step_count=20,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
            report_multiple_bugs=False,
        ),
    )
