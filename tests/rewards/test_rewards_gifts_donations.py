import datetime

import pytest
from django.utils import timezone

from accounts.models import VerificationStatus
from credits.models import Transfer, TransferKind
from credits.services import LedgerError, give_gift, wallet_of
from rewards.services import RewardsError, donate_credits, give_credits, project_totals
from tests.conftest import balance, fund, set_policy
from tests.rewards.conftest import link, serve

pytestmark = pytest.mark.django_db


@pytest.fixture
def giver(volunteer):
    serve(volunteer, 100)
    fund(volunteer, 50)
    return volunteer


def test_a_gift_to_a_verified_direct_relative_shows_in_both_passbooks(giver, elder, yuexiu):
    link(giver, elder, yuexiu)

    posted = give_credits(elder, 20, key="form-1", by=giver)

    assert balance(giver) == 30
    assert balance(elder) == 20
    assert posted.kind == TransferKind.GIFT
    assert posted in Transfer.objects.passbook(wallet_of(giver))
    assert posted in Transfer.objects.passbook(wallet_of(elder))


def test_a_resubmitted_gift_confirmation_gives_once(giver, elder, yuexiu):
    link(elder, giver, yuexiu)

    give_credits(elder, 20, key="form-1", by=giver)
    give_credits(elder, 20, key="form-1", by=giver)

    assert balance(elder) == 20


def test_gifts_beyond_the_daily_limit_are_refused(giver, elder, yuexiu):
    set_policy(spendable_after_hours=0, daily_gift_limit=3)
    link(giver, elder, yuexiu)
    for number in range(3):
        give_credits(elder, 1, key=f"form-{number}", by=giver)

    with pytest.raises(RewardsError, match="at most 3 gifts a day"):
        give_credits(elder, 1, key="form-3", by=giver)
    assert balance(elder) == 3
    assert Transfer.objects.filter(kind=TransferKind.GIFT).count() == 3


def test_a_daily_gift_limit_of_zero_means_no_limit(giver, elder, yuexiu):
    set_policy(spendable_after_hours=0, daily_gift_limit=0)
    link(giver, elder, yuexiu)

    for number in range(5):
        give_credits(elder, 1, key=f"form-{number}", by=giver)

    assert balance(elder) == 5


def test_the_daily_gift_limit_counts_each_giver_apart(giver, elder, other_volunteer, yuexiu):
    set_policy(spendable_after_hours=0, daily_gift_limit=1)
    link(giver, elder, yuexiu)
    link(other_volunteer, elder, yuexiu)
    fund(other_volunteer, 5)

    give_credits(elder, 1, key="form-1", by=giver)
    give_credits(elder, 1, key="form-1", by=other_volunteer)

    assert balance(elder) == 2


def test_a_resubmitted_gift_at_the_limit_replays_instead_of_being_refused(giver, elder, yuexiu):
    set_policy(spendable_after_hours=0, daily_gift_limit=2)
    link(giver, elder, yuexiu)
    give_credits(elder, 1, key="form-1", by=giver)
    last = give_credits(elder, 1, key="form-2", by=giver)

    again = give_credits(elder, 1, key="form-2", by=giver)

    assert again == last
    assert balance(elder) == 2
    with pytest.raises(RewardsError, match="at most 2 gifts a day"):
        give_credits(elder, 1, key="form-3", by=giver)


def test_the_gift_day_starts_at_midnight_in_the_citys_time_zone(giver, elder, yuexiu):
    """Late evening in Guangzhou and just after midnight share a UTC date, not a local one."""
    set_policy(spendable_after_hours=0, daily_gift_limit=2)
    evening = timezone.make_aware(datetime.datetime(2030, 6, 3, 23, 30))
    after_midnight = timezone.make_aware(datetime.datetime(2030, 6, 4, 0, 30))
    assert evening.astimezone(datetime.UTC).date() == after_midnight.astimezone(datetime.UTC).date()
    give_gift(giver, elder, 1, key="evening-1", now=evening)
    give_gift(giver, elder, 1, key="evening-2", now=evening)
    with pytest.raises(LedgerError, match="at most 2 gifts a day"):
        give_gift(giver, elder, 1, key="evening-3", now=evening + datetime.timedelta(minutes=29))

    give_gift(giver, elder, 1, key="night-1", now=after_midnight)
    give_gift(giver, elder, 1, key="night-2", now=after_midnight)

    assert balance(elder) == 4


@pytest.mark.parametrize("status", [VerificationStatus.PENDING, VerificationStatus.REJECTED])
def test_a_gift_to_a_relative_not_yet_verified_is_refused_with_the_reason(
    giver, elder, yuexiu, status
):
    link(giver, elder, yuexiu, status=status)

    with pytest.raises(RewardsError, match="direct relative whose link staff have verified"):
        give_credits(elder, 5, key="k", by=giver)
    assert balance(giver) == 50


def test_a_gift_to_a_stranger_is_refused(giver, other_volunteer):
    with pytest.raises(RewardsError, match="direct relative"):
        give_credits(other_volunteer, 5, key="k", by=giver)


def test_a_gift_to_oneself_is_refused(giver):
    with pytest.raises(RewardsError, match="yourself"):
        give_credits(giver, 5, key="k", by=giver)


def test_credits_not_yet_spendable_cannot_be_gifted_but_can_be_donated(volunteer, elder, yuexiu):
    serve(volunteer, 10)
    fund(volunteer, 20)
    link(volunteer, elder, yuexiu)

    with pytest.raises(RewardsError, match="hours to go"):
        give_credits(elder, 5, key="k", by=volunteer)
    donate_credits(5, key="d", by=volunteer)

    assert balance(volunteer) == 15


def test_a_donation_to_a_project_counts_as_received(volunteer, project):
    fund(volunteer, 20)

    donate_credits(8, key="d", project=project, by=volunteer)

    assert project_totals(project) == {"received": 8, "granted": 0}


def test_a_closed_project_takes_no_donations(volunteer, project):
    fund(volunteer, 20)
    project.is_open = False
    project.save()

    with pytest.raises(RewardsError, match="no longer takes"):
        donate_credits(8, key="d", project=project, by=volunteer)
