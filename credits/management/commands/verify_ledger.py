"""Re-check every ledger invariant from the raw rows; exit non-zero on any violation."""

from collections import defaultdict

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import F, Sum

from credits.models import (
    Account,
    AccountKind,
    Hold,
    HoldStatus,
    ServiceRecord,
    Transfer,
    TransferKind,
)


class Command(BaseCommand):
    help = "Recompute balances from the transfers and check the ledger's invariants."

    def handle(self, *args, **options):
        # One snapshot, so postings that commit meanwhile cannot look like errors.
        connection = transaction.get_connection()
        snapshot = connection.vendor == "postgresql" and not connection.in_atomic_block
        with transaction.atomic():
            if snapshot:
                connection.cursor().execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            problems, summary = check_ledger()
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(f"{len(problems)} ledger problem(s) found")
        self.stdout.write(summary)


def check_ledger():
    derived = defaultdict(int)
    for row in Transfer.objects.values("target").annotate(total=Sum("amount")):
        derived[row["target"]] += row["total"]
    for row in Transfer.objects.values("source").annotate(total=Sum("amount")):
        derived[row["source"]] -= row["total"]

    problems = []
    accounts = list(Account.objects.all())
    total = 0
    for account in accounts:
        balance = derived[account.pk]
        if account.kind == AccountKind.WALLET:
            if account.balance != balance:
                problems.append(
                    f"account {account.pk} ({account}): stored balance {account.balance}"
                    f" but transfers give {balance}"
                )
            balance = account.balance
        elif account.balance != 0:
            problems.append(f"account {account.pk} ({account}): system account stores a balance")
        if balance < 0 and account.kind != AccountKind.ISSUANCE:
            problems.append(f"account {account.pk} ({account}): negative balance {balance}")
        total += balance
    if total != 0:
        problems.append(f"balances sum to {total}, not 0")

    problems += _check_holds(derived)
    problems += _check_carry_over()
    summary = (
        f"Ledger OK: {len(accounts)} accounts, {Transfer.objects.count()} transfers,"
        f" {Hold.objects.count()} holds; balances sum to 0."
    )
    return problems, summary


def _check_holds(derived):
    problems = []
    expected = {HoldStatus.RELEASED: TransferKind.RELEASE, HoldStatus.SPENT: TransferKind.SPEND}
    holds = Hold.objects.select_related("transfer", "resolution")
    open_total = 0
    for hold in holds:
        held, resolution = hold.transfer, hold.resolution
        if hold.status == HoldStatus.OPEN:
            open_total += held.amount
        elif (
            resolution.kind != expected[hold.status]
            or resolution.source_id != held.target_id
            or resolution.amount != held.amount
        ):
            problems.append(f"hold {hold.pk}: resolving transfer {resolution.pk} does not match it")
    resolutions = Transfer.objects.filter(kind__in=expected.values())
    resolved = holds.exclude(status=HoldStatus.OPEN).count()
    if resolutions.count() != resolved:
        unmatched = resolutions.filter(resolved_hold__isnull=True).values_list("pk", flat=True)
        problems.append(
            f"{resolutions.count()} release/spend transfers for {resolved} resolved holds;"
            f" transfers resolving no hold: {list(unmatched)}"
        )
    escrow = Account.objects.filter(kind=AccountKind.ESCROW).first()
    if escrow and derived[escrow.pk] != open_total:
        problems.append(f"escrow holds {derived[escrow.pk]} but open holds total {open_total}")
    return problems


def _check_carry_over():
    """Every whole hour of a volunteer's served minutes was minted exactly once."""
    totals = ServiceRecord.objects.values("volunteer").annotate(
        minutes=Sum("minutes"), minted=Sum(F("credited") + F("pooled"))
    )
    return [
        f"volunteer {row['volunteer']}: {row['minutes']} minutes served"
        f" but {row['minted']} credits minted"
        for row in totals
        if row["minutes"] // 60 != row["minted"]
    ]
