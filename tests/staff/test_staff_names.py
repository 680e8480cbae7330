"""The staff site names in the reader's language what the database keeps as
codes or English text: audit actions, kinds of record, permissions, and
allauth's authenticators."""

import importlib
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.utils import translation
from django.utils.translation import gettext

from accounts import audit, labels
from accounts.models import AuditLog
from tests.conftest import admin_url, client_of
from tests.staff.test_audit_rows import approve_order, reject_order
from timebank.management.commands.seed_demo import STAFF_APPS
from timebank.translations import SCHEDULE_NAMES

# An action code given to `audit.record` or to `move(audit={"action": ...})`.
# or named once as a module constant commented as an audit action.
WRITTEN = re.compile(
    r'(?:record\(\s*[\w.]+,\s*|"action":\s*)"([a-z_]+\.[a-z_]+)"'
    r'|^[A-Z_]+ = "([a-z_]+\.[a-z_]+)"  # .*audit action',
    re.M,
)
LATIN = re.compile(r"[A-Za-z]")


def written_actions():
    """Every action code the code base can write to the audit log."""
    codes = set(audit.CREDENTIAL_ACTIONS)
    for app in [*STAFF_APPS, "timebank"]:
        for path in (Path(settings.BASE_DIR) / app).rglob("*.py"):
            if "migrations" not in path.parts:
                codes |= {a or b for a, b in WRITTEN.findall(path.read_text())}
    # Every add, change and delete in the staff site (`StaffModelAdmin`).
    for model, model_admin in admin.site._registry.items():
        if getattr(model_admin, "audit_edits", False):
            verbs = ("added", "changed", "deleted")
            codes |= {f"{model._meta.model_name}.{verb}" for verb in verbs}
    # Every status step (`accounts.status.move`, `<model>.<status>` unless named otherwise).
    for model in apps.get_models():
        if hasattr(model, "TRANSITIONS"):
            statuses = dict(model._meta.get_field("status").flatchoices)
            codes |= {f"{model._meta.model_name}.{status}" for status in statuses}
    return codes


def test_the_scan_finds_the_actions_written_by_name():
    assert {
        "order.approved",
        "order.settled",
        "transfer.reversed",
        "goods.stock_added",
        "elderprofile.viewed",
        "elderprofile.registered",
        "proxyauthorisation.requested",
        "proxyauthorisation.confirmed",
        "grant.proposed",
        "user.password_changed",
        "servicetype.changed",
        "eldercategory.verified",
    } <= written_actions()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_action_written_anywhere_has_a_name(language):
    with translation.override(language):
        named = {code: str(labels.action_label(code)) for code in written_actions()}

    assert [code for code, name in named.items() if name == code] == []
    if language == "zh-hans":
        assert {code: name for code, name in named.items() if LATIN.search(name)} == {}


def test_a_code_the_site_cannot_word_shows_as_it_is():
    assert labels.action_label("order.teleported") == "order.teleported"
    assert labels.action_label("spaceship.added") == "spaceship.added"
    assert labels.record_label("nowhere.nothing") == "nowhere.nothing"


def test_actions_read_in_each_language():
    with translation.override("zh-hans"):
        assert labels.action_label("order.approved") == "订单：已批准"
        assert labels.action_label("eldercategory.verified") == "长者类别：已审核通过"
        assert labels.record_label("orders.order") == "订单"
    with translation.override("en"):
        assert labels.action_label("order.approved") == "Order: approved"


def without_links(html):
    """The page as read: the codes in its links' addresses are for filtering, not reading."""
    return re.sub(r'href="[^"]*"', "", html)


def test_the_audit_list_names_actions_and_records_and_still_finds_codes(world):
    approve_order(world)
    reject_order(world)
    rejected = AuditLog.objects.get(action="order.rejected")
    client = client_of(world["users"]["staff_a"])
    changelist = admin_url("accounts_auditlog_changelist")

    page = without_links(client.get(changelist).content.decode())
    entry = without_links(
        client.get(admin_url("accounts_auditlog_change", rejected.pk)).content.decode()
    )
    found = client.get(changelist, {"q": "order.rejected"})

    for content in (page, entry):
        assert "订单：已驳回" in content and f"订单 {rejected.target_id}" in content
        assert "order.rejected" not in content and "orders.order" not in content
    assert "订单：已批准" in page  # the action filter offers each action by name
    assert [row.pk for row in found.context["cl"].result_list] == [rejected.pk]


def test_permissions_are_offered_in_the_readers_language(world):
    staff = world["users"]["staff_a"]
    url = admin_url("accounts_user_change", staff.pk)

    content = client_of(world["users"]["city"]).get(url).content.decode()

    assert "可以新增订单" in content and "可以查看审计日志条目" in content
    assert "Can add" not in content
    assert Permission.objects.filter(name="Can add order").exists()  # stored as Django made it


def test_a_groups_permissions_are_offered_in_the_readers_language(world):
    group = Group.objects.create(name="District staff")
    url = admin_url("auth_group_change", group.pk)

    content = client_of(world["users"]["city"]).get(url).content.decode()

    assert "可以新增订单" in content and "Can add" not in content


def test_allauth_authenticators_are_named_in_the_staff_sites_menu(world):
    content = client_of(world["users"]["city"]).get(admin_url("index")).content.decode()

    assert "身份验证器" in content and "Authenticators" not in content


def test_the_reauthentication_code_form_names_its_field(world):
    client = client_of(world["users"]["elder_a"])

    content = client.get("/zh-hans/accounts/reauthenticate/code/").content.decode()

    assert '<label for="id_recipient">验证码发送至</label>' in content
    assert "Recipient" not in content


@pytest.mark.parametrize(("language", "words"), [("zh-hans", "是否未知"), ("en", "YesNoUnknown")])
def test_yes_no_icons_speak_the_readers_language(language, words):
    from django.contrib.admin.utils import display_for_field, display_for_value
    from django.db import models

    with translation.override(language):
        shown = [
            display_for_field(True, models.BooleanField(), "-"),
            display_for_value(False, "-", boolean=True),
            display_for_field(None, models.BooleanField(null=True), "-"),
        ]

    alts = "".join(re.search(r'alt="([^"]*)"', html).group(1) for html in shown)
    assert alts == words


def schedules_our_migrations_make():
    """The names of the task schedules our migrations write (SCHEDULES, or one NAME)."""
    names = set()
    for app in STAFF_APPS:
        for path in sorted((Path(settings.BASE_DIR) / app / "migrations").glob("0*.py")):
            module = importlib.import_module(f"{app}.migrations.{path.stem}")
            names |= {name for name, *_rest in getattr(module, "SCHEDULES", [])}
            names |= {module.NAME} if isinstance(getattr(module, "NAME", None), str) else set()
    return names


def test_every_schedule_our_migrations_make_is_named_in_the_readers_language():
    """The staff site shows a stored schedule name through the catalogue: a new one
    left out of `timebank.translations.SCHEDULE_NAMES` would read in English."""
    names = schedules_our_migrations_make()

    assert len(names) >= 10 and names <= set(SCHEDULE_NAMES)
    with translation.override("zh-hans"):
        assert [name for name in names if gettext(name) == name] == []
