"""The time-credit ledger: double entry, append-only, idempotent.

Accounts
    Every person has one *wallet* (`Account` of kind `wallet`, created lazily by
    `credits.services.wallet_of`, unique per owner). The platform has *system
    accounts*: `issuance` (where earned credits are minted: the only account
    whose balance is negative), `redeemed` (where spent credits go), `escrow`
    (credits held for open orders), `public_pool` (donations to the platform)
    and one `project` account per donation project.

Transfers
    A `Transfer` moves a whole number of credits (> 0) from one account to
    another (never the same one), so every entry balances by construction and
    the sum of all balances is zero. It carries a kind, a reference to the
    business object (`order:42`), who posted it, and a UNIQUE idempotency key
    (`order:42:earn`): posting the same key again returns the original
    transfer, the same key with other figures is an error. Transfers are
    never updated or deleted (on PostgreSQL a trigger refuses it); a mistake is
    undone by a reversing transfer that points at the original (`reverses`,
    unique, so a transfer is reversed at most once).

Balances, and no hot row
    A wallet keeps its balance on its row (CHECK >= 0); a posting changes the
    wallets it touches with one conditional UPDATE (`SET balance = balance + d
    WHERE balance + d >= 0`, and <= the cap where one applies) in the same
    transaction as the transfer row, so concurrent spends can never overdraw.
    That statement locks the wallets in primary-key order, so crossed
    transfers cannot deadlock. The transfer row is inserted first: a retry
    with the same key waits on the unique index and then replays the winner.

    System accounts are touched by every earn, hold and spend; a stored
    balance there would be one row that every posting locks. Their balance is
    therefore *derived* (incoming minus outgoing transfers) and their `balance`
    column stays 0. Crediting them takes no lock. Debiting one locks just that
    row and re-checks the derived balance (grants from the pool or a project,
    reversals: both rare), except escrow, whose debits are the resolutions of
    holds: a `Hold` resolves once (a conditional UPDATE on its status), so
    escrow always equals the sum of open holds.

Served time and carry-over
    Each service a volunteer is credited for is one `ServiceRecord` (minutes,
    unique key). A volunteer's served minutes are their sum: every whole 60
    minutes of the running total mints one credit, the remainder carries to the
    next service. Earnings above the wallet cap go to the public pool as a
    transfer of its own, which the volunteer sees in their passbook.

Policy
    `Policy` rows are versions: a change is a new dated row with its author,
    and `current_policy()` (the newest) is used everywhere.

Hours carried in (通存通兑)
    A statement signed by another platform (`credits.statements`), once staff
    approve it, mints its credits into the wallet as one `carry_in` transfer
    keyed by the platform's key id and the statement's id, so it counts once.

`manage.py verify_ledger` re-checks all of this from the raw rows.
"""

from credits.models.accounts import SINGLE_SYSTEM_KINDS, Account, AccountKind, AccountQuerySet
from credits.models.carried import CarriedStatement, CarriedStatus, TrustedPlatform
from credits.models.policy import (
    DEFAULT_STARS,
    Policy,
    current_policy,
    parse_dates,
    validate_date_list,
)
from credits.models.served import ServiceRecord, ServiceRecordQuerySet
from credits.models.transfers import (
    Hold,
    HoldStatus,
    MemoCode,
    Transfer,
    TransferKind,
    TransferQuerySet,
)

__all__ = [
    "Account",
    "AccountKind",
    "AccountQuerySet",
    "CarriedStatement",
    "CarriedStatus",
    "DEFAULT_STARS",
    "Hold",
    "HoldStatus",
    "MemoCode",
    "Policy",
    "SINGLE_SYSTEM_KINDS",
    "ServiceRecord",
    "ServiceRecordQuerySet",
    "Transfer",
    "TransferKind",
    "TransferQuerySet",
    "TrustedPlatform",
    "current_policy",
    "parse_dates",
    "validate_date_list",
]
