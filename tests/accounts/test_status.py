"""The one mover of statuses: allowed steps only, fields and status saved together, one record."""

import pytest

from accounts.models import AuditLog, ElderCategory, VerificationStatus
from accounts.status import check_move, may_move, move


class Refused(Exception):
    pass


@pytest.fixture
def category(elder_profile):
    return ElderCategory.objects.create(
        elder=elder_profile,
        category="alone",
        district=elder_profile.district,
        street=elder_profile.street,
    )


def test_a_step_outside_the_transitions_raises_the_callers_refusal(category, district_staff):
    category.status = VerificationStatus.REJECTED

    assert not may_move(category, VerificationStatus.VERIFIED)
    with pytest.raises(Refused):
        check_move(category, VerificationStatus.VERIFIED, Refused())
    with pytest.raises(Refused):
        move(category, VerificationStatus.VERIFIED, by=district_staff, refusal=Refused())
    assert not AuditLog.objects.exists()


def test_a_move_saves_the_status_with_its_fields_and_writes_one_audit_row(category, district_staff):
    move(
        category,
        VerificationStatus.REJECTED,
        by=district_staff,
        refusal=Refused(),
        audit={"reason": "Unreadable"},
        decision_reason="Unreadable",
    )

    category.refresh_from_db()
    assert (category.status, category.decision_reason) == ("rejected", "Unreadable")
    row = AuditLog.objects.get()
    assert (row.actor, row.action, row.reason) == (
        district_staff,
        "eldercategory.rejected",
        "Unreadable",
    )
    assert (row.before, row.after) == ({"status": "pending"}, {"status": "rejected"})


def test_a_move_without_audit_records_only_the_callers_event(category, district_staff):
    events = []

    move(
        category,
        VerificationStatus.VERIFIED,
        by=district_staff,
        refusal=Refused(),
        event=lambda row, from_status: events.append((row.pk, from_status)),
    )

    assert events == [(category.pk, VerificationStatus.PENDING)]
    assert not AuditLog.objects.exists()
