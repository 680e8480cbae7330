"""Admin writes: no staff member reaches beyond their area or role by posting ids.

The access matrix proves reads by id. This walks every model admin of the
site, so a new one is covered the day it is registered, and for staff of A's
district, of A's street and of the city:

- every add and change form they may open is first posted as it stands
  (filled where empty), which must save, and be rolled back; so the form
  posted is a valid one, and a refusal below is the scope's doing;
- then posted again with one foreign key, raw id, many-to-many or area field
  set to a row outside their area (Haizhu's, or the other street's), once per
  such row: each attempt must be refused and write nothing at all;
- the change form of a row outside their area, and every admin action on
  such rows, must write nothing either.

"Write nothing" is checked on every table: rows, the audit log, balances.
"""

import datetime
import html.parser
import itertools

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django import forms
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation

from accounts.models import District, Street, covers
from credits.keys import key_id_of, public_key_text
from tests.conftest import make_id_number
from tests.db_writes import Writes, all_models
from tests.staff.admin_world import build_haizhu, make_city_staff, outside_of_street

# Every model admin of the site, by what it holds; a new admin fails the test
# until it is put here, and the kind says what its forms must refuse.
SCOPED = "people's data, scoped to the area"
CITY = "city-wide data: city staff change it, others read it"
ADMINISTRATORS = "city administrators only"
READ_ONLY = "read-only for everyone; changes go through actions"
ADMINS = {
    "accounts.user": SCOPED,
    "accounts.textmessage": READ_ONLY,
    "accounts.district": CITY,
    "accounts.street": CITY,
    "accounts.community": CITY,
    "accounts.elderprofile": SCOPED,
    "accounts.eldercategory": SCOPED,
    "accounts.volunteerprofile": SCOPED,
    "accounts.qualification": SCOPED,
    "accounts.serviceorganisation": SCOPED,
    "accounts.proxyauthorisation": SCOPED,
    "accounts.relativelink": SCOPED,
    "accounts.staffscope": ADMINISTRATORS,
    "accounts.auditlog": READ_ONLY,
    "accounts.idclash": READ_ONLY,
    "catalogue.servicetype": CITY,
    "orders.order": READ_ONLY,
    "series.series": READ_ONLY,
    "notifications.notification": READ_ONLY,
    "credits.account": READ_ONLY,
    "credits.transfer": READ_ONLY,
    "credits.hold": READ_ONLY,
    "credits.servicerecord": READ_ONLY,
    "credits.policy": CITY,
    "credits.trustedplatform": CITY,
    "credits.carriedstatement": READ_ONLY,
    "rewards.pickupstation": SCOPED,
    "rewards.goods": SCOPED,
    "rewards.redemption": READ_ONLY,
    "rewards.project": CITY,
    "rewards.grant": SCOPED,
    "rewards.starnotice": READ_ONLY,
    "rewards.objection": READ_ONLY,
    "rewards.certificate": READ_ONLY,
    "rewards.certificateissuer": SCOPED,
    "api.apiclient": SCOPED,
    "api.disclosedread": READ_ONLY,
    "auth.group": ADMINISTRATORS,
    "account.emailaddress": ADMINISTRATORS,
    "mfa.authenticator": ADMINISTRATORS,
    "django_q.success": ADMINISTRATORS,
    "django_q.failure": ADMINISTRATORS,
    "django_q.schedule": ADMINISTRATORS,
    "django_q.ormq": ADMINISTRATORS,
}
# Models whose every row any staff member may choose (no area, no person).
CITY_WIDE_CHOICES = {"catalogue.servicetype", "auth.group", "auth.permission"}
# What each action's intermediate form asks for, all at once.
ACTION_ANSWERS = {
    "confirm": "1",
    "post": "yes",
    "reason": "Matrix",
    "minutes": "60",
    "note": "Matrix",
    "quantity": "1",
    "sponsor": "Matrix",
}
# A login or a visit writes the session; that is not the form's doing.
WATCHED = all_models(skipped={"sessions.session"})


def watch():
    return Writes(WATCHED)


def changed_tables(writes):
    return sorted(model._meta.label_lower for model in writes.tables())


class FormFields(html.parser.HTMLParser):
    """The values a browser would post from the admin's change form."""

    def __init__(self, form_id):
        super().__init__()
        self.form_id = form_id
        self.inside = False
        self.data = {}
        self.select = None
        self.textarea = None

    def add(self, name, value):
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside or "disabled" in attrs:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in {"checkbox", "radio"}:
                if "checked" in attrs:
                    self.add(name, attrs.get("value", "on"))
                else:
                    self.data.setdefault(name, [])
            elif kind not in {"file", "submit", "button"}:
                self.add(name, attrs.get("value", ""))
        elif tag == "select" and name:
            self.select = name
            self.data.setdefault(name, [])
        elif tag == "option" and self.select and "selected" in attrs:
            self.add(self.select, attrs.get("value", ""))
        elif tag == "textarea" and name:
            self.textarea = name
            self.add(name, "")

    def handle_data(self, data):
        if self.textarea:
            self.data[self.textarea][-1] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None
        elif tag == "form":
            self.inside = False


def parse_form(response, model):
    parser = FormFields(f"{model._meta.model_name}_form")
    parser.feed(response.content.decode())
    return parser.data


_unique = itertools.count(1)


def filler(field):
    """A valid value for an empty required field of the kinds our admin forms have."""
    number = next(_unique)
    if isinstance(field, forms.ModelMultipleChoiceField):
        return [str(field.queryset.first().pk)]
    if isinstance(field, forms.ModelChoiceField):
        return [str(field.queryset.first().pk)]
    if isinstance(field, forms.ChoiceField):
        # The last choice: the world's rows take the first ones (A's category).
        return [[str(value) for value, _label in field.choices if value not in ("", None)][-1]]
    if isinstance(field, forms.BooleanField):
        return ["on"]
    if isinstance(field, forms.DateField):
        return ["2031-01-01"]
    if isinstance(field, forms.IntegerField | forms.DecimalField):
        return [str(max(field.min_value or 1, 1))]
    if isinstance(field, forms.EmailField):
        return [f"matrix{number}@example.org"]
    if isinstance(field, forms.SlugField):
        return [f"matrix-{number}"]
    if "password" in field.widget.__class__.__name__.lower():
        return ["a-long-matrix-password-1"]
    if "phone" in type(field).__name__.lower() or "Mobile" in type(field).__name__:
        return [f"1390000{number:04d}"]
    return [f"Matrix {number}"]


def request_as(user):
    request = RequestFactory().get("/")
    request.user = user or AnonymousUser()
    return request


def admin_url(model, view, *args):
    with translation.override("zh-hans"):
        return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def world(world):
    """The shared world, with elder B's side of the city built as fully as A's."""
    haizhu = build_haizhu(world)
    world["users"]["city_staff"] = make_city_staff()
    world["outside"] = {
        "staff_a": haizhu,
        "staff_street_a": outside_of_street(world, haizhu),
        "city_staff": {},
    }
    return world


def registry():
    return sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label_lower)


def test_every_model_admin_of_the_site_is_in_the_matrix():
    assert {model._meta.label_lower for model, _ in registry()} == set(ADMINS)


def posted(client, url, data):
    """POST `data`; True if it saved (a redirect away from the form)."""
    response = client.post(url, data)
    assert response.status_code < 500, f"{url} answered {response.status_code}"
    return response.status_code == 302 and "/login/" not in response.url


def errors_in(response):
    context = response.context or {}
    form = context.get("adminform")
    return form.form.errors if form is not None else response.status_code


def in_savepoint(call):
    with transaction.atomic():
        result = call()
        transaction.set_rollback(True)
    return result


def foreign_fields(model_admin, request, obj, data):
    """(name, related model) of the posted fields that choose rows of another model."""
    form = model_admin.get_form(request, obj, change=obj is not None)
    for name, field in form.base_fields.items():
        if name in data and isinstance(field, forms.ModelChoiceField):
            yield name, field.queryset.model


def outside_rows(world, persona, related):
    outside = world["outside"][persona]
    if not outside:
        return []  # city staff: every row of people's data is theirs
    label = related._meta.label_lower
    assert related in outside or label in CITY_WIDE_CHOICES, (
        f"{label} is chosen in an admin form: add rows of it outside the area to admin_world, "
        "or list it as city-wide"
    )
    return outside.get(related, [])


# Who a new record of the world is about: people of A's street with a profile
# where one is needed, and no open request between them yet.
PEOPLE = {
    "holder": "vol_a",
    "requester": "vol_a",
    "relative": "vol_other",
    "proxy": "vol_other",
    "user": "proxy_a",
    "coordinator": "vol_a",
}
# Values a new record needs that no generic filler guesses.
MATRIX_KEY = Ed25519PrivateKey.from_private_bytes(bytes(32)).public_key()  # a platform's
VALUES = {
    "id_number": make_id_number(datetime.date(1985, 1, 1), sequence="901"),
    "health_declared": "on",
    "email": "new.account@example.org",
    "public_key": public_key_text(MATRIX_KEY),
    "key_id": key_id_of(MATRIX_KEY),
}


def complete(world, model_admin, request, obj, data):
    """The form as parsed, with its empty required fields filled."""
    form = model_admin.get_form(request, obj, change=obj is not None)
    data = dict(data)
    for name, field in form.base_fields.items():
        if name in VALUES and name in data and obj is None:
            data[name] = [VALUES[name]]
        if not field.required or any(v.strip() for v in data.get(name, [])) or name not in data:
            continue
        if name in PEOPLE:
            data[name] = [str(world["users"][PEOPLE[name]].pk)]
        else:
            data[name] = filler(field)
    return data


def attack_form(client, world, persona, model, model_admin, url, obj):
    """Post the form valid, then once per field and outside row; returns what was checked."""
    request = request_as(world["users"][persona])
    may_write = (
        model_admin.has_change_permission(request, obj)
        if obj is not None
        else model_admin.has_add_permission(request)
    )
    response = client.get(url)
    if not may_write or response.status_code != 200:
        before = watch()
        assert client.post(url, {"name": "Taken"}).status_code in (302, 403)
        assert changed_tables(before) == [], f"{persona} wrote through {url}"
        return 0
    data = complete(world, model_admin, request, obj, parse_form(response, model))
    response = in_savepoint(lambda: client.post(url, data))
    assert response.status_code == 302, (
        f"{persona}: the form of {url} does not save, so attacks would prove nothing: "
        f"{errors_in(response)}"
    )
    attempts = 0
    for name, related in foreign_fields(model_admin, request, obj, data):
        for row in outside_rows(world, persona, related):
            attempt = {**data, name: [str(row.pk)]}
            before = watch()
            assert not posted(client, url, attempt), f"{persona} set {url} {name}={row!r}"
            assert changed_tables(before) == [], f"{persona}: {url} {name}={row!r} wrote"
            attempts += 1
    return attempts


ATTACKERS = ["staff_a", "staff_street_a", "city_staff"]


@pytest.mark.long
@pytest.mark.parametrize("persona", ATTACKERS)
def test_no_admin_form_accepts_an_id_from_outside_the_staff_members_area(world, persona):
    client = Client()
    client.force_login(world["users"][persona])
    attempts = 0
    for model, model_admin in registry():
        attempts += attack_form(
            client, world, persona, model, model_admin, admin_url(model, "add"), None
        )
        mine = world["objects"].get(model) or model._default_manager.order_by("pk").first()
        if mine is not None:
            url = admin_url(model, "change", mine.pk)
            attempts += attack_form(client, world, persona, model, model_admin, url, mine)
    if persona != "city_staff":
        assert attempts > 50  # the matrix attacked, it did not walk past every form


@pytest.mark.parametrize("persona", ATTACKERS)
def test_no_change_form_or_action_writes_a_row_outside_the_area(world, persona):
    client = Client()
    client.force_login(world["users"][persona])
    request = request_as(world["users"][persona])
    for model, model_admin in registry():
        kind = ADMINS[model._meta.label_lower]
        rows = world["outside"][persona].get(model, [])
        if kind == SCOPED and persona != "city_staff":
            assert rows, f"admin_world has no {model._meta.label_lower} outside {persona}'s area"
        for row in rows:
            url = admin_url(model, "change", row.pk)
            if kind in (SCOPED, READ_ONLY):
                # Not even the page: a row they may not see is one they cannot change.
                assert client.get(url).status_code in (302, 403, 404), f"{persona} opened {row!r}"
            before = watch()
            answer = client.post(url, {"name": "Taken", "status": "verified"})
            assert answer.status_code in (302, 403, 404)  # Django: "does not exist", to the index
            assert changed_tables(before) == [], f"{persona} changed {row!r}"
        for action in model_admin.get_actions(request):
            before = watch()
            response = client.post(
                admin_url(model, "changelist"),
                {
                    "action": action,
                    ACTION_CHECKBOX_NAME: [str(row.pk) for row in rows],
                    "index": "0",
                    **ACTION_ANSWERS,
                },
            )
            assert response.status_code < 500
            assert changed_tables(before) == [], f"{persona}: {model} {action} wrote"


@pytest.mark.parametrize("persona", ["staff_a", "staff_street_a"])
def test_city_and_administrator_data_is_read_only_below_the_city(world, persona):
    """Add and change are refused (403) to district and street staff; reading stays open."""
    client = Client()
    client.force_login(world["users"][persona])
    for model, _model_admin in registry():
        kind = ADMINS[model._meta.label_lower]
        if kind not in (CITY, ADMINISTRATORS):
            continue
        row = model._default_manager.order_by("pk").first()
        before = watch()
        assert client.post(admin_url(model, "add"), {}).status_code == 403
        if row is not None:
            answer = client.post(admin_url(model, "change", row.pk), {}).status_code
            assert answer in (302, 403)
        assert changed_tables(before) == []
        if row is not None and kind == CITY:
            assert client.get(admin_url(model, "change", row.pk)).status_code == 200


def test_rows_added_by_area_staff_take_the_area_of_their_subject(world):
    """A posted district or street is never taken: the row is filed where its subject lives."""
    staff = world["users"]["staff_a"]
    client = Client()
    client.force_login(staff)
    haizhu = world["outside"]["staff_a"]
    for model, model_admin in registry():
        if not getattr(model_admin, "area_from", None):
            continue
        url = admin_url(model, "add")
        request = request_as(staff)
        data = complete(world, model_admin, request, None, parse_form(client.get(url), model))
        data["district"] = [str(haizhu[District][0].pk)]
        data["street"] = [str(haizhu[Street][0].pk)]
        newest = model._default_manager.order_by("-pk").first()
        assert posted(client, url, data), model
        row = model._default_manager.order_by("-pk").first()
        assert row != newest
        assert covers(staff, row.district_id, row.street_id)
        assert row.district_id != haizhu[District][0].pk
