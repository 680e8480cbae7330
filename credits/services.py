"""Everything that moves credits (holds for orders: `credits.holds`). See the design
notes in credits/models/__init__.py.

Each public function is one transaction (a savepoint when called inside the
caller's), safe to retry with the same idempotency key, and raises
`LedgerError` with a message that can be shown to people. Rules that need
knowledge outside the ledger (a person's age, who is whose relative, an
order's state) are the caller's to check; `current_policy()` gives the figures.
"""

from django.db import IntegrityError, connection, transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit
from credits.models import (
    Account,
    AccountKind,
    MemoCode,
    ServiceRecord,
    Transfer,
    TransferKind,
    current_policy,
)


class LedgerError(Exception):
    """A posting the ledger refuses; the message is safe to show."""


def wallet_of(user, *, lock=False):
    """The person's wallet, created on first use (unique per owner); locked if asked."""
    accounts = Account.objects.select_for_update() if lock else Account.objects
    return _get_or_create(accounts, kind=AccountKind.WALLET, owner=user)


def system_account(kind):
    return _get_or_create(Account.objects, kind=kind)


def project_account(code, name=""):
    return _get_or_create(
        Account.objects, kind=AccountKind.PROJECT, code=code, defaults={"name": name}
    )


def _get_or_create(accounts, defaults=None, **lookup):
    # get_or_create retries the get when a concurrent create wins the unique constraint.
    account, _created = accounts.get_or_create(defaults=defaults, **lookup)
    return account


def hours_served(user):
    return ServiceRecord.objects.minutes_served(user) // 60


# Posting ----------------------------------------------------------------


def _idempotent(post, replay):
    """Run `post` atomically; if its unique key already exists, return `replay()`.

    The key's row is inserted before any balance changes, so a concurrent
    duplicate waits on the unique index and then fails here, after the
    winner committed, and finds the winner's rows.
    """
    try:
        with transaction.atomic():
            return post()
    except IntegrityError:
        found = replay()
        if found is None:
            raise
        return found


def _replayed_transfer(key, source, target, amount):
    original = (
        Transfer.objects.select_related("source", "target").filter(idempotency_key=key).first()
    )
    if original is None:
        return None
    if (original.source_id, original.target_id, original.amount) != (
        source.pk,
        target.pk,
        amount,
    ):
        raise LedgerError(
            _("The key %(key)s was already used for a different posting.") % {"key": key}
        )
    return original


def _check_posting(source, target, amount):
    if not isinstance(amount, int) or amount <= 0:
        raise LedgerError(_("Only whole credits above zero can be moved."))
    if source.pk == target.pk:
        raise LedgerError(_("Credits cannot move from an account to itself."))


def _post(source, target, amount, kind, *, key, cap=None, **fields):
    """Insert the transfer and move the balances; the caller holds the transaction.

    Lock order, the same in every posting: the wallets (by primary key, in one
    statement), then at most one system account row, then a hold row.
    """
    posted = Transfer.objects.create(
        source=source, target=target, amount=amount, kind=kind, idempotency_key=key, **fields
    )
    changes = [
        (account, delta, limit)
        for account, delta, limit in [(source, -amount, None), (target, amount, cap)]
        if account.kind == AccountKind.WALLET
    ]
    if changes:
        _change_wallets(changes)
    if source.kind not in (AccountKind.WALLET, AccountKind.ISSUANCE, AccountKind.ESCROW):
        # A derived balance: lock this one row so two debits cannot both pass the check.
        # Issuance may go negative; escrow is debited only by resolving a hold once.
        Account.objects.select_for_update().filter(pk=source.pk).get()
        if source.derived_balance() < 0:  # the new transfer is already counted
            raise _not_enough(source)
    return posted


def _change_wallets(changes):
    """Add each delta to its wallet only if every balance stays within 0..cap.

    One statement checks and writes the wallets: one round trip on the
    ledger's hottest path, in plain SQL because the ORM cannot order the locks
    of a single UPDATE. On PostgreSQL the `locked` CTE takes the row locks in
    primary-key order first (no deadlocks), and under READ COMMITTED the WHERE
    is re-checked on the newest row version, so concurrent spends cannot
    overdraw. SQLite runs one writer at a time, so it needs no lock order.
    """
    table = Account._meta.db_table
    row = "(CAST(%s AS BIGINT), CAST(%s AS INTEGER), CAST(%s AS INTEGER))"
    params = [value for account, delta, cap in changes for value in (account.pk, delta, cap)]
    clauses = [f"change (account_id, delta, cap) AS (VALUES {', '.join([row] * len(changes))})"]
    sources = "change"
    if connection.vendor == "postgresql":
        lock = (
            f"SELECT id AS account_id FROM {table} WHERE id = ANY(%s)"  # noqa: S608 - our table name  # nosec B608
            " ORDER BY id FOR NO KEY UPDATE"
        )
        clauses.insert(0, f"locked AS ({lock})")
        sources = "locked JOIN change USING (account_id)"
        params.insert(0, [account.pk for account, _delta, _cap in changes])
    sql = (
        f"WITH {', '.join(clauses)} UPDATE {table} SET balance = balance + change.delta"  # noqa: S608 - our table name  # nosec B608
        f" FROM {sources} WHERE id = change.account_id AND balance + change.delta >= 0"
        " AND (change.cap IS NULL OR balance + change.delta <= change.cap)"
        " RETURNING id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        changed = {row[0] for row in cursor.fetchall()}
    for account, delta, _cap in changes:
        if account.pk not in changed:
            if delta < 0:
                raise _not_enough(account)
            raise LedgerError(
                _(
                    "%(account)s cannot take %(amount)s more credits:"
                    " the wallet would be over its cap."
                )
                % {"account": account, "amount": delta}
            )


def _not_enough(account):
    return LedgerError(_("There are not enough credits in %(account)s.") % {"account": account})


def _posting(source, target, amount, kind, *, key, cap=None, then=None, **fields):
    """Check, post once, and replay on a repeated key.

    `then` runs after the posting, in its transaction and under its wallet
    locks: a limit that counts earlier postings raises there and undoes this one.
    """
    _check_posting(source, target, amount)

    def post():
        posted = _post(source, target, amount, kind, key=key, cap=cap, **fields)
        if then is not None:
            then()
        return posted

    return _idempotent(post, lambda: _replayed_transfer(key, source, target, amount))


def post_transfer(source, target, amount, *, kind, key, reference="", memo="", by=None):
    """Move credits between two accounts; the general posting, escrow excepted."""
    if AccountKind.ESCROW in (source.kind, target.kind):
        raise LedgerError(_("Escrow moves only through holds."))
    return _posting(
        source, target, amount, kind, key=key, reference=reference, memo=memo, created_by=by
    )


# Earning ----------------------------------------------------------------


def credit_served_time(volunteer, minutes, *, key, reference="", served_on=None, by=None):
    """Credit served minutes: whole hours of the running total are minted, the rest carries.

    Returns the `ServiceRecord` (with `credited` and `pooled`), the original one
    on a retry with the same key.
    """
    if not isinstance(minutes, int) or minutes <= 0:
        raise LedgerError(_("Served time must be a whole number of minutes above zero."))
    served_on = served_on or timezone.localdate()
    policy = current_policy()

    def post():
        # The wallet lock serialises this volunteer's earnings, so the totals below are exact.
        wallet = wallet_of(volunteer, lock=True)
        totals = ServiceRecord.objects.filter(volunteer=volunteer).aggregate(
            all=Sum("minutes"), day=Sum("minutes", filter=Q(served_on=served_on))
        )
        before = totals["all"] or 0
        minted = (before + minutes) // 60 - before // 60
        room = policy.room_under_cap(wallet.balance)
        credited = minted if room is None else min(minted, room)
        record = ServiceRecord.objects.create(
            volunteer=volunteer,
            minutes=minutes,
            served_on=served_on,
            credited=credited,
            pooled=minted - credited,
            reference=reference,
            idempotency_key=key,
        )
        # Checked after the insert, so that a retry of a recorded service replays instead.
        if (totals["day"] or 0) + minutes > policy.daily_hour_limit * 60:
            raise LedgerError(
                _("At most %(hours)s hours a day can be credited; %(date)s is full.")
                % {"hours": policy.daily_hour_limit, "date": served_on}
            )
        issuance = system_account(AccountKind.ISSUANCE)
        fields = {"reference": reference, "created_by": by}
        if credited:
            _post(issuance, wallet, credited, TransferKind.EARN, key=key, **fields)
        if record.pooled:
            _post(
                issuance,
                system_account(AccountKind.PUBLIC_POOL),
                record.pooled,
                TransferKind.EARN,
                key=f"{key}:pool",
                memo=str(volunteer),
                memo_code=MemoCode.ABOVE_CAP,
                **fields,
            )
        return record

    def replay():
        original = ServiceRecord.objects.filter(idempotency_key=key).first()
        if original and (original.volunteer_id, original.minutes) != (volunteer.pk, minutes):
            raise LedgerError(
                _("The key %(key)s was already used for a different posting.") % {"key": key}
            )
        return original

    return _idempotent(post, replay)


# Uses of credits ---------------------------------------------------------


def _check_spendable(user, policy):
    served = hours_served(user)
    if not policy.is_spendable(served):
        raise LedgerError(
            _("Credits can be used after %(needed)s hours of service; %(more)s hours to go.")
            % {
                "needed": policy.spendable_after_hours,
                "more": policy.spendable_after_hours - served,
            }
        )


def give_gift(giver, receiver, amount, *, key, memo="", by=None, now=None):
    """Give credits to someone else (the caller checks they are a direct relative).

    At most `policy.daily_gift_limit` gifts a giver's calendar day, counted in the ledger.
    """
    now = now or timezone.now()
    policy = current_policy()
    _check_spendable(giver, policy)
    source = wallet_of(giver)

    def within_daily_limit():
        # A repeated key has already failed on its unique index (and replays), and
        # the giver's wallet lock serialises their gifts, so this count (a fresh
        # snapshot under READ COMMITTED) sees every earlier one.
        limit = policy.daily_gift_limit
        if limit and _gifts_on(source, timezone.localdate(now)) > limit:
            raise LedgerError(
                _("You can give at most %(limit)s gifts a day. Please try again tomorrow.")
                % {"limit": limit}
            )

    return _posting(
        source,
        wallet_of(receiver),
        amount,
        TransferKind.GIFT,
        key=key,
        cap=policy.wallet_cap or None,
        then=within_daily_limit,
        memo=memo,
        memo_code="" if memo else MemoCode.GIFT,
        created_by=by or giver,
        created_at=now,
    )


def _gifts_on(wallet, day):
    """Gifts from this wallet on `day` in the city's time zone."""
    return wallet.outgoing.filter(kind=TransferKind.GIFT, created_at__date=day).count()


def redeem_credits(user, amount, *, key, reference="", memo="", by=None):
    """Pay for goods or listed services with credits."""
    _check_spendable(user, current_policy())
    return _posting(
        wallet_of(user),
        system_account(AccountKind.REDEEMED),
        amount,
        TransferKind.REDEEM,
        key=key,
        reference=reference,
        memo=memo,
        created_by=by or user,
    )


def make_donation(donor, amount, *, key, project=None, memo="", by=None):
    """Give credits to the public pool or to a project; always allowed."""
    return _posting(
        wallet_of(donor),
        project or system_account(AccountKind.PUBLIC_POOL),
        amount,
        TransferKind.DONATE,
        key=key,
        memo=memo,
        created_by=by or donor,
    )


def grant_credits(recipient, amount, *, key, by, source=None, reference="", memo=""):
    """Staff give pool (or project) credits to someone in need; approval is the caller's."""
    return _posting(
        source or system_account(AccountKind.PUBLIC_POOL),
        wallet_of(recipient),
        amount,
        TransferKind.GRANT,
        key=key,
        cap=current_policy().wallet_cap or None,
        reference=reference,
        memo=memo,
        created_by=by,
    )


def carry_in_hours(volunteer, credits, *, platform_name, key, reference="", by):
    """Mint the credits of hours another platform signed for, once per `key`.

    Approval and the check of the statement are the caller's; the key (the
    platform's key id and the statement's id) makes a second posting replay.
    """
    return _posting(
        system_account(AccountKind.ISSUANCE),
        wallet_of(volunteer),
        credits,
        TransferKind.CARRY_IN,
        key=key,
        cap=current_policy().wallet_cap or None,
        reference=reference,
        memo=platform_name[:200],
        memo_code=MemoCode.CARRIED_IN,
        created_by=by,
    )


def reverse_transfer(original, *, reason, by):
    """Undo a transfer with an opposite one; a transfer is reversed at most once."""
    if original.kind in (TransferKind.HOLD, TransferKind.RELEASE, TransferKind.SPEND):
        # Escrow must always equal the open holds: its movements are never reversed.
        raise LedgerError(_("Credits held for an order are released or refunded, not reversed."))
    if original.kind == TransferKind.REVERSAL:
        raise LedgerError(_("A reversal cannot be reversed; post a new transfer instead."))
    if not reason.strip():
        raise LedgerError(_("Say why the transfer is reversed."))
    if Transfer.objects.filter(reverses=original).exists():
        raise LedgerError(_("This transfer was already reversed."))
    return _posting(
        original.target,
        original.source,
        original.amount,
        TransferKind.REVERSAL,
        key=f"reversal:{original.pk}",
        reverses=original,
        reference=original.reference,
        memo=reason.strip(),
        created_by=by,
        then=lambda: audit.record(by, "transfer.reversed", original, reason=reason.strip()),
    )
