"""Scheduled account upkeep; safe to run twice (schedule: migration 0008)."""

from accounts.services import remove_stale_account, stale_unverified_accounts


def remove_stale_unverified_accounts():
    """Remove every unverified account that has held nothing for `UNVERIFIED_ACCOUNT_DAYS`."""
    return sum(remove_stale_account(user) for user in stale_unverified_accounts())
