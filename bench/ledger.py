"""Ledger throughput: the service functions against pgbench on the same server.

8 worker processes post through `credits.services` (transfers between random
pairs of 1,000 wallets, and one earn in five) for a few seconds, then pgbench
runs its built-in tpcb-like script with 8 clients for as long; the two
alternate a few times. Both medians and their ratio are printed, and
`verify_ledger` checks the ledger afterwards.

The bench makes its own databases (timebank_bench_ledger, timebank_bench_pgbench)
on PostgreSQL at 127.0.0.1:5432 and drops them first if they exist.

    .venv/bin/python bench/ledger.py [--rounds 3] [--seconds 10]
"""

import argparse
import datetime
import multiprocessing
import os
import random
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
SERVER = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}
LEDGER_DB = "timebank_bench_ledger"
PGBENCH_DB = "timebank_bench_pgbench"
WORKERS = 8
WALLETS = 1000
STARTING_CREDITS = 500
EARN_SHARE = 0.2
PGBENCH_SCALE = 10


def recreate(database):
    with psycopg.connect(dbname="postgres", autocommit=True, **SERVER) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{database}"')


def setup_django():
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{LEDGER_DB}"
    os.environ.setdefault("SECRET_KEY", f"bench-{os.urandom(16).hex()}")
    os.environ["DJANGO_SETTINGS_MODULE"] = "timebank.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def seed():
    from django.core.management import call_command

    from accounts.models import User
    from credits.models import Account, AccountKind, TransferKind
    from credits.services import post_transfer, system_account

    call_command("migrate", verbosity=0)
    users = User.objects.bulk_create(
        User(email=f"bench{i}@example.org", password="!", name=f"Bench {i}")  # noqa: S106
        for i in range(WALLETS)
    )
    wallets = Account.objects.bulk_create(
        Account(kind=AccountKind.WALLET, owner=user) for user in users
    )
    issuance = system_account(AccountKind.ISSUANCE)
    for wallet in wallets:
        post_transfer(
            issuance,
            wallet,
            STARTING_CREDITS,
            kind=TransferKind.GRANT,
            key=f"bench:seed:{wallet.pk}",
        )


def post_for(seconds, round_no, worker, barrier, results):
    """One worker: post through the services until time is up; report committed postings."""
    from django.db import connection

    from credits.models import Account, AccountKind, TransferKind
    from credits.services import LedgerError, credit_served_time, post_transfer

    connection.close()  # never share the parent's connection
    rng = random.Random(f"{round_no}:{worker}")
    wallets = list(Account.objects.filter(kind=AccountKind.WALLET).select_related("owner"))
    first_day = datetime.date(2000, 1, 1)
    posted = 0
    barrier.wait()
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        key = f"bench:{round_no}:{worker}:{posted}"
        try:
            if rng.random() < EARN_SHARE:
                credit_served_time(
                    rng.choice(wallets).owner,
                    30,
                    key=key,
                    served_on=first_day + datetime.timedelta(days=rng.randrange(3650)),
                )
            else:
                source, target = rng.sample(wallets, 2)
                post_transfer(source, target, rng.randint(1, 3), kind=TransferKind.GIFT, key=key)
        except LedgerError:
            continue
        posted += 1
    connection.close()
    results.put(posted)


def service_tps(seconds, round_no):
    from django.db import connections

    connections.close_all()
    context = multiprocessing.get_context("fork")
    barrier, results = context.Barrier(WORKERS), context.Queue()
    workers = [
        context.Process(target=post_for, args=(seconds, round_no, n, barrier, results))
        for n in range(WORKERS)
    ]
    for process in workers:
        process.start()
    total = sum(results.get() for _ in workers)
    for process in workers:
        process.join()
    return total / seconds


def pgbench(*args):
    return subprocess.run(
        [
            "/usr/bin/pgbench",
            "-h",
            SERVER["host"],
            "-p",
            str(SERVER["port"]),
            "-U",
            "postgres",
            *args,
            PGBENCH_DB,
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def pgbench_tps(seconds):
    output = pgbench("-c", str(WORKERS), "-j", str(WORKERS), "-T", str(seconds), "-n")
    return float(re.search(r"tps = ([\d.]+) \(without initial connection time\)", output)[1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=10)
    options = parser.parse_args()

    recreate(LEDGER_DB)
    recreate(PGBENCH_DB)
    pgbench("-i", "-q", "-s", str(PGBENCH_SCALE))
    setup_django()
    seed()

    service, reference = [], []
    for round_no in range(1, options.rounds + 1):
        service.append(service_tps(options.seconds, round_no))
        reference.append(pgbench_tps(options.seconds))
        print(f"round {round_no}: service {service[-1]:.0f} TPS, pgbench {reference[-1]:.0f} TPS")

    service_median, pgbench_median = statistics.median(service), statistics.median(reference)
    print(f"service median {service_median:.0f} TPS ({WORKERS} processes, {EARN_SHARE:.0%} earns)")
    print(f"pgbench median {pgbench_median:.0f} TPS (tpcb-like, {WORKERS} clients)")
    print(f"ratio <service/pgbench> {service_median / pgbench_median:.2f}")

    from django.core.management import CommandError, call_command

    try:
        call_command("verify_ledger")
    except CommandError as error:
        sys.exit(f"verify_ledger failed: {error}")


if __name__ == "__main__":
    main()
