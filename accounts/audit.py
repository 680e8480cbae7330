"""The one way to write the audit log; every app records staff decisions here."""

from django.db.models import Q

from accounts.models import AuditLog

# A password set, by its owner or for them: maker-checker looks for it.
PASSWORD_CHANGED = "user.password_changed"  # noqa: S105 - an audit action, not a secret
# Audit actions that change how a person logs in or what they may do as staff.
CREDENTIAL_ACTIONS = [
    "user.added",
    "user.changed",
    PASSWORD_CHANGED,
    "staffscope.added",
    "staffscope.changed",
    "staffscope.deleted",
]


def record(actor, action, target, *, reason="", before=None, after=None, district=None):
    """Append one audit row: who did `action` to `target`, where, why, and what changed.

    `district` defaults to the target's own `district`; `before`/`after` are
    small JSON-able dicts of the fields that changed — ids, never images.
    """
    entry = _entry(actor, action, target, reason, before, after, district)
    entry.save()
    return entry


def record_many(entries):
    """Append many audit rows in one statement: `entries` are (actor, action, target,
    before, after), for decisions taken together (visits published from one review)."""
    return AuditLog.objects.bulk_create(
        _entry(actor, action, target, "", before, after, None)
        for actor, action, target, before, after in entries
    )


def _entry(actor, action, target, reason, before, after, district):
    district_id = getattr(target, "district_id", None) if district is None else district.pk
    return AuditLog(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        district_id=district_id,
        reason=reason,
        before=before or {},
        after=after or {},
    )


def changed_credentials(first, second, *, since):
    """Has either person changed the other's login, password or staff scope since `since`?

    Someone who set a colleague's password could log in as them: maker-checker
    needs two people who could not have been one.
    """

    def by_on(actor, person):
        return Q(actor=actor, target_id=str(person.pk))

    return AuditLog.objects.filter(
        by_on(first, second) | by_on(second, first),
        action__in=CREDENTIAL_ACTIONS,
        target_type="accounts.user",
        created_at__gte=since,
    ).exists()
