"""Background work: notices once, schedules safe to run late or twice."""

from datetime import timedelta
from importlib import import_module

import pytest
from django.db import OperationalError, transaction
from django_q.conf import Conf
from django_q.models import OrmQ, Schedule

import notifications.services
from accounts.models import TextMessage
from credits.services import wallet_of
from notifications.models import Notification, NotificationKind
from orders import services, tasks
from orders.models import OrderStatus
from tests.conftest import make_volunteer_profile
from tests.orders.conftest import BEFORE_START, START, place

# Transactional, so that notices queued with on_commit really go out.
pytestmark = pytest.mark.django_db(transaction=True)
S = OrderStatus


def test_approval_notifies_the_elder_and_proxy_once_even_if_the_task_runs_twice(
    published, welfare_elder, proxy_authorisation, proxy
):
    tasks.notify_order(published.pk, "approved")  # the queue delivered it a second time

    notices = Notification.objects.filter(subject_id=published.pk, kind=NotificationKind.APPROVED)
    assert sorted(n.recipient_id for n in notices) == sorted([welfare_elder.user_id, proxy.pk])
    assert TextMessage.objects.filter(recipient=welfare_elder.user.phone).count() == 1


def test_a_notice_whose_text_was_not_sent_is_posted_again_with_its_text(
    submitted, staff, welfare_elder, monkeypatch
):
    published = services.approve_order(submitted, by=staff)
    Notification.objects.all().delete()
    TextMessage.objects.all().delete()

    def worker_dies(*args, **kwargs):
        raise SystemExit("killed between the notice and the text")

    monkeypatch.setattr(notifications.services, "send_text_message", worker_dies)
    with pytest.raises(SystemExit):
        tasks.notify_order(published.pk, "approved")
    monkeypatch.undo()
    tasks.notify_order(published.pk, "approved")  # the queue runs the task again

    assert Notification.objects.filter(kind=NotificationKind.APPROVED).count() == 1
    assert TextMessage.objects.filter(recipient=welfare_elder.user.phone).count() == 1


@pytest.fixture
def database_broker(monkeypatch):
    """Queue tasks as in production: rows for the cluster, not run inline."""
    assert Conf.ORM
    monkeypatch.setattr(Conf, "SYNC", False)


def test_the_task_rows_are_written_in_the_transaction_of_the_change(
    submitted, staff, database_broker
):
    with transaction.atomic():
        services.approve_order(submitted, by=staff)
        queued = OrmQ.objects.count()

    assert queued == 2  # the notice to the elder's side and the volunteers' digest


def test_an_order_is_not_approved_if_its_notice_cannot_be_queued(
    submitted, staff, database_broker, monkeypatch
):
    def database_gone(*args):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(notifications.services, "async_task", database_gone)
    with pytest.raises(OperationalError):
        services.approve_order(submitted, by=staff)

    submitted.refresh_from_db()
    assert submitted.status == S.SUBMITTED


def test_text_messages_name_the_service_but_not_the_address(published, welfare_elder):
    body = TextMessage.objects.get(recipient=welfare_elder.user.phone).body

    assert "助洁服务" in body
    assert welfare_elder.address not in body


def test_new_orders_reach_volunteers_of_that_district_and_skill_as_one_digest(
    welfare_elder, cleaning, staff, verified_volunteer, other_volunteer, haizhu
):
    verified_volunteer.volunteer_profile.serve_districts.add(welfare_elder.district)
    verified_volunteer.volunteer_profile.skills.add(cleaning)
    elsewhere = make_volunteer_profile(other_volunteer, haizhu, sequence="199")
    elsewhere.serve_districts.add(haizhu)
    elsewhere.skills.add(cleaning)

    for hour in (0, 3):
        order = place(welfare_elder, cleaning, starts_at=START + timedelta(hours=hour))
        services.approve_order(order, by=staff)

    digests = Notification.objects.filter(kind=NotificationKind.NEW_ORDERS)
    assert [n.recipient for n in digests] == [verified_volunteer]


def test_reminders_go_to_both_sides_a_day_ahead_once(claimed, welfare_elder, verified_volunteer):
    tasks.send_reminders(now=START - timedelta(hours=25))
    assert not Notification.objects.filter(kind=NotificationKind.REMINDER).exists()

    tasks.send_reminders(now=START - timedelta(hours=23))
    tasks.send_reminders(now=START - timedelta(hours=22))

    reminded = Notification.objects.filter(kind=NotificationKind.REMINDER)
    assert sorted(n.recipient_id for n in reminded) == sorted(
        [welfare_elder.user_id, verified_volunteer.pk]
    )


def test_expiry_schedule_is_set_based_and_idempotent(published, submitted):
    tasks.expire_due_orders(now=START)
    tasks.expire_due_orders(now=START + timedelta(minutes=5))

    published.refresh_from_db()
    assert published.status == S.EXPIRED
    assert published.events.filter(to_status=S.EXPIRED).count() == 1


def test_auto_completion_schedule_completes_only_due_orders(delivered):
    tasks.auto_complete_due_orders(now=delivered.checked_out_at + timedelta(hours=71))
    delivered.refresh_from_db()
    assert delivered.status == S.DELIVERED

    tasks.auto_complete_due_orders(now=delivered.checked_out_at + timedelta(hours=72))
    tasks.auto_complete_due_orders(now=delivered.checked_out_at + timedelta(hours=80))
    delivered.refresh_from_db()
    assert delivered.status == S.COMPLETED
    assert delivered.events.filter(to_status=S.COMPLETED).count() == 1


def test_over_reported_order_the_elder_never_confirms_goes_to_staff_then_is_paid(
    claimed, verified_volunteer, staff
):
    services.check_in(claimed, now=START, by=verified_volunteer)
    order = services.check_out(claimed, now=START + timedelta(minutes=151), by=verified_volunteer)

    tasks.auto_complete_due_orders(now=order.checked_out_at + timedelta(hours=72))

    order.refresh_from_db()
    assert order.status == S.DISPUTED
    assert "151" in order.needs_review
    assert wallet_of(verified_volunteer).balance == 0
    services.settle_dispute(order, by=staff, minutes=150)
    assert wallet_of(verified_volunteer).balance == 2


def test_flags_for_unclaimed_and_no_show_orders(
    published, welfare_elder, cleaning, staff, verified_volunteer
):
    tasks.flag_orders(now=START - timedelta(hours=25))
    published.refresh_from_db()
    assert published.flagged_unclaimed_at is None

    tasks.flag_orders(now=START - timedelta(hours=23))
    published.refresh_from_db()
    assert published.flagged_unclaimed_at is not None

    later = services.approve_order(
        place(welfare_elder, cleaning, starts_at=START + timedelta(hours=3)), by=staff
    )
    services.claim_order(later, now=BEFORE_START, by=verified_volunteer)
    tasks.flag_orders(now=later.starts_at + timedelta(minutes=29))
    later.refresh_from_db()
    assert later.flagged_no_show_at is None
    tasks.flag_orders(now=later.starts_at + timedelta(minutes=31))
    later.refresh_from_db()
    assert later.flagged_no_show_at is not None


@pytest.mark.django_db
def test_schedules_are_created_and_recreating_them_adds_none():
    # Transactional tests elsewhere empty the table, so run the migration's step here.
    from django.apps import apps

    create_schedules = import_module("orders.migrations.0003_schedules").create_schedules
    create_schedules(apps, None)
    create_schedules(apps, None)

    names = list(Schedule.objects.values_list("func", flat=True))
    assert len(names) == len(set(names))

    assert {
        "orders.tasks.expire_due_orders",
        "orders.tasks.auto_complete_due_orders",
        "orders.tasks.flag_orders",
        "orders.tasks.send_reminders",
    } <= set(names)
