import datetime

import pytest

from accounts.models import AuditLog
from rewards.models import CertificateStatus
from rewards.services import RewardsError, issue_certificate, revoke_certificate
from tests.rewards.conftest import serve

pytestmark = pytest.mark.django_db

JANUARY = (datetime.date(2026, 1, 1), datetime.date(2026, 1, 31))


def test_a_certificate_counts_whole_hours_served_in_its_period(volunteer, volunteer_profile):
    serve(volunteer, 7, on=datetime.date(2026, 1, 10))
    serve(volunteer, 5, on=datetime.date(2026, 2, 10))

    certificate = issue_certificate(*JANUARY, by=volunteer)

    assert certificate.hours == 7
    assert certificate.public_name == "L***********"
    assert certificate.serial.startswith("TB2026")


def test_a_period_without_service_gets_no_certificate(volunteer):
    with pytest.raises(RewardsError, match="no whole hour"):
        issue_certificate(*JANUARY, by=volunteer)


def test_staff_revoke_with_a_reason_once(volunteer, volunteer_profile, district_staff):
    serve(volunteer, 7, on=datetime.date(2026, 1, 10))
    certificate = issue_certificate(*JANUARY, by=volunteer)

    revoked = revoke_certificate(certificate, reason="Hours reversed", by=district_staff)

    assert revoked.is_revoked
    assert revoked.status == CertificateStatus.REVOKED
    row = AuditLog.objects.get(action="certificate.revoked")
    assert (row.actor, row.reason) == (district_staff, "Hours reversed")
    assert (row.before, row.after) == ({"status": "valid"}, {"status": "revoked"})
    with pytest.raises(RewardsError, match="already revoked"):
        revoke_certificate(certificate, reason="Again", by=district_staff)


def test_staff_of_another_district_cannot_revoke(
    volunteer, volunteer_profile, other_district_staff
):
    serve(volunteer, 7, on=datetime.date(2026, 1, 10))
    certificate = issue_certificate(*JANUARY, by=volunteer)

    with pytest.raises(RewardsError, match="outside the area"):
        revoke_certificate(certificate, reason="No", by=other_district_staff)
