"""Does the connection pool cost anything against persistent connections, and what does each hold?

Seeds its own PostgreSQL database (the market bench's orders), then serves the
app twice side by side, as in production (gunicorn, 4 sync workers, DEBUG off):

    persistent: DB_POOL=0, CONN_MAX_AGE=600 (one connection per worker, kept)
    pool:       DB_POOL on (psycopg's pool, DB_POOL_MAX_SIZE per worker)

and measures the market page with wrk, alternating the two a few times. It
also serves the development server (threaded: one thread per browser
connection) with the pool and without it, under as many kept-alive
connections as wrk opens. For each it prints the median requests per second
and the most connections PostgreSQL saw from it during the runs (sampled
every 0.1 s, by the application name each server gives its connections).

    .venv/bin/python bench/pool.py [--orders 20000] [--rounds 3] [--seconds 10]
"""

import argparse
import os
import signal
import statistics
import subprocess
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script from anywhere

from bench.market import (  # noqa: E402
    BENCH_ENV,
    ensure_wrk,
    measure,
    recreate_database,
    seed,
    setup_django,
    wait_for_port,
)

DB_NAME = "timebank_bench_pool"
ENV = {**BENCH_ENV, "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"}
SERVERS = {
    # name: (port, environment, command)
    "gunicorn persistent": (8771, {"DB_POOL": "0", "CONN_MAX_AGE": "600"}, "gunicorn"),
    "gunicorn pool": (8772, {"DB_POOL": "1"}, "gunicorn"),
    "runserver no pool": (8773, {"DB_POOL": "0"}, "runserver"),
    "runserver pool": (8774, {"DB_POOL": "1"}, "runserver"),
}


def application(name):
    return name.replace(" ", "_")


def start(name, port, env, kind):
    if kind == "gunicorn":
        command = [
            str(ROOT / ".venv/bin/gunicorn"),
            "timebank.wsgi:application",
            "--workers",
            "4",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ]
    else:
        command = [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"]
    return subprocess.Popen(
        command,
        cwd=ROOT,
        # Each server names itself to PostgreSQL, so that its connections can be told apart.
        env={
            **os.environ,
            **ENV,
            **env,
            "DATABASE_URL": f"{ENV['DATABASE_URL']}?application_name={application(name)}",
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


class PeakConnections:
    """Samples pg_stat_activity for the servers' connections while a measurement runs."""

    def __init__(self):
        import psycopg

        self.conn = psycopg.connect(
            f"host=127.0.0.1 user=postgres dbname={DB_NAME}", autocommit=True
        )

    def count(self, name):
        return self.conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s",
            [application(name)],
        ).fetchone()[0]

    def during(self, name, work):
        peak, done = [self.count(name)], threading.Event()

        def sample():
            while not done.wait(0.1):
                peak.append(self.count(name))

        sampler = threading.Thread(target=sample)
        sampler.start()
        try:
            result = work()
        finally:
            done.set()
            sampler.join()
        return result, max(peak)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=10)
    args = parser.parse_args()

    ensure_wrk()
    recreate_database(DB_NAME)
    setup_django(ENV)
    session_key, _districts = seed(args.orders)
    processes = {name: start(name, *server) for name, server in SERVERS.items()}
    peaks = PeakConnections()
    rates = {name: [] for name in SERVERS}
    held = dict.fromkeys(SERVERS, 0)
    try:
        for port, _env, _kind in SERVERS.values():
            wait_for_port(port)
        for port, _env, _kind in SERVERS.values():  # warm up every worker
            measure(f"http://127.0.0.1:{port}/zh-hans/orders/market/", session_key, 2)
        for round_number in range(1, args.rounds + 1):
            for name, (port, _env, _kind) in SERVERS.items():
                url = f"http://127.0.0.1:{port}/zh-hans/orders/market/"
                rate, peak = peaks.during(
                    name, lambda url=url: measure(url, session_key, args.seconds)
                )
                rates[name].append(rate)
                held[name] = max(held[name], peak)
                print(
                    f"round {round_number}: {name:<20} {rate:8.1f} req/s  "
                    f"{peak:3d} connections at most",
                    flush=True,
                )
    finally:
        for process in processes.values():
            os.killpg(process.pid, signal.SIGTERM)
        for process in processes.values():
            process.wait(timeout=30)

    print("wrk: 2 threads, 16 kept-alive connections; gunicorn: 4 workers")
    for name in SERVERS:
        print(
            f"median {name:<20} {statistics.median(rates[name]):8.1f} req/s  "
            f"{held[name]:3d} connections at most"
        )
    ratio = statistics.median(rates["gunicorn pool"]) / statistics.median(
        rates["gunicorn persistent"]
    )
    print(f"ratio <pool/persistent> {ratio:.2f}")


if __name__ == "__main__":
    main()
