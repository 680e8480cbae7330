"""Elder A's phone, address and ID number appear only where DESIGN.md §5/§8 allow.

The phone and address: A's side, the volunteer who claimed A's order, staff
of A's district or street (city staff cover every district); not staff of
the next street, nor the coordinator of the volunteer's organisation. The
full ID number: verifying staff (the admin) and A's own data export. Never
in a log line, a text message body, a queued task's arguments, or an email;
and never in the text outbox, which shows numbers masked even to city staff.
"""

import logging

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation
from django_q.models import OrmQ, Task

from accounts.models import TextMessage
from tests.site_map import (
    CANARY_ADDRESS,
    CANARY_PHONE,
    PERSONAS,
    all_routes,
    build_world,
    fill,
)

SEES_CONTACT = {"elder_a", "proxy_a", "vol_a", "staff_a", "staff_street_a", "city"}
SEES_ID_NUMBER = {"elder_a", "staff_a", "staff_street_a", "city"}
STAFF = {"staff_a", "staff_street_a", "staff_street_other", "staff_other", "city"}
# Pages that show no phone number in full to anybody.
MASKS_PHONES = {"admin:accounts_textmessage_changelist", "admin:accounts_textmessage_change"}


def canaries(world):
    return {
        "phone": CANARY_PHONE.removeprefix("+86"),
        "address": CANARY_ADDRESS,
        "id number": world["elder_a"].id_number,
    }


def found_in(text, world):
    """Which canaries `text` holds; phones may be written with spaces or dashes."""
    squeezed = text.replace(" ", "").replace("-", "").replace("\u00a0", "")
    return {
        label
        for label, value in canaries(world).items()
        if value in text or value.replace(" ", "") in squeezed
    }


@pytest.fixture
def world(db, caplog):
    caplog.set_level(logging.DEBUG)
    # The world sends its notifications, so their texts and task arguments
    # exist to be checked.
    return build_world()


def body_of(response):
    if hasattr(response, "streaming_content"):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


@pytest.mark.parametrize("persona", PERSONAS)
def test_canaries_appear_only_where_allowed(client, world, persona):
    user = world["users"][persona]
    if user is not None:
        client.force_login(user)
    seen = {}
    for name, route in all_routes():
        # Only staff get past the admin's login page; its lists and change
        # pages show what its add, history and delete pages show.
        if "/admin/" in f"/{route}" and (
            persona not in STAFF or not (name or "").endswith(("_changelist", "_change"))
        ):
            continue
        labels = found_in(body_of(client.get(fill(name, route, world))), world)
        if labels:
            seen[name or route] = labels

    allowed = set()
    if persona in SEES_CONTACT:
        allowed |= {"phone", "address"}
    if persona in SEES_ID_NUMBER:
        allowed.add("id number")
    shown = set().union(*seen.values()) if seen else set()
    assert shown <= allowed, seen
    assert not any("phone" in seen.get(page, ()) for page in MASKS_PHONES), seen
    if persona in SEES_CONTACT:
        assert {"phone", "address"} <= shown, "the test no longer finds the canaries"


def test_canaries_never_reach_logs_texts_tasks_or_emails(client, world, caplog):
    client.force_login(world["users"]["vol_a"])
    for name, route in all_routes():
        if "/admin/" not in f"/{route}":
            client.get(fill(name, route, world))

    assert TextMessage.objects.exists(), "the world sends no text, so this checks nothing"
    leaks = {
        "log": [r.getMessage() for r in caplog.records if found_in(r.getMessage(), world)],
        "text": [m.body for m in TextMessage.objects.all() if found_in(m.body, world)],
        "task": [
            repr((t.func, t.args, t.kwargs))
            for t in Task.objects.all()
            if found_in(repr((t.args, t.kwargs)), world)
        ],
        "queue": [q.pk for q in OrmQ.objects.all() if found_in(repr(q.task), world)],
        "email": [m.body for m in mail.outbox if found_in(m.body + m.subject, world)],
    }
    assert leaks == {"log": [], "text": [], "task": [], "queue": [], "email": []}


def test_the_outbox_never_shows_the_elders_number_in_full(client, world):
    texts = TextMessage.objects.filter(recipient=CANARY_PHONE)
    assert texts.exists(), "no text went to elder A, so this checks nothing"
    client.force_login(world["users"]["city"])
    with translation.override("zh-hans"):
        pages = [
            reverse("admin:accounts_textmessage_changelist"),
            *(reverse("admin:accounts_textmessage_change", args=[text.pk]) for text in texts),
        ]

    shown = [found_in(body_of(client.get(page)), world) for page in pages]
    # The search box echoes what staff typed; the results are what matter.
    found = client.get(pages[0], {"q": CANARY_PHONE.removeprefix("+86")})

    assert shown == [set()] * len(pages)
    assert set(found.context["cl"].result_list) == set(texts)
