"""A regular volunteer who keeps missing visits loses the series; its visits go back in time."""

from datetime import time, timedelta

import pytest

from accounts.models import AuditLog
from notifications.models import Notification, NotificationKind
from orders import services as orders
from orders import tasks as order_tasks
from orders.models import OrderStatus
from series import publishing, services, volunteers
from series.models import SeriesEvent, SeriesEventKind, weekdays_mask
from tests.conftest import set_policy
from tests.series.conftest import CLOCK_START, FIRST_DAY, at, days_later, visits_of

pytestmark = pytest.mark.usefixtures("english")


def miss(day):
    """The visit of `day` passes with no check-in, and the platform's check runs."""
    after = at(day) + timedelta(minutes=31)
    order_tasks.flag_orders(now=after)
    return volunteers.drop_absent_volunteers(now=after)


@pytest.fixture
def taken(weekly, verified_volunteer):
    volunteers.take_series(weekly, now=CLOCK_START, by=verified_volunteer)
    publishing.publish_due_occurrences(now=CLOCK_START)
    return weekly


def test_a_second_missed_visit_takes_the_series_off_the_volunteer(
    taken, verified_volunteer, welfare_elder, django_capture_on_commit_callbacks
):
    assert miss(FIRST_DAY) == 0
    publishing.publish_due_occurrences(now=days_later(7))

    with django_capture_on_commit_callbacks(execute=True):
        assert miss(FIRST_DAY + timedelta(weeks=1)) == 1

    taken.refresh_from_db()
    assert taken.volunteer is None
    first, second, third = visits_of(taken)
    assert second.status == OrderStatus.CLAIMED  # missed: left for staff to settle
    assert (third.status, third.volunteer) == (OrderStatus.PUBLISHED, None)  # back in time
    for person in (verified_volunteer, welfare_elder.user):
        notice = Notification.objects.get(
            recipient=person, kind=NotificationKind.SERIES_VOLUNTEER_DROPPED
        )
        assert "2 visits missed" in notice.details
    assert SeriesEvent.objects.filter(series=taken, kind=SeriesEventKind.DROPPED).count() == 1
    audit = AuditLog.objects.get(action="series.volunteer_dropped")
    assert audit.before == {"volunteer": verified_volunteer.pk}


def test_visits_published_after_the_drop_stay_in_the_market(taken):
    miss(FIRST_DAY)
    miss(FIRST_DAY + timedelta(weeks=1))

    publishing.publish_due_occurrences(now=days_later(14))

    ahead = visits_of(taken).filter(starts_at__gt=at(FIRST_DAY + timedelta(weeks=1), 12))
    assert ahead.count() == 2
    assert {order.volunteer for order in ahead} == {None}


def test_a_late_arrival_is_not_a_miss(taken, verified_volunteer):
    miss(FIRST_DAY)
    second = visits_of(taken)[1]
    order_tasks.flag_orders(now=second.starts_at + timedelta(minutes=31))
    orders.check_in(second, by=verified_volunteer, now=second.starts_at + timedelta(minutes=40))

    assert volunteers.drop_absent_volunteers(now=second.starts_at + timedelta(hours=1)) == 0
    taken.refresh_from_db()
    assert taken.volunteer == verified_volunteer


def test_the_policy_sets_how_many_misses_are_allowed(taken):
    set_policy(series_misses_allowed=1)

    assert miss(FIRST_DAY) == 1


def test_running_the_check_twice_drops_once(taken):
    miss(FIRST_DAY)
    miss(FIRST_DAY + timedelta(weeks=1))

    assert volunteers.drop_absent_volunteers(now=days_later(20)) == 0
    assert AuditLog.objects.filter(action="series.volunteer_dropped").count() == 1


def test_misses_before_taking_the_series_again_do_not_count(taken, verified_volunteer):
    miss(FIRST_DAY)
    miss(FIRST_DAY + timedelta(weeks=1))
    publishing.publish_due_occurrences(now=days_later(14))

    volunteers.take_series(taken, now=at(FIRST_DAY + timedelta(weeks=1), 12), by=verified_volunteer)

    assert miss(FIRST_DAY + timedelta(weeks=2)) == 0
    taken.refresh_from_db()
    assert taken.volunteer == verified_volunteer


def test_misses_after_a_change_of_time_count_in_the_new_series(taken, welfare_elder):
    wednesday = FIRST_DAY + timedelta(days=2)
    changed = services.change_time(
        taken,
        by=welfare_elder.user,
        from_day=wednesday,
        weekdays=weekdays_mask([2]),
        time_of_day=time(9),
        booked_hours=2,
        now=CLOCK_START,
    )
    publishing.publish_due_occurrences(now=days_later(7))

    miss(wednesday)
    assert miss(wednesday + timedelta(weeks=1)) == 1

    changed.refresh_from_db()
    assert changed.volunteer is None
