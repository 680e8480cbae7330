"""Credits held in escrow for an order: taken from the payer's wallet when the
order is placed, then given back (released) or paid out (spent), exactly once.

The postings follow `credits.services`: one transaction each, idempotent by
key, `LedgerError` for what the ledger refuses.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from credits.models import Account, AccountKind, Hold, HoldStatus, Transfer, TransferKind
from credits.services import (
    LedgerError,
    _change_wallets,
    _check_posting,
    _idempotent,
    _post,
    _replayed_transfer,
    system_account,
    wallet_of,
)


def hold_credits(payer, amount, *, key, reference="", by=None):
    """Put credits from the payer's wallet in escrow for an order.

    Whether the payer may pay for services at all (`policy.self_pay_age`) is
    the caller's check: the ledger does not know ages.
    """
    wallet = wallet_of(payer)
    escrow = system_account(AccountKind.ESCROW)
    _check_posting(wallet, escrow, amount)

    def post():
        posted = _post(
            wallet, escrow, amount, TransferKind.HOLD, key=key, reference=reference, created_by=by
        )
        return Hold.objects.create(transfer=posted)

    def replay():
        original = _replayed_transfer(key, wallet, escrow, amount)
        return original and Hold.objects.select_related("transfer").get(transfer=original)

    return _idempotent(post, replay)


def wallets_of(users, *, lock=False):
    """The wallets the people have, by owner id; locked in primary-key order if asked.

    Someone without a wallet has no credits to hold, so none is created here.
    """
    wallets = Account.objects.filter(kind=AccountKind.WALLET, owner__in=users).order_by("pk")
    if lock:
        wallets = wallets.select_for_update(no_key=True)
    return {wallet.owner_id: wallet for wallet in wallets}


def hold_credits_in_bulk(holds):
    """`hold_credits` for many orders at once, in a fixed number of statements.

    `holds` are (wallet, amount, key, reference, by); the keys are new (the
    caller makes them from rows it just created), so there is nothing to
    replay. Each wallet is debited once by the sum of its holds, by the same
    checked update as every posting: if any balance would go below zero,
    nothing is held and `LedgerError` is raised. Returns the holds in order.
    """
    if not holds:
        return []
    escrow = system_account(AccountKind.ESCROW)
    for wallet, amount, _key, _reference, _by in holds:
        _check_posting(wallet, escrow, amount)
    with transaction.atomic():
        transfers = Transfer.objects.bulk_create(
            Transfer(
                source=wallet,
                target=escrow,
                amount=amount,
                kind=TransferKind.HOLD,
                idempotency_key=key,
                reference=reference,
                created_by=by,
            )
            for wallet, amount, key, reference, by in holds
        )
        debits = {}
        for wallet, amount, _key, _reference, _by in holds:
            debits[wallet.pk] = (wallet, debits.get(wallet.pk, (wallet, 0))[1] - amount)
        _change_wallets([(wallet, delta, None) for wallet, delta in debits.values()])
        return Hold.objects.bulk_create(Hold(transfer=transfer) for transfer in transfers)


def release_hold(hold, *, by=None):
    """Give the held credits back to the payer (rejected, cancelled, expired order)."""
    return _resolve(hold, HoldStatus.RELEASED, by=by)


def spend_hold(hold, *, by=None):
    """Pay the held credits out (completed order)."""
    return _resolve(hold, HoldStatus.SPENT, by=by)


class _AlreadyResolved(Exception):
    """Raised inside the resolving transaction to roll it back."""


def _resolve(hold, status, *, by):
    held = hold.transfer
    if status == HoldStatus.RELEASED:
        target, kind = held.source, TransferKind.RELEASE
    else:
        target, kind = system_account(AccountKind.REDEEMED), TransferKind.SPEND

    def post():
        posted = _post(
            held.target,
            target,
            held.amount,
            kind,
            key=hold.resolution_key(status),
            reference=held.reference,
            created_by=by,
        )
        # The status check on the row itself: of a release and a spend racing, one wins.
        won = Hold.objects.filter(pk=hold.pk, status=HoldStatus.OPEN).update(
            status=status, resolution=posted, resolved_at=timezone.now()
        )
        if not won:
            raise _AlreadyResolved
        return Hold.objects.select_related("transfer", "resolution").get(pk=hold.pk)

    try:
        return _idempotent(post, lambda: None)
    except (_AlreadyResolved, IntegrityError):
        current = Hold.objects.select_related("transfer", "resolution").get(pk=hold.pk)
        if current.status == status:
            return current  # a retry of the same resolution: a no-op
        raise LedgerError(
            _("This hold was already %(status)s.") % {"status": current.get_status_display()}
        ) from None
