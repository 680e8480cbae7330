"""Refusals over the API: one shape, a stable code from the domain error, the asked language."""

import datetime
import json
import re

import pytest
from django.utils import translation

from orders.forms import next_slots
from orders.services import CARD_CODE_ATTEMPTS, AlreadyDone, NotAllowed, OrderError, OrderTaken
from tests.api.conftest import ApiClient
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def test_each_kind_of_refusal_has_its_own_code():
    codes = [OrderError.code, NotAllowed.code, AlreadyDone.code, OrderTaken.code]
    assert codes == ["order_refused", "not_allowed", "already_done", "order_taken"]
    assert OrderError("x", code="too_early").code == "too_early"


@pytest.mark.parametrize(
    ("language", "message"),
    [("en", "Another volunteer has taken this order."), ("zh-hans", None), (None, None)],
)
def test_the_message_is_in_the_language_asked_for_and_the_code_never_changes(
    claimed, second_volunteer, language, message
):
    response = ApiClient(second_volunteer, language=language).post(f"/orders/{claimed.pk}/claim")

    assert response.status_code == 409
    with translation.override("zh-hans"):
        chinese = str(OrderTaken())
    assert response.json() == {
        "code": "order_taken",
        "message": message or chinese,
        "errors": [],
    }


def test_wrong_card_codes_are_counted_then_refused_for_good(delivered, verified_volunteer):
    client = ApiClient(verified_volunteer, language="en")
    for _ in range(CARD_CODE_ATTEMPTS):
        wrong = client.post(f"/orders/{delivered.pk}/card-code", {"code": "NOPE"})
        assert (wrong.status_code, wrong.json()["code"]) == (400, "wrong_card_code")

    right = client.post(f"/orders/{delivered.pk}/card-code", {"code": delivered.elder.card_code})

    assert (right.status_code, right.json()["code"]) == (400, "too_many_card_codes")


def test_the_right_card_code_completes_the_order(delivered, verified_volunteer):
    client = ApiClient(verified_volunteer)

    response = client.post(f"/orders/{delivered.pk}/card-code", {"code": delivered.elder.card_code})

    assert response.status_code == 200
    assert response.json()["status"] == "completed"


@pytest.mark.parametrize("pk", [0, 999999, 2**31, 2**63 - 1])
def test_an_order_that_is_not_there_is_a_404_in_the_one_shape(submitted, elder, pk):
    response = ApiClient(elder).get(f"/orders/{pk}")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_someone_elses_order_is_a_404_for_every_step(submitted, other_elder):
    client = ApiClient(other_elder)
    for step in ["claim", "release", "check-in", "check-out", "confirm"]:
        assert client.post(f"/orders/{submitted.pk}/{step}").status_code == 404, step
    assert client.get(f"/orders/{submitted.pk}").status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [(None, "body.rating"), ({"rating": "five"}, "body.rating.rating"), ({}, "body.rating.rating")],
)
def test_a_body_that_does_not_fit_the_schema_names_the_field(delivered, elder, body, field):
    response = ApiClient(elder, language="en").post(f"/orders/{delivered.pk}/rate", body)

    assert response.status_code == 422
    assert response.json()["code"] == "invalid"
    assert [error["field"] for error in response.json()["errors"]] == [field]


def test_a_rating_outside_the_five_faces_is_refused_by_the_service(delivered, elder):
    client = ApiClient(elder)
    client.post(f"/orders/{delivered.pk}/confirm")

    response = client.post(f"/orders/{delivered.pk}/rate", {"rating": 9})

    assert (response.status_code, response.json()["code"]) == (400, "invalid_rating")


@pytest.mark.parametrize("text", ["\x00", "a\x00b"])
def test_a_nul_character_in_a_body_is_a_bad_request(claimed, verified_volunteer, text):
    response = ApiClient(verified_volunteer).post(f"/orders/{claimed.pk}/card-code", {"code": text})

    assert response.status_code == 400
    assert response.json()["code"] == "bad_request"


def test_a_body_that_is_not_json_is_a_bad_request(claimed, verified_volunteer):
    client = ApiClient(verified_volunteer)
    response = client.client.post(
        f"/api/v1/orders/{claimed.pk}/card-code",
        "{not json",
        content_type="application/json",
        headers=client.headers,
    )

    assert (response.status_code, response.json()["code"]) == (400, "bad_request")


# Placing an order: the order form's checks, then the service's --------------------


def new_order(**changes):
    return {
        "service": "cleaning",
        "starts_at": next_slots()[0].isoformat(),
        "booked_hours": 2,
        "funding": "welfare",
        **changes,
    }


def place(client, elder_profile, body):
    return client.post(f"/elders/{elder_profile.pk}/orders", body)


@pytest.mark.parametrize(
    ("changes", "code", "field"),
    [
        ({"starts_at": "2031-01-01T09:00:00+08:00"}, "invalid", "starts_at"),
        ({"booked_hours": 7}, "invalid", "booked_hours"),
        ({"funding": "free"}, "invalid", "funding"),
        ({"notes": "x" * 501}, "invalid", "notes"),
        ({"service": "juggling"}, "not_offered", None),
    ],
)
def test_an_order_is_checked_as_the_order_form_checks_it(
    welfare_elder, cleaning, elder, changes, code, field
):
    response = place(ApiClient(elder, language="en"), welfare_elder, new_order(**changes))

    assert response.status_code in (400, 422)
    body = response.json()
    assert body["code"] == code
    assert [error["field"] for error in body["errors"]] == ([field] if field else [])


def test_a_note_too_long_is_refused_in_the_persons_language(welfare_elder, cleaning, elder):
    chinese = ApiClient(elder, language="zh-hans")
    response = place(chinese, welfare_elder, new_order(notes="x" * 501))

    assert response.status_code == 400
    assert not re.search(r"[A-Za-z]", response.json()["errors"][0]["message"])


def test_a_slot_given_in_another_time_zone_is_the_same_slot(welfare_elder, cleaning, elder):
    slot = next_slots()[0]
    utc = slot.astimezone(datetime.UTC).isoformat()

    response = place(ApiClient(elder), welfare_elder, new_order(starts_at=utc))

    assert response.status_code == 201, response.content


def test_an_order_sent_twice_is_placed_once(welfare_elder, cleaning, proxy_authorisation, proxy):
    client = ApiClient(proxy)
    first = place(client, welfare_elder, new_order())
    again = place(client, welfare_elder, new_order())

    assert first.status_code == 201
    assert (again.status_code, again.json()["code"]) == (409, "already_done")


def test_free_services_need_a_verified_category(elder_profile, cleaning, elder):
    response = place(ApiClient(elder), elder_profile, new_order())

    assert (response.status_code, response.json()["code"]) == (400, "funding_refused")


def test_an_invalid_market_filter_is_refused_not_ignored(verified_volunteer):
    response = ApiClient(verified_volunteer).get("/market", service="juggling")

    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["service"]


def test_errors_are_json_with_the_security_headers(db):
    response = ApiClient(make_user("+8613900000008")).get("/orders/1")

    assert response["Content-Type"].startswith("application/json")
    assert json.loads(response.content)["code"] == "not_found"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
