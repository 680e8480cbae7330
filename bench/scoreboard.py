"""The proof scoreboard: races, faults, the proof tests and bandit, in one table.

Each row is a check, its size and its bad outcomes, which must all be 0:

    races    larger versions of the race tests of credits, orders and rewards,
             with real threads (one connection each) calling the services, in
             a database of its own (timebank_scoreboard, made afresh), then
             verify_ledger over everything they posted
    faults   the scenarios of bench/faults.py: lost + duplicated + server errors
    tests    the proof tests of the suite through pytest: failures, errors and
             skips (with CI set, nothing may be skipped for lack of a service)
    bandit   the apps, medium severity and above: findings without a `# nosec`,
             and every `# nosec` without a reason beside it (written
             `# noqa: S608 - <reason>  # nosec B608`)

Prints the table and the total; exits non-zero if any outcome is bad.

    .venv/bin/python bench/scoreboard.py [--skip-faults]
"""

import argparse
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import tokenize
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from xml.etree import ElementTree

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script from anywhere

from bench.races import race_rows  # noqa: E402

DB_NAME = "timebank_scoreboard"
DATABASE_URL = f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"
BENCH_ENV = {
    "DATABASE_URL": DATABASE_URL,
    "DJANGO_SETTINGS_MODULE": "timebank.settings",
    "DEBUG": "0",
    "SECRET_KEY": "bench-only-secret-key-that-is-long-enough-to-pass-the-checks",
    "LOG_LEVEL": "WARNING",
}
APPS = ["accounts", "credits", "orders", "rewards", "timebank"]
PROOF_TESTS = [
    "tests/test_access_matrix.py",
    "tests/test_personal_data_canary.py",
    "tests/test_security_headers.py",
    "tests/credits/test_ledger_races.py",
    "tests/orders/test_order_races.py",
    "tests/rewards/test_rewards_races.py",
    "tests/orders/test_order_claim_limits.py",
]


# Faults, tests, bandit -----------------------------------------------------------


def fault_rows():
    """One row per scenario; `run_scenarios` runs them in a process of its own."""
    from bench import faults

    rows = []
    for result in faults.run_scenarios():
        size = (
            f"{result['attempted']:,} attempted, {result['acknowledged']:,} acknowledged,"
            f" back in {result['recovery_s']:.1f} s"
        )
        bad = result["lost"] + result["duplicated"] + result["server_errors"]
        rows.append((f"fault: {result['scenario']}", size, bad))
    return rows


def test_rows(environment):
    """The proof tests on PostgreSQL, one row per module."""
    modules = PROOF_TESTS + sorted(
        str(path.relative_to(ROOT)) for path in ROOT.glob("tests/test_bad_input_*.py")
    )
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "proof.xml"
        finished = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"--junitxml={report}"]
            + modules,
            cwd=ROOT,
            env={**environment, "CI": "true", "DATABASE_URL": DATABASE_URL},
            capture_output=True,
            text=True,
        )
        # Our own pytest's report, not outside input.
        cases = list(ElementTree.parse(report).iter("testcase")) if report.exists() else []  # noqa: S314
    if finished.returncode:
        print(finished.stdout[-5000:], finished.stderr[-5000:], file=sys.stderr)
    rows = []
    for module in modules:
        dotted = module.removesuffix(".py").replace("/", ".")
        ran = [case for case in cases if f"{case.get('classname')}.".startswith(f"{dotted}.")]
        bad = sum(
            any(case.find(outcome) is not None for outcome in ("failure", "error", "skipped"))
            for case in ran
        )
        # A module that ran no test proves nothing.
        rows.append((f"tests: {module}", f"{len(ran)} tests", bad if ran else 1))
    return rows


def bandit_row():
    finished = subprocess.run(
        [
            sys.executable,
            "-m",
            "bandit",
            "-c",
            "pyproject.toml",
            "-r",
            *APPS,
            "-ll",
            "-f",
            "json",
            "-q",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    report = json.loads(finished.stdout)
    for finding in report["results"]:
        where = f"{finding['filename']}:{finding['line_number']}"
        print(f"  bandit: {where} {finding['test_id']} {finding['issue_text']}", file=sys.stderr)
    files = len(report["metrics"]) - 1  # the rest is "_totals"
    explained = report["metrics"]["_totals"]["skipped_tests"]
    unexplained = unexplained_nosecs(report["metrics"])
    for where in unexplained:
        print(f"  bandit: {where} `# nosec` without a reason", file=sys.stderr)
    return (
        "bandit: medium and high",
        f"{files} files, {explained} explained by nosec",
        len(report["results"]) + len(report["errors"]) + len(unexplained),
    )


NOSEC = re.compile(r"#\s*nosec\b")
REASON = re.compile(r"#[^#]*\s-\s+\w")  # `# noqa: S608 - our table name  # nosec B608`


def unexplained_nosecs(files):
    """Where a `# nosec` in the files bandit scanned has no reason beside it."""
    found = []
    for name in sorted(files):
        if name == "_totals":
            continue
        with open(ROOT / name, "rb") as source:
            for token in tokenize.tokenize(io.BytesIO(source.read()).readline):
                comment = token.string
                if token.type == tokenize.COMMENT and NOSEC.search(comment):
                    found += [] if REASON.search(comment) else [f"{name}:{token.start[0]}"]
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--skip-faults", action="store_true", help="leave out bench/faults.py")
    options = parser.parse_args()
    started = time.perf_counter()

    # Faults alone first, since they time recoveries. The races then set Django up
    # in this process while the tests run beside them in a subprocess; both start
    # from the environment as it was.
    faults = [] if options.skip_faults else fault_rows()
    with ThreadPoolExecutor(1) as beside:
        tests = beside.submit(test_rows, dict(os.environ))
        races = race_rows(DB_NAME, BENCH_ENV)
        rows = races + faults + tests.result() + [bandit_row()]

    widths = [
        max(len(str(row[i])) for row in [("check", "size", "bad outcomes"), *rows])
        for i in range(3)
    ]
    print()
    for check, size, bad in [("check", "size", "bad outcomes"), *rows]:
        print(f"{check:<{widths[0]}}  {size:<{widths[1]}}  {bad:>{widths[2]}}")
    total = sum(bad for _check, _size, bad in rows)
    print(f"\ntotal bad outcomes: {total} (must be 0), in {time.perf_counter() - started:.0f} s")
    sys.exit(1 if total else 0)


if __name__ == "__main__":
    main()
