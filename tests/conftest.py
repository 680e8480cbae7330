"""Personas, builders and the rules for what may be skipped.

Outside CI, tests that need PostgreSQL (races, triggers) or a browser are
skipped when those are missing, and the run says so at the start and the
end. In CI (CI=true) a missing PostgreSQL or browser is a failure instead.
"""

import os
import shutil

import pytest
from django.conf import settings

from accounts.models import User

CHROMIUM = "/usr/bin/chromium"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
DEMO_PASSWORD = "a-long-test-password-1"


def on_postgres():
    return settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def has_browser():
    return os.path.exists(CHROMIUM) or shutil.which("chromium") is not None


_skipped = {"postgres": [], "e2e": []}


def pytest_report_header(config):
    lines = [f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}"]
    if not on_postgres():
        lines.append("!!! Not on PostgreSQL: tests marked 'postgres' will be SKIPPED !!!")
    if not has_browser():
        lines.append(f"!!! No Chromium at {CHROMIUM}: browser tests will be SKIPPED !!!")
    return lines


def pytest_collection_modifyitems(config, items):
    missing = {"postgres": not on_postgres(), "e2e": not has_browser()}
    reasons = {
        "postgres": "needs PostgreSQL (set DATABASE_URL or start it on 127.0.0.1:5432)",
        "e2e": f"needs Chromium at {CHROMIUM}",
    }
    for item in items:
        if "e2e" in item.nodeid.split("::")[0].split("/"):
            item.add_marker(pytest.mark.e2e)
        for marker, is_missing in missing.items():
            if is_missing and item.get_closest_marker(marker):
                if IN_CI:
                    raise pytest.UsageError(f"CI cannot run {item.nodeid}: {reasons[marker]}")
                _skipped[marker].append(item.nodeid)
                item.add_marker(pytest.mark.skip(reason=reasons[marker]))


def pytest_terminal_summary(terminalreporter):
    for marker, nodeids in _skipped.items():
        if nodeids:
            terminalreporter.section(f"SKIPPED: {len(nodeids)} tests need {marker}", sep="!")
            for nodeid in nodeids:
                terminalreporter.line(f"  {nodeid}")


# Personas ---------------------------------------------------------------


def make_user(phone=None, *, email=None, name="", password=DEMO_PASSWORD, **extra):
    return User.objects.create_user(
        email=email,
        phone=phone,
        password=password,
        name=name,
        phone_verified=phone is not None,
        **extra,
    )


@pytest.fixture
def elder(db):
    return make_user("+8613900000001", name="Chen Elder")


@pytest.fixture
def proxy(db):
    return make_user("+8613900000002", name="Chen Proxy")


@pytest.fixture
def volunteer(db):
    return make_user("+8613900000003", name="Li Volunteer")


@pytest.fixture
def other_volunteer(db):
    return make_user("+8613900000004", name="Wang Volunteer")


@pytest.fixture
def district_staff(db):
    return make_user(email="staff@example.org", name="District Staff", is_staff=True)


@pytest.fixture
def city_staff(db):
    return make_user(email="city@example.org", name="City Staff", is_staff=True, is_superuser=True)
