"""The demo server runs the due schedules itself: no worker is needed."""

from datetime import timedelta
from importlib import import_module

import pytest
from django.apps import apps
from django.utils import timezone
from django_q.models import Schedule

from orders import services
from orders.models import Order, OrderStatus
from tests.orders.conftest import place
from timebank.management.commands import demo_server

pytestmark = pytest.mark.django_db


@pytest.fixture
def expiry_schedule():
    """The migration's schedules (transactional tests elsewhere empty the table)."""
    import_module("orders.migrations.0003_schedules").create_schedules(apps, None)
    return Schedule.objects.get(func="orders.tasks.expire_due_orders")


@pytest.fixture
def order_past_its_start(welfare_elder, cleaning, staff):
    """A published order nobody claimed, whose start time passed a minute ago."""
    order = services.approve_order(place(welfare_elder, cleaning), by=staff)
    Order.objects.filter(pk=order.pk).update(starts_at=timezone.now() - timedelta(minutes=1))
    return order


def test_an_order_left_unclaimed_expires_at_its_start_time_without_a_worker(
    order_past_its_start, expiry_schedule
):
    Schedule.objects.filter(pk=expiry_schedule.pk).update(next_run=timezone.now())

    demo_server.run_due_schedules()

    order_past_its_start.refresh_from_db()
    assert order_past_its_start.status == OrderStatus.EXPIRED


def test_a_schedule_not_yet_due_waits(order_past_its_start, expiry_schedule):
    Schedule.objects.filter(pk=expiry_schedule.pk).update(
        next_run=timezone.now() + timedelta(minutes=5)
    )

    demo_server.run_due_schedules()

    order_past_its_start.refresh_from_db()
    assert order_past_its_start.status == OrderStatus.PUBLISHED


def test_the_serving_process_starts_the_schedules_thread(monkeypatch):
    started = []
    monkeypatch.setattr(
        demo_server.RunserverCommand, "inner_run", lambda self, *a, **o: started.append("server")
    )
    monkeypatch.setattr(demo_server, "run_schedules_forever", lambda: started.append("schedules"))

    demo_server.Command().inner_run()

    assert sorted(started) == ["schedules", "server"]
