"""Changing the days, time or hours of a series from a day on, in one step."""

from datetime import time, timedelta

import pytest
from django.urls import reverse
from django.utils.timezone import localtime

from credits.models import Hold, HoldStatus
from notifications.models import Notification, NotificationKind
from orders.models import Funding, OrderStatus
from series import publishing, services, volunteers
from series.models import Occurrence, OccurrenceState, Series, SeriesStatus, weekdays_mask
from tests.conftest import client_of, fund, make_proxy_authorisation
from tests.series.conftest import CLOCK_START, FIRST_DAY, at, days_later, set_up, visits_of

pytestmark = pytest.mark.usefixtures("english")
WEDNESDAY = 2
FIRST_WEDNESDAY = FIRST_DAY + timedelta(days=2)


def change(series, by, **fields):
    values = {
        "from_day": FIRST_WEDNESDAY,
        "weekdays": weekdays_mask([WEDNESDAY]),
        "time_of_day": time(14, 0),
        "booked_hours": 2,  # the hours a week staff reviewed (one day, two hours)
        **fields,
    }
    return services.change_time(series, by=by, now=CLOCK_START, **values)


@pytest.fixture
def paid_weekly(welfare_elder, cleaning, staff):
    """Ten Monday visits at 9:00 paid with own credits, so each visit holds its hours."""
    fund(welfare_elder.user, 40)
    return services.approve_series(
        set_up(welfare_elder, cleaning, funding=Funding.OWN_CREDITS), by=staff
    )


def test_from_a_day_on_visits_move_to_the_new_time_and_the_ones_before_stay(
    paid_weekly, welfare_elder, verified_volunteer, django_capture_on_commit_callbacks
):
    volunteers.take_series(paid_weekly, now=CLOCK_START, by=verified_volunteer)
    publishing.publish_due_occurrences(now=CLOCK_START)
    before, after = visits_of(paid_weekly)

    with django_capture_on_commit_callbacks(execute=True):
        changed = change(paid_weekly, welfare_elder.user)
    publishing.publish_due_occurrences(now=CLOCK_START)

    before.refresh_from_db()
    after.refresh_from_db()
    assert before.status == OrderStatus.CLAIMED
    assert after.status == OrderStatus.CANCELLED
    assert Hold.objects.get(transfer__reference=after.reference).status == HoldStatus.RELEASED
    paid_weekly.refresh_from_db()
    assert paid_weekly.ends_on == FIRST_WEDNESDAY - timedelta(days=1)
    assert paid_weekly.visits is None
    assert changed.follows == paid_weekly
    assert changed.status == SeriesStatus.APPROVED
    assert changed.visits == 9  # one was on the Monday before
    assert changed.volunteer == verified_volunteer
    new_visits = visits_of(changed)
    assert [(localtime(o.starts_at), o.booked_hours) for o in new_visits] == [
        (at(FIRST_WEDNESDAY, 14), 2)
    ]
    assert {o.volunteer for o in new_visits} == {verified_volunteer}
    told = Notification.objects.filter(recipient=verified_volunteer)
    assert told.filter(kind=NotificationKind.CANCELLED, subject_id=after.pk).exists()
    assert "14:00" in told.get(kind=NotificationKind.SERIES_CHANGED).details


def test_more_hours_a_week_asked_by_the_elders_side_wait_for_staff_review(
    weekly, welfare_elder, staff
):
    more = change(weekly, welfare_elder.user, weekdays=weekdays_mask([0, WEDNESDAY]))
    publishing.publish_due_occurrences(now=CLOCK_START)

    assert (more.status, more.reviewed_by) == (SeriesStatus.SUBMITTED, None)
    assert not visits_of(more)
    services.approve_series(more, by=staff)
    publishing.publish_due_occurrences(now=CLOCK_START)
    assert visits_of(more)


def test_staff_of_the_area_may_add_hours_without_a_second_review(weekly, staff):
    more = change(weekly, staff, booked_hours=4)

    assert (more.status, more.reviewed_by) == (SeriesStatus.APPROVED, weekly.reviewed_by)


def test_the_old_series_ends_after_its_last_day_and_publishes_nothing_more(weekly, welfare_elder):
    change(weekly, welfare_elder.user)

    publishing.publish_due_occurrences(now=days_later(30))

    weekly.refresh_from_db()
    assert weekly.status == SeriesStatus.ENDED
    assert [order.starts_at.date() for order in visits_of(weekly)] == []


def test_a_change_before_the_first_visit_ends_the_old_series_at_once(weekly, welfare_elder):
    changed = change(weekly, welfare_elder.user, from_day=CLOCK_START.date() + timedelta(days=1))

    weekly.refresh_from_db()
    assert weekly.status == SeriesStatus.ENDED
    assert changed.starts_on == FIRST_DAY
    assert changed.visits == 10


def test_dates_skipped_from_the_day_on_stay_skipped(weekly, welfare_elder):
    skipped = FIRST_DAY + timedelta(weeks=3)
    services.skip_date(weekly, skipped, by=welfare_elder.user, now=CLOCK_START)

    changed = change(weekly, welfare_elder.user, weekdays=weekdays_mask([0]), time_of_day=time(10))

    assert Occurrence.objects.get(series=changed, date=skipped).state == OccurrenceState.SKIPPED
    assert skipped not in changed.dates(skipped + timedelta(days=1), {skipped})


def test_staff_change_it_and_the_elders_side_is_told(
    weekly, staff, welfare_elder, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        change(weekly, staff)

    assert Notification.objects.filter(
        recipient=welfare_elder.user, kind=NotificationKind.SERIES_CHANGED
    ).exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"from_day": CLOCK_START.date()}, "from tomorrow"),
        ({"from_day": CLOCK_START.date() - timedelta(days=3)}, "from tomorrow"),
        (
            {"weekdays": weekdays_mask([0]), "time_of_day": time(9), "booked_hours": 2},
            "already its time",
        ),
        ({"weekdays": 0}, "at least one weekday"),
        ({"booked_hours": 9}, "between 1 and 8"),
        ({"from_day": FIRST_DAY + timedelta(weeks=10)}, "no visits from that day"),
    ],
)
def test_a_change_with_wrong_figures_is_refused(weekly, welfare_elder, fields, message):
    with pytest.raises(services.SeriesError, match=message):
        change(weekly, welfare_elder.user, **fields)
    assert Series.objects.count() == 1


def test_a_series_is_changed_once_then_its_newer_one(weekly, welfare_elder):
    changed = change(weekly, welfare_elder.user)

    with pytest.raises(services.SeriesError, match="change the newer one"):
        change(weekly, welfare_elder.user, time_of_day=time(16))
    later = FIRST_WEDNESDAY + timedelta(weeks=2)
    again = change(changed, welfare_elder.user, from_day=later, time_of_day=time(16))

    assert again.follows == changed
    assert again.visits == 7


def test_an_ended_or_unreviewed_series_cannot_be_changed(weekly, welfare_elder, cleaning):
    services.end_series(weekly, by=welfare_elder.user, now=CLOCK_START)

    for series in (weekly, set_up(welfare_elder, cleaning)):
        with pytest.raises(services.SeriesError, match="running or paused"):
            change(series, welfare_elder.user)


def test_someone_else_cannot_change_the_series(
    weekly, other_proxy, other_district_staff, verified_volunteer
):
    for outsider in (other_proxy, other_district_staff, verified_volunteer):
        with pytest.raises(services.SeriesError, match="Only the elder"):
            change(weekly, outsider)


# The page -----------------------------------------------------------------------

CHANGE = {"from_day": "2030-06-05", "weekdays": ["2"], "time_of_day": "14:00", "booked_hours": "3"}


def test_a_proxy_changes_the_time_from_the_page(weekly, welfare_elder, proxy):
    make_proxy_authorisation(welfare_elder, proxy)
    client = client_of(proxy)
    page = client.get(weekly.get_absolute_url())
    assert reverse("series:change", args=[weekly.pk]) in page.content.decode()

    response = client.post(reverse("series:change", args=[weekly.pk]), CHANGE, follow=True)

    changed = Series.objects.get(follows=weekly)
    assert response.redirect_chain[-1][0] == changed.get_absolute_url()
    assert changed.time_of_day == time(14)
    assert weekly.get_absolute_url() in response.content.decode()


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"from_day": "2026-01-05"}, "from tomorrow"),
        ({"from_day": ""}, "Choose the day the new time starts"),
        ({"from_day": "next week"}, "2027-01-04"),
        ({"weekdays": ["0"], "time_of_day": "09:00", "booked_hours": "2"}, "already its time"),
        ({"weekdays": []}, "at least one weekday"),
        ({"time_of_day": "late"}, "such as 09:00"),
    ],
)
def test_the_page_shows_what_is_wrong(weekly, welfare_elder, fields, error):
    response = client_of(welfare_elder.user).post(
        reverse("series:change", args=[weekly.pk]), {**CHANGE, **fields}
    )

    assert response.status_code == 200
    assert error in response.content.decode()
    assert Series.objects.count() == 1


def test_another_elders_series_is_404_on_the_change_page(
    weekly, other_elder, verified_volunteer, other_district_staff
):
    url = reverse("series:change", args=[weekly.pk])
    for outsider in (other_elder, verified_volunteer, other_district_staff):
        client = client_of(outsider)
        assert client.get(url).status_code == 404
        assert client.post(url, CHANGE).status_code == 404
    assert client_of(other_elder).get(reverse("series:change", args=[999999])).status_code == 404
    assert Series.objects.count() == 1
