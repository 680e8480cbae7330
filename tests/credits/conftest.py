"""Ledger tests read English messages and may start from an open policy."""

import pytest
from django.utils import translation

from tests.conftest import set_policy


@pytest.fixture(autouse=True)
def english():
    """Assertions read the English source messages (not the language an earlier test left on)."""
    with translation.override("en"):
        yield


@pytest.fixture
def open_policy(db):
    """Credits usable from the first hour; the default cap."""
    return set_policy(spendable_after_hours=0)
