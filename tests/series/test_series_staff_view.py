"""Staff: the series admin (filters, search, its visits) and the dashboard's coverage."""

import datetime
from datetime import time, timedelta

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from accounts.models import ScopeLevel, StaffScope, scope_of
from orders import services as orders
from orders.models import Funding
from series import publishing, services, volunteers
from series.models import weekdays_mask
from tests.conftest import client_of, make_district
from tests.orders.conftest import give_welfare_category
from tests.series.conftest import CLOCK_START, at, days_later, set_up, visits_of
from timebank import dashboard

pytestmark = pytest.mark.usefixtures("english")
TUESDAY = 1


@pytest.fixture
def series_staff(staff):
    staff.user_permissions.add(
        *Permission.objects.filter(content_type__app_label__in=["series", "orders"])
    )
    return staff


@pytest.fixture
def three_series(
    weekly,
    welfare_elder,
    other_elder_profile,
    cleaning,
    staff,
    other_district_staff,
    verified_volunteer,
):
    """Yuexiu: Mondays taken by a volunteer, Tuesdays not. Haizhu: Mondays not taken."""
    volunteers.take_series(weekly, now=CLOCK_START, by=verified_volunteer)
    tuesdays = services.approve_series(
        set_up(welfare_elder, cleaning, weekdays=weekdays_mask([TUESDAY])), by=staff
    )
    give_welfare_category(other_elder_profile)
    haizhu = services.approve_series(
        set_up(other_elder_profile, cleaning, by=other_district_staff), by=other_district_staff
    )
    publishing.publish_due_occurrences(now=CLOCK_START)
    return weekly, tuesdays, haizhu


def test_coverage_counts_the_visits_of_the_next_7_days_in_the_staff_members_area(
    three_series, staff, other_district_staff
):
    two_days_on = days_later(2)  # the window holds 3 and 4 June

    yuexiu = dashboard.series_coverage(scope_of(staff), now=two_days_on)
    haizhu = dashboard.series_coverage(scope_of(other_district_staff), now=two_days_on)
    city = dashboard.series_coverage(StaffScope(level=ScopeLevel.CITY), now=two_days_on)

    assert yuexiu == (1, 2, 50)
    assert haizhu == (0, 1, 0)
    assert city == (1, 3, 33)


def test_coverage_leaves_out_visits_called_off_or_past(three_series, welfare_elder):
    weekly, tuesdays, _haizhu = three_series
    services.skip_date(tuesdays, datetime.date(2030, 6, 4), by=welfare_elder.user, now=CLOCK_START)

    city = StaffScope(level=ScopeLevel.CITY)

    assert dashboard.series_coverage(city, now=days_later(2)) == (1, 2, 50)
    # After the Monday visits have started: the next Mondays only.
    assert dashboard.series_coverage(city, now=at(weekly.starts_on, 10)) == (1, 2, 50)


def test_coverage_is_empty_where_there_are_no_visits(three_series):
    elsewhere = make_district("tianhe", "天河区", "Tianhe", "石牌街", "Shipai")

    assert dashboard.series_coverage(
        StaffScope(level=ScopeLevel.DISTRICT, district=elsewhere), now=days_later(2)
    ) == (0, 0, None)


def test_the_dashboard_shows_coverage_to_staff_of_the_area_and_an_empty_state_elsewhere(
    welfare_elder, cleaning, staff, other_district_staff, verified_volunteer
):
    tomorrow = timezone.localdate() + timedelta(days=1)
    series = services.approve_series(
        services.set_up_series(
            welfare_elder,
            by=welfare_elder.user,
            service_type=cleaning,
            weekdays=127,
            time_of_day=time(9),
            booked_hours=1,
            funding=Funding.WELFARE,
            starts_on=tomorrow,
            visits=3,
        ),
        by=staff,
    )
    publishing.publish_due_occurrences()
    orders.claim_order(visits_of(series).first(), by=verified_volunteer)

    ours = client_of(staff).get(reverse("admin:dashboard")).content.decode()
    theirs = client_of(other_district_staff).get(reverse("admin:dashboard")).content.decode()

    assert "1 of 3 visits in the next 7 days have a volunteer (33 %)" in ours
    assert "No visits of repeating services in the next 7 days." in theirs
    assert "1 of 3" not in theirs


# The admin ------------------------------------------------------------------------


def test_the_admin_shows_each_visit_with_its_order_and_volunteer(
    three_series, series_staff, verified_volunteer
):
    weekly = three_series[0]
    first = visits_of(weekly).first()

    page = client_of(series_staff).get(reverse("admin:series_series_change", args=[weekly.pk]))

    content = page.content.decode()
    assert reverse("admin:orders_order_change", args=[first.pk]) in content
    assert str(verified_volunteer) in content
    assert "Volunteer on the way" in content
    assert 'name="occurrences-0-date"' not in content  # read-only


@pytest.mark.parametrize("term", ["Wang", "110101194001011234"])
def test_staff_find_a_series_by_the_elders_name_or_id_number(
    three_series, series_staff, welfare_elder, term
):
    welfare_elder.real_name = "Wang Elder"
    welfare_elder.id_number = "110101194001011234"
    welfare_elder.save()

    response = client_of(series_staff).get(reverse("admin:series_series_changelist"), {"q": term})

    assert set(response.context["cl"].result_list) == set(three_series[:2])
