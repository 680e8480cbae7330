import pytest

from accounts.models import RelativeLink, VerificationStatus
from credits.models import Transfer, TransferKind
from credits.services import wallet_of
from rewards.services import RewardsError, donate_credits, give_credits, project_totals
from tests.credits.conftest import balance, fund
from tests.rewards.conftest import serve

pytestmark = pytest.mark.django_db


def link(requester, relative, district, status=VerificationStatus.VERIFIED):
    return RelativeLink.objects.create(
        requester=requester,
        relative=relative,
        relation="parent",
        district=district,
        status=status,
        decision_reason="Not proven" if status == VerificationStatus.REJECTED else "",
    )


@pytest.fixture
def giver(volunteer):
    serve(volunteer, 100)
    fund(volunteer, 50)
    return volunteer


def test_a_gift_to_a_verified_direct_relative_shows_in_both_passbooks(giver, elder, yuexiu):
    link(giver, elder, yuexiu)

    posted = give_credits(giver, elder, 20, key="form-1")

    assert balance(giver) == 30
    assert balance(elder) == 20
    assert posted.kind == TransferKind.GIFT
    assert posted in Transfer.objects.passbook(wallet_of(giver))
    assert posted in Transfer.objects.passbook(wallet_of(elder))


def test_a_resubmitted_gift_confirmation_gives_once(giver, elder, yuexiu):
    link(elder, giver, yuexiu)

    give_credits(giver, elder, 20, key="form-1")
    give_credits(giver, elder, 20, key="form-1")

    assert balance(elder) == 20


@pytest.mark.parametrize("status", [VerificationStatus.PENDING, VerificationStatus.REJECTED])
def test_a_gift_to_a_relative_not_yet_verified_is_refused_with_the_reason(
    giver, elder, yuexiu, status
):
    link(giver, elder, yuexiu, status=status)

    with pytest.raises(RewardsError, match="direct relative whose link staff have verified"):
        give_credits(giver, elder, 5, key="k")
    assert balance(giver) == 50


def test_a_gift_to_a_stranger_is_refused(giver, other_volunteer):
    with pytest.raises(RewardsError, match="direct relative"):
        give_credits(giver, other_volunteer, 5, key="k")


def test_a_gift_to_oneself_is_refused(giver):
    with pytest.raises(RewardsError, match="yourself"):
        give_credits(giver, giver, 5, key="k")


def test_credits_not_yet_spendable_cannot_be_gifted_but_can_be_donated(volunteer, elder, yuexiu):
    serve(volunteer, 10)
    fund(volunteer, 20)
    link(volunteer, elder, yuexiu)

    with pytest.raises(RewardsError, match="hours to go"):
        give_credits(volunteer, elder, 5, key="k")
    donate_credits(volunteer, 5, key="d")

    assert balance(volunteer) == 15


def test_a_donation_to_a_project_counts_as_received(volunteer, project):
    fund(volunteer, 20)

    donate_credits(volunteer, 8, key="d", project=project)

    assert project_totals(project) == {"received": 8, "granted": 0}


def test_a_closed_project_takes_no_donations(volunteer, project):
    fund(volunteer, 20)
    project.is_open = False
    project.save()

    with pytest.raises(RewardsError, match="no longer takes"):
        donate_credits(volunteer, 8, key="d", project=project)
