"""GET /api/v1/records: completed services as the national rules' service records."""

import csv
import datetime
import io
import threading
import time

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from api.models import DisclosedRead
from orders.models import RecordEntry
from orders.services import confirm_order
from rewards.models import CertificateIssuer
from tests.api.machine import KeyClient, completed_order, delivered_order, make_api_client
from tests.conftest import make_volunteer_profile
from tests.orders.conftest import START


@pytest.fixture
def served(welfare_elder, verified_volunteer, cleaning):
    """One visit of Yuexiu's elder, completed."""
    return completed_order(welfare_elder, verified_volunteer, cleaning, minutes=90)


@pytest.fixture
def served_in_haizhu(other_elder_profile, other_volunteer, haizhu, cleaning):
    make_volunteer_profile(other_volunteer, haizhu, sequence="126")
    return completed_order(other_elder_profile, other_volunteer, cleaning)


def records(key, **query):
    response = KeyClient(key).get("/records", **query)
    assert response.status_code == 200, response.content
    return response.json()


def test_a_completed_service_is_a_record_with_the_national_rules_fields(served, yuexiu):
    CertificateIssuer.objects.create(
        district=yuexiu,
        name="Yuexiu Federation",
        person_in_charge="Wang",
        handler="Zhao",
        contact="1",
    )
    _client, key = make_api_client()

    (record,) = records(key)["records"]

    profile = served.volunteer.volunteer_profile
    assert record["volunteer_name"] == profile.real_name
    assert record["id_type"] == "居民身份证"
    assert record["id_number"] == profile.masked_id_number != profile.id_number
    assert record["id_number_masked"] is True
    assert record["volunteer_number"] == profile.volunteer_number
    assert record["phone"] is None
    assert record["service_code"] == "cleaning"
    assert (record["district"], record["street"]) == ("越秀区", "北京街")
    assert record["hours"] == 1.5
    assert datetime.datetime.fromisoformat(record["started_at"]) == START
    assert datetime.datetime.fromisoformat(record["ended_at"]) == START + datetime.timedelta(
        minutes=90
    )
    assert record["issuer"] == {
        "name": "Yuexiu Federation",
        "person_in_charge": "Wang",
        "handler": "Zhao",
        "contact": "1",
    }
    # The place is the district and street: the elder's address is nowhere.
    assert "Canary" not in str(record)
    assert DisclosedRead.objects.count() == 0


def test_the_citys_issuer_signs_where_the_district_has_none(served):
    CertificateIssuer.objects.create(
        name="City Federation", person_in_charge="Li", handler="Hu", contact="2"
    )
    _client, key = make_api_client()

    assert records(key)["records"][0]["issuer"]["name"] == "City Federation"


def test_only_completed_services_are_records(welfare_elder, verified_volunteer, cleaning):
    delivered_order(welfare_elder, verified_volunteer, cleaning)
    _client, key = make_api_client()

    assert records(key)["records"] == []


def test_a_client_allowed_the_numbers_reads_them_and_each_read_is_logged(served):
    client, key = make_api_client(may_read_id_numbers=True, may_read_phones=True)

    (record,) = records(key)["records"]

    volunteer = served.volunteer
    assert record["id_number"] == volunteer.volunteer_profile.id_number
    assert record["id_number_masked"] is False
    assert record["phone"] == volunteer.phone
    (read,) = DisclosedRead.objects.all()
    assert (read.client, read.person, read.fields) == (client, volunteer, "id_number,phone")
    assert read.purpose == client.purpose
    records(key)
    assert DisclosedRead.objects.count() == 2  # every read, not the first only


def test_a_district_client_reads_only_its_districts_records(
    served, served_in_haizhu, yuexiu, haizhu
):
    _client, yuexiu_key = make_api_client(yuexiu)
    _client, haizhu_key = make_api_client(haizhu, name="Haizhu registry")
    _client, city_key = make_api_client(name="City")

    assert [r["record_number"] for r in records(yuexiu_key)["records"]] == [served.number]
    assert [r["record_number"] for r in records(haizhu_key)["records"]] == [served_in_haizhu.number]
    assert len(records(city_key)["records"]) == 2


def test_a_client_without_records_is_refused(served):
    _client, key = make_api_client(may_read_records=False, may_import_volunteers=True)

    response = KeyClient(key).get("/records")

    assert response.status_code == 403
    assert response.json()["code"] == "not_allowed"


def test_pages_follow_the_cursor_to_the_end_and_then_wait(
    welfare_elder, verified_volunteer, cleaning
):
    orders = [
        completed_order(welfare_elder, verified_volunteer, cleaning, day=day) for day in range(5)
    ]
    _client, key = make_api_client()

    first = records(key, limit=2)
    second = records(key, limit=2, after=first["next"])
    third = records(key, limit=2, after=second["next"])
    empty = records(key, limit=2, after=third["next"])

    numbers = [r["record_number"] for page in (first, second, third) for r in page["records"]]
    assert numbers == [order.number for order in orders]
    assert [first["has_more"], second["has_more"], third["has_more"]] == [True, True, False]
    assert empty == {"records": [], "next": third["next"], "has_more": False}


def test_updated_since_starts_at_a_time_and_an_empty_answer_points_at_the_end(
    welfare_elder, verified_volunteer, cleaning
):
    old = completed_order(welfare_elder, verified_volunteer, cleaning, day=0)
    RecordEntry.objects.filter(order=old).update(
        entered_at=timezone.now() - datetime.timedelta(days=3)
    )
    new = completed_order(welfare_elder, verified_volunteer, cleaning, day=1)
    _client, key = make_api_client()
    yesterday = (timezone.now() - datetime.timedelta(days=1)).isoformat()

    page = records(key, updated_since=yesterday)
    later = records(key, updated_since=timezone.now().isoformat())

    assert [r["record_number"] for r in page["records"]] == [new.number]
    assert later["records"] == []
    assert later["next"] == new.record_entry.pk


def test_csv_has_english_field_names_and_the_same_cursor(
    welfare_elder, verified_volunteer, cleaning
):
    orders = [
        completed_order(welfare_elder, verified_volunteer, cleaning, day=day) for day in range(3)
    ]
    _client, key = make_api_client()

    response = KeyClient(key).get("/records", format="csv", limit=2)
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    rest = KeyClient(key).get("/records", format="csv", after=response["X-Next"])

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert list(rows[0])[:3] == ["position", "record_number", "volunteer_name"]
    assert "issuer_name" in rows[0]
    assert [row["record_number"] for row in rows] == [order.number for order in orders[:2]]
    assert response["X-Has-More"] == "true"
    assert orders[2].number in rest.content.decode()
    assert rest["X-Has-More"] == "false"


@pytest.mark.parametrize(
    "query",
    [
        {"after": "-1"},
        {"after": "x"},
        {"limit": "0"},
        {"limit": "501"},
        {"after": str(2**64)},
        {"format": "xml"},
        {"updated_since": "soon"},
    ],
)
def test_a_query_out_of_range_is_invalid_not_an_error(db, query):
    _client, key = make_api_client()

    response = KeyClient(key).get("/records", **query)

    assert response.status_code == 422
    assert response.json()["code"] == "invalid"


COMPLETED_WHILE_READING = 100
PAGE = 40


@pytest.mark.django_db(transaction=True)
def test_pages_read_while_records_are_completed_hold_every_record_exactly_once(
    welfare_elder, verified_volunteer, second_volunteer, cleaning
):
    """100 visits are completed by four threads while a reader reads three pages; one of
    the completions commits late, after the others could have. The pages, read on to the
    end afterwards, hold every completed record once: none twice, none stepped over."""
    before = [
        completed_order(welfare_elder, verified_volunteer, cleaning, day=d) for d in range(20)
    ]
    waiting = [
        delivered_order(welfare_elder, verified_volunteer, cleaning, day=20 + d)
        for d in range(COMPLETED_WHILE_READING)
    ]
    # Another volunteer's: it must not wait for the others' wallet, nor they for its.
    slow = delivered_order(welfare_elder, second_volunteer, cleaning, day=200)
    _client, key = make_api_client()
    entered = threading.Event()
    read, cursor = [], {"after": None}

    def in_thread(work):
        def run():
            try:
                work()
            finally:
                entered.set()  # never leave the others waiting
                connection.close()

        return threading.Thread(target=run)

    def complete_slowly():
        with transaction.atomic():
            confirm_order(slow, by=welfare_elder.user)
            entered.set()
            time.sleep(1.5)  # a completion that takes its time to commit

    def complete(share):
        entered.wait()
        for order in share:
            confirm_order(order, by=welfare_elder.user)

    def read_page():
        query = {"limit": PAGE} | (
            {"after": cursor["after"]} if cursor["after"] is not None else {}
        )
        page = records(key, **query)
        read.extend(r["record_number"] for r in page["records"])
        cursor["after"] = page["next"]
        return page

    def reader():
        entered.wait()
        for _ in range(3):  # three pages while the completions run
            time.sleep(0.3)
            read_page()

    threads = [in_thread(complete_slowly), in_thread(reader)]
    threads += [in_thread(lambda share=waiting[i::3]: complete(share)) for i in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    while read_page()["has_more"]:
        pass

    expected = {order.number for order in [*before, *waiting, slow]}
    assert RecordEntry.objects.count() == len(expected)
    assert len(read) == len(set(read)), "a record was read twice"
    assert set(read) == expected, "a record was stepped over"


def test_a_page_costs_the_same_queries_however_many_records_it_holds(
    welfare_elder, verified_volunteer, cleaning, django_assert_num_queries
):
    for day in range(3):
        completed_order(welfare_elder, verified_volunteer, cleaning, day=day)
    _client, key = make_api_client(may_read_id_numbers=True)
    with CaptureQueriesContext(connection) as few:
        records(key)
    for day in range(3, 9):
        completed_order(welfare_elder, verified_volunteer, cleaning, day=day)

    with django_assert_num_queries(len(few.captured_queries)):
        records(key)
    # The client, the page, the issuers and the log; the rest is the request limit's cache.
    own = [q["sql"] for q in few.captured_queries if "timebank_cache" not in q["sql"]]
    assert len([sql for sql in own if "SAVEPOINT" not in sql]) == 4
