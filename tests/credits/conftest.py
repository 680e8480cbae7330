"""Builders for ledger tests: funded wallets and a policy set for the test."""

import itertools

import pytest
from django.utils import translation

from credits.models import AccountKind, Policy
from credits.services import post_transfer, system_account, wallet_of

_keys = itertools.count()


@pytest.fixture(autouse=True)
def english():
    """Assertions read the English source messages (not the language an earlier test left on)."""
    with translation.override("en"):
        yield


def next_key(prefix="test"):
    return f"{prefix}:{next(_keys)}"


def fund(user, credits):
    """Mint credits straight into a wallet, as a grant from issuance."""
    return post_transfer(
        system_account(AccountKind.ISSUANCE),
        wallet_of(user),
        credits,
        kind="grant",
        key=next_key("fund"),
    )


def set_policy(**figures):
    return Policy.objects.create(**figures)


def balance(user):
    return wallet_of(user).balance


@pytest.fixture
def open_policy(db):
    """Credits usable from the first hour; the default cap."""
    return set_policy(spendable_after_hours=0)
