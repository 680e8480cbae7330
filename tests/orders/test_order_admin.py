"""Staff review in the admin: actions call the services; staff see their district only."""

from datetime import timedelta

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Permission
from django.urls import reverse

from orders import services
from orders.models import Order, OrderStatus
from tests.orders.conftest import START, place

pytestmark = pytest.mark.django_db
CHANGELIST = "admin:orders_order_changelist"


def run_action(client, action, orders, **extra):
    return client.post(
        reverse(CHANGELIST),
        {"action": action, ACTION_CHECKBOX_NAME: [o.pk for o in orders], **extra},
    )


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def test_review_queue_lists_orders_of_the_district(staff_client, submitted):
    response = staff_client.get(reverse(CHANGELIST), {"status__exact": "submitted"})

    assert list(response.context["cl"].result_list) == [submitted]


def test_staff_of_another_district_do_not_see_the_order(client, submitted, other_district_staff):
    other_district_staff.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="orders")
    )
    client.force_login(other_district_staff)

    listing = client.get(reverse(CHANGELIST))
    change = client.get(reverse("admin:orders_order_change", args=[submitted.pk]))

    assert list(listing.context["cl"].result_list) == []
    assert change.status_code == 302  # "does not exist" for them, never the order


def test_one_click_approves_many(staff_client, welfare_elder, cleaning):
    orders = [
        place(welfare_elder, cleaning),
        place(welfare_elder, cleaning, hours=1, starts_at=START + timedelta(days=1)),
    ]

    run_action(staff_client, "approve", orders)

    assert set(Order.objects.values_list("status", flat=True)) == {OrderStatus.PUBLISHED}


def test_reject_asks_for_a_reason_first(staff_client, submitted):
    response = run_action(staff_client, "reject", [submitted])

    assert response.status_code == 200
    assert 'name="reason"' in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == OrderStatus.SUBMITTED


def test_reject_with_a_reason_rejects_and_records_it(staff_client, submitted):
    run_action(staff_client, "reject", [submitted], confirm="1", reason="Outside service hours")

    submitted.refresh_from_db()
    assert submitted.status == OrderStatus.REJECTED
    assert submitted.events.last().note == "Outside service hours"


def test_refusals_are_reported_not_raised(staff_client, published):
    response = run_action(staff_client, "approve", [published])

    assert response.status_code == 302
    published.refresh_from_db()
    assert published.status == OrderStatus.PUBLISHED


def test_settling_a_dispute_credits_the_minutes(
    staff_client, delivered, welfare_elder, verified_volunteer
):
    services.dispute_order(delivered, by=welfare_elder.user, reason="Shorter visit")

    run_action(staff_client, "settle", [delivered], confirm="1", minutes="60", note="Agreed")

    delivered.refresh_from_db()
    assert delivered.status == OrderStatus.COMPLETED
    assert delivered.credited_minutes == 60


def test_orders_cannot_be_added_or_deleted_in_the_admin(staff_client, submitted):
    assert staff_client.get(reverse("admin:orders_order_add")).status_code == 403
    assert (
        staff_client.get(reverse("admin:orders_order_delete", args=[submitted.pk])).status_code
        == 403
    )
