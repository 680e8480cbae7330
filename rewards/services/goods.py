"""Goods: sponsors' stock, redeeming one item, handing it over, cancelling and expiring."""

import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import record
from accounts.codes import random_code
from accounts.status import check_move, move
from credits.models import AccountKind, TransferKind
from credits.services import (
    post_transfer,
    redeem_credits,
    system_account,
    wallet_of,
)
from notifications.models import NotificationKind
from notifications.services import notify
from rewards.models import (
    REFUNDED_STATUSES,
    Goods,
    Redemption,
    RedemptionStatus,
)
from rewards.services.refusals import RewardsError, _ledger, _require_staff_for

PICKUP_DAYS = 14


@transaction.atomic
def add_stock(goods, quantity, *, sponsor, note="", by):
    """Record a sponsor's in-kind donation and put it on the shelf."""
    _require_staff_for(by, goods.district_id)
    if quantity <= 0:
        raise RewardsError(_("Add at least one item."))
    Goods.objects.filter(pk=goods.pk).update(stock=F("stock") + quantity)
    donation = goods.donations.create(sponsor=sponsor, quantity=quantity, note=note, received_by=by)
    record(by, "goods.stock_added", goods, after={"quantity": quantity, "donation": donation.pk})
    return donation


@transaction.atomic
def redeem_goods(goods, station, *, by, key=None):
    """Take one item and debit its price, both or neither; returns the reserved redemption.

    A `key` from the form makes a resubmission return the first redemption.
    """
    if not goods.is_active:
        raise RewardsError(_("These goods are no longer on the shelf."))
    if not station.is_active:
        raise RewardsError(_("This pickup station is closed; choose another."))
    # The wallet lock serialises one person's redemptions, so the limit below is exact;
    # spendability is the ledger's check, in `redeem_credits` below.
    wallet_of(by, lock=True)
    earlier = redemption_with_key(by, key)
    if earlier:
        return earlier
    if goods.limit_per_person:
        since = timezone.now() - datetime.timedelta(days=goods.limit_period_days)
        taken = (
            Redemption.objects.of(by)
            .filter(goods=goods, created_at__gte=since)
            .exclude(status__in=REFUNDED_STATUSES)
            .count()
        )
        if taken >= goods.limit_per_person:
            raise RewardsError(
                _("You can redeem at most %(limit)s of these every %(days)s days.")
                % {"limit": goods.limit_per_person, "days": goods.limit_period_days}
            )
    # Never oversold: of many concurrent takers of the last item, one UPDATE matches.
    if not Goods.objects.filter(pk=goods.pk, is_active=True, stock__gte=1).update(
        stock=F("stock") - 1
    ):
        raise RewardsError(_("Sorry, these goods are out of stock."))
    # The UPDATE locked the row: the price read now is the one charged, even if staff just
    # changed it.
    goods = Goods.objects.get(pk=goods.pk)
    redemption = Redemption.objects.create(
        user=by,
        goods=goods,
        station=station,
        price=goods.price,
        code=_unused_code(),
        request_key=key or "",
        deadline=timezone.now() + datetime.timedelta(days=PICKUP_DAYS),
    )
    redemption.debit = _ledger(
        redeem_credits,
        by,
        goods.price,
        key=f"{redemption.reference}:debit",
        reference=redemption.reference,
        memo=goods.name,
    )
    redemption.save(update_fields=["debit"])
    notify(
        [by],
        NotificationKind.REDEMPTION_READY,
        redemption,
        params={
            "goods": goods.name,
            "station": station.name,
            "deadline": timezone.localtime(redemption.deadline).date().isoformat(),
        },
    )
    return redemption


def redemption_with_key(user, key):
    """The redemption this person already made with `key`, if any."""
    return key and Redemption.objects.of(user).filter(request_key=key).first() or None


def _unused_code():
    while True:
        code = random_code(8)
        if not Redemption.objects.filter(code=code).exists():
            return code


def cancel_redemption(redemption, *, by):
    """The volunteer (or staff of the station's area) cancels: refund and restock once."""
    if by.pk != redemption.user_id:
        _require_staff_for(by, redemption.station.district_id, redemption.station.street_id)
    return _close(redemption, RedemptionStatus.CANCELLED, by=by)


def expire_redemption(redemption):
    """Not collected by the deadline: refund and restock once (the task calls this)."""
    if redemption.deadline >= timezone.now():
        raise RewardsError(_("The pickup deadline has not passed yet."))
    return _close(redemption, RedemptionStatus.EXPIRED, by=None)


def hand_over(code, *, by):
    """Station staff mark goods as handed over (核销) by the pickup code."""
    redemption = (
        Redemption.objects.select_related("station", "goods")
        .filter(code=code.strip().upper())
        .first()
    )
    if redemption is None:
        raise RewardsError(_("No redemption has this pickup code."))
    _require_staff_for(by, redemption.station.district_id, redemption.station.street_id)
    return _close(redemption, RedemptionStatus.COLLECTED, by=by)


@transaction.atomic
def _close(redemption, status, *, by):
    # Lock order as in redeem_goods: the wallet, then this row, then the goods.
    wallet_of(redemption.user, lock=True)
    locked = Redemption.objects.select_for_update().get(pk=redemption.pk)
    refusal = RewardsError(
        _("This redemption is already %(status)s.")
        % {"status": locked.get_status_display().lower()}
    )
    check_move(locked, status, refusal)
    changes = {"closed_at": timezone.now(), "closed_by": by}
    if status in REFUNDED_STATUSES:
        Goods.objects.filter(pk=locked.goods_id).update(stock=F("stock") + 1)
        changes["refund"] = _ledger(
            post_transfer,
            system_account(AccountKind.REDEEMED),
            wallet_of(locked.user),
            locked.price,
            kind=TransferKind.REFUND,
            key=f"{locked.reference}:refund",
            reference=locked.reference,
            memo=str(locked.goods),
            by=by,
        )
    # Staff closing someone's redemption answer for it; the volunteer's own cancel is theirs.
    staff = by is not None and by.pk != locked.user_id
    move(
        locked,
        status,
        by=by,
        refusal=refusal,
        audit={"district": locked.station.district} if staff else None,
        **changes,
    )
    if status == RedemptionStatus.EXPIRED:
        notify(
            [locked.user],
            NotificationKind.REDEMPTION_EXPIRED,
            locked,
            params={"goods": locked.goods.name, "price": locked.price},
        )
    return locked
