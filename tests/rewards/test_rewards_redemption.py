import datetime
import importlib

import pytest
from django.apps import apps as django_apps
from django.utils import timezone
from django_q.models import Schedule

from credits.models import Transfer, TransferKind
from rewards.models import Goods, RedemptionStatus
from rewards.services import (
    RewardsError,
    add_stock,
    cancel_redemption,
    expire_redemption,
    hand_over,
    redeem_goods,
)
from rewards.tasks import expire_redemptions
from tests.conftest import balance, fund, set_policy
from tests.rewards.conftest import make_goods, serve

pytestmark = pytest.mark.django_db


@pytest.fixture
def spender(volunteer):
    """A volunteer past the 100 hours that open redeeming, with 30 credits."""
    serve(volunteer, 100)
    fund(volunteer, 30)
    return volunteer


def test_redeeming_debits_the_price_and_takes_one_item(spender, rice, station):
    redemption = redeem_goods(rice, station, by=spender)

    rice.refresh_from_db()
    assert rice.stock == 4
    assert balance(spender) == 20
    assert redemption.status == RedemptionStatus.RESERVED
    assert redemption.debit.kind == TransferKind.REDEEM
    assert len(redemption.code) == 8


def test_credits_not_yet_spendable_cannot_be_redeemed(volunteer, rice, station):
    serve(volunteer, 99)
    fund(volunteer, 30)

    with pytest.raises(RewardsError, match="1 hours to go"):
        redeem_goods(rice, station, by=volunteer)
    rice.refresh_from_db()
    assert rice.stock == 5
    assert balance(volunteer) == 30


def test_out_of_stock_goods_charge_nothing(spender, yuexiu, station):
    empty = make_goods(yuexiu, stock=0)

    with pytest.raises(RewardsError, match="out of stock"):
        redeem_goods(empty, station, by=spender)
    assert balance(spender) == 30


def test_too_few_credits_take_no_stock(volunteer, rice, station):
    serve(volunteer, 100)
    fund(volunteer, 5)

    with pytest.raises(RewardsError, match="not enough credits"):
        redeem_goods(rice, station, by=volunteer)
    rice.refresh_from_db()
    assert rice.stock == 5
    assert not rice.redemptions.exists()


def test_per_person_limit_counts_only_redemptions_that_were_not_refunded(spender, rice, station):
    first = redeem_goods(rice, station, by=spender)
    with pytest.raises(RewardsError, match="at most 1"):
        redeem_goods(rice, station, by=spender)

    cancel_redemption(first, by=spender)
    assert redeem_goods(rice, station, by=spender).status == RedemptionStatus.RESERVED


def test_inactive_goods_cannot_be_redeemed(spender, rice, station):
    Goods.objects.filter(pk=rice.pk).update(is_active=False)
    rice.refresh_from_db()

    with pytest.raises(RewardsError, match="no longer on the shelf"):
        redeem_goods(rice, station, by=spender)


def test_cancelling_refunds_and_restocks_once(spender, rice, station):
    redemption = redeem_goods(rice, station, by=spender)

    cancelled = cancel_redemption(redemption, by=spender)
    with pytest.raises(RewardsError, match="already cancelled"):
        cancel_redemption(redemption, by=spender)

    rice.refresh_from_db()
    assert rice.stock == 5
    assert balance(spender) == 30
    assert cancelled.refund.kind == TransferKind.REFUND
    assert Transfer.objects.filter(kind=TransferKind.REFUND).count() == 1


def test_station_staff_hand_over_by_code_and_it_cannot_be_cancelled_after(
    spender, rice, station, district_staff
):
    redemption = redeem_goods(rice, station, by=spender)

    collected = hand_over(f" {redemption.code.lower()} ", by=district_staff)

    assert collected.status == RedemptionStatus.COLLECTED
    assert collected.closed_by == district_staff
    with pytest.raises(RewardsError, match="already handed over"):
        cancel_redemption(redemption, by=spender)


def test_staff_of_another_district_cannot_hand_over(spender, rice, station, other_district_staff):
    redemption = redeem_goods(rice, station, by=spender)

    with pytest.raises(RewardsError, match="outside the area"):
        hand_over(redemption.code, by=other_district_staff)


def test_an_unknown_code_is_refused_clearly(district_staff):
    with pytest.raises(RewardsError, match="No redemption"):
        hand_over("NOPE1234", by=district_staff)


def test_uncollected_redemptions_expire_refund_and_restock_once(spender, rice, station):
    redemption = redeem_goods(rice, station, by=spender)
    redemption.deadline = timezone.now() - datetime.timedelta(minutes=1)
    redemption.save(update_fields=["deadline"])

    assert expire_redemptions() == 1
    assert expire_redemptions() == 0

    redemption.refresh_from_db()
    rice.refresh_from_db()
    assert redemption.status == RedemptionStatus.EXPIRED
    assert rice.stock == 5
    assert balance(spender) == 30


def test_a_redemption_before_its_deadline_does_not_expire(spender, rice, station):
    redemption = redeem_goods(rice, station, by=spender)

    with pytest.raises(RewardsError, match="not passed"):
        expire_redemption(redemption)


def test_sponsor_donation_adds_stock_with_a_record(rice, district_staff):
    donation = add_stock(rice, 20, sponsor="Lucky Mart", by=district_staff)

    rice.refresh_from_db()
    assert rice.stock == 25
    assert donation.sponsor == "Lucky Mart"
    assert donation.received_by == district_staff


def test_the_spend_rule_follows_the_current_policy(volunteer, rice, station):
    set_policy(spendable_after_hours=0)
    fund(volunteer, 10)

    assert redeem_goods(rice, station, by=volunteer).price == 10


def test_the_schedules_migration_creates_the_deadline_and_star_tasks_once():
    # Transactional tests elsewhere flush migration data, so run the migration's function.
    migration = importlib.import_module("rewards.migrations.0002_schedules")
    migration.create_schedules(django_apps, None)
    migration.create_schedules(django_apps, None)

    funcs = list(
        Schedule.objects.filter(func__startswith="rewards.").values_list("func", flat=True)
    )
    assert sorted(funcs) == ["rewards.tasks.expire_redemptions", "rewards.tasks.review_stars"]


def test_a_resubmitted_redemption_form_redeems_once(spender, rice, station):
    first = redeem_goods(rice, station, key="a" * 32, by=spender)
    again = redeem_goods(rice, station, key="a" * 32, by=spender)

    assert again == first
    assert balance(spender) == 20


def test_the_price_charged_is_the_current_one(spender, rice, station):
    Goods.objects.filter(pk=rice.pk).update(price=12)

    redemption = redeem_goods(rice, station, by=spender)

    assert redemption.price == 12
    assert balance(spender) == 18


def test_the_passbook_names_the_goods_and_links_the_redemption(client, spender, rice, station):
    redemption = redeem_goods(rice, station, by=spender)
    cancel_redemption(redemption, by=spender)
    client.force_login(spender)

    page = client.get("/en/credits/").content.decode()

    assert "Exchanged for goods" in page
    assert "Returned to you: the goods were not collected or the exchange was cancelled" in page
    assert f'<a href="{redemption.get_absolute_url()}">Rice 5 kg</a>' in page
