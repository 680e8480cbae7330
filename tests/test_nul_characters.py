"""A NUL character in a parameter is a bad request, not a server error.

PostgreSQL text cannot hold NUL: an admin search or list filter, or a reason
stored without a form, used to fail inside the query with a 500.
"""

import pytest


@pytest.mark.parametrize(
    "query",
    [{"q": "a\x00b"}, {"kind__exact": "\x00"}, {"o": "1", "\x00": "x"}],
)
def test_a_nul_in_an_admin_list_query_is_a_bad_request(client, world, query):
    client.force_login(world["users"]["city"])

    response = client.get("/zh-hans/admin/orders/notification/", query)

    assert response.status_code == 400
    assert response["X-Frame-Options"] == "DENY"


def test_a_nul_in_a_posted_reason_is_a_bad_request_and_stores_nothing(client, world):
    order = world["order"]
    client.force_login(world["users"]["elder_a"])

    response = client.post(f"/zh-hans/orders/{order.pk}/cancel/", {"reason": "ill\x00"})

    assert response.status_code == 400
    order.refresh_from_db()
    assert order.status == "claimed"
