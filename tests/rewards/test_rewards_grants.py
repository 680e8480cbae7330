import pytest

from accounts.models import AuditLog
from rewards.models import GrantStatus
from rewards.services import (
    RewardsError,
    approve_grant,
    donate_credits,
    project_totals,
    propose_grant,
    reject_grant,
)
from tests.conftest import balance, fund

pytestmark = pytest.mark.django_db


@pytest.fixture
def pool(volunteer):
    fund(volunteer, 100)
    donate_credits(100, key="pool", by=volunteer)


def test_a_proposed_grant_moves_no_credit(pool, needy_elder, district_staff):
    proposal = propose_grant(needy_elder, 30, reason="Lives alone", by=district_staff)

    assert proposal.status == GrantStatus.PROPOSED
    assert balance(needy_elder.user) == 0


def test_the_proposer_cannot_approve_their_own_grant(pool, needy_elder, district_staff):
    proposal = propose_grant(needy_elder, 30, reason="Lives alone", by=district_staff)

    with pytest.raises(RewardsError, match="second staff member"):
        approve_grant(proposal, by=district_staff)
    assert balance(needy_elder.user) == 0


def test_a_second_staff_members_approval_pays_once_and_both_decisions_are_audited(
    pool, needy_elder, district_staff, second_staff
):
    proposal = propose_grant(needy_elder, 30, reason="Lives alone", by=district_staff)

    approved = approve_grant(proposal, by=second_staff)
    with pytest.raises(RewardsError, match="already"):
        approve_grant(proposal, by=second_staff)

    assert approved.status == GrantStatus.APPROVED
    assert balance(needy_elder.user) == 30
    actions = set(AuditLog.objects.values_list("action", "actor"))
    assert ("grant.proposed", district_staff.pk) in actions
    assert ("grant.approved", second_staff.pk) in actions


def test_a_grant_from_a_project_counts_as_granted(
    volunteer, project, needy_elder, district_staff, second_staff
):
    fund(volunteer, 50)
    donate_credits(50, key="p", project=project, by=volunteer)
    proposal = propose_grant(needy_elder, 20, reason="Heating", by=district_staff, project=project)

    approve_grant(proposal, by=second_staff)

    assert project_totals(project) == {"received": 50, "granted": 20}


def test_a_grant_larger_than_the_pool_is_refused_on_approval(
    needy_elder, district_staff, second_staff
):
    proposal = propose_grant(needy_elder, 30, reason="Lives alone", by=district_staff)

    with pytest.raises(RewardsError, match="not enough credits"):
        approve_grant(proposal, by=second_staff)
    proposal.refresh_from_db()
    assert proposal.status == GrantStatus.PROPOSED


def test_a_rejected_grant_needs_a_reason_and_moves_nothing(
    pool, needy_elder, district_staff, second_staff
):
    proposal = propose_grant(needy_elder, 30, reason="Lives alone", by=district_staff)

    with pytest.raises(RewardsError, match="reason"):
        reject_grant(proposal, by=second_staff, reason=" ")
    rejected = reject_grant(proposal, by=second_staff, reason="Already helped")

    assert rejected.status == GrantStatus.REJECTED
    assert balance(needy_elder.user) == 0


def test_staff_of_another_district_cannot_propose_or_approve(
    pool, needy_elder, district_staff, other_district_staff
):
    with pytest.raises(RewardsError, match="outside the area"):
        propose_grant(needy_elder, 5, reason="x", by=other_district_staff)
    proposal = propose_grant(needy_elder, 5, reason="x", by=district_staff)
    with pytest.raises(RewardsError, match="outside the area"):
        approve_grant(proposal, by=other_district_staff)
