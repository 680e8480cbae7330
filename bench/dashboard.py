"""How fast is the staff dashboard for a whole city, and how many queries does it make?

Seeds its own PostgreSQL database (100,000 orders over the last year and
1,000,000 ledger transfers by default, the transfers with COPY), then renders
the dashboard and the citywide monthly report through Django's test client as
a city-level staff member, several times each, and prints the size of the data,
the median render time and the number of queries of each page.

    .venv/bin/python bench/dashboard.py [--orders 100000] [--transfers 1000000] [--renders 7]
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script from anywhere

from bench.market import bulk_people, recreate_database, setup_django  # noqa: E402

DB_NAME = "timebank_bench_dashboard"
BENCH_ENV = {
    "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DB_NAME}",
    "DJANGO_SETTINGS_MODULE": "timebank.settings",
    "DEBUG": "0",
    "SECRET_KEY": "bench-only-secret-key-that-is-long-enough-to-pass-the-checks",
    "ALLOWED_HOSTS": "testserver",
    "SECURE_SSL_REDIRECT": "0",
    "LOG_LEVEL": "WARNING",
}
PEOPLE = 3000
ELDERS = 2000


def seed_orders(order_count, rng, now):
    """Orders over the last year in every street, with waits, minutes and ratings."""
    from django.core.management import call_command

    from accounts.models import Street
    from catalogue.models import ServiceType
    from orders.models import Funding, Order, OrderStatus

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("seed_demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    streets = list(Street.objects.all())
    service_types = list(ServiceType.objects.all())
    people, elders = bulk_people(PEOPLE, ELDERS, streets)
    volunteers = people[ELDERS:]
    weights = {
        OrderStatus.COMPLETED: 60,
        OrderStatus.EXPIRED: 8,
        OrderStatus.CANCELLED: 6,
        OrderStatus.PUBLISHED: 8,
        OrderStatus.SUBMITTED: 4,
        OrderStatus.CLAIMED: 6,
        OrderStatus.REJECTED: 3,
        OrderStatus.DELIVERED: 3,
        OrderStatus.DISPUTED: 2,
    }
    population = [status for status, weight in weights.items() for _ in range(weight)]
    claimed = {
        OrderStatus.COMPLETED,
        OrderStatus.CLAIMED,
        OrderStatus.DELIVERED,
        OrderStatus.DISPUTED,
    }
    batch = []
    for _ in range(order_count):
        status = rng.choice(population)
        elder = rng.choice(elders)
        hours = rng.choice([1, 1, 2, 2, 3])
        starts_at = now - timedelta(minutes=rng.randint(-60 * 24 * 20, 60 * 24 * 365))
        published_at = None if status == OrderStatus.SUBMITTED else starts_at - timedelta(days=2)
        done = status == OrderStatus.COMPLETED
        batch.append(
            Order(
                elder=elder,
                placed_by_id=elder.user_id,
                service_type=rng.choice(service_types),
                starts_at=starts_at,
                ends_at=starts_at + timedelta(hours=hours),
                booked_hours=hours,
                district_id=elder.district_id,
                street_id=elder.street_id,
                address_detail="bench address",
                funding=Funding.WELFARE,
                status=status,
                volunteer=rng.choice(volunteers) if status in claimed else None,
                published_at=published_at,
                claimed_at=published_at + timedelta(minutes=rng.randint(1, 600))
                if status in claimed
                else None,
                credited_minutes=hours * 60 + rng.choice([-15, 0, 0, 15]) if done else None,
                rating=rng.choice([3, 4, 4, 5, 5, 5]) if done and rng.random() < 0.7 else None,
                flagged_unclaimed_at=now if status == OrderStatus.PUBLISHED else None,
            )
        )
        if len(batch) == 5000:
            Order.objects.bulk_create(batch)
            batch = []
    Order.objects.bulk_create(batch)
    return people


def seed_transfers(transfer_count, people, rng, now):
    """Wallets with balances, and `transfer_count` transfers over the last year, by COPY."""
    from django.db import connection

    from credits.models import Account, AccountKind, TransferKind
    from credits.services import system_account

    wallets = Account.objects.bulk_create(
        Account(kind=AccountKind.WALLET, owner=person, balance=rng.randint(0, 300))
        for person in people
    )
    issuance = system_account(AccountKind.ISSUANCE).pk
    pool = system_account(AccountKind.PUBLIC_POOL).pk
    kinds = [TransferKind.EARN] * 6 + [TransferKind.DONATE, TransferKind.GRANT, TransferKind.GIFT]
    wallet_ids = [wallet.pk for wallet in wallets]
    started = time.monotonic()
    columns = "source_id, target_id, amount, kind, reference, idempotency_key, memo, created_at"
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY credits_transfer ({columns}) FROM STDIN") as copy,
    ):
        for number in range(transfer_count):
            kind = rng.choice(kinds)
            wallet = rng.choice(wallet_ids)
            source, target = {
                TransferKind.EARN: (issuance, wallet),
                TransferKind.GRANT: (issuance, wallet),
                TransferKind.DONATE: (wallet, pool),
                TransferKind.GIFT: (wallet, rng.choice(wallet_ids)),
            }[kind]
            if source == target:
                target = pool
            created_at = now - timedelta(seconds=rng.randint(0, 365 * 24 * 3600))
            copy.write_row(
                (source, target, rng.randint(1, 3), kind, "", f"bench:{number}", "", created_at)
            )
    seconds = time.monotonic() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return seconds


def render(client, url, renders):
    """Median milliseconds over `renders` renders, and the query count of one."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm the caches and the connection
    timings = []
    for _ in range(renders):
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return statistics.median(timings), len(queries)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--transfers", type=int, default=1_000_000)
    parser.add_argument("--renders", type=int, default=7)
    args = parser.parse_args()

    recreate_database(DB_NAME)
    setup_django(BENCH_ENV)
    from allauth.mfa.totp.internal.auth import generate_totp_secret
    from django.test import Client
    from django.utils import timezone

    from accounts.models import User
    from accounts.twofactor import enrol_authenticator
    from credits.models import Transfer
    from orders.models import Order

    rng = random.Random(7)
    now = timezone.now()
    started = time.monotonic()
    people = seed_orders(args.orders, rng, now)
    print(f"seeded {Order.objects.count():,} orders in {time.monotonic() - started:.0f} s")
    copy_seconds = seed_transfers(args.transfers, people, rng, now)
    print(f"seeded {Transfer.objects.count():,} transfers in {copy_seconds:.0f} s (COPY)")

    staff = User.objects.create_superuser(email="bench.city@example.org", password=None)
    enrol_authenticator(staff, generate_totp_secret())  # or the admin sends them to enrol
    client = Client()
    client.force_login(staff)
    pages = {
        "dashboard": "/zh-hans/admin/dashboard/",
        "report (citywide)": "/zh-hans/admin/reports/",
        "report (xlsx)": "/zh-hans/admin/reports/?format=xlsx",
    }
    for name, url in pages.items():
        milliseconds, queries = render(client, url, args.renders)
        print(
            f"{name:<18} median {milliseconds:7.1f} ms"
            f" over {args.renders} renders, {queries} queries"
        )


if __name__ == "__main__":
    main()
