"""The pages of standing orders: wiring, permissions and form errors."""

from datetime import timedelta

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import AuditLog
from orders.models import OrderStatus
from series import publishing
from series.models import Series, SeriesStatus
from tests.conftest import client_of, make_proxy_authorisation
from tests.series.conftest import CLOCK_START, FIRST_DAY, set_up, visits_of

NEW_SERIES = {
    "weekdays": ["0", "3"],
    "time_of_day": "09:00",
    "booked_hours": "2",
    "funding": "welfare",
    "starts_on": "2030-06-03",
    "visits": "8",
}


def test_the_elder_home_links_to_repeating_services(welfare_elder):
    response = client_of(welfare_elder.user).get(
        reverse("orders:elder_home", args=[welfare_elder.pk])
    )

    assert reverse("series:elder", args=[welfare_elder.pk]) in response.content.decode()


def test_a_proxy_sets_up_a_series_from_the_elders_page(welfare_elder, proxy, cleaning):
    make_proxy_authorisation(welfare_elder, proxy)

    response = client_of(proxy).post(
        reverse("series:new", args=[welfare_elder.pk]),
        {**NEW_SERIES, "service_type": cleaning.pk},
        follow=True,
    )

    series = Series.objects.get()
    assert response.redirect_chain[-1][0] == series.get_absolute_url()
    assert series.weekday_numbers == [0, 3]
    assert series.visits == 8
    assert series.placed_by == proxy
    assert series.status == SeriesStatus.SUBMITTED
    assert "审核" in response.content.decode()


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"weekdays": []}, "至少选择一个"),
        ({"ends_on": "2030-07-01"}, "最后一天"),
        ({"starts_on": "not a date"}, "2027-01-04"),
        ({"time_of_day": "25:99"}, "09:00"),
        ({"service_type": "999999"}, "服务"),
    ],
)
def test_bad_input_gives_form_errors(welfare_elder, cleaning, change, error):
    response = client_of(welfare_elder.user).post(
        reverse("series:new", args=[welfare_elder.pk]),
        {**NEW_SERIES, "service_type": cleaning.pk, **change},
    )

    assert response.status_code == 200
    assert error in response.content.decode()
    assert not Series.objects.exists()


def test_someone_who_may_not_act_for_the_elder_gets_a_404(welfare_elder, other_proxy, cleaning):
    client = client_of(other_proxy)

    for name in ("series:elder", "series:new"):
        assert client.get(reverse(name, args=[welfare_elder.pk])).status_code == 404
    response = client.post(
        reverse("series:new", args=[welfare_elder.pk]), {**NEW_SERIES, "service_type": cleaning.pk}
    )
    assert response.status_code == 404
    assert not Series.objects.exists()


def test_wrong_ids_are_404(welfare_elder):
    client = client_of(welfare_elder.user)

    assert client.get(reverse("series:detail", args=[999999])).status_code == 404
    assert client.post(reverse("series:pause", args=[999999])).status_code == 404
    assert client.get(reverse("series:elder", args=[999999])).status_code == 404


def test_staff_of_another_district_cannot_see_the_series(
    welfare_elder, cleaning, other_district_staff
):
    series = set_up(welfare_elder, cleaning)

    response = client_of(other_district_staff).get(series.get_absolute_url())

    assert response.status_code == 404


def test_the_elder_lists_skips_pauses_resumes_and_ends_from_the_pages(weekly, welfare_elder):
    client = client_of(welfare_elder.user)
    listing = client.get(reverse("series:elder", args=[welfare_elder.pk]))
    assert weekly.get_absolute_url() in listing.content.decode()

    skipped = client.post(
        reverse("series:skip", args=[weekly.pk]), {"date": str(FIRST_DAY + timedelta(weeks=5))}
    )
    bad_skip = client.post(reverse("series:skip", args=[weekly.pk]), {"date": "someday"})
    client.post(reverse("series:pause", args=[weekly.pk]))
    weekly.refresh_from_db()
    assert weekly.status == SeriesStatus.PAUSED
    client.post(reverse("series:resume", args=[weekly.pk]))
    weekly.refresh_from_db()
    assert weekly.status == SeriesStatus.APPROVED
    client.post(reverse("series:end", args=[weekly.pk]))
    weekly.refresh_from_db()
    assert weekly.status == SeriesStatus.ENDED

    assert skipped.status_code == bad_skip.status_code == 302
    assert weekly.occurrences.get().date == FIRST_DAY + timedelta(weeks=5)


def test_a_volunteer_takes_the_series_from_its_page_linked_from_a_visit(weekly, verified_volunteer):
    publishing.publish_due_occurrences(now=CLOCK_START)
    client = client_of(verified_volunteer)
    visit = client.get(visits_of(weekly).first().get_absolute_url())
    assert weekly.get_absolute_url() in visit.content.decode()

    page = client.get(weekly.get_absolute_url())
    assert reverse("series:take", args=[weekly.pk]) in page.content.decode()
    response = client.post(reverse("series:take", args=[weekly.pk]), follow=True)

    assert response.status_code == 200
    weekly.refresh_from_db()
    assert weekly.volunteer == verified_volunteer
    assert set(visits_of(weekly).values_list("status", flat=True)) == {OrderStatus.CLAIMED}


def test_only_volunteers_are_offered_to_take_a_series(weekly, other_elder):
    page = client_of(other_elder).get(weekly.get_absolute_url())

    assert page.status_code == 200
    assert reverse("series:take", args=[weekly.pk]) not in page.content.decode()


def test_the_elders_list_takes_the_same_queries_for_one_series_or_many(welfare_elder, cleaning):
    client = client_of(welfare_elder.user)
    set_up(welfare_elder, cleaning)
    url = reverse("series:elder", args=[welfare_elder.pk])

    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _more in range(3):
        set_up(welfare_elder, cleaning)
    with CaptureQueriesContext(connection) as four:
        client.get(url)

    assert len(four) == len(one)


# The admin --------------------------------------------------------------------


@pytest.fixture
def series_staff(staff):
    staff.user_permissions.add(*Permission.objects.filter(content_type__app_label="series"))
    return staff


def test_staff_approve_a_series_in_the_admin_and_it_is_audited(
    welfare_elder, cleaning, series_staff
):
    series = set_up(welfare_elder, cleaning)

    client_of(series_staff).post(
        reverse("admin:series_series_changelist"),
        {"action": "approve", ACTION_CHECKBOX_NAME: [series.pk]},
    )

    series.refresh_from_db()
    assert series.status == SeriesStatus.APPROVED
    assert series.reviewed_by == series_staff
    assert AuditLog.objects.filter(action="series.approved", target_id=str(series.pk)).exists()


def test_staff_reject_with_a_reason(welfare_elder, cleaning, series_staff):
    series = set_up(welfare_elder, cleaning)
    client = client_of(series_staff)
    url = reverse("admin:series_series_changelist")
    selected = {"action": "reject", ACTION_CHECKBOX_NAME: [series.pk]}

    asked = client.post(url, selected)
    client.post(url, {**selected, "confirm": "1", "reason": "No volunteers for it"})

    assert asked.status_code == 200
    series.refresh_from_db()
    assert series.status == SeriesStatus.REJECTED
    assert AuditLog.objects.filter(action="series.rejected").count() == 1


def test_the_admin_filters_by_district_service_and_status(weekly, series_staff):
    response = client_of(series_staff).get(
        reverse("admin:series_series_changelist"),
        {
            "status__exact": "approved",
            "district__id__exact": weekly.district_id,
            "service_type__id__exact": weekly.service_type_id,
        },
    )

    assert list(response.context["cl"].result_list) == [weekly]


def test_staff_of_another_district_neither_see_nor_approve_the_series(
    welfare_elder, cleaning, other_district_staff
):
    other_district_staff.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="series")
    )
    series = set_up(welfare_elder, cleaning)
    client = client_of(other_district_staff)

    listing = client.get(reverse("admin:series_series_changelist"))
    change = client.get(reverse("admin:series_series_change", args=[series.pk]))
    client.post(
        reverse("admin:series_series_changelist"),
        {"action": "approve", ACTION_CHECKBOX_NAME: [series.pk]},
    )

    assert list(listing.context["cl"].result_list) == []
    assert change.status_code == 302  # "does not exist" for them
    series.refresh_from_db()
    assert series.status == SeriesStatus.SUBMITTED


def test_a_repeating_service_is_in_the_elders_own_data(weekly):
    from accounts.privacy import personal_data

    records = personal_data(weekly.elder.user)["records"]

    assert [row["id"] for row in records["series.Series"]] == [weekly.pk]
    assert records["series.Series"][0]["time_of_day"] == weekly.time_of_day.isoformat()
