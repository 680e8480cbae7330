"""Signed hours statements: what a volunteer takes to another time bank (通存通兑).

A statement is canonical JSON (sorted keys, no white space, UTF-8) of the
volunteer's identity, their services and their balance, signed with the
platform's Ed25519 key; the public key is published at
`/.well-known/timebank-statement-key`. Another platform that registers that
key can check, without asking us, that we said it and that nothing changed.

Identity: the receiving platform must credit the right person, and it knows
people by their verified ID. A hash of an ID number would not hide it (the
numbers are few enough to try them all), so the statement carries what the
national rules name as a volunteer's identity: name, ID type and number, and
our volunteer number. The volunteer downloads it and hands it over
themselves, for that purpose; we send it nowhere.
"""

import base64
import datetime
import json
import os
import uuid

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from credits.keys import key_id_of, load_public_key, public_key_text
from credits.models import ServiceRecord, TrustedPlatform
from credits.references import name_references

FORMAT = "timebank-hours-statement/1"
ID_TYPE = "resident_id_card"  # the only identity document the platform verifies
VALID_DAYS = 30  # an older statement may hide hours spent since
CLOCK_SKEW = datetime.timedelta(minutes=5)
KEY_FILE = "statement-signing-key"


class StatementError(Exception):
    """A statement that cannot be trusted or used; the message is safe to show."""


def canonical(data):
    """The bytes that are signed: the same data always gives the same bytes."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def signing_key():
    """The platform's private key: from STATEMENT_SIGNING_KEY, or, while developing and
    testing, a key made once and kept under VAR_DIR (never in the repository)."""
    encoded = settings.STATEMENT_SIGNING_KEY
    if not encoded:
        if not (settings.DEBUG or settings.TESTING):
            raise ImproperlyConfigured("STATEMENT_SIGNING_KEY must be set in production.")
        path = settings.VAR_DIR / KEY_FILE
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            raw = Ed25519PrivateKey.generate().private_bytes(
                Encoding.Raw, PrivateFormat.Raw, NoEncryption()
            )
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "w") as file:
                file.write(base64.b64encode(raw).decode())
        encoded = path.read_text()
    return Ed25519PrivateKey.from_private_bytes(base64.b64decode(encoded.strip()))


def published_key():
    """What `/.well-known/timebank-statement-key` says."""
    public_key = signing_key().public_key()
    return {
        "platform": settings.STATEMENT_PLATFORM_ID,
        "key_id": key_id_of(public_key),
        "algorithm": "Ed25519",
        "public_key": public_key_text(public_key),
    }


def build_statement(profile, balance, *, now=None):
    """The signed statement of `profile`'s volunteer: identity, services, balance."""
    now = now or timezone.now()
    records = list(
        ServiceRecord.objects.filter(volunteer_id=profile.user_id).order_by("served_on", "pk")
    )
    named = name_references(record.reference for record in records)
    minutes = sum(record.minutes for record in records)
    body = {
        "format": FORMAT,
        "platform": settings.STATEMENT_PLATFORM_ID,
        "statement_id": str(uuid.uuid4()),
        "issued_at": now.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "volunteer": {
            "name": profile.real_name,
            "id_type": ID_TYPE,
            "id_number": profile.id_number,
            "volunteer_number": profile.volunteer_number,
        },
        "hours_served": minutes // 60,
        "minutes_served": minutes,
        "balance": balance,
        "services": [
            {
                "date": record.served_on.isoformat(),
                "content": named[record.reference].label
                if record.reference in named
                else "volunteer service",
                "minutes": record.minutes,
            }
            for record in records
        ],
    }
    key = signing_key()
    return {
        "statement": body,
        "key_id": key_id_of(key.public_key()),
        "signature": base64.b64encode(key.sign(canonical(body))).decode(),
    }


def parse_statement(data):
    """The uploaded bytes as a statement document, or StatementError."""
    try:
        document = json.loads(data)
    except (UnicodeDecodeError, ValueError):
        raise StatementError(_("This file is not an hours statement.")) from None
    if not (
        isinstance(document, dict)
        and isinstance(document.get("statement"), dict)
        and isinstance(document.get("key_id"), str)
        and isinstance(document.get("signature"), str)
    ):
        raise StatementError(_("This file is not an hours statement."))
    return document


def verify_statement(document):
    """The statement's body and the platform that signed it (None: this platform), or
    StatementError when no registered active key signed exactly these bytes."""
    key_id = document.get("key_id")
    platform = TrustedPlatform.objects.filter(key_id=key_id, is_active=True).first()
    if platform is not None:
        try:
            public_key = load_public_key(platform.public_key)
        except ValidationError:
            raise StatementError(_("The key registered for this platform is damaged.")) from None
    elif key_id == key_id_of(signing_key().public_key()):
        public_key = signing_key().public_key()
    else:
        raise StatementError(
            _("This statement was signed by a platform this city does not trust (key %(id)s).")
            % {"id": str(key_id)[:64]}
        )
    try:
        signature = base64.b64decode(document.get("signature", ""), validate=True)
        public_key.verify(signature, canonical(document.get("statement")))
    except (TypeError, ValueError, InvalidSignature):
        raise StatementError(
            _("The signature does not match: this statement was changed after it was signed.")
        ) from None
    return document.get("statement"), platform
