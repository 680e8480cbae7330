"""Stars: the public notice (公示), objections to it, and the award."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import VolunteerProfile
from accounts.status import check_move, may_move, move
from credits.models import current_policy
from credits.services import hours_served
from notifications.models import NotificationKind
from notifications.services import notify
from rewards.models import NoticeStatus, Objection, ObjectionStatus, StarNotice
from rewards.services.refusals import RewardsError, _require_staff_for
from rewards.working_days import add_working_days


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
