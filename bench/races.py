"""The scoreboard's races: real threads against one PostgreSQL, counted against the rules."""

import sys
import time
from datetime import timedelta
from functools import partial

from bench.market import recreate_database, setup_django

ORDERS, CLAIMANTS = 50, 16
TRIALS, SPENDERS = 100, 10
ITEM_RACES, TAKERS = 50, 10
ROUNDS, CROSSERS = 100, 10
LIMIT_RACES, RUSHERS = 30, 10


# The builders come from the test suite, imported only once Django is set up:
# the settings take an imported pytest for a test run.


def person(name):
    """Someone without a password: nobody logs in here, and hashing would be the bench."""
    from tests.conftest import make_user

    return make_user(name=name, password=None)


def funded(count, credits, name):
    from tests.conftest import fund

    made = [person(f"{name} {number}") for number in range(count)]
    for someone in made:
        fund(someone, credits)
    return made


def claim_races(orders, claimants):
    """Each published order, claimed by `claimants` volunteers at once: one winner, one event."""
    from accounts.models import ElderCategory, RecipientCategory, VerificationStatus
    from catalogue.models import ServiceKind, ServiceType
    from orders.models import Order, OrderStatus
    from orders.services import OrderError, approve_order, claim_order
    from tests.conftest import (
        make_district,
        make_elder_profile,
        make_staff,
        make_volunteer_profile,
        run_together,
    )
    from tests.orders.conftest import BEFORE_START, place

    district = make_district("yuexiu", "越秀区", "Yuexiu", "北京街", "Beijing Jie")
    staff = make_staff("staff@example.org", district)
    cleaning = ServiceType.objects.create(
        code="cleaning", kind=ServiceKind.GENERAL, name_zh="助洁服务", name_en="Cleaning"
    )
    bad = 0
    for number in range(orders):
        # An elder of their own for each order: one elder books one slot once.
        elder = make_elder_profile(person(f"Elder {number}"), district, sequence=f"{900 + number}")
        ElderCategory.objects.create(
            elder=elder,
            category=RecipientCategory.LOW_INCOME,
            status=VerificationStatus.VERIFIED,
            district=district,
            street=elder.street,
        )
        order = approve_order(place(elder, cleaning), by=staff)
        racers = []
        for seat in range(claimants):
            volunteer = person(f"Volunteer {number}.{seat}")
            # A sequence of its own for each volunteer keeps the ID numbers apart.
            make_volunteer_profile(volunteer, district, sequence=f"{number * claimants + seat:03d}")
            racers.append(partial(claim_order, order, volunteer, now=BEFORE_START))
        outcomes = run_together(*racers)
        winners = [o for o in outcomes if isinstance(o, Order)]
        refused = [o for o in outcomes if isinstance(o, OrderError)]
        order.refresh_from_db()
        bad += not (
            len(winners) == 1
            and len(refused) == claimants - 1
            and order.status == OrderStatus.CLAIMED
            and order.volunteer_id == winners[0].volunteer_id
            and order.events.filter(to_status=OrderStatus.CLAIMED).count() == 1
        )
    return bad


def ending_races(orders):
    """Each delivered order, confirmed twice and auto-completed at once: credited once."""
    from credits.models import ServiceRecord, Transfer, TransferKind
    from orders.models import Order, OrderStatus
    from orders.services import OrderError, auto_complete_order, check_in, check_out, confirm_order
    from tests.conftest import run_together
    from tests.orders.conftest import START

    bad = 0
    for order in orders:
        check_in(order, now=START, by=order.volunteer)
        order = check_out(order, now=START + timedelta(minutes=90), by=order.volunteer)
        elder = order.elder.user
        outcomes = run_together(
            partial(confirm_order, order, by=elder),
            partial(confirm_order, order, by=elder),
            partial(auto_complete_order, order, now=order.checked_out_at + timedelta(hours=73)),
        )
        order.refresh_from_db()
        earned = Transfer.objects.filter(reference=order.reference, kind=TransferKind.EARN)
        bad += not (
            all(o is None or isinstance(o, (Order, OrderError)) for o in outcomes)
            and order.status == OrderStatus.COMPLETED
            and order.events.filter(to_status=OrderStatus.COMPLETED).count() == 1
            and ServiceRecord.objects.filter(reference=order.reference).count() == 1
            and earned.count() == 1
        )
    return bad


def overdraft_trials(trials, threads):
    """A wallet of 5 to 15 credits; `threads` spend or hold 2 each at once, more than it has.

    Exactly as many as the wallet can pay succeed, the others are refused,
    and the balance ends at what was not taken: never below zero, never more
    paid out than there was.
    """
    from credits.holds import hold_credits
    from credits.models import Hold, Transfer, TransferKind
    from credits.services import LedgerError, post_transfer, wallet_of
    from tests.conftest import fund, run_together

    payee = wallet_of(person("Payee"))
    bad = 0
    for trial in range(trials):
        payer, start = person(f"Payer {trial}"), 5 + trial % 11
        fund(payer, start)
        wallet = wallet_of(payer)
        outcomes = run_together(
            *(
                partial(
                    post_transfer, wallet, payee, 2, kind=TransferKind.GIFT, key=f"od:{trial}:{n}"
                )
                if n % 2
                else partial(hold_credits, payer, 2, key=f"od:{trial}:{n}")
                for n in range(threads)
            )
        )
        paid = sum(isinstance(o, (Transfer, Hold)) for o in outcomes)
        refused = sum(isinstance(o, LedgerError) for o in outcomes)
        wallet.refresh_from_db()
        bad += not (
            paid == start // 2 and refused == threads - paid and wallet.balance == start - 2 * paid
        )
    return bad


def last_item_races(races, takers):
    """Goods with 1 to 3 left, `takers` people redeeming at once: each item goes once."""
    from accounts.models import District
    from credits.models import Transfer, TransferKind
    from rewards.models import Redemption
    from rewards.services import RewardsError, redeem_goods
    from tests.conftest import balance, run_together, set_policy
    from tests.rewards.conftest import make_goods, make_station

    set_policy(spendable_after_hours=0)
    district = District.objects.get(code="yuexiu")
    station = make_station(district)
    bad = 0
    for race in range(races):
        stock = 1 + race % 3
        goods = make_goods(district, name=f"Rice {race}", price=10, stock=stock)
        buyers = funded(takers, 10, f"Buyer {race}")
        outcomes = run_together(*(partial(redeem_goods, p, goods, station) for p in buyers))
        won = [o for o in outcomes if isinstance(o, Redemption)]
        refused = [o for o in outcomes if isinstance(o, RewardsError)]
        goods.refresh_from_db()
        debits = Transfer.objects.filter(
            kind=TransferKind.REDEEM, reference__in=[r.reference for r in won]
        )
        bad += not (
            len(won) == stock
            and len(refused) == takers - stock
            and goods.stock == 0
            and Redemption.objects.filter(goods=goods).count() == stock
            and debits.count() == stock
            and sorted(balance(p) for p in buyers) == [0] * stock + [10] * (takers - stock)
        )
    return bad


def business_limit_races(races, rushers):
    """One person firing `rushers` gifts, then as many redemptions, at once.

    The daily gift limit (3) and the goods' per-person limit (2) are counted
    in the database under the wallet lock: exactly that many may pass.
    """
    from accounts.models import District
    from credits.models import Transfer
    from rewards.models import Redemption
    from rewards.services import RewardsError, give_credits, redeem_goods
    from tests.conftest import run_together, set_policy
    from tests.rewards.conftest import link, make_goods, make_station

    set_policy(spendable_after_hours=0, daily_gift_limit=3)
    district = District.objects.get(code="yuexiu")
    station = make_station(district, name="Limits station")
    bad = 0
    for race in range(races):
        giver, relative = funded(1, 50, f"Giver {race}")[0], person(f"Relative {race}")
        link(giver, relative, district)
        gifts = run_together(
            *(
                partial(give_credits, giver, relative, 1, key=f"rush:{race}:{n}")
                for n in range(rushers)
            )
        )
        goods = make_goods(district, name=f"Oil {race}", price=1, stock=rushers, limit_per_person=2)
        taken = run_together(
            *(partial(redeem_goods, giver, goods, station) for _ in range(rushers))
        )
        bad += not (
            sum(isinstance(o, Transfer) for o in gifts) == 3
            and sum(isinstance(o, RewardsError) for o in gifts) == rushers - 3
            and sum(isinstance(o, Redemption) for o in taken) == 2
            and sum(isinstance(o, RewardsError) for o in taken) == rushers - 2
            and Redemption.objects.filter(user=giver, goods=goods).count() == 2
        )
    return bad


def crossed_transfers(rounds, threads, pairs=10):
    """Wallet pairs sending 1 credit to each other at once, half each way.

    Each transfer that does not come back as a transfer (a deadlock, a
    refusal) is bad, and so is a pair whose balances moved: every round
    sends as much each way.
    """
    from credits.models import Transfer, TransferKind
    from credits.services import post_transfer, wallet_of
    from tests.conftest import balance, run_together

    crossing = funded(2 * pairs, 50, "Crossing")
    wallets = [wallet_of(someone) for someone in crossing]
    bad = 0
    for round_no in range(rounds):
        a, b = wallets[2 * (round_no % pairs)], wallets[2 * (round_no % pairs) + 1]
        outcomes = run_together(
            *(
                partial(
                    post_transfer,
                    *((a, b) if n % 2 else (b, a)),
                    1,
                    kind=TransferKind.GIFT,
                    key=f"crossed:{round_no}:{n}",
                )
                for n in range(threads)
            )
        )
        bad += sum(not isinstance(o, Transfer) for o in outcomes)
    posted = Transfer.objects.filter(idempotency_key__startswith="crossed:").count()
    bad += abs(posted - rounds * threads)
    bad += sum(balance(someone) != 50 for someone in crossing)
    return bad


def verify_ledger():
    """Every invariant of the ledger, recomputed from the rows the races posted."""
    from credits.management.commands.verify_ledger import check_ledger
    from credits.models import Account, Transfer

    problems, _summary = check_ledger()
    for problem in problems:
        print(f"  verify_ledger: {problem}", file=sys.stderr)
    return Transfer.objects.count(), Account.objects.count(), len(problems)


def race_rows(db_name, environment):
    """Every race on a fresh database, each one timed on the console as it ends."""
    recreate_database(db_name)
    setup_django(environment)
    from django.core.management import call_command

    from orders.models import Order, OrderStatus

    call_command("migrate", verbosity=0)
    rows = []

    def run(check, size, race, *sizes):
        started = time.perf_counter()
        bad = race(*sizes)
        print(f"{check}: {bad} bad, {time.perf_counter() - started:.0f} s", flush=True)
        rows.append((check, size, bad))

    run("orders: claim", f"{ORDERS} orders × {CLAIMANTS} claimants", claim_races, ORDERS, CLAIMANTS)
    claimed = list(Order.objects.filter(status=OrderStatus.CLAIMED).order_by("pk"))
    run(
        "orders: confirm/auto-complete",
        f"{len(claimed)} orders × 2 confirms + auto",
        ending_races,
        claimed,
    )
    run(
        "credits: overdraft",
        f"{TRIALS} trials × {SPENDERS} threads",
        overdraft_trials,
        TRIALS,
        SPENDERS,
    )
    run(
        "rewards: last items",
        f"{ITEM_RACES} races × {TAKERS} takers of 1-3 items",
        last_item_races,
        ITEM_RACES,
        TAKERS,
    )
    run(
        "rewards: gift and goods limits",
        f"{LIMIT_RACES} people × {RUSHERS} gifts + {RUSHERS} redemptions",
        business_limit_races,
        LIMIT_RACES,
        RUSHERS,
    )
    run(
        "credits: crossed transfers",
        f"{ROUNDS * CROSSERS:,} transfers, {CROSSERS} at once",
        crossed_transfers,
        ROUNDS,
        CROSSERS,
    )
    transfers, accounts, problems = verify_ledger()
    rows.append(
        ("credits: verify_ledger", f"{transfers:,} transfers, {accounts:,} accounts", problems)
    )
    return rows
