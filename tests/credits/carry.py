"""Another platform for tests: its own key pair, and statements it signs."""

import base64
import datetime
import uuid

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from credits.keys import key_id_of, public_key_text
from credits.models import TrustedPlatform
from credits.statements import FORMAT, ID_TYPE, canonical

_private_keys = {}  # key id → the private key its platform holds


def platform_key(platform):
    return _private_keys[platform.key_id]


def make_platform(name="Shenzhen Time Bank", *, active=True):
    """A registered platform and the private key only it holds."""
    private_key = Ed25519PrivateKey.generate()
    _private_keys[key_id_of(private_key.public_key())] = private_key
    public_key = private_key.public_key()
    platform = TrustedPlatform.objects.create(
        name=name,
        key_id=key_id_of(public_key),
        public_key=public_key_text(public_key),
        is_active=active,
    )
    return platform, private_key


def body_for(profile, *, balance=12, hours=30, issued_at=None, statement_id=None):
    issued_at = issued_at or datetime.datetime.now(datetime.UTC)
    return {
        "format": FORMAT,
        "platform": "shenzhen",
        "statement_id": statement_id or str(uuid.uuid4()),
        "issued_at": issued_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "volunteer": {
            "name": profile.real_name,
            "id_type": ID_TYPE,
            "id_number": profile.id_number,
            "volunteer_number": "SZ0001",
        },
        "hours_served": hours,
        "minutes_served": hours * 60,
        "balance": balance,
        "services": [{"date": "2026-01-05", "content": "助餐服务", "minutes": hours * 60}],
    }


def signed(private_key, body):
    """The document as the other platform hands it to the volunteer."""
    return {
        "statement": body,
        "key_id": key_id_of(private_key.public_key()),
        "signature": base64.b64encode(private_key.sign(canonical(body))).decode(),
    }


def statement_file(private_key, profile, **figures):
    return canonical(signed(private_key, body_for(profile, **figures)))
