"""Does `make run` on PostgreSQL hold its connections, and do the demo's schedules run?

Builds its own PostgreSQL database as `make run` would (migrate, cache table,
demo data), serves it with `manage.py demo_server` (the development server
with the schedules in-process; no task runner) and has a browser click
through the site as the demo's elder, proxy, volunteers and staff for the
given minutes, following links it finds on each page. Every second it counts
the server's connections in pg_stat_activity (the server names its
connections, so nothing else is counted). One of the demo's open orders is
moved to start two minutes after the server starts (the only shortcut: the
clock is not ours to move); the schedules alone must expire it.

Prints the peak number of connections against the pool's size, the pages
visited, the server errors seen, and whether the order expired.

    .venv/bin/python bench/soak.py [--minutes 20] [--pause 0.5] [--port 8781]
"""

import argparse
import datetime
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

import psycopg

ROOT = Path(__file__).resolve().parent.parent
DB_NAME = "timebank_bench_soak"
APPLICATION = "timebank_soak"
PERSONAS = ["13800000001", "13800000002", "13800000003", "13800000004", "staff.yuexiu@example.org"]
# Pages that end the session, download a file or only change a setting.
AVOID = ("logout", "/export", "/i18n/", ".csv", ".json", "/media/", "delete", "/2fa/")


def environment():
    return {
        **os.environ,
        "DEBUG": "1",
        "Q_SYNC": "1",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DB_NAME}",
        "VAR_DIR": str(ROOT / "var" / "soak"),
    }


def manage(*args, env=None):
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env or environment(), check=True
    )


def build_database():
    with psycopg.connect("host=127.0.0.1 user=postgres dbname=postgres", autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        db.execute(f'CREATE DATABASE "{DB_NAME}"')
    manage("migrate", "--verbosity", "0")
    manage("createcachetable")
    manage("seed_demo")


def setup_django():
    os.environ.update(environment())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "timebank.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def order_due_soon(starts_in):
    """An open order of the demo, made to start `starts_in` from now."""
    from django.utils import timezone

    from orders.models import Order, OrderStatus

    order = Order.objects.filter(status=OrderStatus.PUBLISHED).order_by("pk").first()
    if order is None:
        raise SystemExit("The demo has no published order to watch")
    starts_at = timezone.now() + starts_in
    Order.objects.filter(pk=order.pk).update(
        starts_at=starts_at, ends_at=starts_at + (order.ends_at - order.starts_at)
    )
    return order.pk


def order_status(pk):
    from orders.models import Order

    return Order.objects.get(pk=pk).status


def count_connections():
    with psycopg.connect("host=127.0.0.1 user=postgres dbname=postgres") as db:
        row = db.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND application_name = %s",
            (DB_NAME, APPLICATION),
        ).fetchone()
    return row[0]


class Sampler(threading.Thread):
    def __init__(self):
        super().__init__(daemon=True)
        self.peak = 0
        self.samples = []
        self.stopped = threading.Event()

    def run(self):
        while not self.stopped.wait(1):
            now = count_connections()
            self.samples.append(now)
            self.peak = max(self.peak, now)


def serve(port):
    env = environment()
    env["DATABASE_URL"] += f"?application_name={APPLICATION}"
    log = Path(env["VAR_DIR"]) / "server.log"  # read it when in doubt
    log.parent.mkdir(parents=True, exist_ok=True)
    return subprocess.Popen(
        [sys.executable, "manage.py", "demo_server", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log.open("w"),
        start_new_session=True,
    )


def log_in(page, base, login):
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", "timebank-demo-2026")
    page.click("form[action*='login'] button[type=submit]")
    page.wait_for_load_state()
    if "/2fa/authenticate" in page.url:
        code = subprocess.run(
            [sys.executable, "manage.py", "demo_totp_code"],
            cwd=ROOT,
            env=environment(),
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        page.fill("#id_code", code)
        page.press("#id_code", "Enter")
        page.wait_for_load_state()


def links_on(page, base):
    host = urlparse(base).netloc
    found = []
    for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
        parsed = urlparse(href)
        if parsed.netloc == host and not any(part in href for part in AVOID):
            found.append(href.split("#")[0])
    return found


def click_through(base, minutes, pause, visits, errors):
    from playwright.sync_api import sync_playwright

    deadline = time.monotonic() + minutes * 60
    rng = random.Random(2026)  # noqa: S311 - a walk, not a secret
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
        )
        while time.monotonic() < deadline:
            for login in PERSONAS:
                context = browser.new_context(viewport={"width": 360, "height": 740})
                page = context.new_page()
                log_in(page, base, login)
                home = page.url
                for _ in range(40):
                    if time.monotonic() >= deadline:
                        break
                    candidates = links_on(page, base) or [home]
                    response = page.goto(rng.choice(candidates))
                    visits.append(page.url)
                    if response is not None and response.status >= 500:
                        errors.append(f"{response.status} {page.url}")
                    time.sleep(pause)  # a person reads before the next tap
                context.close()
        browser.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=20)
    parser.add_argument("--port", type=int, default=8781)
    parser.add_argument("--pause", type=float, default=0.5, help="seconds between taps")
    options = parser.parse_args()

    build_database()
    setup_django()
    from django.conf import settings

    pool_size = settings.DATABASES["default"].get("OPTIONS", {}).get("pool", {}).get("max_size")
    watched = order_due_soon(datetime.timedelta(minutes=2))
    server = serve(options.port)
    sampler = Sampler()
    visits, errors = [], []
    try:
        time.sleep(5)
        sampler.start()
        click_through(
            f"http://127.0.0.1:{options.port}", options.minutes, options.pause, visits, errors
        )
        # The schedules run every 30 s and expiry every 5 min: give them one round more.
        for _ in range(60):
            if order_status(watched) == "expired":
                break
            time.sleep(10)
    finally:
        sampler.stopped.set()
        os.killpg(server.pid, signal.SIGINT)
        server.wait(timeout=20)
    print(f"minutes clicking:        {options.minutes:g}")
    print(f"pages visited:           {len(visits)} ({len(set(visits))} distinct)")
    print(f"server errors (5xx):     {len(errors)}")
    for line in errors[:10]:
        print(f"  {line}")
    print(f"connections, peak:       {sampler.peak} (pool max_size {pool_size})")
    if sampler.samples:
        print(f"connections, at the end: {sampler.samples[-1]}")
    print(f"order due 2 min in:      {order_status(watched)}")
    ok = sampler.peak <= (pool_size or 0) and not errors and order_status(watched) == "expired"
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
