"""Each figure against the hand-counted city of tests/staff/conftest.py."""

import datetime

import pytest
from django.utils import translation

from accounts.models import ElderProfile, ScopeLevel, StaffScope, scope_of
from orders.models import Order, OrderStatus
from tests.staff.conftest import make_order
from timebank import dashboard
from timebank.dashboard import Period

JUNE = Period(2030, 6)
MAY = Period(2030, 5)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def whole_city(db):
    return StaffScope(level=ScopeLevel.CITY)


@pytest.fixture
def yuexiu_scope(city, yuexiu):
    return StaffScope(level=ScopeLevel.DISTRICT, district=yuexiu)


@pytest.fixture
def tianhe_scope(city, tianhe):
    return StaffScope(level=ScopeLevel.DISTRICT, district=tianhe)


def statuses(scope, period):
    counts = dict(dashboard.orders_by_status(scope, period))
    return {status: counts[status.label] for status in OrderStatus if counts[status.label]}


def test_orders_by_status_in_a_district(yuexiu_scope):
    assert statuses(yuexiu_scope, JUNE) == {
        OrderStatus.COMPLETED: 3,
        OrderStatus.EXPIRED: 2,
        OrderStatus.SUBMITTED: 1,
        OrderStatus.DISPUTED: 1,
    }


def test_orders_by_status_citywide(city, whole_city):
    assert statuses(whole_city, JUNE) == {
        OrderStatus.COMPLETED: 4,
        OrderStatus.EXPIRED: 2,
        OrderStatus.SUBMITTED: 1,
        OrderStatus.DISPUTED: 1,
        OrderStatus.PUBLISHED: 1,
    }


def test_orders_by_status_lists_every_status_even_when_empty(city, whole_city):
    assert [n for _label, n in dashboard.orders_by_status(whole_city, MAY)] == [0] * 10


def test_median_time_to_claim_averages_the_two_middle_waits(yuexiu_scope):
    assert dashboard.median_minutes_to_claim(yuexiu_scope, JUNE) == 25


def test_median_time_to_claim_citywide_is_the_middle_wait(city, whole_city):
    assert dashboard.median_minutes_to_claim(whole_city, JUNE) == 30


def test_median_time_to_claim_is_none_without_claims(city, whole_city, tianhe_scope):
    assert dashboard.median_minutes_to_claim(whole_city, MAY) is None
    assert dashboard.median_minutes_to_claim(tianhe_scope, JUNE) is None


def test_fill_rate_counts_claimed_against_expired_unclaimed(yuexiu_scope, whole_city):
    assert dashboard.fill_rate(yuexiu_scope, JUNE) == (4, 2, 67)
    assert dashboard.fill_rate(whole_city, JUNE) == (5, 2, 71)


def test_fill_rate_is_none_for_an_empty_district(tianhe_scope):
    assert dashboard.fill_rate(tianhe_scope, JUNE) == (0, 0, None)


def test_unmet_demand_by_street_and_service(yuexiu_scope):
    assert sorted(dashboard.unmet_demand(yuexiu_scope, JUNE)) == [
        ("Beijing Jie", "Cleaning", 1),
        ("Beijing Jie", "Meals", 1),
    ]


def test_unmet_demand_is_empty_in_a_month_with_no_data(city, whole_city):
    assert dashboard.unmet_demand(whole_city, MAY) == []


def test_hours_by_month_and_district_with_empty_months_and_district(city, whole_city):
    months, table = dashboard.hours_by_month_and_district(whole_city, JUNE, months=3)
    assert months == ["2030-04", "2030-05", "2030-06"]
    assert dict(table) == {
        "Haizhu": [0, 0, 3.0],
        "Tianhe": [0, 0, 0],
        "Yuexiu": [0, 0, 4.5],
    }


def test_hours_served_in_a_month(yuexiu_scope, whole_city):
    assert dashboard.hours_served(yuexiu_scope, JUNE) == 4.5
    assert dashboard.hours_served(whole_city, JUNE) == 7.5
    assert dashboard.hours_served(whole_city, MAY) == 0


def test_satisfaction_average_and_distribution(yuexiu_scope, whole_city):
    assert dashboard.satisfaction(yuexiu_scope, JUNE) == (
        4.67,
        [(1, 0), (2, 0), (3, 0), (4, 1), (5, 2)],
    )
    assert dashboard.satisfaction(whole_city, JUNE) == (
        4.0,
        [(1, 0), (2, 1), (3, 0), (4, 1), (5, 2)],
    )


def test_satisfaction_without_ratings(tianhe_scope):
    assert dashboard.satisfaction(tianhe_scope, JUNE) == (None, [(n, 0) for n in range(1, 6)])


def test_active_volunteers_are_counted_once(yuexiu_scope, whole_city):
    assert dashboard.active_volunteers(yuexiu_scope, JUNE) == 2
    assert dashboard.active_volunteers(whole_city, JUNE) == 3
    assert dashboard.active_volunteers(whole_city, MAY) == 0


def test_credits_against_supply_warns_where_redeeming_would_take_over_a_year(city, whole_city):
    rows = dashboard.credits_against_supply(whole_city, JUNE, today=datetime.date(2030, 6, 30))
    assert rows == [
        # district, credits held by 60+, hours a month (Apr-Jun average), months, warning
        ("Haizhu", 6, 1.0, 6.0, False),
        ("Tianhe", 0, 0.0, None, False),
        ("Yuexiu", 30, 1.5, 20.0, True),
    ]


def test_credits_against_supply_warns_when_nobody_serves(city, yuexiu_scope):
    later = Period(2030, 12)
    rows = dashboard.credits_against_supply(yuexiu_scope, later, today=datetime.date(2030, 12, 1))
    assert rows == [("Yuexiu", 30, 0.0, None, True)]


def test_work_to_do_counts_the_queues_of_the_district(yuexiu_scope):
    cards = {str(label): count for label, count, _url in dashboard.work_to_do(yuexiu_scope)}
    assert cards["Orders awaiting review"] == 1
    assert cards["Orders under staff review"] == 1
    assert cards["Flagged: still unclaimed"] == 0
    assert cards["Pending: volunteers"] == 1


def test_work_to_do_links_to_the_filtered_admin_list(city, whole_city):
    cards = {str(label): url for label, _count, url in dashboard.work_to_do(whole_city)}
    assert cards["Flagged: still unclaimed"] == "/en/admin/orders/order/?flag=unclaimed"
    assert cards["Pending: volunteers"] == "/en/admin/accounts/volunteerprofile/?status=pending"


def test_people_served_by_category(yuexiu_scope, whole_city):
    total, by_category = dashboard.people_served_by_category(whole_city, JUNE)
    assert total == 2
    assert dict(by_category)["Minimum-allowance or low-income family"] == 1
    assert sum(n for _label, n in by_category) == 1
    assert dashboard.people_served_by_category(yuexiu_scope, JUNE)[0] == 1


def test_credits_by_kind_citywide_and_per_district(city, whole_city, yuexiu_scope, haizhu):
    def nonzero(scope):
        return {str(label): n for label, n in dashboard.credits_by_kind(scope, JUNE) if n}

    assert nonzero(whole_city) == {"Earned for service": 4, "Donation": 2, "Grant": 36}
    assert nonzero(yuexiu_scope) == {"Earned for service": 4, "Donation": 2, "Grant": 30}
    haizhu_scope = StaffScope(level=ScopeLevel.DISTRICT, district=haizhu)
    assert nonzero(haizhu_scope) == {"Grant": 6}


def test_street_staff_count_only_their_street(city, yuexiu, tianhe):
    other_street = yuexiu.streets.create(name_zh="六榕街", name_en="Liurong")
    elder_profile = Order.objects.filter(district=yuexiu).first().elder
    elder_profile.street = other_street
    make_order(elder_profile, Order.objects.first().service_type, OrderStatus.EXPIRED, day=9)
    street = StaffScope(level=ScopeLevel.STREET, district=yuexiu, street=other_street)
    assert statuses(street, JUNE) == {OrderStatus.EXPIRED: 1}


def test_area_scope_lets_district_staff_see_only_their_district(
    city, district_staff, yuexiu, haizhu
):
    scope = scope_of(district_staff)
    assert dashboard.area_scope(scope, yuexiu) is scope
    assert dashboard.area_scope(scope, haizhu) is None


def test_period_parses_a_month_and_falls_back_on_nonsense():
    assert Period.parse("2030-06", MAY) == JUNE
    assert Period.parse("2030-13", MAY) == MAY
    assert Period.parse("june", MAY) == MAY
    assert Period(2030, 12).shifted(1) == Period(2031, 1)


def test_work_to_do_counts_pickups_and_grants_of_the_district(
    city, yuexiu, haizhu, volunteer, city_staff, yuexiu_scope, whole_city
):
    from rewards.services import propose_grant, redeem_goods
    from tests.conftest import fund, set_policy
    from tests.rewards.conftest import make_goods, make_station

    set_policy(spendable_after_hours=0)
    fund(volunteer, 30)
    redeem_goods(make_goods(yuexiu), make_station(yuexiu), by=volunteer)
    redeem_goods(make_goods(haizhu), make_station(haizhu, name="Binjiang"), by=volunteer)
    elder = ElderProfile.objects.get(district=haizhu)
    propose_grant(elder, 5, reason="Living alone after a fall", by=city_staff)

    def counts(scope):
        cards = {str(label): count for label, count, _url in dashboard.work_to_do(scope)}
        return cards["Pickups waiting at the stations"], cards[
            "Grants waiting for a second approval"
        ]

    assert counts(yuexiu_scope) == (1, 0)
    assert counts(whole_city) == (2, 1)
