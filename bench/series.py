"""Publishing repeating services for a whole city: time and queries of one run.

For each size (2,000 and 20,000 series by default) the bench adds that many
running weekly series, spread over the city's districts and streets, each
for an elder of its own: 40 % paid from the elder's own credits (wallets
of 0 to 12 credits, so some visits are short and their elders are told), the
rest welfare. It then runs `series.publishing.publish_due_occurrences` once,
with the policy's 14-day horizon (two visits per series), and prints the
wall time (and this process's CPU time, steadier on a busy machine), the
visits published and short, and the number of queries: the same for every
size, since the run is set-based. The series of a size are
ended before the next size is added, so each run publishes its own.

A last run gives a share of the series a regular volunteer (`--volunteers`,
5 % of the smaller size by default): each of their visits is claimed through
the ordinary `orders.claim_order`, one by one so that every claim rule
applies, and the queries of that run grow by the claims alone.

It runs on the PostgreSQL server of DATABASE_URL (default 127.0.0.1:5432,
user postgres) in a database of its own, `timebank_bench_series`, dropped
and made afresh (never the one DATABASE_URL names), and checks the ledger
with `verify_ledger` at the end (BENCH_SLOWEST=1 also prints each run's
slowest statements):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/series.py [--sizes 2000 20000] [--volunteers 0.05]
"""

import argparse
import datetime
import os
import random
import sys
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DB_NAME = "timebank_bench_series"
OWN_CREDIT_SHARE = 0.4
HOURS = [1, 1, 2, 2, 3]


def bench_database_url():
    """DATABASE_URL's server, with the bench's own database."""
    url = urlsplit(os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/postgres")
    if not url.scheme.startswith("postgres"):
        sys.exit("bench/series.py needs PostgreSQL: set DATABASE_URL=postgres://...")
    return urlunsplit(url._replace(path=f"/{DB_NAME}")), url


def recreate_database(server):
    import psycopg

    with psycopg.connect(
        host=server.hostname,
        port=server.port or 5432,
        user=server.username or "postgres",
        password=server.password,
        dbname="postgres",
        autocommit=True,
    ) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB_NAME}"')


def setup_django(database_url):
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("SECRET_KEY", f"bench-{os.urandom(16).hex()}")
    os.environ["DJANGO_SETTINGS_MODULE"] = "timebank.settings"
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def resident_id(birth_date, sequence):
    from accounts.idnumbers import check_character

    first = f"440104{birth_date:%Y%m%d}{sequence % 1000:03d}"
    return first + check_character(first)


def people(count, first, *, born):
    """`count` people who cannot log in, numbered from `first`, each holding a resident ID."""
    from accounts.models import ResidentIdentity, User

    users = User.objects.bulk_create(
        User(name=f"bench {first + i}", password="!unusable")  # noqa: S106
        for i in range(count)
    )
    births = [born + timedelta(days=(first + i) // 1000) for i in range(count)]
    ids = [resident_id(births[i], first + i) for i in range(count)]
    ResidentIdentity.objects.bulk_create(
        ResidentIdentity(number=number, user=user) for number, user in zip(ids, users, strict=True)
    )
    return users, births, ids


def seed_series(count, first, rng, streets, service_type, reviewer, *, volunteers=0):
    """`count` approved weekly series, one elder each; the first `volunteers` have a
    regular volunteer. Returns the number of series on own credits."""
    from django.utils import timezone

    from accounts.models import (
        ElderCategory,
        ElderProfile,
        RecipientCategory,
        VerificationStatus,
        VolunteerProfile,
    )
    from credits.models import Account, AccountKind, Transfer, TransferKind
    from credits.services import system_account
    from orders.models import Funding
    from series.models import Series, SeriesStatus

    users, births, ids = people(count, first, born=datetime.date(1940, 1, 1))
    places = [rng.choice(streets) for _user in users]
    elders = ElderProfile.objects.bulk_create(
        ElderProfile(
            user=user,
            real_name=user.name,
            id_number=ids[i],
            birth_date=births[i],
            district_id=places[i].district_id,
            street=places[i],
            address="bench address",
            emergency_contact_name="family",
            emergency_contact_phone="+8613900000000",
            registered_by=user,
            card_code=f"B{first + i:05d}",  # unique; random codes collide among 20,000
        )
        for i, user in enumerate(users)
    )
    own = [rng.random() < OWN_CREDIT_SHARE for _elder in elders]
    ElderCategory.objects.bulk_create(
        ElderCategory(
            elder=elder,
            category=RecipientCategory.LOW_INCOME,
            status=VerificationStatus.VERIFIED,
            district_id=elder.district_id,
            street_id=elder.street_id,
        )
        for elder, pays in zip(elders, own, strict=True)
        if not pays
    )
    # Funded as the ledger would be: a grant from issuance for each balance.
    credits = {elder.user_id: rng.randint(0, 12) for elder, pays in zip(elders, own, strict=True)}
    funded = {owner: amount for owner, amount in credits.items() if amount}
    wallets = Account.objects.bulk_create(
        Account(kind=AccountKind.WALLET, owner_id=owner, balance=amount)
        for owner, amount in funded.items()
    )
    issuance = system_account(AccountKind.ISSUANCE)
    Transfer.objects.bulk_create(
        Transfer(
            source=issuance,
            target=wallet,
            amount=wallet.balance,
            kind=TransferKind.GRANT,
            idempotency_key=f"bench:fund:{wallet.owner_id}",
        )
        for wallet in wallets
    )
    regulars = []
    if volunteers:
        helpers, helper_births, helper_ids = people(
            volunteers, first + count, born=datetime.date(1990, 1, 1)
        )
        profiles = VolunteerProfile.objects.bulk_create(
            VolunteerProfile(
                user=user,
                real_name=user.name,
                id_number=helper_ids[i],
                birth_date=helper_births[i],
                health_declared=True,
                status=VerificationStatus.VERIFIED,
                district_id=places[i].district_id,
            )
            for i, user in enumerate(helpers)
        )
        VolunteerProfile.serve_districts.through.objects.bulk_create(
            VolunteerProfile.serve_districts.through(
                volunteerprofile_id=profile.pk, district_id=places[i].district_id
            )
            for i, profile in enumerate(profiles)
        )
        regulars = helpers
    tomorrow = timezone.localdate() + timedelta(days=1)
    Series.objects.bulk_create(
        Series(
            elder=elder,
            placed_by_id=elder.user_id,
            service_type=service_type,
            weekdays=1 << rng.randrange(7),
            time_of_day=datetime.time(rng.randint(8, 17)),
            booked_hours=rng.choice(HOURS),
            funding=Funding.OWN_CREDITS if pays else Funding.WELFARE,
            starts_on=tomorrow,
            ends_on=tomorrow + timedelta(days=180),
            district_id=elder.district_id,
            street_id=elder.street_id,
            status=SeriesStatus.APPROVED,
            reviewed_by=reviewer,
            volunteer=regulars[i] if i < len(regulars) else None,
        )
        for i, (elder, pays) in enumerate(zip(elders, own, strict=True))
    )
    return sum(own)


def run_once(label, count, volunteers):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from series import publishing
    from series.models import Occurrence, OccurrenceState

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    short_before = Occurrence.objects.filter(state=OccurrenceState.SHORT).count()
    with CaptureQueriesContext(connection) as queries:
        started, cpu = time.perf_counter(), time.process_time()
        published = publishing.publish_due_occurrences()
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    if os.environ.get("BENCH_SLOWEST"):
        for query in sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:6]:
            print(query["time"], query["sql"][:120])
    short = Occurrence.objects.filter(state=OccurrenceState.SHORT).count() - short_before
    print(
        f"{label:<28} {count:>7,} series {volunteers:>5,} with a volunteer  "
        f"{seconds:7.2f} s ({cpu:.2f} s CPU here)  {published:>7,} published  {short:>6,} short  "
        f"{len(queries):>6,} queries",
        flush=True,
    )
    return len(queries), published


def end_all():
    from series.models import Series, SeriesStatus

    Series.objects.filter(status=SeriesStatus.APPROVED).update(status=SeriesStatus.ENDED)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 20000])
    parser.add_argument("--volunteers", type=float, default=0.05)
    args = parser.parse_args()
    database_url, server = bench_database_url()
    recreate_database(server)
    setup_django(database_url)

    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command

    from accounts.models import Street, User
    from catalogue.models import ServiceKind, ServiceType
    from series.models import Occurrence

    call_command("migrate", verbosity=0)
    call_command("seed_demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    rng = random.Random(42)
    streets = list(Street.objects.all())
    service_type = ServiceType.objects.filter(kind=ServiceKind.GENERAL, is_active=True).first()
    reviewer = User.objects.create_user(
        email="bench.reviewer@example.org", password=None, is_staff=True, is_superuser=True
    )
    ContentType.objects.get_for_model(Occurrence)  # a worker has it cached after its first run
    print(
        f"{len(streets)} streets in {len({s.district_id for s in streets})} districts; "
        f"weekly series, {OWN_CREDIT_SHARE:.0%} on own credits; horizon 14 days; "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs",
        flush=True,
    )
    first, counts = 0, []
    for size in args.sizes:
        own = seed_series(size, first, rng, streets, service_type, reviewer)
        first += size
        queries, _published = run_once(f"set-based ({own:,} own credits)", size, 0)
        counts.append(queries)
        end_all()
    smallest = min(args.sizes)
    helpers = int(smallest * args.volunteers)
    if helpers:
        seed_series(smallest, first, rng, streets, service_type, reviewer, volunteers=helpers)
        first += smallest + helpers
        queries, _published = run_once("with regular volunteers", smallest, helpers)
        print(
            f"  the {helpers:,} series with a volunteer add {queries - counts[0]:,} queries:"
            " each of their visits is claimed one by one through orders.claim_order",
            flush=True,
        )
    same = len(set(counts)) == 1
    print(f"queries per run {'do not grow' if same else 'GROW'} with the number of series")
    call_command("verify_ledger")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
