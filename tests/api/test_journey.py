"""A phone client's journey over the API alone: no page is opened.

A volunteer gets a token, finds the order in the market, claims it, checks in
and out at the elder's home; the elder's side confirms from their own phone;
the volunteer's passbook shows the credit. The clock moves to the visit's day
(timezone.now) so the steps happen when they would.
"""

from datetime import timedelta

import pytest
from django.test import TestCase
from django.utils import timezone

from orders.models import OrderStatus
from orders.services import approve_order
from tests.api.conftest import ApiClient, token_of
from tests.orders.conftest import START, place

pytestmark = pytest.mark.django_db


def as_phone(token):
    client = ApiClient(language="en")
    client.headers["Authorization"] = f"Bearer {token}"
    return client


def test_a_volunteer_serves_an_order_and_is_credited_over_the_api_alone(
    welfare_elder, cleaning, staff, verified_volunteer, monkeypatch
):
    order = approve_order(place(welfare_elder, cleaning, hours=2), by=staff)
    volunteer = as_phone(token_of("13900000003"))
    elder = as_phone(token_of("13900000001"))

    market = volunteer.get("/market", service="cleaning").json()
    assert [row["id"] for row in market["orders"]] == [order.pk]
    assert "address" not in market["orders"][0]

    with TestCase.captureOnCommitCallbacks(execute=True):
        claimed = volunteer.post(f"/orders/{order.pk}/claim").json()
    assert claimed["status"] == OrderStatus.CLAIMED
    assert claimed["address"] == welfare_elder.address
    assert [o["id"] for o in volunteer.get("/claims").json()["current"]] == [order.pk]

    with TestCase.captureOnCommitCallbacks(execute=True):
        monkeypatch.setattr(timezone, "now", lambda: START - timedelta(minutes=10))
        arrived = volunteer.post(
            f"/orders/{order.pk}/check-in", {"latitude": 23.12911, "longitude": 113.26436}
        )
        monkeypatch.setattr(timezone, "now", lambda: START + timedelta(minutes=125))
        left = volunteer.post(f"/orders/{order.pk}/check-out", {})
    assert arrived.status_code == 200, arrived.content
    assert left.json()["status"] == OrderStatus.DELIVERED
    assert left.json()["reported_minutes"] == 135

    mine = elder.get("/orders/mine").json()["orders"]
    assert [(o["id"], o["status"]) for o in mine] == [(order.pk, OrderStatus.DELIVERED)]
    with TestCase.captureOnCommitCallbacks(execute=True):
        confirmed = elder.post(f"/orders/{order.pk}/confirm")
    assert confirmed.json()["status"] == OrderStatus.COMPLETED
    assert elder.post(f"/orders/{order.pk}/rate", {"rating": 5}).json()["rating"] == 5

    assert volunteer.get("/credits").json() == {
        "balance": 2,
        "hours_served": 2,
        "carried_minutes": 15,
    }
    lines = volunteer.get("/credits/passbook").json()["lines"]
    earned = [line for line in lines if line["amount"] == 2]
    assert earned, lines
    assert earned[0]["text"] == "Earned for 135 minutes of service"
    assert earned[0]["about"]["label"] == f"Order {order.number} · Cleaning"
    notices = elder.get("/notifications").json()
    assert {"claimed", "completed"} <= {notice["kind"] for notice in notices}
