"""Every page of the site carries the security headers, for everyone."""

import pytest
from django.conf import settings

from tests.site_map import all_routes, fill

# Answers that are the same for everyone, which the browser may keep
# (tests/staff/test_staff_pages.py).
HOLD_NO_PERSONAL_DATA = {"admin:jsi18n"}


def header_problems(response, *, logged_in):
    problems = []
    if response.status_code >= 500:
        problems.append(f"status {response.status_code}")
    if response.get("X-Content-Type-Options") != "nosniff":
        problems.append("no nosniff")
    if response.get("Referrer-Policy") != "same-origin":
        problems.append("no referrer policy")
    if response.get("X-Frame-Options") != "DENY":
        problems.append("may be framed")
    if response.get("Content-Type", "").startswith("text/html"):
        policy = dict(
            (directive.split(" ", 1) + [""])[:2]
            for directive in response.get("Content-Security-Policy", "").split("; ")
        )
        if policy.get("script-src") != "'self'":
            problems.append(f"script-src is {policy.get('script-src')!r}")
        if policy.get("frame-ancestors") != "'none'":
            problems.append("frame-ancestors not 'none'")
    if logged_in and "no-store" not in response.get("Cache-Control", ""):
        problems.append("cacheable")
    return problems


@pytest.mark.parametrize("persona", ["anonymous", "city"])
def test_every_url_sends_the_security_headers(client, world, persona):
    user = world["users"][persona]
    if user is not None:
        client.force_login(user)
    problems = {}
    for name, route in all_routes():
        path = fill(name, route, world)
        personal = user is not None and name not in HOLD_NO_PERSONAL_DATA
        found = header_problems(client.get(path), logged_in=personal)
        if found:
            problems[path] = found
    assert problems == {}


def test_session_and_csrf_cookies_are_secure_when_served_over_tls():
    assert settings.SESSION_COOKIE_HTTPONLY
    assert settings.SESSION_COOKIE_SAMESITE == settings.CSRF_COOKIE_SAMESITE == "Lax"
    # Secure cookies and HSTS follow SECURE_SSL_REDIRECT: on unless DEBUG or testing.
    assert (
        settings.SESSION_COOKIE_SECURE
        == settings.CSRF_COOKIE_SECURE
        == settings.SECURE_SSL_REDIRECT
        == (settings.SECURE_HSTS_SECONDS > 0)
    )
