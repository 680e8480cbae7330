import datetime

import pytest
from django.db import DatabaseError, transaction
from django.utils import timezone

from accounts import services
from accounts.models import AuditLog, ElderCategory, Qualification, VerificationStatus
from tests.conftest import make_user, make_volunteer_profile, on_postgres


@pytest.fixture
def pending_volunteer(volunteer, yuexiu):
    return make_volunteer_profile(volunteer, yuexiu, status=VerificationStatus.PENDING)


@pytest.fixture
def category(elder_profile):
    return ElderCategory.objects.create(
        elder=elder_profile,
        category="alone",
        district=elder_profile.district,
        street=elder_profile.street,
    )


@pytest.fixture
def qualification(volunteer_profile, bathing):
    return Qualification.objects.create(
        holder=volunteer_profile.user,
        service_type=bathing,
        certificate_number="NURSE-1",
        expires_on=timezone.localdate() + datetime.timedelta(days=30),
        district=volunteer_profile.district,
    )


def test_staff_approves_volunteer_and_audit_row_says_who_and_what(
    pending_volunteer, district_staff
):
    services.approve_request(pending_volunteer, by=district_staff)

    pending_volunteer.refresh_from_db()
    assert pending_volunteer.status == VerificationStatus.VERIFIED
    assert pending_volunteer.decided_by == district_staff
    entry = AuditLog.objects.get()
    assert entry.actor == district_staff
    assert entry.action == "volunteerprofile.verified"
    assert (entry.target_type, entry.target_id) == (
        "accounts.volunteerprofile",
        str(pending_volunteer.pk),
    )
    assert entry.district == pending_volunteer.district
    assert (entry.before, entry.after) == ({"status": "pending"}, {"status": "verified"})


def test_staff_rejects_category_with_reason_in_audit_row(category, district_staff):
    services.reject_request(category, by=district_staff, reason="Certificate unreadable")

    category.refresh_from_db()
    assert category.status == VerificationStatus.REJECTED
    assert category.decision_reason == "Certificate unreadable"
    entry = AuditLog.objects.get()
    assert entry.action == "eldercategory.rejected"
    assert entry.reason == "Certificate unreadable"


def test_rejection_without_reason_is_refused_and_not_logged(category, district_staff):
    with pytest.raises(services.PeopleError, match="reason"):
        services.reject_request(category, by=district_staff, reason="   ")

    category.refresh_from_db()
    assert category.status == VerificationStatus.PENDING
    assert not AuditLog.objects.exists()


def test_staff_of_another_district_cannot_decide(category, other_district_staff):
    with pytest.raises(services.PeopleError, match="outside the area"):
        services.approve_request(category, by=other_district_staff)

    assert not AuditLog.objects.exists()


def test_a_decision_is_made_only_once(category, district_staff, city_staff):
    services.approve_request(category, by=district_staff)

    with pytest.raises(services.PeopleError, match="already been decided"):
        services.reject_request(category, by=city_staff, reason="Changed my mind")
    assert AuditLog.objects.count() == 1


def test_staff_approves_qualification_which_then_counts(qualification, district_staff):
    services.approve_request(qualification, by=district_staff)

    assert list(Qualification.objects.valid_on(timezone.localdate())) == [qualification]
    assert AuditLog.objects.get().action == "qualification.verified"


def test_expired_qualification_stops_counting_without_any_job(qualification, district_staff):
    services.approve_request(qualification, by=district_staff)

    day_after_expiry = qualification.expires_on + datetime.timedelta(days=1)
    assert Qualification.objects.valid_on(qualification.expires_on).exists()
    assert not Qualification.objects.valid_on(day_after_expiry).exists()


def test_expired_qualification_cannot_be_approved(qualification, district_staff):
    Qualification.objects.filter(pk=qualification.pk).update(
        expires_on=timezone.localdate() - datetime.timedelta(days=1)
    )

    with pytest.raises(services.PeopleError, match="expired"):
        services.approve_request(qualification, by=district_staff)


def test_staff_without_scope_decides_nothing(category):
    unscoped = make_user(email="unscoped@example.org", is_staff=True)

    with pytest.raises(services.PeopleError):
        services.approve_request(category, by=unscoped)


def test_audit_rows_cannot_be_changed_or_deleted_through_the_orm(category, district_staff):
    services.approve_request(category, by=district_staff)
    entry = AuditLog.objects.get()

    with pytest.raises(ValueError):
        entry.save()
    with pytest.raises(ValueError):
        entry.delete()


@pytest.mark.postgres
def test_postgres_refuses_updating_or_deleting_audit_rows(category, district_staff):
    assert on_postgres()
    services.approve_request(category, by=district_staff)

    with pytest.raises(DatabaseError), transaction.atomic():
        AuditLog.objects.update(reason="rewritten")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditLog.objects.all().delete()
    assert AuditLog.objects.get().reason == ""
