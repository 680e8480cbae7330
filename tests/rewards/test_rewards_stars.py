import datetime

import pytest
from django.utils import timezone

from rewards.models import NoticeStatus, StarNotice
from rewards.services import (
    RewardsError,
    award_if_due,
    object_to_notice,
    open_star_notice,
    resolve_objection,
    star_level_awarded,
)
from rewards.tasks import review_stars
from rewards.working_days import add_working_days
from tests.conftest import set_policy
from tests.rewards.conftest import serve

pytestmark = pytest.mark.django_db

AFTER_NOTICE = datetime.date(2100, 1, 1)


def test_crossing_one_hundred_hours_opens_a_public_notice(volunteer, volunteer_profile):
    serve(volunteer, 99)
    assert open_star_notice(volunteer) is None

    serve(volunteer, 1)
    notice = open_star_notice(volunteer)

    assert notice.level == 1
    assert notice.status == NoticeStatus.OPEN
    assert notice.public_name == "L***********"
    assert notice.district == volunteer_profile.district
    assert open_star_notice(volunteer) is None


def test_the_scheduled_review_opens_each_notice_once(volunteer):
    serve(volunteer, 120)

    assert review_stars() == {"opened": 1, "awarded": 0}
    assert review_stars() == {"opened": 0, "awarded": 0}


def test_thresholds_follow_the_current_policy(volunteer):
    set_policy(star_thresholds="10,20")
    serve(volunteer, 25)

    assert open_star_notice(volunteer).level == 2


def test_after_the_period_without_objections_the_star_is_awarded_once(volunteer):
    serve(volunteer, 100)
    notice = open_star_notice(volunteer)

    assert award_if_due(notice, today=notice.closes_on) is False
    assert award_if_due(notice, today=AFTER_NOTICE) is True
    assert award_if_due(notice, today=AFTER_NOTICE) is False
    assert star_level_awarded(volunteer) == 1


def test_an_open_objection_holds_the_award(volunteer, other_volunteer):
    serve(volunteer, 100)
    notice = open_star_notice(volunteer)

    object_to_notice(notice, reason="He was not there in March", by=other_volunteer)

    assert award_if_due(notice, today=AFTER_NOTICE) is False
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.OPEN


def test_a_dismissed_objection_lets_the_star_be_awarded(
    volunteer, volunteer_profile, other_volunteer, district_staff
):
    serve(volunteer, 100)
    notice = open_star_notice(volunteer)
    objection = object_to_notice(notice, reason="Doubt", by=other_volunteer)

    resolve_objection(objection, upheld=False, resolution="Checked the records", by=district_staff)

    assert award_if_due(notice, today=AFTER_NOTICE) is True


def test_an_upheld_objection_withholds_the_star(
    volunteer, volunteer_profile, other_volunteer, district_staff
):
    serve(volunteer, 100)
    notice = open_star_notice(volunteer)
    objection = object_to_notice(notice, reason="Hours were invented", by=other_volunteer)

    resolve_objection(objection, upheld=True, resolution="Confirmed", by=district_staff)

    notice.refresh_from_db()
    assert notice.status == NoticeStatus.WITHHELD
    assert award_if_due(notice, today=AFTER_NOTICE) is False
    assert star_level_awarded(volunteer) == 0


def test_objections_need_a_reason_and_not_from_the_volunteer(volunteer, other_volunteer):
    serve(volunteer, 100)
    notice = open_star_notice(volunteer)

    with pytest.raises(RewardsError, match="why"):
        object_to_notice(notice, reason="  ", by=other_volunteer)
    with pytest.raises(RewardsError, match="own notice"):
        object_to_notice(notice, reason="I object to myself", by=volunteer)


def test_a_closed_notice_takes_no_objection(volunteer, other_volunteer):
    serve(volunteer, 100)
    notice = open_star_notice(volunteer)
    StarNotice.objects.filter(pk=notice.pk).update(closes_on=datetime.date(2000, 1, 1))
    notice.refresh_from_db()

    with pytest.raises(RewardsError, match="closed"):
        object_to_notice(notice, reason="Too late", by=other_volunteer)


def test_the_scheduled_review_awards_a_closed_notice_once(volunteer):
    serve(volunteer, 100)
    notice = open_star_notice(volunteer)
    StarNotice.objects.filter(pk=notice.pk).update(closes_on=datetime.date(2000, 1, 3))

    assert review_stars() == {"opened": 0, "awarded": 1}
    assert review_stars() == {"opened": 0, "awarded": 0}
    assert star_level_awarded(volunteer) == 1


def test_the_notice_period_follows_the_current_policy(volunteer):
    set_policy(star_notice_working_days=2)
    serve(volunteer, 100)

    notice = open_star_notice(volunteer)

    assert notice.closes_on == add_working_days(timezone.localdate(notice.opened_at), 2)
