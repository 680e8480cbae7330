"""Rewards operations: each is one transaction and raises `RewardsError` with a safe message.

Credits move only through `credits.services`; see the design in rewards/models/__init__.py.
"""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import changed_credentials, record
from accounts.codes import random_code
from accounts.models import VolunteerProfile, are_direct_relatives, covers
from accounts.status import check_move, may_move, move
from credits.models import AccountKind, ServiceRecord, Transfer, TransferKind, current_policy
from credits.services import (
    LedgerError,
    give_gift,
    grant_credits,
    hours_served,
    make_donation,
    post_transfer,
    project_account,
    redeem_credits,
    system_account,
    wallet_of,
)
from notifications.models import NotificationKind
from notifications.services import notify
from rewards.models import (
    REFUNDED_STATUSES,
    Certificate,
    CertificateStatus,
    Goods,
    Grant,
    GrantStatus,
    NoticeStatus,
    Objection,
    ObjectionStatus,
    Redemption,
    RedemptionStatus,
    StarNotice,
)
from rewards.working_days import add_working_days

PICKUP_DAYS = 14


class RewardsError(Exception):
    """A rewards operation refused; the message is safe to show."""


def _ledger(call, *args, **kwargs):
    """Call the ledger, turning its refusal into ours (same safe message)."""
    try:
        return call(*args, **kwargs)
    except LedgerError as error:
        raise RewardsError(str(error)) from error


def _require_staff_for(user, district_id, street_id=None):
    if not covers(user, district_id, street_id):
        raise RewardsError(_("This is outside the area you manage."))


# Goods and redemption -------------------------------------------------------


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


# Gifts and donations --------------------------------------------------------


def give_credits(receiver, amount, *, by, key):
    """A gift to a verified direct relative; `key` makes a resubmitted confirmation a no-op."""
    if by.pk == receiver.pk:
        raise RewardsError(_("You cannot give credits to yourself."))
    if not are_direct_relatives(by, receiver):
        raise RewardsError(
            _(
                "Credits can only be given to a direct relative whose link staff have verified."
                " Ask a station to verify the link first."
            )
        )
    with transaction.atomic():
        given = _ledger(
            give_gift,
            by,
            receiver,
            amount,
            key=_gift_key(by, key),
            memo=_("Gift from %(giver)s to %(receiver)s") % {"giver": by, "receiver": receiver},
        )
        notify(
            [receiver],
            NotificationKind.GIFT_RECEIVED,
            given,
            params={"amount": given.amount, "page": "credits:mine"},
        )
    return given


def _gift_key(giver, key):
    return f"gift:{giver.pk}:{key}"


def gift_given(giver, key):
    """Whether the gift confirmed with `key` went through already."""
    return Transfer.objects.filter(idempotency_key=_gift_key(giver, key)).exists()


def _donation_key(donor, key):
    return f"donation:{donor.pk}:{key}"


def donation_made(donor, key):
    """Whether the donation sent with `key` went through already."""
    return Transfer.objects.filter(idempotency_key=_donation_key(donor, key)).exists()


def donate_credits(amount, *, by, key, project=None):
    """Donate to the public pool, or to an open project; allowed whatever the hours served."""
    account = None
    if project is not None:
        if not project.is_open:
            raise RewardsError(_("This project no longer takes donations."))
        account = project_account(project.account_code, project.name)
    return _ledger(
        make_donation,
        by,
        amount,
        key=_donation_key(by, key),
        project=account,
        memo=project.name if project else "",
    )


def project_totals(project):
    """Credits a project received (donations) and granted out."""
    account = project_account(project.account_code, project.name)
    received = account.incoming.filter(kind=TransferKind.DONATE).aggregate(total=Sum("amount"))
    granted = account.outgoing.filter(kind=TransferKind.GRANT).aggregate(total=Sum("amount"))
    return {"received": received["total"] or 0, "granted": granted["total"] or 0}


# Grants (maker-checker) -----------------------------------------------------


@transaction.atomic
def propose_grant(elder, amount, *, reason, by, project=None):
    """Staff propose a grant; nothing moves until another staff member approves."""
    _require_staff_for(by, elder.district_id, elder.street_id)
    if not reason.strip():
        raise RewardsError(_("Say why the elder needs these credits."))
    if amount <= 0:
        raise RewardsError(_("Grant at least one credit."))
    proposal = Grant.objects.create(
        elder=elder,
        project=project,
        amount=amount,
        reason=reason.strip(),
        district_id=elder.district_id,
        proposed_by=by,
    )
    record(
        by, "grant.proposed", proposal, after={"amount": amount, "project": project and project.pk}
    )
    return proposal


@transaction.atomic
def approve_grant(proposal, *, by):
    """A second, different staff member approves: the credits move now, once."""
    locked = _open_grant(proposal, GrantStatus.APPROVED, by)
    project = locked.project
    transfer = _ledger(
        grant_credits,
        locked.elder.user,
        locked.amount,
        key=f"grant:{locked.pk}",
        by=by,
        source=project_account(project.account_code, project.name) if project else None,
        reference=f"grant:{locked.pk}",
        memo=locked.reason[:200],
    )
    notify(
        [locked.elder.user],
        NotificationKind.GRANT_RECEIVED,
        locked,
        params={"amount": locked.amount, "page": "credits:mine"},
    )
    return _decide(locked, GrantStatus.APPROVED, by=by, transfer=transfer)


@transaction.atomic
def reject_grant(proposal, *, by, reason):
    if not reason.strip():
        raise RewardsError(_("Give a reason for the rejection."))
    locked = _open_grant(proposal, GrantStatus.REJECTED, by)
    return _decide(locked, GrantStatus.REJECTED, by=by, decision_reason=reason.strip())


def _grant_decided(grant):
    return RewardsError(
        _("This grant was already %(status)s.") % {"status": grant.get_status_display()}
    )


def _open_grant(proposal, to, by):
    locked = (
        Grant.objects.select_for_update(of=("self",))
        .select_related("elder__user", "project")
        .get(pk=proposal.pk)
    )
    _require_staff_for(by, locked.district_id)
    check_move(locked, to, _grant_decided(locked))
    if locked.proposed_by_id == by.pk:
        raise RewardsError(_("A second staff member must decide on a grant you proposed."))
    window = current_policy().credential_change_days
    since = timezone.now() - datetime.timedelta(days=window)
    if window and changed_credentials(locked.proposed_by, by, since=since):
        raise RewardsError(
            _(
                "You and the proposer changed one another's login or scope recently: "
                "a staff member who did not must decide on this grant."
            )
        )
    return locked


def _decide(locked, status, *, by, **changes):
    return move(
        locked,
        status,
        by=by,
        refusal=_grant_decided(locked),
        audit={"reason": changes.get("decision_reason", "")},
        decided_by=by,
        decided_at=timezone.now(),
        **changes,
    )


# Stars and public notice (公示) --------------------------------------------


def open_star_notice(volunteer):
    """Open the notice of a newly reached star level; None if there is nothing new."""
    policy = current_policy()
    level = policy.star_level(hours_served(volunteer))
    if level == 0 or StarNotice.objects.filter(volunteer=volunteer, level__gte=level).exists():
        return None
    profile = VolunteerProfile.objects.filter(user=volunteer).first()
    try:
        with transaction.atomic():
            notice = StarNotice.objects.create(
                volunteer=volunteer,
                level=level,
                hours=hours_served(volunteer),
                public_name=volunteer.public_name,
                district_id=profile.district_id if profile else None,
                closes_on=add_working_days(
                    timezone.localdate(), policy.star_notice_working_days, policy
                ),
            )
            notify(
                [volunteer],
                NotificationKind.STAR_NOTICE_OPENED,
                notice,
                params={"level": level, "closes_on": notice.closes_on.isoformat()},
            )
            return notice
    except IntegrityError:  # a concurrent run opened it first
        return None


def _notice_closed():
    return RewardsError(_("This public notice is closed."))


def object_to_notice(notice, *, reason, by):
    """Anyone but the volunteer may object while the notice is open; staff then decide."""
    if not reason.strip():
        raise RewardsError(_("Say why you object."))
    if not notice.takes_objections():
        raise _notice_closed()
    if by.pk == notice.volunteer_id:
        raise RewardsError(_("You cannot object to your own notice."))
    return Objection.objects.create(notice=notice, raised_by=by, reason=reason.strip())


@transaction.atomic
def resolve_objection(objection, *, upheld, resolution, by):
    """Staff settle an objection; upholding it withholds the star."""
    locked = Objection.objects.select_for_update().select_related("notice").get(pk=objection.pk)
    _require_staff_for(by, locked.notice.district_id)
    to = ObjectionStatus.UPHELD if upheld else ObjectionStatus.DISMISSED
    resolved = RewardsError(_("This objection was already resolved."))
    check_move(locked, to, resolved)
    if not resolution.strip():
        raise RewardsError(_("Say how the objection was resolved."))
    move(
        locked,
        to,
        by=by,
        refusal=resolved,
        audit={"reason": resolution.strip(), "district": locked.notice.district},
        resolved_by=by,
        resolved_at=timezone.now(),
        resolution=resolution.strip(),
    )
    told = [locked.raised_by]
    if upheld:
        notice = StarNotice.objects.select_for_update(no_key=True).get(pk=locked.notice_id)
        # The volunteer hears of the objection that withholds their star, not of later ones.
        if may_move(notice, NoticeStatus.WITHHELD):
            move(
                notice,
                NoticeStatus.WITHHELD,
                by=by,
                refusal=_notice_closed(),
                decided_at=timezone.now(),
            )
            told.append(notice.volunteer)
    notify(
        told,
        NotificationKind.OBJECTION_UPHELD if upheld else NotificationKind.OBJECTION_DISMISSED,
        locked,
        params={"level": locked.notice.level},
    )
    return locked


@transaction.atomic
def award_if_due(notice, today=None):
    """Award a star whose notice closed with no open objection; True if awarded now."""
    today = today or timezone.localdate()
    # The lock and the status condition make a second run (or a racing one) a no-op.
    locked = StarNotice.objects.select_for_update(no_key=True).filter(pk=notice.pk).first()
    if (
        locked is None
        or not may_move(locked, NoticeStatus.AWARDED)
        or locked.closes_on >= today
        or locked.objections.filter(status=ObjectionStatus.OPEN).exists()
    ):
        return False
    move(locked, NoticeStatus.AWARDED, by=None, refusal=_notice_closed(), decided_at=timezone.now())
    notify(
        [locked.volunteer], NotificationKind.STAR_AWARDED, locked, params={"level": locked.level}
    )
    return True


def star_level_awarded(user):
    notice = StarNotice.objects.awarded().filter(volunteer=user).order_by("-level").first()
    return notice.level if notice else 0


def star_level_in_notice(user):
    """The level the hours reach beyond the one awarded, while it may still be awarded.

    0 when there is none, and when an objection withheld it: a withheld star is
    never shown as on its way.
    """
    reached = current_policy().star_level(hours_served(user))
    if reached <= star_level_awarded(user):
        return 0
    withheld = StarNotice.objects.filter(
        volunteer=user, level=reached, status=NoticeStatus.WITHHELD
    ).exists()
    return 0 if withheld else reached


# Certificates -------------------------------------------------------------


def issue_certificate(start, end, *, by):
    """A volunteer's own certificate of the whole hours served in a past period."""
    if start > end:
        raise RewardsError(_("The period must start before it ends."))
    if end > timezone.localdate():
        raise RewardsError(_("A certificate can only cover days already past."))
    minutes = (
        ServiceRecord.objects.filter(volunteer=by, served_on__range=(start, end)).aggregate(
            total=Sum("minutes")
        )["total"]
        or 0
    )
    if minutes < 60:
        raise RewardsError(_("There is no whole hour of service in this period."))
    return Certificate.objects.create(
        serial=f"TB{start:%Y}{random_code(10)}",
        user=by,
        public_name=by.public_name,
        start=start,
        end=end,
        hours=minutes // 60,
    )


@transaction.atomic
def revoke_certificate(certificate, *, reason, by):
    if not reason.strip():
        raise RewardsError(_("Say why the certificate is revoked."))
    _require_staff_for(by, _certificate_district(certificate))
    return move(
        Certificate.objects.select_for_update().get(pk=certificate.pk),
        CertificateStatus.REVOKED,
        by=by,
        refusal=RewardsError(_("This certificate was already revoked.")),
        audit={"reason": reason.strip()},
        revoked_at=timezone.now(),
        revoked_by=by,
        revoke_reason=reason.strip(),
    )


def _certificate_district(certificate):
    profile = VolunteerProfile.objects.filter(user_id=certificate.user_id).first()
    return profile.district_id if profile else None
