"""Ed25519 public keys as platforms publish them: 32 raw bytes in base64."""

import base64
import binascii
import hashlib

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def load_public_key(text):
    """The key in `text`, or ValidationError saying it is not one."""
    try:
        raw = base64.b64decode(text.strip(), validate=True)
        return Ed25519PublicKey.from_public_bytes(raw)
    except (binascii.Error, ValueError):
        raise ValidationError(
            _("This is not an Ed25519 public key: 32 bytes in base64 are expected."),
            code="public_key",
        ) from None


def public_key_text(public_key):
    return base64.b64encode(public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)).decode()


def key_id_of(public_key):
    """A short name for a key that anyone can recompute from the key itself."""
    raw = public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]
