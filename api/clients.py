"""API keys: made once, shown once, kept as a hash; and the staff decisions on clients.

A key reads `tbk_<prefix>_<secret>`: "tbk_" tells it apart from a person's
token (and from keys of other systems, for secret scanners); the prefix is
public and finds the client's row; the secret is 32 random bytes. The row
keeps SHA-256 of the whole key. A fast hash suffices here, unlike for
passwords: a slow hash protects secrets people choose, which are few enough
to guess; 256 random bits cannot be guessed however fast each guess is, and
every request can check its key in microseconds. The prefix is unique, so
no salt is needed to keep two rows' hashes apart.
"""

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from accounts import audit
from api.models import KEY_PREFIX_LENGTH, ApiClient

KEY_START = "tbk_"


class ClientError(Exception):
    """A staff decision on a client that cannot be made; the message is safe to show."""


def hash_key(key):
    return hashlib.sha256(key.encode()).hexdigest()


def _new_key():
    """(prefix, key) with a prefix no client has."""
    while True:
        prefix = secrets.token_hex(KEY_PREFIX_LENGTH // 2)
        if not ApiClient.objects.filter(key_prefix=prefix).exists():
            return prefix, f"{KEY_START}{prefix}_{secrets.token_urlsafe(32)}"


def _give_key(client):
    """Set a new key on `client` (not saved); return the key, which is never stored."""
    client.key_prefix, key = _new_key()
    client.key_hash = hash_key(key)
    client.key_issued_at = timezone.now()
    return key


def client_for_key(key):
    """The usable client a key belongs to, or None (unknown, inactive or revoked alike)."""
    prefix = key[len(KEY_START) : len(KEY_START) + KEY_PREFIX_LENGTH]
    if not key.startswith(KEY_START) or key[len(KEY_START) + KEY_PREFIX_LENGTH :][:1] != "_":
        return None
    client = ApiClient.objects.usable().select_related("district").filter(key_prefix=prefix)
    client = client.first()
    if client is None or not constant_time_compare(client.key_hash, hash_key(key)):
        return None
    return client


def _audit_values(client):
    return {
        "district": client.district_id,
        "may_read_records": client.may_read_records,
        "may_read_id_numbers": client.may_read_id_numbers,
        "may_read_phones": client.may_read_phones,
        "may_import_volunteers": client.may_import_volunteers,
        "is_active": client.is_active,
        "key_prefix": client.key_prefix,
    }


@transaction.atomic
def register_client(client, *, by):
    """Save a new client with its first key; return the key, to be shown to `by` once."""
    key = _give_key(client)
    client.created_by = by
    client.save()
    audit.record(by, "apiclient.registered", client, after=_audit_values(client))
    return key


@transaction.atomic
def reissue_key(client, *, by):
    """A new key for a client; the old one stops working at once. Return the new key."""
    client = ApiClient.objects.select_for_update().get(pk=client.pk)
    if client.is_revoked:
        raise ClientError(_("A revoked client gets no new key: register a new client."))
    before = {"key_prefix": client.key_prefix}
    key = _give_key(client)
    client.save(update_fields=["key_prefix", "key_hash", "key_issued_at"])
    audit.record(
        by, "apiclient.key_reissued", client, before=before, after={"key_prefix": client.key_prefix}
    )
    return key


@transaction.atomic
def revoke_client(client, *, by, reason=""):
    """Stop a client for good: its key is refused from the next request on."""
    client = ApiClient.objects.select_for_update().get(pk=client.pk)
    if client.is_revoked:
        raise ClientError(_("This client is already revoked."))
    before = {"is_active": client.is_active}
    client.revoked_at = timezone.now()
    client.is_active = False
    client.save(update_fields=["revoked_at", "is_active"])
    audit.record(
        by,
        "apiclient.key_revoked",
        client,
        reason=reason,
        before=before,
        after={"is_active": False, "revoked_at": client.revoked_at.isoformat()},
    )
    return client
