"""The fault bench's clients: people walking journeys through the HTML forms, and what they saw.

Each client keeps its own session cookie and retries a retry-safe form with
the same key; the `Tally` records every attempt, acknowledgement and answer,
so that the bench can count afterwards what was lost or done twice.
"""

import collections
import datetime
import http.client
import http.cookiejar
import itertools
import random
import re
import secrets
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

WEB_PORT = 8766
TIMEOUT = 30  # seconds a client waits for one answer
RETRY_PAUSE = 0.5
RETRIES = 60  # a retry-safe form is sent again for up to half a minute
SUCCESS = 'class="message message-success"'
ALREADY = 'class="message message-info"'  # "already given / redeemed": done, and said so
ADMIN_SUCCESS = '<li class="success">'


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
