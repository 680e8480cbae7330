import datetime

import pytest

from credits.holds import hold_credits, release_hold, spend_hold
from credits.models import AccountKind, Hold, HoldStatus, Transfer, TransferKind
from credits.services import (
    LedgerError,
    credit_served_time,
    give_gift,
    grant_credits,
    make_donation,
    post_transfer,
    project_account,
    redeem_credits,
    reverse_transfer,
    system_account,
    wallet_of,
)
from tests.conftest import balance, fund, next_key, set_policy

pytestmark = pytest.mark.django_db


def test_ninety_then_thirty_minutes_earn_one_credit_each(volunteer):
    first = credit_served_time(volunteer, 90, key="order:1:earn")
    second = credit_served_time(volunteer, 30, key="order:2:earn")

    assert (first.credited, second.credited) == (1, 1)
    assert balance(volunteer) == 2


def test_minutes_under_an_hour_carry_over_without_a_transfer(volunteer):
    record = credit_served_time(volunteer, 45, key="order:1:earn")

    assert record.credited == 0
    assert not Transfer.objects.exists()


def test_earning_again_with_the_same_key_is_a_no_op(volunteer):
    first = credit_served_time(volunteer, 120, key="order:1:earn")
    again = credit_served_time(volunteer, 120, key="order:1:earn")

    assert again.pk == first.pk
    assert balance(volunteer) == 2
    assert Transfer.objects.count() == 1


def test_earning_with_a_used_key_and_other_minutes_is_refused(volunteer):
    credit_served_time(volunteer, 120, key="order:1:earn")

    with pytest.raises(LedgerError, match="already used"):
        credit_served_time(volunteer, 60, key="order:1:earn")


def test_a_volunteer_at_the_cap_earns_into_the_public_pool_visibly(volunteer):
    set_policy(wallet_cap=10)
    fund(volunteer, 9)

    record = credit_served_time(volunteer, 180, key="order:1:earn")

    assert (record.credited, record.pooled) == (1, 2)
    assert balance(volunteer) == 10
    pool = system_account(AccountKind.PUBLIC_POOL)
    assert pool.derived_balance() == 2
    pooled = Transfer.objects.get(target=pool)
    assert pooled.reference == "" and "Li Volunteer" in pooled.memo
    assert record.pooled == 2


def test_no_more_than_the_daily_limit_is_credited(volunteer):
    day = datetime.date(2026, 3, 2)
    credit_served_time(volunteer, 8 * 60, key=next_key(), served_on=day)

    with pytest.raises(LedgerError, match="8 hours a day"):
        credit_served_time(volunteer, 1, key=next_key(), served_on=day)
    credit_served_time(volunteer, 60, key=next_key(), served_on=day + datetime.timedelta(days=1))


def test_a_transfer_cannot_overdraw_a_wallet(volunteer, other_volunteer):
    fund(volunteer, 3)

    with pytest.raises(LedgerError, match="not enough credits"):
        post_transfer(wallet_of(volunteer), wallet_of(other_volunteer), 4, kind="gift", key="k")
    assert balance(volunteer) == 3


@pytest.mark.parametrize("amount", [0, -1, 1.5])
def test_only_whole_positive_credits_move(volunteer, other_volunteer, amount):
    fund(volunteer, 3)

    with pytest.raises(LedgerError, match="whole credits"):
        post_transfer(
            wallet_of(volunteer), wallet_of(other_volunteer), amount, kind="gift", key="k"
        )


def test_same_key_same_figures_returns_the_original_transfer(volunteer, other_volunteer):
    fund(volunteer, 5)
    source, target = wallet_of(volunteer), wallet_of(other_volunteer)

    first = post_transfer(source, target, 2, kind="gift", key="k")
    again = post_transfer(source, target, 2, kind="gift", key="k")

    assert again.pk == first.pk
    assert (balance(volunteer), balance(other_volunteer)) == (3, 2)


def test_same_key_with_another_amount_is_an_error(volunteer, other_volunteer):
    fund(volunteer, 5)
    source, target = wallet_of(volunteer), wallet_of(other_volunteer)
    post_transfer(source, target, 2, kind="gift", key="k")

    with pytest.raises(LedgerError, match="already used"):
        post_transfer(source, target, 3, kind="gift", key="k")


def test_hold_then_spend_moves_credits_through_escrow(elder):
    fund(elder, 5)

    held = hold_credits(elder, 2, key="order:7:hold", reference="order:7")
    assert balance(elder) == 3
    assert system_account(AccountKind.ESCROW).derived_balance() == 2

    spent = spend_hold(held)
    assert spent.status == HoldStatus.SPENT
    assert system_account(AccountKind.ESCROW).derived_balance() == 0
    assert system_account(AccountKind.REDEEMED).derived_balance() == 2


def test_a_released_hold_gives_the_credits_back(elder):
    fund(elder, 5)

    release_hold(hold_credits(elder, 2, key="order:7:hold"))

    assert balance(elder) == 5


def test_a_hold_resolves_once(elder):
    fund(elder, 5)
    held = hold_credits(elder, 2, key="order:7:hold")
    release_hold(held)

    assert release_hold(held).status == HoldStatus.RELEASED
    with pytest.raises(LedgerError, match="already"):
        spend_hold(held)
    assert balance(elder) == 5
    assert Hold.objects.get().resolution.kind == TransferKind.RELEASE


def test_holding_again_with_the_same_key_returns_the_same_hold(elder):
    fund(elder, 5)

    assert hold_credits(elder, 2, key="h").pk == hold_credits(elder, 2, key="h").pk
    assert balance(elder) == 3


def test_escrow_moves_only_through_holds(elder):
    fund(elder, 5)

    with pytest.raises(LedgerError, match="Escrow"):
        post_transfer(wallet_of(elder), system_account(AccountKind.ESCROW), 1, kind="hold", key="k")


def test_gifts_wait_for_the_hours_served_threshold(volunteer, elder):
    set_policy(spendable_after_hours=2)
    fund(volunteer, 5)
    credit_served_time(volunteer, 60, key=next_key())

    with pytest.raises(LedgerError, match="1 hours to go"):
        give_gift(volunteer, elder, 1, key=next_key())
    credit_served_time(volunteer, 60, key=next_key())
    give_gift(volunteer, elder, 1, key=next_key())
    assert balance(elder) == 1


def test_a_gift_over_the_receivers_cap_is_refused(open_policy, volunteer, elder):
    set_policy(spendable_after_hours=0, wallet_cap=10)
    fund(volunteer, 5)
    fund(elder, 8)

    with pytest.raises(LedgerError, match="over its cap"):
        give_gift(volunteer, elder, 3, key=next_key())
    assert (balance(volunteer), balance(elder)) == (5, 8)


def test_redeeming_needs_spendable_credits(volunteer):
    fund(volunteer, 5)

    with pytest.raises(LedgerError, match="100 hours"):
        redeem_credits(volunteer, 1, key=next_key())


def test_donations_are_always_allowed_to_pool_or_project(volunteer):
    fund(volunteer, 5)
    project = project_account("warm-meals", "Warm meals")

    make_donation(volunteer, 2, key=next_key())
    make_donation(volunteer, 1, key=next_key(), project=project)

    assert system_account(AccountKind.PUBLIC_POOL).derived_balance() == 2
    assert project.derived_balance() == 1
    assert balance(volunteer) == 2


def test_grants_cannot_exceed_what_the_pool_holds(volunteer, elder, city_staff):
    fund(volunteer, 5)
    make_donation(volunteer, 3, key=next_key())

    grant_credits(elder, 2, key=next_key(), by=city_staff)
    with pytest.raises(LedgerError, match="not enough credits"):
        grant_credits(elder, 2, key=next_key(), by=city_staff)
    assert balance(elder) == 2


def test_a_reversal_undoes_a_transfer_once(open_policy, volunteer, elder, city_staff):
    fund(volunteer, 5)
    given = give_gift(volunteer, elder, 2, key=next_key())

    reversal = reverse_transfer(given, reason="Sent to the wrong person", by=city_staff)

    assert reversal.reverses == given and reversal.memo == "Sent to the wrong person"
    assert (balance(volunteer), balance(elder)) == (5, 0)
    with pytest.raises(LedgerError, match="already reversed"):
        reverse_transfer(given, reason="again", by=city_staff)


def test_a_reversal_needs_a_reason(volunteer, city_staff):
    with pytest.raises(LedgerError, match="why"):
        reverse_transfer(fund(volunteer, 1), reason=" ", by=city_staff)


def test_credits_that_went_through_escrow_are_not_reversed(elder, city_staff):
    fund(elder, 5)
    held = hold_credits(elder, 2, key=next_key())

    with pytest.raises(LedgerError, match="not reversed"):
        reverse_transfer(held.transfer, reason="mistake", by=city_staff)
    with pytest.raises(LedgerError, match="not reversed"):
        reverse_transfer(spend_hold(held).resolution, reason="mistake", by=city_staff)
