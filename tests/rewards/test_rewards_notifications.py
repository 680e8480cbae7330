"""Rewards tell people what happened to them, once each, however often a task runs."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import RelativeLink, VerificationStatus
from notifications.models import Notification, NotificationKind
from rewards.models import StarNotice
from rewards.services import (
    approve_grant,
    donate_credits,
    give_credits,
    object_to_notice,
    open_star_notice,
    propose_grant,
    redeem_goods,
    reject_grant,
    resolve_objection,
)
from rewards.tasks import expire_redemptions, review_stars
from tests.conftest import fund
from tests.rewards.conftest import serve

pytestmark = pytest.mark.django_db
K = NotificationKind


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Call something and run what it queued for the commit, as the task queue would."""

    def call(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    return call


def told(kind):
    return [(notice.recipient, notice.subject) for notice in Notification.objects.filter(kind=kind)]


@pytest.fixture
def spender(volunteer):
    serve(volunteer, 100)
    fund(volunteer, 30)
    return volunteer


@pytest.fixture
def star_notice(volunteer, volunteer_profile, committed):
    serve(volunteer, 100)
    return committed(open_star_notice, volunteer)


def test_a_volunteer_hears_that_their_star_notice_opened_once_though_the_review_runs_twice(
    volunteer, committed
):
    serve(volunteer, 120)

    committed(review_stars)
    committed(review_stars)

    assert told(K.STAR_NOTICE_OPENED) == [(volunteer, StarNotice.objects.get())]


def test_a_volunteer_hears_that_their_star_was_awarded_once_though_the_review_runs_twice(
    volunteer, star_notice, committed
):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    StarNotice.objects.filter(pk=star_notice.pk).update(closes_on=yesterday)

    assert committed(review_stars)["awarded"] == 1
    committed(review_stars)

    assert told(K.STAR_AWARDED) == [(volunteer, star_notice)]


def test_a_dismissed_objection_is_told_to_the_person_who_raised_it(
    star_notice, other_volunteer, district_staff, committed
):
    objection = object_to_notice(star_notice, reason="Doubt", by=other_volunteer)

    committed(
        resolve_objection, objection, upheld=False, resolution="Records checked", by=district_staff
    )

    assert told(K.OBJECTION_DISMISSED) == [(other_volunteer, objection)]
    assert told(K.OBJECTION_UPHELD) == []


def test_an_upheld_objection_is_told_to_its_author_and_the_volunteer_whose_star_it_withholds(
    volunteer, star_notice, other_volunteer, district_staff, committed
):
    objection = object_to_notice(star_notice, reason="Hours were invented", by=other_volunteer)

    committed(resolve_objection, objection, upheld=True, resolution="No records", by=district_staff)

    assert sorted(recipient.pk for recipient, _subject in told(K.OBJECTION_UPHELD)) == sorted(
        [volunteer.pk, other_volunteer.pk]
    )


def test_a_volunteer_hears_their_goods_are_ready_once_though_the_form_is_sent_twice(
    spender, rice, station, committed
):
    redemption = committed(redeem_goods, rice, station, key="form-1", by=spender)
    committed(redeem_goods, rice, station, key="form-1", by=spender)

    assert told(K.REDEMPTION_READY) == [(spender, redemption)]
    notice = Notification.objects.get(kind=K.REDEMPTION_READY)
    assert notice.params["goods"] == "Rice 5 kg"
    assert notice.params["station"] == station.name


def test_an_expired_redemption_is_told_refunded_once_though_the_schedule_runs_twice(
    spender, rice, station, committed
):
    redemption = redeem_goods(rice, station, by=spender)
    redemption.deadline = timezone.now() - datetime.timedelta(minutes=1)
    redemption.save(update_fields=["deadline"])

    assert committed(expire_redemptions) == 1
    committed(expire_redemptions)

    assert told(K.REDEMPTION_EXPIRED) == [(spender, redemption)]
    assert Notification.objects.get(kind=K.REDEMPTION_EXPIRED).details == "Rice 5 kg, 10 credits."


def test_a_relative_hears_of_a_gift_once_though_the_confirmation_is_sent_twice(
    spender, elder, yuexiu, committed
):
    RelativeLink.objects.create(
        requester=spender,
        relative=elder,
        relation="parent",
        district=yuexiu,
        status=VerificationStatus.VERIFIED,
    )

    given = committed(give_credits, elder, 20, key="form-1", by=spender)
    committed(give_credits, elder, 20, key="form-1", by=spender)

    assert told(K.GIFT_RECEIVED) == [(elder, given)]
    assert Notification.objects.get(kind=K.GIFT_RECEIVED).details == "20 credits."


def test_an_elder_hears_of_an_approved_grant(
    volunteer, needy_elder, district_staff, second_staff, committed
):
    fund(volunteer, 100)
    donate_credits(100, key="pool", by=volunteer)
    proposal = propose_grant(needy_elder, 30, reason="Lives alone", by=district_staff)

    committed(approve_grant, proposal, by=second_staff)

    assert told(K.GRANT_RECEIVED) == [(needy_elder.user, proposal)]


def test_a_rejected_grant_tells_the_elder_nothing(needy_elder, district_staff, second_staff):
    proposal = propose_grant(needy_elder, 30, reason="Lives alone", by=district_staff)

    reject_grant(proposal, by=second_staff, reason="Not needed")

    assert told(K.GRANT_RECEIVED) == []


def test_a_volunteer_hears_once_that_their_star_is_withheld_however_many_objections_are_upheld(
    volunteer, star_notice, other_volunteer, elder, district_staff, committed
):
    first = object_to_notice(star_notice, reason="Hours were invented", by=other_volunteer)
    second = object_to_notice(star_notice, reason="He never came", by=elder)

    for objection in (first, second):
        committed(resolve_objection, objection, upheld=True, resolution="No", by=district_staff)

    to_volunteer = Notification.objects.filter(kind=K.OBJECTION_UPHELD, recipient=volunteer)
    assert to_volunteer.count() == 1
    assert Notification.objects.filter(kind=K.OBJECTION_UPHELD).count() == 3
