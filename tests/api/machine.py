"""Machine clients of the API: a registered client with its key, and completed services to read."""

import datetime

from api.clients import register_client
from api.models import ApiClient
from orders.models import Funding, Order, OrderStatus
from orders.services import confirm_order
from tests.api.conftest import ApiClient as PersonClient
from tests.orders.conftest import START


def make_api_client(district=None, *, by=None, name="City registry", **flags):
    """(row, key) of a client registered as staff register one."""
    client = ApiClient(
        name=name,
        organisation="Civil Affairs Bureau",
        purpose="Volunteer service records for the city registry",
        district=district,
        **flags,
    )
    key = register_client(client, by=by)
    return client, key


class KeyClient(PersonClient):
    """JSON requests to /api/v1/ with an API key (or none, or any header)."""

    def __init__(self, key=None, *, authorization=None):
        super().__init__(kind="anonymous")
        if key is not None:
            self.headers["Authorization"] = f"Bearer {key}"
        if authorization is not None:
            self.headers["Authorization"] = authorization


def delivered_order(elder_profile, volunteer, service_type, *, day=0, minutes=60):
    """A visit served and checked out on day `day` after START, waiting for the elder's word.

    Built as rows: a hundred of them through every step would take the
    test's time, and only the completion is under test.
    """
    starts_at = START + datetime.timedelta(days=day)
    return Order.objects.create(
        elder=elder_profile,
        placed_by=elder_profile.user,
        service_type=service_type,
        starts_at=starts_at,
        booked_hours=1,
        district=elder_profile.district,
        street=elder_profile.street,
        address_detail="77 Canary Lane",
        funding=Funding.WELFARE,
        status=OrderStatus.DELIVERED,
        volunteer=volunteer,
        published_at=starts_at - datetime.timedelta(days=2),
        claimed_at=starts_at - datetime.timedelta(days=1),
        checked_in_at=starts_at,
        checked_out_at=starts_at + datetime.timedelta(minutes=minutes),
        reported_minutes=minutes,
    )


def completed_order(elder_profile, volunteer, service_type, *, day=0, minutes=60):
    order = delivered_order(elder_profile, volunteer, service_type, day=day, minutes=minutes)
    return confirm_order(order, by=elder_profile.user)
