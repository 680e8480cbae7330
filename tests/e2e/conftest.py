"""Browser tests: Playwright drives Debian's Chromium against live_server.

A click that leads to another page returns once that page has begun to arrive,
so what is read right after it waits: `expect(...)`, `wait_for()`, or a read
that waits for its element (`inner_text`). `count()` and `is_visible()` do not
wait, and on a busy machine they can read half a page."""

import os
import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.test import Client

from accounts.models import TextMessage
from orders.models import Order
from tests.conftest import (
    CHROMIUM,
    make_staff,
    make_user,
    make_volunteer_profile,
    totp_code,
)

# Playwright's sync API runs an event loop in the test thread; the ORM calls
# the tests make around it are still plain synchronous ones.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


def logged_in_context(browser, live_server, user, viewport=DESKTOP, **options):
    """A browser already logged in as `user` (the login page has its own tests)."""
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport=viewport, locale="en-GB", **options)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return context


@pytest.fixture(autouse=True)
def forget_rate_limits(transactional_db):
    """A browser test's flush leaves the cache table: its login and signup counts must go too."""
    yield
    cache.clear()


def enter_authenticator_code(page, user):
    """The second step of a staff login: the code `user`'s authenticator app shows now."""
    page.wait_for_url("**/accounts/2fa/authenticate/")
    page.fill("#id_code", totp_code(user))
    page.press("#id_code", "Enter")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-quic",
            "--no-first-run",
        ],
    }


@pytest.fixture
def phone_page(browser, live_server):
    """A phone-sized page that fails the test on any console error."""
    context = browser.new_context(viewport=PHONE, device_scale_factor=1, locale="zh-CN")
    page = context.new_page()
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.base = live_server.url
    yield page
    context.close()
    assert errors == []


def assert_no_horizontal_overflow(page):
    page.wait_for_load_state()  # a page still being replaced has no document to measure
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{page.url} overflows by {overflow}px"


def enlarge_text(page, percent=225):
    """The browser's large-text setting, through the CSSOM: the site's CSP
    (rightly) blocks the inline <style> tag that `add_style_tag` would add."""
    page.evaluate(
        "percent => document.documentElement.style.setProperty("
        "'font-size', percent + '%', 'important')",
        percent,
    )


def make_order_staff(email, district):
    staff = make_staff(email, district)
    staff.user_permissions.add(*Permission.objects.filter(content_type__app_label="orders"))
    return staff


def make_volunteer(phone, district):
    volunteer = make_user(phone, name="Li Volunteer")
    make_volunteer_profile(volunteer, district)
    return volunteer


def pretend_an_hour_passed_since_check_in(order):
    """Check-in and check-out are seconds apart here, which would report 0
    minutes and earn nothing; an hour of service earns one credit."""
    order.refresh_from_db()
    Order.objects.filter(pk=order.pk).update(checked_in_at=order.checked_in_at - timedelta(hours=1))


PASSWORD = "Quiet-River-2026"


def latest_code(phone):
    return re.search(
        r"\d{6}", TextMessage.objects.filter(recipient=phone).latest("sent_at").body
    ).group()
