"""Scheduled rewards work; each task is safe to run twice (schedules: migration 0002)."""

from django.contrib.auth import get_user_model
from django.db.models import Sum
from django.utils import timezone

from credits.models import ServiceRecord, current_policy
from rewards.models import Redemption, StarNotice
from rewards.services import RewardsError, award_if_due, expire_redemption, open_star_notice


def expire_redemptions():
    """Refund and restock every redemption not collected by its deadline."""
    expired = 0
    for redemption in Redemption.objects.due().select_related("user"):
        try:
            expire_redemption(redemption)
        except RewardsError:
            continue  # collected or cancelled meanwhile
        expired += 1
    return expired


def review_stars():
    """Award the notices that closed without objection; open notices for newly reached levels.

    Awards come first: opening needs the working calendar of the days ahead,
    and a year it does not know yet (an error until staff enter it) must not
    hold back the stars already due.
    """
    stars = current_policy().stars
    opened = awarded = 0
    for notice in StarNotice.objects.running().filter(closes_on__lt=timezone.localdate()):
        awarded += award_if_due(notice)
    if stars:
        reached = (
            ServiceRecord.objects.values("volunteer")
            .annotate(total=Sum("minutes"))
            .filter(total__gte=stars[0] * 60)
            .values_list("volunteer", flat=True)
        )
        for volunteer in get_user_model().objects.filter(pk__in=list(reached)):
            opened += open_star_notice(volunteer) is not None
    return {"opened": opened, "awarded": awarded}
