"""A database of the layout before `catalogue` and `notifications` upgrades in place.

The test database is taken back to the migrations of that layout, filled
through the models as they were then (service types and notifications in
`orders`), and migrated forward: every row must come through, read by the
models of today. It runs on PostgreSQL and SQLite alike, and leaves the
database at the latest migrations whatever happens, for the tests after it.
"""

import datetime

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from accounts.models import Qualification, ServiceOrganisation, User, VolunteerProfile
from catalogue.models import ServiceType
from notifications.models import Notification
from orders.models import Order

pytestmark = pytest.mark.django_db(transaction=True)

# The last migrations of each app before the catalogue and notifications had apps of their own.
BEFORE = [
    ("accounts", "0008_schedules"),
    ("credits", "0006_policy_working_calendar"),
    ("orders", "0005_drop_unused_notice_kind"),
    ("rewards", "0003_redemption_request_key"),
    ("catalogue", None),
    ("notifications", None),
    ("series", None),
    ("api", None),
]
STARTS_AT = timezone.make_aware(datetime.datetime(2030, 6, 10, 9, 0))


def migrate(targets=None):
    """Migrate the test database to `targets` (the latest migrations by default); its apps."""
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    targets = targets or latest
    executor.migrate(targets)
    executor.loader.build_graph()
    # The other apps (auth, admin, contenttypes...) stay at their latest.
    moved = {app for app, _name in targets}
    nodes = [(app, name) for app, name in targets if name is not None]
    nodes += [(app, name) for app, name in latest if app not in moved]
    return executor.loader.project_state(nodes).apps


@pytest.fixture
def old_apps():
    """The models as they were before; the latest migrations again afterwards, come what may."""
    try:
        yield migrate(BEFORE)
    finally:
        migrate()


def fill(apps):
    """One of each row the move touches, written through the models of the old layout."""
    District = apps.get_model("accounts", "District")
    Street = apps.get_model("accounts", "Street")
    User = apps.get_model("accounts", "User")
    ServiceType = apps.get_model("orders", "ServiceType")
    district = District.objects.create(code="yuexiu", name_zh="越秀区", name_en="Yuexiu")
    street = Street.objects.create(district=district, name_zh="北京街", name_en="Beijing Jie")
    cleaning = ServiceType.objects.create(
        code="cleaning", kind="general", name_zh="助洁服务", name_en="Cleaning", description=""
    )
    nursing = ServiceType.objects.create(
        code="nursing", kind="professional", name_zh="护理", name_en="Nursing", description=""
    )
    elder = User.objects.create(phone="+8613900000001", name="Chen Elder", password="!")
    volunteer = User.objects.create(phone="+8613900000003", name="Li Volunteer", password="!")
    # Each profile's number is held by its account (a two-column foreign key on PostgreSQL).
    identities = apps.get_model("accounts", "ResidentIdentity").objects
    identities.create(number="440104195001010011", user=elder)
    identities.create(number="440104199001010022", user=volunteer)
    elder_profile = apps.get_model("accounts", "ElderProfile").objects.create(
        user=elder,
        registered_by=elder,
        street=street,
        real_name="陈老人",
        id_number="440104195001010011",
        phone="+8613900000001",
        address="1 Beijing Road",
        emergency_contact_name="陈女儿",
        emergency_contact_phone="+8613900000002",
        birth_date=datetime.date(1950, 1, 1),
        district=district,
    )
    volunteer_profile = apps.get_model("accounts", "VolunteerProfile").objects.create(
        user=volunteer,
        real_name="李志愿",
        id_number="440104199001010022",
        health_declared=True,
        birth_date=datetime.date(1990, 1, 1),
        district=district,
    )
    volunteer_profile.skills.set([cleaning, nursing])
    apps.get_model("accounts", "Qualification").objects.create(
        holder=volunteer,
        service_type=nursing,
        certificate_number="RN-1",
        expires_on=datetime.date(2031, 1, 1),
        district=district,
    )
    organisation = apps.get_model("accounts", "ServiceOrganisation").objects.create(
        name="Yuexiu Care", licence_number="ORG-1", coordinator=volunteer, district=district
    )
    organisation.service_types.set([nursing])
    order = apps.get_model("orders", "Order").objects.create(
        elder=elder_profile,
        placed_by=elder,
        service_type=cleaning,
        starts_at=STARTS_AT,
        ends_at=STARTS_AT + datetime.timedelta(hours=2),
        booked_hours=2,
        district=district,
        street=street,
        address_detail="1 Beijing Road",
        funding="welfare",
    )
    Notification = apps.get_model("orders", "Notification")
    Notification.objects.create(
        recipient=elder, kind="approved", topic=f"order:{order.pk}", order=order
    )
    Notification.objects.create(
        recipient=volunteer, kind="new_orders", topic="digest:2030-06-09T09"
    )
    return {"order": order.pk, "cleaning": cleaning.pk, "nursing": nursing.pk}


def grant_and_log(apps, ids):
    """A permission on service types held by someone, and an admin log entry about one."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    service_type = ContentType.objects.get(app_label="orders", model="servicetype")
    volunteer = apps.get_model("accounts", "User").objects.get(name="Li Volunteer")
    permission = apps.get_model("auth", "Permission").objects.get(
        content_type=service_type, codename="change_servicetype"
    )
    volunteer.user_permissions.add(permission)
    apps.get_model("admin", "LogEntry").objects.create(
        user=volunteer,
        content_type=service_type,
        object_id=str(ids["cleaning"]),
        object_repr="Cleaning",
        action_flag=CHANGE,
        change_message="[]",
    )


@pytest.mark.long
def test_a_database_of_the_old_layout_upgrades_with_every_row_intact(old_apps):
    ids = fill(old_apps)
    grant_and_log(old_apps, ids)

    migrate()

    assert sorted(ServiceType.objects.values_list("code", flat=True)) == ["cleaning", "nursing"]
    order = Order.objects.select_related("service_type").get(pk=ids["order"])
    assert order.service_type.code == "cleaning"
    volunteer = User.objects.get(name="Li Volunteer")
    skills = VolunteerProfile.objects.get(user=volunteer).skills
    assert sorted(skills.values_list("code", flat=True)) == ["cleaning", "nursing"]
    assert Qualification.objects.get(holder=volunteer).service_type_id == ids["nursing"]
    organisation = ServiceOrganisation.objects.get()
    assert list(organisation.service_types.values_list("code", flat=True)) == ["nursing"]

    order_notice = Notification.objects.get(kind="approved")
    assert order_notice.subject == order
    assert order_notice.topic == order.reference
    digest = Notification.objects.get(kind="new_orders")
    assert digest.subject is None
    assert digest.recipient == volunteer

    service_type = ContentType.objects.get_for_model(ServiceType)
    assert service_type.app_label == "catalogue"
    assert not ContentType.objects.filter(app_label="orders", model="servicetype").exists()
    assert ContentType.objects.get_for_model(Notification).app_label == "notifications"
    permission = Permission.objects.get(codename="change_servicetype")
    assert permission.content_type == service_type
    assert volunteer.has_perm("catalogue.change_servicetype")
    assert LogEntry.objects.get().get_edited_object() == ServiceType.objects.get(code="cleaning")


@pytest.mark.long
def test_the_move_can_be_undone(old_apps):
    """Back to the old layout and forward again: the rows go back where they were."""
    ids = fill(old_apps)
    migrate()

    old = migrate(BEFORE)

    notice = old.get_model("orders", "Notification").objects.get(kind="approved")
    assert notice.order_id == ids["order"]
    assert old.get_model("orders", "ServiceType").objects.count() == 2
