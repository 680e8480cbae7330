"""Bad input for the fuzz tests: nasty values, and a savepoint per example.

Hypothesis runs many examples inside one pytest test, so the database is
rolled back to the test's world after each example instead of rebuilt.
"""

import os
from contextlib import contextmanager

from django.conf import settings as django_settings
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st

# Derandomized: CI runs the same examples every time, and nothing is read
# from or written to the example database. No shrinking: an example posts to
# many pages, shrinking it takes minutes, and the failure names the page.
FUZZ = settings(
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=False,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)

# `FUZZ_SCALE=20 make test` searches twenty times longer, with other examples.
SCALE = int(os.environ.get("FUZZ_SCALE", "1"))


def examples(count):
    return settings(FUZZ, max_examples=count * SCALE)


PERSONAS = ["anonymous", "elder_a", "vol_a", "staff_a", "city"]

NASTY = [
    "",
    " ",
    "0",
    "-1",
    "00000000001",
    "1.5",
    "1e309",
    "NaN",
    "-inf",
    "9" * 40,
    str(2**31),
    str(2**63),
    str(-(2**63) - 1),
    "²",
    "١٢٣",
    "１２３",
    "' OR 1=1 --",
    '"; DROP TABLE orders_order; --',
    "1; SELECT pg_sleep(0)",
    "%",
    "%%",
    "_",
    "\\",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "{{ 7|add:7 }}",
    "{% debug %}",
    "%(name)s %s %n",
    "../../../../etc/passwd",
    "..%2F..%2Fsettings.py",
    "\x00",
    "a\x00b",
    "\r\nSet-Cookie: x=1",
    "\u202egnp.exe",
    "\ufeff",
    "\u200b",
    "😀" * 3,
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    "ǅ",
    "İ",
    "老人" * 200,
    "x" * 5000,
    "2026-02-30",
    "0001-01-01",
    "9999-12-31",
    "10000-01-01",
    "-0001-01-01",
    "2026-13",
    "2030-06",
    "9999-12",
    "2026-01-01T00:00:00_1",
    "9999-12-31T23:59:59_1",
    "0001-01-01T00:00:00_1",
    "0001-01-01T00:00:00+14:00_1",
    "9999-12-31T23:59:59-14:00_" + "9" * 30,
    "13800138000",
    "+86 138 0013 8000",
    "true",
    "on",
    "null",
    "None",
    "[]",
    "{}",
]

nasty_text = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=30),
    st.integers().map(str),
    st.builds(lambda a, b: a + b, st.sampled_from(NASTY), st.sampled_from(NASTY)),
)

# Values a form may get: text, a repeated key, or a huge number.
form_value = st.one_of(
    nasty_text,
    st.lists(nasty_text, min_size=2, max_size=3),
    st.integers(min_value=-(10**30), max_value=10**30),
)

# Keys a form never shows, naming model fields someone might hope to set.
MODEL_FIELD_KEYS = [
    "status",
    "balance",
    "is_staff",
    "is_superuser",
    "is_active",
    "volunteer",
    "volunteer_id",
    "elder",
    "elder_id",
    "amount",
    "user",
    "user_id",
    "account",
    "owner",
    "verified",
    "phone_verified",
    "district",
    "street",
    "minutes",
    "credited",
    "funding",
    "booked_hours",
    "rating",
    "card_code",
    "id",
    "pk",
    "level",
    "groups",
    "user_permissions",
    "password",
    "created_by",
    "registered_by",
]


def client_as(world, persona):
    """A fresh client holding `persona`'s session.

    The personas log in once per test, on the first call, which must come
    before any example's savepoint: a login inside one would be rolled back
    with it. A fresh client per request keeps a request that logs out or
    switches language from changing the next one.
    """
    sessions = world.get("sessions")
    if sessions is None:
        sessions = world["sessions"] = {}
        for name, user in world["users"].items():
            if user is not None:
                login = Client()
                login.force_login(user)
                sessions[name] = login.cookies[django_settings.SESSION_COOKIE_NAME].value
    client = Client()
    if persona in sessions:
        client.cookies[django_settings.SESSION_COOKIE_NAME] = sessions[persona]
    return client


@contextmanager
def rolled_back():
    """Run one example in a savepoint that is always rolled back."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def assert_no_server_error(response, what):
    assert response.status_code < 500, f"{what} answered {response.status_code}"
