"""Faults: does the site lose or double anything when the database or the workers die?

Starts its own PostgreSQL (initdb in a temporary folder, a free port from
55432, never the shared server), the real site under gunicorn (DEBUG off) and
the task runner (`manage.py run_tasks`) on it, seeds elders, volunteers,
relatives and goods, and runs a mixed load of real journeys through the HTML
forms: an elder orders, staff approve in the admin, a volunteer claims, checks
in and out, the elder confirms; relatives give credits; people redeem goods.
Meanwhile each scenario does one kind of harm:

    restart  PostgreSQL stopped with `-m immediate` and started again, twice
    workers  a task worker killed with SIGKILL, ten times
    pause    PostgreSQL and all its processes stopped (SIGSTOP) for 10 s

Every operation that got a success page is looked up afterwards: it must
exist (lost), with every notice and text message its tasks owe (a missing one
is a lost task), no order credited twice, and `verify_ledger` passing; each
person's orders, gifts and redemptions are counted against what their client
sent (duplicated, see `beyond_attempts`). A scenario in which some kind of
operation was never acknowledged fails the run: it proved nothing about it.
5xx answers and dropped connections count as errors unless the request
overlapped the fault; recovery is the time from the end of a fault to the
first good page (the worst of the scenario's faults). Prints one line per
scenario, and the acknowledged/attempted count of each kind to stderr; exits
non-zero on any lost, duplicated or error.

Time passes faster than the clock: after a claim the bench moves the order's
start to half an hour from now (check-in opens an hour before), and after the
check-in it moves the check-in back by the booked hour.

    .venv/bin/python bench/faults.py        (as root: PostgreSQL runs as postgres)
"""

import collections
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script from anywhere

from bench.fault_clients import (  # noqa: E402
    WEB_PORT,
    Tally,
    gift_journey,
    order_journey,
    probe,
    redeem_journey,
    with_db,
)
from bench.fault_world import seed  # noqa: E402
from bench.market import setup_django, wait_for_port  # noqa: E402
from bench.processes import (  # noqa: E402
    Postgres,
    Served,
    Servers,
    children_of,
    cleanup,
    free_port,
)

JOURNEYS = 4  # threads walking orders from placing to confirming
GIFTS = 2
REDEEMERS = 2
KINDS = ["order", "approve", "claim", "check in", "check out", "confirm", "gift", "redeem"]
DRAIN_SECONDS = 180  # longer than Q_CLUSTER["retry"]: a killed task runs again after it


# Faults -----------------------------------------------------------------------


def qcluster_workers(tasks):
    """Pids of the task workers, as the cluster reports them, that are ours to kill."""
    from django_q.status import Stat

    ours = descendants(tasks.process.pid)
    return [pid for stat in with_db(Stat.get_all) for pid in stat.workers if pid in ours]


def descendants(parent):
    found = set()
    for child in children_of(parent):
        found |= {child, *descendants(child)}
    return found


def restart_twice(servers, tally):
    for _round in range(2):
        time.sleep(6)
        started = time.monotonic()
        servers.postgres.restart_immediately()
        tally.faults.append((started, time.monotonic()))


def kill_workers(servers, tally):
    time.sleep(3)
    while len(tally.faults) < 10:
        workers = qcluster_workers(servers.tasks)
        if not workers:  # a new cluster is starting
            time.sleep(0.2)
            continue
        moment = time.monotonic()
        try:
            os.kill(random.choice(workers), signal.SIGKILL)
        except ProcessLookupError:
            continue
        tally.faults.append((moment, moment))
        time.sleep(2)


def pause_database(servers, tally):
    time.sleep(5)
    started = time.monotonic()
    servers.postgres.pause(10)
    tally.faults.append((started, time.monotonic()))


SCENARIOS = [("restart", restart_twice), ("workers", kill_workers), ("pause", pause_database)]


def run_load(world, servers, name, harm):
    """Run the load, do the harm, let the load go on a little, then stop the clients."""
    from django.utils import timezone

    tally = Tally(name=name)
    tally.started_at = with_db(timezone.now)
    stop = threading.Event()
    load = [(order_journey, JOURNEYS), (gift_journey, GIFTS), (redeem_journey, REDEEMERS)]
    clients = [
        threading.Thread(target=journey, args=(world, n, tally, stop))
        for journey, count in load
        for n in range(count)
    ]
    clients.append(threading.Thread(target=probe, args=(world, tally, stop)))
    for client in clients:
        client.start()
    try:
        harm(servers, tally)
        time.sleep(6)
    finally:
        stop.set()
        for client in clients:
            client.join()
    tally.ended_at = with_db(timezone.now)
    return tally


# Checks -----------------------------------------------------------------------


def drain_queue():
    """Wait until every queued task ran (killed ones run again after `retry`)."""
    from django_q.models import OrmQ

    deadline = time.monotonic() + DRAIN_SECONDS
    while with_db(OrmQ.objects.exists) and time.monotonic() < deadline:
        time.sleep(1)


def missing_and_doubled(tally):
    """Acknowledged operations not found, and operations or texts found more than once."""
    from django.db.models import Count
    from django.utils import translation

    from accounts.models import TextMessage
    from credits.models import ServiceRecord
    from notifications.models import Notification, NotificationKind
    from orders.models import Order, OrderEvent, OrderStatus
    from orders.tasks import order_recipients
    from rewards.services import gift_given, redemption_with_key

    lost = 0
    reached = {
        "approve": OrderStatus.PUBLISHED,
        "claim": OrderStatus.CLAIMED,
        "check in": OrderStatus.IN_SERVICE,
        "check out": OrderStatus.DELIVERED,
        "confirm": OrderStatus.COMPLETED,
    }
    duplicated = beyond_attempts(tally)
    for kind, identity in tally.acknowledged:
        if kind == "order":
            found = Order.objects.filter(pk=identity).count()
        elif kind in reached:
            found = OrderEvent.objects.filter(order=identity, to_status=reached[kind]).count()
            if kind == "confirm":  # completed once, and the volunteer credited once
                reference = Order(pk=identity).reference
                earned = ServiceRecord.objects.filter(reference=reference).count()
                found = 0 if 0 in (found, earned) else max(found, earned)
        elif kind == "gift":
            found = int(gift_given(*identity))
        else:
            found = int(redemption_with_key(*identity) is not None)
        lost += found == 0
        duplicated += found > 1
        if found != 1:
            report(tally, f"{kind} {identity} found {found} times")
    # No order credited twice, acknowledged or not.
    window = {"created_at__gte": tally.started_at, "created_at__lte": tally.ended_at}
    duplicated += (
        ServiceRecord.objects.filter(reference__startswith="order:", **window)
        .values("reference")
        .annotate(times=Count("pk"))
        .filter(times__gt=1)
        .count()
    )
    # Every status change that notifies had its task run: the notice and its text, once.
    kinds = {
        OrderStatus.PUBLISHED: NotificationKind.APPROVED.value,
        OrderStatus.CLAIMED: NotificationKind.CLAIMED.value,
        OrderStatus.COMPLETED: NotificationKind.COMPLETED.value,
    }
    events = OrderEvent.objects.filter(to_status__in=kinds, **window).select_related(
        "order__elder__user", "order__volunteer"
    )
    for event in events:
        kind = kinds[event.to_status]
        order = event.order
        with translation.override("zh-hans"):
            label = str(NotificationKind(kind).label)
        for recipient in order_recipients(order, kind):
            notices = Notification.objects.filter(
                recipient=recipient, kind=kind, topic=order.reference
            )
            texts = TextMessage.objects.filter(
                recipient=recipient.phone, sent_at__gte=tally.started_at
            )
            sent = [
                body
                for body in texts.values_list("body", flat=True)
                if order.number in body and label in body
            ]
            lost += not notices.exists() or not sent
            if not notices.exists() or len(sent) != 1:
                found = f"{notices.count()} notices, {len(sent)} texts"
                report(tally, f"order {order.pk}: {kind} to {recipient.pk}: {found}")
            duplicated += len(sent) > 1
    return lost, duplicated


def beyond_attempts(tally):
    """Orders, gifts and redemptions beyond one per attempt the person's client made.

    Each attempt (one keyed confirmation or goods page, resent under the same
    key until answered; one order form, sent once) may add at most one row. A
    row the client saw acknowledged is expected; a row from an attempt whose
    answer was lost in an outage, or that came back refused after an earlier
    try had gone through, is "unacknowledged but applied": allowed, reported,
    not a duplicate. Every other row of that person in the scenario is a
    duplicate. Gifts and redemptions are matched to their attempt by key; an
    order form carries no key, so orders are matched by count.
    """
    from credits.models import Transfer, TransferKind
    from credits.services import wallet_of
    from orders.models import Order
    from rewards.models import Redemption
    from rewards.services import gift_given, redemption_with_key

    window = {"created_at__gte": tally.started_at, "created_at__lte": tally.ended_at}
    rows_of = {
        "order": lambda user: Order.objects.filter(elder__user=user, **window),
        "gift": lambda user: Transfer.objects.filter(
            kind=TransferKind.GIFT, source=wallet_of(user), **window
        ),
        "redeem": lambda user: Redemption.objects.filter(user=user, **window),
    }
    applied = {
        "gift": gift_given,
        "redeem": lambda user, key: redemption_with_key(user, key) is not None,
    }
    duplicated = unacknowledged = 0
    for (kind, person), attempts in tally.posted.items():
        if kind not in rows_of:
            continue
        rows = rows_of[kind](person).count()
        unanswered = [key for key, identity in attempts.items() if identity is None]
        if kind == "order":
            answered = [identity for identity in attempts.values() if identity is not None]
            expected = Order.objects.filter(pk__in=answered).count()
            applied_unanswered = max(0, min(len(unanswered), rows - expected))
        else:
            expected = sum(applied[kind](person, key) for key in attempts if key not in unanswered)
            applied_unanswered = sum(applied[kind](person, key) for key in unanswered)
        beyond = rows - expected - applied_unanswered
        unacknowledged += applied_unanswered
        if beyond > 0:
            report(tally, f"{kind} by {person.pk}: {rows} rows from {len(attempts)} attempts")
        duplicated += max(beyond, 0)
    report(tally, f"unacknowledged but applied: {unacknowledged}")
    return duplicated


def report(tally, problem):
    print(f"{tally.name}: {problem}", file=sys.stderr)


def server_errors(tally):
    """Failed requests that did not overlap any fault."""
    return sum(
        1
        for sent, answered, status in tally.requests
        if (status is None or status >= 500)
        and not any(sent <= end and answered >= start for start, end in tally.faults)
    )


def recovery(tally):
    """Seconds from the end of each fault to the next good page; the worst of them."""
    worst = 0.0
    for _start, end in tally.faults:
        good = [
            answered for sent, answered, status in tally.requests if status == 200 and sent >= end
        ]
        worst = max(worst, (min(good) if good else time.monotonic()) - end)
    return round(worst, 1)


def verify_ledger():
    from django.core.management import call_command

    with_db(lambda: call_command("verify_ledger", stdout=open(os.devnull, "w")))  # noqa: SIM115


# Running ------------------------------------------------------------------------


def environment(postgres, var_dir):
    return {
        **os.environ,
        "DATABASE_URL": postgres.url,
        "DJANGO_SETTINGS_MODULE": "timebank.settings",
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-secret-key-that-is-long-enough-to-pass-the-checks",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "LOG_LEVEL": "WARNING",
        "VAR_DIR": str(var_dir),
        "Q_WORKERS": "2",
        "PYTHONPATH": str(ROOT),
    }


def run_scenarios():
    """Run every scenario once; one dict of figures per scenario.

    The work happens in a fresh process (this file with `--rows`), so the
    caller's own Django setup, if any, is never touched. Raises
    CalledProcessError when the run fails, `verify_ledger` included.
    """
    rows = subprocess.run(
        [sys.executable, __file__, "--rows"], check=True, stdout=subprocess.PIPE, text=True
    ).stdout
    return json.loads(rows.splitlines()[-1])


def measure():
    """Run the scenarios; the servers and the cluster go in `finally`, on SIGTERM too."""
    global WEB_PORT
    try:
        postgres = Postgres()
        env = environment(postgres, postgres.dir / "var")
        setup_django(env)
        world = seed()
        WEB_PORT = free_port(WEB_PORT)
        gunicorn = [
            str(ROOT / ".venv/bin/gunicorn"), "timebank.wsgi:application",
            "--workers", "2", "--threads", "4", "--timeout", "60",
            "--bind", f"127.0.0.1:{WEB_PORT}", "--log-level", "warning",
        ]  # fmt: skip
        Served(gunicorn, env, postgres.dir / "gunicorn.log")
        tasks = Served([sys.executable, "manage.py", "run_tasks"], env, postgres.dir / "tasks.log")
        servers = Servers(postgres, tasks)
        wait_for_port(WEB_PORT, timeout=60)
        tallies = []
        for name, harm in SCENARIOS:
            tallies.append(run_load(world, servers, name, harm))
            verify_ledger()
        drain_queue()
        verify_ledger()
        rows, silent = [], []
        for tally in tallies:
            lost, duplicated = with_db(lambda tally=tally: missing_and_doubled(tally))
            for reason, times in tally.refusals.most_common():
                report(tally, f"refused {times} times: {reason}")
            acknowledged = collections.Counter(kind for kind, _identity in tally.acknowledged)
            counts = ", ".join(
                f"{kind} {acknowledged[kind]}/{tally.attempted[kind]}" for kind in KINDS
            )
            report(tally, f"acknowledged/attempted: {counts}")
            silent += [f"{tally.name}: {kind}" for kind in KINDS if not acknowledged[kind]]
            rows.append(
                {
                    "scenario": tally.name,
                    "attempted": tally.attempted.total(),
                    "acknowledged": len(tally.acknowledged),
                    "lost": lost,
                    "duplicated": duplicated,
                    "server_errors": server_errors(tally),
                    "recovery_s": recovery(tally),
                }
            )
        if silent:  # a kind never acknowledged was never tested
            raise RuntimeError(f"nothing acknowledged in {', '.join(silent)}")
        return rows
    finally:
        cleanup()


def main():
    if sys.argv[1:] == ["--rows"]:
        signal.signal(signal.SIGTERM, lambda *_args: sys.exit(1))  # clean up on kill too
        print(json.dumps(measure()))
        return
    started = time.monotonic()
    try:
        rows = run_scenarios()
    except subprocess.CalledProcessError as error:
        sys.exit(f"faults: the run failed (exit {error.returncode}); see above")
    print(
        f"{'scenario':<9} {'attempted':>9} {'acknowledged':>12} {'lost':>5} {'duplicated':>10}"
        f" {'5xx outside outage':>18} {'recovery (s)':>12}"
    )
    for row in rows:
        print(
            f"{row['scenario']:<9} {row['attempted']:>9} {row['acknowledged']:>12}"
            f" {row['lost']:>5} {row['duplicated']:>10} {row['server_errors']:>18}"
            f" {row['recovery_s']:>12}"
        )
    print(f"verify_ledger passed; {time.monotonic() - started:.0f} s in all")
    if any(row["lost"] + row["duplicated"] + row["server_errors"] for row in rows):
        sys.exit(1)


if __name__ == "__main__":
    main()
