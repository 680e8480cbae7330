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
import datetime
import http.client
import http.cookiejar
import itertools
import json
import os
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script from anywhere

from bench.market import setup_django, wait_for_port  # noqa: E402

PG_BIN = Path("/usr/lib/postgresql/15/bin")
FIRST_PG_PORT = 55432
WEB_PORT = 8766
DB_NAME = "timebank_faults"
JOURNEYS = 4  # threads walking orders from placing to confirming
VOLUNTEERS_PER_JOURNEY = 12  # each claims at most CLAIMS_PER_HOUR an hour
GIFTS = 2
REDEEMERS = 2
TIMEOUT = 30  # seconds a client waits for one answer
RETRY_PAUSE = 0.5
RETRIES = 60  # a retry-safe form is sent again for up to half a minute
KINDS = ["order", "approve", "claim", "check in", "check out", "confirm", "gift", "redeem"]
SUCCESS = 'class="message message-success"'
ALREADY = 'class="message message-info"'  # "already given / redeemed": done, and said so
ADMIN_SUCCESS = '<li class="success">'
DRAIN_SECONDS = 180  # longer than Q_CLUSTER["retry"]: a killed task runs again after it

HOLDERS = []  # what to stop at exit, newest first


def free_port(start):
    for port in range(start, start + 100):
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise RuntimeError(f"no free port from {start}")


def cleanup():
    while HOLDERS:
        try:
            HOLDERS.pop().stop()
        except Exception as error:  # noqa: BLE001 - stop the rest anyway
            print(f"cleanup: {error}", file=sys.stderr)


# The bench's own PostgreSQL ---------------------------------------------------


class Postgres:
    """A throwaway cluster owned by the postgres user, on its own port and socket folder."""

    def __init__(self):
        self.dir = Path(tempfile.mkdtemp(prefix="timebank-faults-"))
        self.data = self.dir / "data"
        self.port = free_port(FIRST_PG_PORT)
        shutil.chown(self.dir, "postgres", "postgres")
        HOLDERS.append(self)
        self.as_postgres(PG_BIN / "initdb", "-D", self.data, "-A", "trust", "-E", "UTF8")
        self.start()
        self.as_postgres(
            PG_BIN / "createdb", "-h", self.dir, "-p", str(self.port), "-U", "postgres", DB_NAME
        )

    @property
    def url(self):
        return f"postgres://postgres@127.0.0.1:{self.port}/{DB_NAME}"

    def as_postgres(self, *command):
        subprocess.run(
            ["runuser", "-u", "postgres", "--", *map(str, command)],
            check=True,
            stdout=subprocess.DEVNULL,
            cwd=self.dir,
        )

    def pg_ctl(self, *args):
        self.as_postgres(PG_BIN / "pg_ctl", "-D", self.data, "-w", *args)

    def start(self):
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1"
        self.pg_ctl("-o", options, "-l", self.dir / "log", "start")

    def restart_immediately(self):
        self.pg_ctl("-m", "immediate", "stop")
        self.start()

    def processes(self):
        """The postmaster first, then every process it started."""
        postmaster = int((self.data / "postmaster.pid").read_text().split()[0])
        return [postmaster, *children_of(postmaster)]

    def pause(self, seconds):
        pids = self.processes()
        for pid in pids:
            os.kill(pid, signal.SIGSTOP)
        try:
            time.sleep(seconds)
        finally:
            for pid in reversed(pids):
                os.kill(pid, signal.SIGCONT)

    def stop(self):
        if (self.data / "postmaster.pid").exists():
            for pid in self.processes():  # a paused server cannot stop
                os.kill(pid, signal.SIGCONT)
            self.pg_ctl("-m", "immediate", "stop")
        shutil.rmtree(self.dir, ignore_errors=True)


def children_of(parent):
    children = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == parent:
                children.append(int(entry.name))
    return children


class Served:
    """A process the bench started in its own session, stopped with its whole group."""

    def __init__(self, args, env, log):
        self.log = open(log, "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            args,
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        HOLDERS.append(self)

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()


@dataclass
class Servers:
    postgres: Postgres
    tasks: Served


# Seeding ----------------------------------------------------------------------


@dataclass
class World:
    staff: object
    journeys: list  # (elder profile, [volunteers])
    gifts: list  # (giver, receiver)
    redeemers: list
    goods: object
    prober: object
    sessions: dict = field(default_factory=dict)  # user pk -> session key


def seed():
    """The demo catalogue and staff, plus the people and goods the load needs."""
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command

    from accounts.models import (
        District,
        ElderCategory,
        ElderProfile,
        RelativeLink,
        User,
        VerificationStatus,
        VolunteerProfile,
    )
    from credits.models import AccountKind, Policy
    from credits.services import post_transfer, system_account, wallet_of
    from orders.models import ServiceKind, ServiceType
    from rewards.management.commands.seed_demo import demo_id_number
    from rewards.models import Goods, PickupStation

    quiet = open(os.devnull, "w")  # noqa: SIM115
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("seed_demo", verbosity=0, stdout=quiet)
    # Credits usable at once, and room for a day of bench visits.
    Policy.objects.create(spendable_after_hours=0, daily_hour_limit=24, daily_gift_limit=0)
    yuexiu = District.objects.get(code="yuexiu")
    street = yuexiu.streets.first()
    staff = User.objects.get(email="staff.yuexiu@example.org")
    general = list(ServiceType.objects.filter(kind=ServiceKind.GENERAL))
    verified = {"status": VerificationStatus.VERIFIED, "decided_by": staff}
    place = {"district": yuexiu, "street": street}
    issuance = system_account(AccountKind.ISSUANCE)
    phones = (f"+86139{n:08d}" for n in itertools.count(10000))
    sequences = (f"{n:03d}" for n in itertools.count(100))

    def person(name):
        return User.objects.create_user(
            phone=next(phones), password=None, name=name, phone_verified=True
        )

    def fund(user, credits):
        post_transfer(issuance, wallet_of(user), credits, kind="grant", key=f"bench:fund:{user.pk}")

    def volunteer(name):
        user = person(name)
        born = datetime.date(1980, 1, 1)
        profile = VolunteerProfile.objects.create(
            user=user,
            real_name=name,
            id_number=demo_id_number(born, next(sequences)),
            birth_date=born,
            health_declared=True,
            **verified,
            **place,
        )
        profile.serve_districts.set([yuexiu])
        profile.skills.set(general)
        return user

    journeys = []
    for number in range(JOURNEYS):
        user = person(f"faults elder {number}")
        born = datetime.date(1944, 1, 1)
        elder = ElderProfile.objects.create(
            user=user,
            real_name=user.name,
            id_number=demo_id_number(born, next(sequences)),
            birth_date=born,
            phone=user.phone,
            address="faults address",
            emergency_contact_name="family",
            emergency_contact_phone="+8613900000000",
            registered_by=staff,
            **place,
        )
        ElderCategory.objects.create(elder=elder, category="alone", **verified, **place)
        fund(user, 500)
        volunteers = [
            volunteer(f"faults volunteer {number}.{n}") for n in range(VOLUNTEERS_PER_JOURNEY)
        ]
        journeys.append((elder, volunteers))
    gifts = []
    for number in range(GIFTS):
        giver, receiver = person(f"faults giver {number}"), person(f"faults receiver {number}")
        RelativeLink.objects.create(
            requester=giver, relative=receiver, relation="child", **verified, **place
        )
        fund(giver, 1000)
        gifts.append((giver, receiver))
    redeemers = [person(f"faults redeemer {number}") for number in range(REDEEMERS)]
    for user in redeemers:
        fund(user, 1000)
    goods = Goods.objects.create(
        name="faults soap", price=1, stock=100_000, limit_per_person=0, district=yuexiu
    )
    assert PickupStation.objects.filter(is_active=True).exists()
    world = World(
        staff=staff,
        journeys=journeys,
        gifts=gifts,
        redeemers=redeemers,
        goods=goods,
        prober=volunteer("faults prober"),
    )
    everyone = [staff, world.prober, *redeemers, *itertools.chain(*gifts)]
    for elder, volunteers in journeys:
        everyone += [elder.user, *volunteers]
    for user in everyone:  # logged in already: a login costs a slow password hash
        session = SessionStore()
        session["_auth_user_id"] = str(user.pk)
        session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
        session["_auth_user_hash"] = user.get_session_auth_hash()
        session.save()
        world.sessions[user.pk] = session.session_key
    return world


# Clients ----------------------------------------------------------------------


@dataclass
class Tally:
    """What one scenario did, as the clients saw it."""

    name: str
    attempted: collections.Counter = field(default_factory=collections.Counter)  # kind -> n
    acknowledged: list = field(default_factory=list)  # (kind, identity)
    # (kind, person) -> {attempt key: identity once acknowledged, else None}
    posted: dict = field(default_factory=lambda: collections.defaultdict(dict))
    requests: list = field(default_factory=list)  # (sent, answered, status or None)
    faults: list = field(default_factory=list)  # (start, end) of each fault
    refusals: collections.Counter = field(default_factory=collections.Counter)
    started_at: object = None
    ended_at: object = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def attempt(self, kind, person, key):
        with self.lock:
            self.attempted[kind] += 1
            self.posted[kind, person][key] = None

    def acknowledge(self, kind, person, key, identity):
        with self.lock:
            self.acknowledged.append((kind, identity))
            self.posted[kind, person][key] = identity


class Browser:
    """One person's browser: their session and CSRF cookies, following redirects."""

    def __init__(self, session_key, tally):
        self.tally = tally
        self.csrf = secrets.token_hex(16)
        self.jar = http.cookiejar.CookieJar()
        for name, value in [("sessionid", session_key), ("csrftoken", self.csrf)]:
            self.jar.set_cookie(cookie(name, value))
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def send(self, path, data=None):
        """One request (a POST when `data` is given); status None when the connection failed."""
        if data is not None:
            data = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": self.csrf}).encode()
        request = urllib.request.Request(f"http://127.0.0.1:{WEB_PORT}{path}", data=data)
        sent = time.monotonic()
        status, url, body = None, "", ""
        try:
            with self.opener.open(request, timeout=TIMEOUT) as response:
                status, url, body = response.status, response.url, response.read().decode()
        except urllib.error.HTTPError as error:
            status, url = error.code, error.url
        except (OSError, http.client.HTTPException):
            pass
        self.tally.requests.append((sent, time.monotonic(), status))
        return status, url, body

    def operate(self, kind, path, data, *, person, identity, key=None, markers=(SUCCESS,), tries=1):
        """Send a form until it gets an answer; record it if the answer says it worked.

        `key` names the attempt (the address's key for a keyed form; a fresh
        one otherwise) and `person` whose rows it may add. Returns the final
        URL of a success page, "" for a refusal, None when no answer came.
        """
        key = key or secrets.token_hex(16)
        self.tally.attempt(kind, person, key)
        for _try in range(tries):
            status, url, body = self.send(path, data)
            if status == 200 and any(marker in body for marker in markers):
                self.tally.acknowledge(kind, person, key, identity(url))
                return url
            if status is not None and status < 500:
                refusal = re.search(r'message-error">([^<]*)<', body)
                tally_key = f"{kind}: {refusal[1] if refusal else status}"
                with self.tally.lock:
                    self.tally.refusals[tally_key] += 1
                return ""
            time.sleep(RETRY_PAUSE)
        return None


def cookie(name, value):
    return http.cookiejar.Cookie(
        0, name, value, None, False, "127.0.0.1", False, False, "/", True, False,
        None, False, None, None, {},
    )  # fmt: skip


def with_db(call):
    """Run `call` on the bench's own connection, waiting out an outage."""
    from django.db import InterfaceError, OperationalError, connection

    for _try in range(240):
        try:
            return call()
        except (OperationalError, InterfaceError):
            connection.close()
            time.sleep(0.25)
    return call()


def order_journey(world, number, tally, stop):
    """Place, approve, claim, check in, check out, confirm; over and over."""
    from django.db.models import F

    from orders.models import Order

    elder, volunteers = world.journeys[number]
    elder_side = Browser(world.sessions[elder.user_id], tally)
    staff = Browser(world.sessions[world.staff.pk], tally)
    rng = random.Random(number)
    for round_number in itertools.count():
        if stop.is_set():
            return
        volunteer = volunteers[round_number % len(volunteers)]
        helper = Browser(world.sessions[volunteer.pk], tally)
        new = f"/zh-hans/orders/elder/{elder.pk}/new/companionship/"
        status, _url, body = elder_side.send(new)
        slots = re.findall(r'name="starts_at" value="([^"]+)"', body) if status == 200 else []
        if not slots:
            time.sleep(RETRY_PAUSE)
            continue
        placed = elder_side.operate(
            "order",
            new,
            {
                "starts_at": rng.choice(slots),
                "booked_hours": "1",
                "funding": "own_credits" if round_number % 2 else "welfare",
                "notes": "",
            },
            person=elder.user,
            identity=order_id,
        )
        if not placed:
            continue
        pk = order_id(placed)
        steps = [
            (
                "approve",
                staff,
                "/zh-hans/admin/orders/order/",
                {"action": "approve", "_selected_action": pk, "index": "0"},
                "published",
            ),
            ("claim", helper, f"/zh-hans/orders/{pk}/claim/", {}, "claimed"),
            ("check in", helper, f"/zh-hans/orders/{pk}/check-in/", {}, "in_service"),
            ("check out", helper, f"/zh-hans/orders/{pk}/check-out/", {}, "delivered"),
            ("confirm", elder_side, f"/zh-hans/orders/{pk}/confirm/", {}, "completed"),
        ]
        for kind, browser, path, data, reached in steps:
            if kind != "approve":
                browser.send(f"/zh-hans/orders/{pk}/")  # the page the button is on
            browser.operate(
                kind,
                path,
                data,
                person=pk,
                identity=lambda _url, pk=pk: pk,
                markers=(ADMIN_SUCCESS if kind == "approve" else SUCCESS,),
                tries=RETRIES,
            )
            # A refusal after a lost answer may mean the first try worked: the database says.
            if with_db(lambda pk=pk: Order.objects.get(pk=pk).status) != reached:
                break
            orders = Order.objects.filter(pk=pk)
            if kind == "claim":
                starts = datetime.datetime.now(datetime.UTC) + datetime.timedelta(minutes=30)
                with_db(
                    lambda orders=orders, starts=starts: orders.update(
                        starts_at=starts, ends_at=starts + datetime.timedelta(hours=1)
                    )
                )
            elif kind == "check in":
                with_db(
                    lambda orders=orders: orders.update(
                        checked_in_at=F("checked_in_at") - datetime.timedelta(hours=1)
                    )
                )


def order_id(url):
    return int(re.search(r"/orders/(\d+)/$", url)[1])


def keyed(status, url):
    """The path and query of a page whose address carries its key, and the key; or Nones."""
    address = urllib.parse.urlsplit(url)
    key = urllib.parse.parse_qs(address.query).get("key", [""])[0] if status == 200 else ""
    if not re.fullmatch(r"[0-9a-f]{32}", key):
        return None, None
    return f"{address.path}?{address.query}", key


def gift_journey(world, number, tally, stop):
    """Choose the relative and one credit, then confirm on the keyed page; resent, it gives once."""
    giver, receiver = world.gifts[number]
    browser = Browser(world.sessions[giver.pk], tally)
    choice = f"/zh-hans/rewards/gift/?receiver={receiver.pk}&amount=1"
    while not stop.is_set():
        confirmation, key = keyed(*browser.send(choice)[:2])
        if not key:
            time.sleep(RETRY_PAUSE)
            continue
        browser.operate(
            "gift",
            confirmation,
            {},
            person=giver,
            key=key,
            identity=lambda _url, key=key: (giver, key),
            markers=(SUCCESS, ALREADY),
            tries=RETRIES,
        )


def redeem_journey(world, number, tally, stop):
    """Take one bar of soap for a credit from the keyed goods page; resent, it takes once."""
    user = world.redeemers[number]
    browser = Browser(world.sessions[user.pk], tally)
    page = f"/zh-hans/rewards/goods/{world.goods.pk}/"
    while not stop.is_set():
        status, url, body = browser.send(page)
        address, key = keyed(status, url)
        station = re.search(r'<option value="(\d+)"', body) if key else None
        if not station:
            time.sleep(RETRY_PAUSE)
            continue
        browser.operate(
            "redeem",
            address,
            {"station": station[1]},
            person=user,
            key=key,
            identity=lambda _url, key=key: (user, key),
            markers=(SUCCESS, ALREADY),
            tries=RETRIES,
        )


def probe(world, tally, stop):
    """A volunteer looking at the market, five times a second: the site's pulse."""
    browser = Browser(world.sessions[world.prober.pk], tally)
    while not stop.is_set():
        browser.send("/zh-hans/orders/market/")
        time.sleep(0.2)


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
    from orders.models import Notification, NotificationKind, Order, OrderEvent, OrderStatus
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
