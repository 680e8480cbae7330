"""How fast is the volunteer market page, against a plain page over the same table,
and its JSON twin in the API?

Seeds 100,000 orders into its own PostgreSQL database, serves the app with
gunicorn as in production (DEBUG off, pooled connections), and measures
with wrk, alternating the market page and a baseline page a few times:

    baseline: logged in, 20 rows from the same orders table by an index,
              one plain template (defined here, not in the product's URLs)
    market:   the real /zh-hans/orders/market/ with its default filters
    json:     the same market from /api/v1/market, by the same session
    token:    /api/v1/market by a bearer token (the phone client's way)

Prints the medians, `ratio <market/baseline>` and `ratio <json/market>`
(the API's target: at least 1.0).

    .venv/bin/python bench/market.py [--orders 100000] [--rounds 3] [--seconds 10]
"""

import argparse
import datetime
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB_NAME = "timebank_bench_market"
DATABASE_URL = f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"
PORT = 8765
BENCH_ENV = {
    "DATABASE_URL": DATABASE_URL,
    "DJANGO_SETTINGS_MODULE": "bench.market_settings",
    "DEBUG": "0",
    "SECRET_KEY": "bench-only-secret-key-that-is-long-enough-to-pass-the-checks",
    "ALLOWED_HOSTS": "127.0.0.1",
    "SECURE_SSL_REDIRECT": "0",
    "CONN_MAX_AGE": "600",
    "LOG_LEVEL": "WARNING",
    "PYTHONPATH": str(ROOT),
}


def run(*args, **kwargs):
    return subprocess.run(args, check=True, cwd=ROOT, **kwargs)


def ensure_wrk():
    if shutil.which("wrk"):
        return
    print("installing wrk …", flush=True)
    run("apt-get", "install", "-y", "-qq", "wrk", stdout=subprocess.DEVNULL)


def recreate_database(name=DB_NAME):
    """A bench's own database, never the ones the tests use."""
    import psycopg

    with psycopg.connect("host=127.0.0.1 user=postgres dbname=postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def setup_django(env=BENCH_ENV):
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def resident_id(birth_date, sequence):
    from accounts.idnumbers import check_character

    first = f"440104{birth_date:%Y%m%d}{sequence % 1000:03d}"
    return first + check_character(first)


def bulk_people(count, elder_count, streets):
    """`count` people who cannot log in, and elder profiles for the first `elder_count`."""
    from accounts.models import ElderProfile, ResidentIdentity, User

    people = User.objects.bulk_create(
        User(name=f"bench {i}", password="!unusable")  # noqa: S106
        for i in range(count)
    )
    numbers = [
        resident_id(datetime.date(1940, 1, 1) + timedelta(days=i), i) for i in range(elder_count)
    ]
    # A profile's number must be registered to its person first (a database constraint).
    ResidentIdentity.objects.bulk_create(
        ResidentIdentity(number=number, user=user)
        for number, user in zip(numbers, people, strict=False)
    )
    elders = ElderProfile.objects.bulk_create(
        ElderProfile(
            user=user,
            real_name=user.name,
            id_number=numbers[i],
            birth_date=datetime.date(1940, 1, 1) + timedelta(days=i),
            district_id=streets[i % len(streets)].district_id,
            street=streets[i % len(streets)],
            address="bench address",
            emergency_contact_name="family",
            emergency_contact_phone="+8613900000000",
            registered_by=user,
        )
        for i, user in enumerate(people[:elder_count])
    )
    return people, elders


def seed(order_count):
    """A city's worth of orders: spread over districts, statuses and ±60 days."""
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.utils import timezone

    from accounts.models import District, Street, User
    from catalogue.models import ServiceType
    from orders.models import Funding, Order, OrderStatus

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("seed_demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    rng = random.Random(42)
    streets = list(Street.objects.select_related("district"))
    service_types = list(ServiceType.objects.all())
    people, elders = bulk_people(3000, 2000, streets)
    volunteers = people[2000:]
    statuses = [
        (OrderStatus.COMPLETED, 55),
        (OrderStatus.PUBLISHED, 12),
        (OrderStatus.SUBMITTED, 5),
        (OrderStatus.CLAIMED, 8),
        (OrderStatus.CANCELLED, 6),
        (OrderStatus.EXPIRED, 6),
        (OrderStatus.REJECTED, 3),
        (OrderStatus.DELIVERED, 3),
        (OrderStatus.DISPUTED, 2),
    ]
    population = [s for s, weight in statuses for _ in range(weight)]
    now = timezone.now()
    with_volunteer = {
        OrderStatus.COMPLETED,
        OrderStatus.CLAIMED,
        OrderStatus.DELIVERED,
        OrderStatus.DISPUTED,
    }
    batch = []
    for _ in range(order_count):
        status = rng.choice(population)
        street = rng.choice(streets)
        hours = rng.choice([1, 1, 1, 2, 2, 3])
        if status in {OrderStatus.PUBLISHED, OrderStatus.SUBMITTED, OrderStatus.CLAIMED}:
            starts_at = now + timedelta(minutes=rng.randint(60, 60 * 24 * 60))
        else:
            starts_at = now - timedelta(minutes=rng.randint(60, 60 * 24 * 60))
        elder = rng.choice(elders)
        batch.append(
            Order(
                elder=elder,
                placed_by_id=elder.user_id,
                service_type=rng.choice(service_types),
                starts_at=starts_at,
                ends_at=starts_at + timedelta(hours=hours),
                booked_hours=hours,
                district_id=street.district_id,
                street=street,
                address_detail="bench address",
                funding=Funding.WELFARE,
                status=status,
                volunteer=rng.choice(volunteers) if status in with_volunteer else None,
            )
        )
        if len(batch) == 5000:
            Order.objects.bulk_create(batch)
            batch = []
    Order.objects.bulk_create(batch)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    volunteer = User.objects.get(phone="+8613800000003")
    session = SessionStore()
    session["_auth_user_id"] = str(volunteer.pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = volunteer.get_session_auth_hash()
    session.save()
    from api.auth import issue_token

    token = issue_token(volunteer)
    print(
        f"seeded {Order.objects.count():,} orders "
        f"({Order.objects.filter(status=OrderStatus.PUBLISHED).count():,} published)",
        flush=True,
    )
    return session.session_key, token, District.objects.count()


def wait_for_port(port, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError(f"nothing listens on port {port}")


def measure(url, header, seconds):
    out = subprocess.run(
        # A loaded machine answers slowly: wrk's 2 s timeout would count nothing.
        ["wrk", "-t2", "-c16", f"-d{seconds}s", "--timeout", "30s", "-H", header, url],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    if "Non-2xx" in out:
        raise RuntimeError(f"{url} answered errors:\n{out}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=10)
    args = parser.parse_args()

    ensure_wrk()
    recreate_database()
    setup_django()
    session_key, token, _districts = seed(args.orders)

    gunicorn = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "timebank.wsgi:application",
            "--workers",
            "4",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env={**os.environ, **BENCH_ENV},
    )
    try:
        wait_for_port(PORT)
        base = f"http://127.0.0.1:{PORT}"
        cookie, bearer = f"Cookie: sessionid={session_key}", f"Authorization: Bearer {token}"
        pages = {
            "market": (f"{base}/zh-hans/orders/market/", cookie),
            "baseline": (f"{base}/bench/baseline/", cookie),
            "json": (f"{base}/api/v1/market", cookie),
            "token": (f"{base}/api/v1/market", bearer),
        }
        for url, header in pages.values():  # warm up every worker's connection and caches
            measure(url, header, 2)
        results = {name: [] for name in pages}
        for round_number in range(1, args.rounds + 1):
            for name, (url, header) in pages.items():
                rate = measure(url, header, args.seconds)
                results[name].append(rate)
                print(f"round {round_number}: {name:<8} {rate:8.1f} req/s", flush=True)
    finally:
        gunicorn.send_signal(signal.SIGTERM)
        gunicorn.wait(timeout=30)

    medians = {name: statistics.median(rates) for name, rates in results.items()}
    for name, rate in medians.items():
        print(f"median {name:<8} {rate:.1f} req/s")
    for above, below in [("market", "baseline"), ("json", "market"), ("token", "market")]:
        ratio = medians[above] / medians[below] if medians[below] else float("nan")
        print(f"ratio <{above}/{below}> {ratio:.2f}")


if __name__ == "__main__":
    main()
