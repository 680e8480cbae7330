"""Real threads against PostgreSQL: never oversold, refunded once."""

import pytest
from django.utils import translation

from credits.models import Transfer, TransferKind
from rewards.models import Redemption, RedemptionStatus
from rewards.services import (
    RewardsError,
    approve_grant,
    cancel_redemption,
    donate_credits,
    give_credits,
    propose_grant,
    redeem_goods,
)
from tests.conftest import (
    balance,
    fund,
    make_elder_profile,
    make_staff,
    make_user,
    run_together,
    set_policy,
)
from tests.rewards.conftest import link, make_goods, make_station

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def in_english(call):
    """Threads do not inherit the test's language: run `call` with the English messages."""

    def run():
        with translation.override("en"):
            return call()

    return run


def test_twenty_people_redeeming_the_last_three_items_get_exactly_three(yuexiu):
    set_policy(spendable_after_hours=0)
    goods = make_goods(yuexiu, stock=3, price=10)
    station = make_station(yuexiu)
    people = [make_user(f"+86139100000{i:02d}", name=f"P{i}") for i in range(20)]
    for person in people:
        fund(person, 10)

    results = run_together(*[lambda p=p: redeem_goods(goods, station, by=p) for p in people])

    won = [r for r in results if isinstance(r, Redemption)]
    assert len(won) == 3
    assert all(isinstance(r, RewardsError) for r in results if r not in won)
    goods.refresh_from_db()
    assert goods.stock == 0
    assert Transfer.objects.filter(kind=TransferKind.REDEEM).count() == 3
    assert sorted(balance(p) for p in people) == [0] * 3 + [10] * 17


def test_a_redemption_cancelled_twice_at_once_refunds_once(yuexiu, volunteer):
    set_policy(spendable_after_hours=0)
    goods = make_goods(yuexiu, stock=1, price=10)
    fund(volunteer, 10)
    redemption = redeem_goods(goods, make_station(yuexiu), by=volunteer)

    results = run_together(
        lambda: cancel_redemption(redemption, by=volunteer),
        lambda: cancel_redemption(redemption, by=volunteer),
    )

    assert sum(isinstance(r, Redemption) for r in results) == 1
    assert sum(isinstance(r, RewardsError) for r in results) == 1
    redemption.refresh_from_db()
    goods.refresh_from_db()
    assert redemption.status == RedemptionStatus.CANCELLED
    assert goods.stock == 1
    assert balance(volunteer) == 10
    assert Transfer.objects.filter(kind=TransferKind.REFUND).count() == 1


def test_a_grant_approved_by_two_checkers_at_once_pays_once(yuexiu, volunteer):
    fund(volunteer, 50)
    donate_credits(50, key="pool", by=volunteer)
    elder = make_elder_profile(make_user("+8613910000099", name="E"), yuexiu, sequence="999")
    maker, first, second = (make_staff(f"staff{i}@example.org", yuexiu) for i in range(3))
    proposal = propose_grant(elder, 30, reason="Lives alone", by=maker)

    results = run_together(
        lambda: approve_grant(proposal, by=first), lambda: approve_grant(proposal, by=second)
    )

    assert sum(isinstance(r, RewardsError) for r in results) == 1
    assert balance(elder.user) == 30
    assert Transfer.objects.filter(reference=f"grant:{proposal.pk}").count() == 1


def test_ten_gifts_at_once_with_a_daily_limit_of_three_give_exactly_three(yuexiu, volunteer, elder):
    set_policy(spendable_after_hours=0, daily_gift_limit=3)
    fund(volunteer, 50)
    link(volunteer, elder, yuexiu)

    results = run_together(
        *[
            in_english(lambda n=n: give_credits(elder, 1, key=f"form-{n}", by=volunteer))
            for n in range(10)
        ]
    )

    assert sum(isinstance(r, Transfer) for r in results) == 3
    refusals = [r for r in results if not isinstance(r, Transfer)]
    assert all(isinstance(r, RewardsError) and "at most 3 gifts" in str(r) for r in refusals)
    assert Transfer.objects.filter(kind=TransferKind.GIFT).count() == 3
    assert (balance(volunteer), balance(elder)) == (47, 3)


def test_one_persons_parallel_redemptions_never_pass_the_goods_limit(yuexiu, volunteer):
    set_policy(spendable_after_hours=0)
    goods = make_goods(yuexiu, stock=20, price=1, limit_per_person=2, limit_period_days=30)
    station = make_station(yuexiu)
    fund(volunteer, 20)

    results = run_together(
        *[in_english(lambda: redeem_goods(goods, station, by=volunteer)) for _ in range(8)]
    )

    assert sum(isinstance(r, Redemption) for r in results) == 2
    refusals = [r for r in results if not isinstance(r, Redemption)]
    assert all(isinstance(r, RewardsError) and "at most 2" in str(r) for r in refusals)
    goods.refresh_from_db()
    assert goods.stock == 18
    assert balance(volunteer) == 18
    assert Redemption.objects.filter(user=volunteer).count() == 2
