"""The API's lists are the pages' lists: the same rows, pages and a fixed number of queries."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from orders import services
from tests.api.conftest import ApiClient
from tests.orders.test_order_pages import place_soon


def _queries(client, path, **query):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path, **query).status_code == 200
    return len(queries)


def test_the_json_market_lists_what_the_market_page_lists_page_by_page(
    client, welfare_elder, cleaning, staff, verified_volunteer, yuexiu
):
    for hour in range(25):
        place_soon(welfare_elder, cleaning, staff, hours_ahead=48 + hour)
    client.force_login(verified_volunteer)
    api = ApiClient(verified_volunteer)

    for query in ({}, {"district": yuexiu.pk}, {"service": "cleaning"}):
        page = client.get(reverse("orders:market"), query).context
        first = api.get("/market", **query).json()
        assert [row["id"] for row in first["orders"]] == [row.pk for row in page["orders"]]
        assert first["next"] == page["next_cursor"]
        second = api.get("/market", **query, after=first["next"]).json()
        assert len(first["orders"]) + len(second["orders"]) == 25
        assert second["next"] is None


def test_the_json_market_leaves_out_the_volunteers_own_elders(
    welfare_elder, cleaning, staff, verified_volunteer, proxy_authorisation
):
    place_soon(welfare_elder, cleaning, staff)

    assert ApiClient(verified_volunteer).get("/market").json()["orders"] != []
    assert ApiClient(proxy_authorisation.proxy).get("/market").json()["orders"] == []


def test_the_json_market_runs_the_same_queries_for_5_and_50_orders(
    welfare_elder, cleaning, staff, verified_volunteer
):
    api = ApiClient(verified_volunteer)
    for hour in range(5):
        place_soon(welfare_elder, cleaning, staff, hours_ahead=48 + hour)
    with_5 = _queries(api, "/market")
    for hour in range(45):
        place_soon(welfare_elder, cleaning, staff, hours_ahead=60 + hour)

    assert _queries(api, "/market") == with_5


def test_my_orders_runs_the_same_queries_for_5_and_50_orders(
    welfare_elder, cleaning, staff, verified_volunteer
):
    elder = ApiClient(welfare_elder.user)
    for hour in range(5):
        services.claim_order(
            place_soon(welfare_elder, cleaning, staff, hours_ahead=48 + hour * 2),
            by=verified_volunteer,
        )
    with_5 = _queries(elder, "/orders/mine")
    for hour in range(45):
        place_soon(welfare_elder, cleaning, staff, hours_ahead=100 + hour)

    assert _queries(elder, "/orders/mine") == with_5


def test_claims_run_the_same_queries_for_2_and_10_claims(
    welfare_elder, cleaning, staff, verified_volunteer
):
    volunteer = ApiClient(verified_volunteer)

    def claim(count, start):
        for hour in range(count):
            order = place_soon(welfare_elder, cleaning, staff, hours_ahead=start + hour * 2)
            services.claim_order(order, by=verified_volunteer)

    claim(2, 48)
    with_2 = _queries(volunteer, "/claims")
    claim(8, 100)  # ten claims an hour at most (orders.services.CLAIMS_PER_HOUR)

    assert _queries(volunteer, "/claims") == with_2


def test_the_next_cursor_works_pasted_into_an_address_as_it_is(
    welfare_elder, cleaning, staff, verified_volunteer
):
    for hour in range(25):
        place_soon(welfare_elder, cleaning, staff, hours_ahead=48 + hour)
    api = ApiClient(verified_volunteer)
    first = api.get("/market").json()

    second = api.client.get(f"/api/v1/market?after={first['next']}", headers=api.headers).json()

    assert len(second["orders"]) == 5
