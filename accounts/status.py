"""Status as data: the one way a stateful row changes its status.

Every stateful model names its allowed steps in a `TRANSITIONS` class
attribute (status → the statuses it may move to). `move` checks the step on
the row the caller has locked, sets the status and the fields that go with
it, saves them, and records the step through one path: the app's own history
row when it keeps one (`event`, as orders keep an `OrderEvent` per step), and
an audit row (`accounts.audit.record`) when the step is a decision someone
must answer for (`audit`).
"""

from accounts import audit as audit_log


def may_move(row, to):
    return to in type(row).TRANSITIONS.get(row.status, ())


def check_move(row, to, refusal):
    """Raise `refusal` (the app's own error, its message safe to show) unless `row` may go `to`."""
    if not may_move(row, to):
        raise refusal


def move(row, to, *, by, refusal, audit=None, event=None, **changes):
    """Apply one allowed step to the locked `row`, with `changes`, and record it.

    `audit` is a dict of `accounts.audit.record` arguments (`action`, which
    defaults to `<model>.<status>`, `reason`, `district`, `after`): given, an
    audit row says who moved what from which status to which. `event(row,
    from_status)` writes the app's own history row.
    """
    check_move(row, to, refusal)
    from_status = row.status
    for field, value in changes.items():
        setattr(row, field, value)
    row.status = to
    row.save(update_fields=["status", *changes])
    if event is not None:
        event(row, from_status)
    if audit is not None:
        audit = dict(audit)
        audit_log.record(
            by,
            audit.pop("action", f"{row._meta.model_name}.{to}"),
            row,
            before={"status": from_status},
            after={"status": to, **audit.pop("after", {})},
            **audit,
        )
    return row
