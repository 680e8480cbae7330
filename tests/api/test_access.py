# ruff: noqa: E501 - one table row per line, so a change of access is a one-line diff
"""Who gets what at every endpoint of the API, by session cookie and by token.

The world is the site map's (tests/site_map.py): elder A's order claimed by
A's volunteer, starting in 2030. Each call runs in a savepoint that is rolled
back, so every cell answers the same world. Cells are status codes; the
error's code is checked where it tells the personas apart.
"""

import pytest

from orders.forms import next_slots
from tests.api.conftest import ApiClient
from tests.bad_input import rolled_back
from tests.site_map import API_READS, API_WRITES, all_routes

PERSONAS = ["anonymous", "elder_a", "elder_b", "proxy_a", "vol_a", "vol_other", "staff_a"]


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
