# ruff: noqa: E501 - one table row per line, so a change of access is a one-line diff
"""Who gets what at every endpoint of the API, by session cookie and by token.

The world is the site map's (tests/site_map.py): elder A's order claimed by
A's volunteer, starting in 2030. Each call runs in a savepoint that is rolled
back, so every cell answers the same world. Cells are status codes; the
error's code is checked where it tells the personas apart.
"""

import datetime

import pytest

from accounts.models import District
from api.auth import MACHINE
from api.clients import revoke_client
from api.urls import api
from orders.forms import next_slots
from tests.api.conftest import ApiClient
from tests.api.machine import KeyClient, completed_order, make_api_client
from tests.bad_input import rolled_back
from tests.conftest import make_id_number
from tests.site_map import API_READS, API_WRITES, all_routes

PERSONAS = ["anonymous", "elder_a", "elder_b", "proxy_a", "vol_a", "vol_other", "staff_a"]


# A volunteer the city registry verified, of A's district (Yuexiu).
IMPORTED = {
    "external_number": "GZ-MATRIX",
    "name": "Matrix Volunteer",
    "id_number": make_id_number(datetime.date(1962, 4, 5), sequence="311"),
    "phone": "13900007777",
    "district": "yuexiu",
    "street": None,
}


def calls(world):
    """(name, method, path, body) of every endpoint, on A's order and A's elder profile."""
    order, elder = world["order"].pk, world["elder_a"].pk
    new_order = {
        "service": "cleaning",
        "starts_at": next_slots()[0].isoformat(),
        "booked_hours": 2,
        "funding": "welfare",
    }
    return [
        ("market", "get", "/market", None),
        ("my_orders", "get", "/orders/mine", None),
        ("claims", "get", "/claims", None),
        ("order", "get", f"/orders/{order}", None),
        ("elders", "get", "/elders", None),
        ("choices", "get", "/order-choices", None),
        ("credits", "get", "/credits", None),
        ("passbook", "get", "/credits/passbook", None),
        ("notifications", "get", "/notifications", None),
        ("claim", "post", f"/orders/{order}/claim", None),
        ("release", "post", f"/orders/{order}/release", None),
        ("pass", "post", f"/orders/{order}/pass", None),
        ("check_in", "post", f"/orders/{order}/check-in", {"latitude": 23.1, "longitude": 113.3}),
        ("check_out", "post", f"/orders/{order}/check-out", {}),
        ("card_code", "post", f"/orders/{order}/card-code", {"code": "WRONG"}),
        ("confirm", "post", f"/orders/{order}/confirm", None),
        ("rate", "post", f"/orders/{order}/rate", {"rating": 5}),
        ("place_order", "post", f"/elders/{elder}/orders", new_order),
        ("notifications_read", "post", "/notifications/read", None),
        ("records", "get", "/records", None),
        ("volunteers_import", "post", "/volunteers/import", [IMPORTED]),
    ]


# fmt: off
EXPECTED = {
    "market":             {"anonymous": 401, "elder_a": 200, "elder_b": 200, "proxy_a": 200, "vol_a": 200, "vol_other": 200, "staff_a": 200},
    "my_orders":          {"anonymous": 401, "elder_a": 200, "elder_b": 200, "proxy_a": 200, "vol_a": 200, "vol_other": 200, "staff_a": 200},
    "claims":             {"anonymous": 401, "elder_a": 200, "elder_b": 200, "proxy_a": 200, "vol_a": 200, "vol_other": 200, "staff_a": 200},
    "order":              {"anonymous": 401, "elder_a": 200, "elder_b": 404, "proxy_a": 200, "vol_a": 200, "vol_other": 409, "staff_a": 200},
    "elders":             {"anonymous": 401, "elder_a": 200, "elder_b": 200, "proxy_a": 200, "vol_a": 200, "vol_other": 200, "staff_a": 200},
    "choices":            {"anonymous": 401, "elder_a": 200, "elder_b": 200, "proxy_a": 200, "vol_a": 200, "vol_other": 200, "staff_a": 200},
    "credits":            {"anonymous": 401, "elder_a": 200, "elder_b": 200, "proxy_a": 200, "vol_a": 200, "vol_other": 200, "staff_a": 200},
    "passbook":           {"anonymous": 401, "elder_a": 200, "elder_b": 200, "proxy_a": 200, "vol_a": 200, "vol_other": 200, "staff_a": 200},
    "notifications":      {"anonymous": 401, "elder_a": 200, "elder_b": 200, "proxy_a": 200, "vol_a": 200, "vol_other": 200, "staff_a": 200},
    "claim":              {"anonymous": 401, "elder_a": 409, "elder_b": 404, "proxy_a": 409, "vol_a": 409, "vol_other": 409, "staff_a": 409},
    "release":            {"anonymous": 401, "elder_a": 403, "elder_b": 404, "proxy_a": 403, "vol_a": 200, "vol_other": 409, "staff_a": 403},
    "pass":               {"anonymous": 401, "elder_a": 409, "elder_b": 404, "proxy_a": 409, "vol_a": 400, "vol_other": 409, "staff_a": 409},
    "check_in":           {"anonymous": 401, "elder_a": 403, "elder_b": 404, "proxy_a": 403, "vol_a": 400, "vol_other": 409, "staff_a": 403},
    "check_out":          {"anonymous": 401, "elder_a": 403, "elder_b": 404, "proxy_a": 403, "vol_a": 409, "vol_other": 409, "staff_a": 403},
    "card_code":          {"anonymous": 401, "elder_a": 403, "elder_b": 404, "proxy_a": 403, "vol_a": 409, "vol_other": 409, "staff_a": 403},
    "confirm":            {"anonymous": 401, "elder_a": 409, "elder_b": 404, "proxy_a": 409, "vol_a": 403, "vol_other": 409, "staff_a": 403},
    "rate":               {"anonymous": 401, "elder_a": 409, "elder_b": 404, "proxy_a": 409, "vol_a": 403, "vol_other": 409, "staff_a": 403},
    "place_order":        {"anonymous": 401, "elder_a": 201, "elder_b": 404, "proxy_a": 201, "vol_a": 404, "vol_other": 404, "staff_a": 404},
    "notifications_read": {"anonymous": 401, "elder_a": 200, "elder_b": 200, "proxy_a": 200, "vol_a": 200, "vol_other": 200, "staff_a": 200},
    # For API clients only: no person's session or token opens them.
    "records":            {"anonymous": 401, "elder_a": 401, "elder_b": 401, "proxy_a": 401, "vol_a": 401, "vol_other": 401, "staff_a": 401},
    "volunteers_import":  {"anonymous": 401, "elder_a": 401, "elder_b": 401, "proxy_a": 401, "vol_a": 401, "vol_other": 401, "staff_a": 401},
}
# What the refusals say, where the status alone does not tell why.
CODES = {
    ("order", "vol_other"): "order_taken",
    ("claim", "vol_a"): "already_done",
    ("claim", "elder_a"): "order_taken",
    ("release", "elder_a"): "not_allowed",
    ("check_in", "vol_a"): "too_early",
    ("check_out", "vol_a"): "wrong_status",
    ("confirm", "elder_a"): "wrong_status",
    ("confirm", "vol_a"): "not_allowed",
    ("place_order", "vol_a"): "not_found",
    ("records", "vol_a"): "not_authenticated",
    ("volunteers_import", "elder_a"): "not_authenticated",
}
# fmt: on


def test_every_endpoint_has_a_row():
    """Every named API route but the token, the schema, its page and the root."""
    named = {name.removeprefix("api:") for name, _ in all_routes() if name and name[:4] == "api:"}
    named -= {"token", "openapi-json", "openapi-view", "api-root"}
    assert set(EXPECTED) == named == set(API_READS) | (set(API_WRITES) - {"token"})


def answers(world, persona, kind):
    client = ApiClient(world["users"][persona], kind=kind)
    found = {}
    for name, method, path, body in calls(world):
        with rolled_back():
            response = client.get(path) if method == "get" else client.post(path, body)
        found[name] = response.status_code
        if response.status_code >= 400:
            assert set(response.json()) == {"code", "message", "errors"}, (name, response.content)
            found[f"{name} code"] = response.json()["code"]
    return found


def _expected(persona, found):
    expected = {name: row[persona] for name, row in EXPECTED.items()}
    codes = {f"{name} code": code for (name, who), code in CODES.items() if who == persona}
    return expected, {key: found.get(key) for key in codes}, codes


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "staff_a"])
def test_each_persona_by_token_gets_exactly_the_expected_answers(world, persona):
    found = answers(world, persona, "token")
    expected, codes_found, codes = _expected(persona, found)
    assert {name: found[name] for name in EXPECTED} == expected
    assert codes_found == codes


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_by_session_gets_the_same_answers(world, persona):
    found = answers(world, persona, "session")
    expected, codes_found, codes = _expected(persona, found)
    assert {name: found[name] for name in EXPECTED} == expected
    assert codes_found == codes


# API clients --------------------------------------------------------------
#
# Every endpoint by API key: the city's client, district A's (Yuexiu), district
# B's (Haizhu), a revoked one, and no key at all. The personal endpoints take
# no key; the client endpoints take nothing else (the rows above).

MACHINE_PERSONAS = ["client_city", "client_a", "client_b", "client_revoked", "no_key"]
# fmt: off
MACHINE_EXPECTED = {
    "records":           {"client_city": 200, "client_a": 200, "client_b": 200, "client_revoked": 401, "no_key": 401},
    "volunteers_import": {"client_city": 200, "client_a": 200, "client_b": 200, "client_revoked": 401, "no_key": 401},
}
MACHINE_CODES = {
    ("records", "client_revoked"): "invalid_api_key",
    ("records", "no_key"): "not_authenticated",
    ("volunteers_import", "client_revoked"): "invalid_api_key",
}
# What each client's import of A's volunteer comes to: B's may not bring in A's district.
IMPORT_RESULTS = {"client_city": "created", "client_a": "created", "client_b": "refused"}
# fmt: on


@pytest.fixture
def machines(world):
    """The clients, and a completed visit in each of A's and B's districts."""
    yuexiu, haizhu = District.objects.get(code="yuexiu"), District.objects.get(code="haizhu")
    users = world["users"]
    flags = {"may_import_volunteers": True}
    keys = {
        "client_city": make_api_client(**flags)[1],
        "client_a": make_api_client(yuexiu, name="A", **flags)[1],
        "client_b": make_api_client(haizhu, name="B", **flags)[1],
        "no_key": None,
    }
    revoked, keys["client_revoked"] = make_api_client(name="Revoked", **flags)
    revoke_client(revoked, by=users["city"])
    cleaning = world["order"].service_type
    served = {
        "a": completed_order(world["elder_a"], users["vol_a"], cleaning, day=100),
        "b": completed_order(users["elder_b"].elder_profile, users["vol_a"], cleaning, day=101),
    }
    return keys, served


def test_every_endpoint_open_to_api_clients_has_a_row():
    by_key = {
        operation.url_name
        for _prefix, router in api._routers
        for path_view in router.path_operations.values()
        for operation in path_view.operations
        if router.auth == MACHINE or operation.auth_param == MACHINE
    }
    assert set(MACHINE_EXPECTED) == by_key


@pytest.mark.parametrize("persona", MACHINE_PERSONAS)
def test_each_api_client_gets_exactly_the_expected_answers(world, machines, persona):
    keys, _served = machines
    client = KeyClient(keys[persona])
    found, codes = {}, {}
    for name, method, path, body in calls(world):
        with rolled_back():
            response = client.get(path) if method == "get" else client.post(path, body)
        found[name] = response.status_code
        if response.status_code >= 400:
            assert set(response.json()) == {"code", "message", "errors"}, (name, response.content)
            codes[name] = response.json()["code"]
        elif name == "volunteers_import":
            assert response.json()["rows"][0]["result"] == IMPORT_RESULTS[persona]
    personal = {name: found[name] for name in EXPECTED if name not in MACHINE_EXPECTED}

    assert set(personal.values()) == {401}, personal
    assert {name: found[name] for name in MACHINE_EXPECTED} == {
        name: row[persona] for name, row in MACHINE_EXPECTED.items()
    }
    assert {name: codes.get(name) for (name, who) in MACHINE_CODES if who == persona} == {
        name: code for (name, who), code in MACHINE_CODES.items() if who == persona
    }


@pytest.mark.parametrize(
    ("persona", "sees"), [("client_city", {"a", "b"}), ("client_a", {"a"}), ("client_b", {"b"})]
)
def test_a_district_client_reads_only_its_own_districts_records(world, machines, persona, sees):
    keys, served = machines

    numbers = {
        r["record_number"] for r in KeyClient(keys[persona]).get("/records").json()["records"]
    }

    assert numbers == {served[name].number for name in sees}
