"""The one way to write the audit log; every app records staff decisions here."""

from accounts.models import AuditLog


def record(actor, action, target, *, reason="", before=None, after=None, district=None):
    """Append one audit row: who did `action` to `target`, where, why, and what changed.

    `district` defaults to the target's own `district`; `before`/`after` are
    small JSON-able dicts of the fields that changed — ids, never images.
    """
    district_id = getattr(target, "district_id", None) if district is None else district.pk
    return AuditLog.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        district_id=district_id,
        reason=reason,
        before=before or {},
        after=after or {},
    )
