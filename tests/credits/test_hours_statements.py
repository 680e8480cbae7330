"""Signed hours statements: what this platform signs verifies, anything changed does not."""

import base64
import json
import os
import stat

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from credits.keys import key_id_of
from credits.models import ServiceRecord
from credits.statements import (
    StatementError,
    build_statement,
    canonical,
    signing_key,
    verify_statement,
)
from tests.conftest import fund, make_volunteer_profile
from tests.credits.carry import body_for, make_platform, signed

pytestmark = pytest.mark.django_db


@pytest.fixture
def served(volunteer, volunteer_profile):
    ServiceRecord.objects.create(
        volunteer=volunteer,
        minutes=150,
        served_on="2026-01-05",
        credited=2,
        pooled=0,
        idempotency_key="served:1",
    )
    fund(volunteer, 9)
    return volunteer_profile


def test_a_statement_signed_here_verifies_and_says_what_was_served(served):
    document = build_statement(served, 9)

    body, platform = verify_statement(json.loads(canonical(document)))

    assert platform is None  # this platform's own key
    assert body["volunteer"] == {
        "name": served.real_name,
        "id_type": "resident_id_card",
        "id_number": served.id_number,
        "volunteer_number": served.volunteer_number,
    }
    assert (body["hours_served"], body["minutes_served"], body["balance"]) == (2, 150, 9)
    assert body["services"] == [
        {"date": "2026-01-05", "content": "volunteer service", "minutes": 150}
    ]
    assert body["platform"] == "timebank"
    assert document["key_id"] == key_id_of(signing_key().public_key())


def test_two_statements_have_different_ids(served):
    first, second = build_statement(served, 9), build_statement(served, 9)

    assert first["statement"]["statement_id"] != second["statement"]["statement_id"]


@pytest.mark.parametrize(
    "tamper",
    [
        lambda body: body.update(balance=body["balance"] + 1),
        lambda body: body.update(hours_served=body["hours_served"] + 1),
        lambda body: body["services"][0].update(minutes=151),
        lambda body: body["volunteer"].update(id_number=body["volunteer"]["id_number"][:-1] + "1"),
        lambda body: body.update(issued_at=body["issued_at"].replace("20", "21", 1)),
        lambda body: body.update(extra="a field added"),
    ],
    ids=["balance", "hours", "a service", "identity", "date", "a field"],
)
def test_a_changed_statement_is_refused(served, tamper):
    document = build_statement(served, 9)
    tamper(document["statement"])

    with pytest.raises(StatementError, match="changed after it was signed"):
        verify_statement(document)


def test_one_changed_byte_of_the_file_is_refused(served):
    data = bytearray(canonical(build_statement(served, 9)))
    where = data.index(b'"balance":9') + len(b'"balance":')
    data[where] = ord("8")

    with pytest.raises(StatementError, match="changed after it was signed"):
        verify_statement(json.loads(bytes(data)))


def test_a_signature_of_other_bytes_is_refused(served):
    document = build_statement(served, 9)
    signature = bytearray(base64.b64decode(document["signature"]))
    signature[0] ^= 1
    document["signature"] = base64.b64encode(bytes(signature)).decode()

    with pytest.raises(StatementError, match="changed after it was signed"):
        verify_statement(document)


def test_a_key_nobody_registered_is_refused(volunteer_profile):
    document = signed(Ed25519PrivateKey.generate(), body_for(volunteer_profile))

    with pytest.raises(StatementError, match="does not trust"):
        verify_statement(document)


def test_a_registered_platform_verifies_until_it_is_switched_off(volunteer_profile):
    platform, key = make_platform()
    document = signed(key, body_for(volunteer_profile))

    assert verify_statement(document)[1] == platform
    platform.is_active = False
    platform.save()
    with pytest.raises(StatementError, match="does not trust"):
        verify_statement(document)


def test_a_platforms_key_cannot_sign_under_another_platforms_id(volunteer_profile):
    trusted, _key = make_platform("Trusted")
    _other, other_key = make_platform("Other", active=False)
    document = signed(other_key, body_for(volunteer_profile))
    document["key_id"] = trusted.key_id

    with pytest.raises(StatementError, match="changed after it was signed"):
        verify_statement(document)


# The published key and the download -----------------------------------------------------


def test_the_public_key_is_published_for_other_platforms(client):
    response = client.get("/.well-known/timebank-statement-key")

    data = response.json()
    public_key = signing_key().public_key()
    assert response.status_code == 200
    assert data["algorithm"] == "Ed25519"
    assert data["key_id"] == key_id_of(public_key)
    assert base64.b64decode(data["public_key"]) == public_key.public_bytes_raw()
    assert data["platform"] == "timebank"


def test_a_verified_volunteer_downloads_a_statement_that_verifies(client, served, volunteer):
    client.force_login(volunteer)

    response = client.get(reverse("credits:hours_statement"))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="hours-statement-')
    assert response["Cache-Control"].startswith("max-age=0")
    data = response.content
    assert data == canonical(json.loads(data))  # sorted keys, no white space
    body, _platform = verify_statement(json.loads(data))
    assert (body["volunteer"]["id_number"], body["balance"]) == (served.id_number, 9)


def test_no_statement_without_a_verified_volunteer_profile(
    client, volunteer, other_volunteer, yuexiu
):
    make_volunteer_profile(other_volunteer, yuexiu, status="pending", sequence="131")
    url = reverse("credits:hours_statement")

    for person in (volunteer, other_volunteer):
        client.force_login(person)
        assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to the login page


# The signing key ---------------------------------------------------------------------


def test_a_key_is_made_once_under_var_while_testing(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.STATEMENT_SIGNING_KEY = ""

    first = signing_key()
    path = tmp_path / "statement-signing-key"

    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert len(base64.b64decode(path.read_text())) == 32
    assert signing_key().public_key() == first.public_key()


def test_the_key_from_the_environment_is_used(settings):
    raw = bytes(range(32))
    settings.STATEMENT_SIGNING_KEY = base64.b64encode(raw).decode()

    assert signing_key().private_bytes_raw() == raw


def test_production_without_a_key_refuses_to_sign(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.STATEMENT_SIGNING_KEY = ""
    settings.DEBUG = settings.TESTING = False

    with pytest.raises(ImproperlyConfigured):
        signing_key()
    assert not (tmp_path / "statement-signing-key").exists()


@pytest.mark.parametrize(
    "damage",
    [
        lambda document: document.pop("signature"),
        lambda document: document.update(signature=12),
        lambda document: document.update(signature="not base64!"),
        lambda document: document.pop("statement"),
    ],
    ids=["no signature", "a number", "not base64", "no statement"],
)
def test_a_damaged_document_is_refused_not_crashed_on(served, damage):
    document = build_statement(served, 9)
    damage(document)

    with pytest.raises(StatementError, match="changed after it was signed"):
        verify_statement(document)
