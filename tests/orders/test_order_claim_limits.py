"""A volunteer claims at most CLAIMS_PER_HOUR orders an hour, even in parallel."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from orders import services
from orders.models import Order, OrderEvent, OrderStatus
from orders.services import CLAIMS_PER_HOUR, OrderError
from tests.orders.conftest import BEFORE_START, START, place


def open_orders(elder_profile, service_type, staff, count):
    """Published orders three hours apart, so no two overlap."""
    return [
        services.approve_order(
            place(elder_profile, service_type, starts_at=START + timedelta(hours=3 * i)), by=staff
        )
        for i in range(count)
    ]


def test_claim_beyond_the_hourly_limit_is_refused(
    english, welfare_elder, cleaning, staff, verified_volunteer
):
    orders = open_orders(welfare_elder, cleaning, staff, CLAIMS_PER_HOUR + 1)
    for order in orders[:-1]:
        services.claim_order(order, now=BEFORE_START, by=verified_volunteer)

    with pytest.raises(OrderError, match="in the last hour"):
        services.claim_order(orders[-1], now=BEFORE_START, by=verified_volunteer)

    assert Order.objects.get(pk=orders[-1].pk).status == OrderStatus.PUBLISHED


def test_claims_older_than_an_hour_do_not_count(welfare_elder, cleaning, staff, verified_volunteer):
    orders = open_orders(welfare_elder, cleaning, staff, CLAIMS_PER_HOUR + 1)
    for order in orders[:-1]:
        services.claim_order(order, now=BEFORE_START, by=verified_volunteer)
    OrderEvent.objects.filter(to_status=OrderStatus.CLAIMED).update(
        created_at=timezone.now() - timedelta(minutes=61)
    )

    services.claim_order(orders[-1], now=BEFORE_START, by=verified_volunteer)

    assert Order.objects.get(pk=orders[-1].pk).volunteer == verified_volunteer


def test_released_claims_count_towards_the_limit(
    english, welfare_elder, cleaning, staff, verified_volunteer
):
    order, last = open_orders(welfare_elder, cleaning, staff, 2)
    for _ in range(CLAIMS_PER_HOUR):
        services.claim_order(order, now=BEFORE_START, by=verified_volunteer)
        services.release_claim(order, by=verified_volunteer)

    with pytest.raises(OrderError, match="in the last hour"):
        services.claim_order(last, now=BEFORE_START, by=verified_volunteer)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_claims_by_one_volunteer_never_pass_the_limit(
    welfare_elder, cleaning, staff, verified_volunteer
):
    orders = open_orders(welfare_elder, cleaning, staff, CLAIMS_PER_HOUR + 6)
    barrier = threading.Barrier(len(orders))
    refusals = []

    def claim(order):
        try:
            barrier.wait()
            services.claim_order(order, now=BEFORE_START, by=verified_volunteer)
        except OrderError as error:
            refusals.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=claim, args=(order,)) for order in orders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert Order.objects.filter(volunteer=verified_volunteer).count() == CLAIMS_PER_HOUR
    assert len(refusals) == 6
