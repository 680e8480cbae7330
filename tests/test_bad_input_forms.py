"""Bad input to every form: the answer is a page or an error, and nothing else moves.

Each example POSTs one form with values built from its own field names —
plausible ones mixed with wrong types, huge and empty values, Unicode edge
cases, HTML, SQL-looking strings, repeated keys and broken image files — and
with extra keys that name model fields (`status`, `balance`, `is_staff`,
`volunteer`…) as someone hoping to set them would. Then:

- no 5xx;
- the ledger still checks out (`verify_ledger`);
- every row the request created or changed passes `full_clean()`;
- nothing outside the form changed: nobody's staff or superuser flag, no
  wallet but those of the people the form is about, no order but the one
  the form acts on (and that one only along `TRANSITIONS`), and nothing
  became verified unless staff verified it.

The admin is included: each model's change page and add page for staff,
and every admin action (reasons, minutes, quantities) on real and bogus ids.
"""

import datetime
import struct
import zlib
from dataclasses import dataclass, field

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from accounts.models import RelativeLink, User, VerificationStatus
from accounts.models.verification import Verifiable
from catalogue.models import ServiceType
from credits.management.commands.verify_ledger import check_ledger
from credits.models import Account, AccountKind
from orders.forms import next_slots
from orders.models import TRANSITIONS, Order
from rewards.models import PickupStation
from tests.bad_input import (
    MODEL_FIELD_KEYS,
    assert_no_server_error,
    client_as,
    examples,
    form_value,
    rolled_back,
)
from tests.conftest import image_file, make_id_number
from tests.db_writes import Writes, all_models
from tests.site_map import POSTED, all_routes, fill
from timebank.management.commands.seed_demo import STAFF_APPS

STAFF = {"staff_a", "staff_other", "city"}


# Uploads -------------------------------------------------------------------


def _png_header(width, height):
    """A PNG that claims `width`×`height` pixels in a few bytes."""

    def chunk(kind, body):
        checksum = struct.pack(">I", zlib.crc32(kind + body))
        return struct.pack(">I", len(body)) + kind + body + checksum

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0"))


def _bytes_of(upload):
    upload.seek(0)
    return upload.read()


def uploads():
    jpeg = _bytes_of(image_file("ok.jpg"))
    return st.sampled_from(
        [
            ("photo.jpg", jpeg, "image/jpeg"),
            ("empty.jpg", b"", "image/jpeg"),
            ("truncated.jpg", jpeg[:200], "image/jpeg"),
            ("photo.png", jpeg, "image/png"),
            ("notes.jpg", b"not an image at all", "image/jpeg"),
            ("huge.png", _png_header(100_000, 100_000), "image/png"),
            ("wide.png", _png_header(2**31 - 1, 1), "image/png"),
            ("anim.gif", _bytes_of(image_file("x.gif", fmt="GIF")), "image/gif"),
            ("x.svg", b"<svg onload='alert(1)'/>", "image/svg+xml"),
            ("../../../etc/passwd", jpeg, "image/jpeg"),
            ("\u202egpj.exe", jpeg, "image/jpeg"),
        ]
    ).map(lambda spec: SimpleUploadedFile(*spec))


# The forms -------------------------------------------------------------------


@dataclass
class Endpoint:
    """One form: who posts it, its fields with plausible values, and what it may touch."""

    name: str
    personas: list
    fields: dict = field(default_factory=dict)
    uploads: tuple = ()
    url: str = ""
    acts_on_order: bool = False

    def __str__(self):
        return self.name


def site_endpoints(world):
    """The forms of the site, with values that sometimes get through."""
    ids = world["ids"]
    yuexiu = world["elder_a"].district
    street = world["elder_a"].street_id
    station = PickupStation.objects.first().pk
    slot = next_slots()[0].isoformat()
    bathing = str(ServiceType.objects.get(code="bathing").pk)
    place = {"district": [str(yuexiu.pk)], "street": [str(street)]}
    person = {
        "real_name": ["Lin Test"],
        "id_number": [make_id_number(datetime.date(1950, 1, 2), sequence="555")],
        **place,
    }
    elder = {
        **person,
        "birth_date": ["1950-01-02"],
        "phone": ["13800138011"],
        "address": ["3 Test Road"],
        "latitude": ["23.1"],
        "longitude": ["113.3"],
        "emergency_contact_name": ["Son"],
        "emergency_contact_phone": ["13800138012"],
    }
    order = {"acts_on_order": True}
    return [
        Endpoint(
            "orders:new",
            ["elder_a", "proxy_a"],
            {
                "starts_at": [slot],
                "booked_hours": ["1", "4"],
                "funding": ["welfare", "own_credits"],
                "notes": ["Ring twice"],
            },
            **order,
        ),
        Endpoint(
            "series:new",
            ["elder_a", "proxy_a"],
            {
                "service_type": [str(world["order"].service_type_id)],
                "weekdays": ["0", "3"],
                "time_of_day": ["09:00", "14:30"],
                "booked_hours": ["1", "4"],
                "funding": ["welfare", "own_credits"],
                "starts_on": ["2030-06-03"],
                "ends_on": ["", "2030-07-01"],
                "visits": ["", "4"],
                "notes": ["Ring twice"],
            },
        ),
        Endpoint("series:skip", ["elder_a", "staff_a"], {"date": ["2030-06-17", "2030-06-18"]}),
        Endpoint("series:pause", ["elder_a", "staff_a"]),
        Endpoint("series:resume", ["elder_a", "staff_a"]),
        Endpoint("series:end", ["elder_a", "staff_a"]),
        Endpoint("series:take", ["vol_other", "vol_a", "elder_a"]),
        Endpoint(
            "series:change",
            ["elder_a", "staff_a"],
            {
                "from_day": ["2030-06-17", "2030-06-18"],
                "weekdays": ["1", "4"],
                "time_of_day": ["10:00", "15:30"],
                "booked_hours": ["1", "2"],
            },
        ),
        Endpoint("orders:not_again", ["elder_a", "proxy_a"], **order),
        Endpoint("orders:welcome_again", ["elder_a", "proxy_a"], **order),
        Endpoint("orders:pass", ["vol_a", "vol_other"], **order),
        Endpoint("credits:carry_in", ["vol_a", "vol_other"], uploads=("statement",)),
        Endpoint("orders:claim", ["vol_other", "vol_a", "elder_a"], **order),
        Endpoint("orders:release", ["vol_a", "staff_a"], **order),
        Endpoint(
            "orders:check_in",
            ["vol_a"],
            {"latitude": ["23.12"], "longitude": ["113.26"]},
            **order,
        ),
        Endpoint(
            "orders:check_out",
            ["vol_a"],
            {"latitude": ["23.12"], "longitude": ["113.26"]},
            **order,
        ),
        Endpoint("orders:card_code", ["vol_a"], {"code": [world["elder_a"].card_code]}, **order),
        Endpoint("orders:confirm", ["elder_a", "proxy_a"], **order),
        Endpoint("orders:dispute", ["elder_a"], {"reason": ["Came late"]}, **order),
        Endpoint(
            "orders:rate",
            ["elder_a"],
            {"rating": ["1", "5"], "comment": ["Kind"]},
            **order,
        ),
        Endpoint("orders:cancel", ["elder_a", "staff_a"], {"reason": ["Ill"]}, **order),
        Endpoint("notifications:read", ["elder_a", "vol_a"]),
        Endpoint(
            "people:volunteer",
            ["proxy_none", "vol_a"],
            {
                **person,
                "health_declared": ["on"],
                "health_notes": ["None"],
                "skills": [str(world["order"].service_type_id)],
            },
            ("evidence",),
        ),
        Endpoint(
            "people:availability",
            ["vol_a", "proxy_none"],
            {
                "times-TOTAL_FORMS": ["2", "30"],
                "times-INITIAL_FORMS": ["1", "0"],
                "times-0-weekday": ["0", "6"],
                "times-0-starts": ["09:00"],
                "times-0-ends": ["12:00", "08:00"],
                "times-1-weekday": ["0"],
                "times-1-starts": ["11:00"],
                "times-1-ends": ["13:00"],
                "serve_districts": [str(yuexiu.pk)],
            },
        ),
        Endpoint("people:elder_self", ["proxy_none", "elder_a"], elder),
        Endpoint(
            "people:register_elder",
            ["proxy_none", "vol_a"],
            {**elder, "relation": ["family"], "consent_note": ["Signed at the station"]},
            ("evidence",),
        ),
        Endpoint(
            "people:category_new",
            ["elder_a", "proxy_a"],
            {"category": ["low_income", "disabled"]},
            ("evidence",),
        ),
        Endpoint("people:act_for", ["proxy_a"]),
        Endpoint("people:proxy_revoke", ["proxy_a", "staff_a"]),
        Endpoint("people:proxy_confirm", ["elder_a"]),
        Endpoint(
            "people:proxy_request",
            ["proxy_none", "vol_a"],
            {
                "id_number": [world["elder_a"].id_number, "11010519491231002X"],
                "phone": ["13900000001"],
                "relation": ["family", "social_worker"],
                "note": ["Her son"],
            },
        ),
        Endpoint(
            "people:qualification_new",
            ["vol_a"],
            {
                "service_type": [bathing],
                "certificate_number": ["C-1"],
                "expires_on": ["2030-01-01"],
            },
            ("evidence",),
        ),
        Endpoint(
            "people:relative_new",
            ["vol_a"],
            {"relative_phone": ["13900000004"], "relation": ["parent", "child"]},
            ("evidence",),
        ),
        Endpoint(
            "people:organisation_new",
            ["vol_a"],
            {
                "name": ["Care Co"],
                "licence_number": ["L-1"],
                "district": [str(yuexiu.pk)],
                "service_types": [bathing],
            },
            ("evidence",),
        ),
        Endpoint(
            "rewards:goods",
            ["vol_a", "vol_other"],
            {"station": [str(station)]},
        ),
        Endpoint("rewards:redemption_cancel", ["vol_a"]),
        Endpoint("rewards:honour_preference", ["vol_a"], {"show_on_board": ["on", ""]}),
        # The gift's choice travels in the confirmation page's address; the post confirms it.
        Endpoint(
            "rewards:gift",
            ["vol_a"],
            url=reverse("rewards:gift")
            + f"?receiver={world['users']['vol_other'].pk}&amount=1&key={'b' * 32}",
        ),
        Endpoint(
            "rewards:donate",
            ["vol_a"],
            {"project": ["", str(ids["code"])], "amount": ["1", "3"]},
        ),
        Endpoint("rewards:notice", ["elder_a"], {"reason": ["Never came"]}),
        Endpoint(
            "rewards:certificate_new",
            ["vol_a"],
            {"start": ["2026-01-01"], "end": ["2026-01-31"]},
        ),
        Endpoint("rewards:pickup", ["staff_a"], {"code": ["ABCD2345"]}),
        Endpoint(
            "choose_role",
            ["proxy_a", "vol_a", "staff_a"],
            {"role": ["elder", "proxy", "volunteer", "coordinator", "staff"]},
        ),
        Endpoint(
            "elder_mode",
            ["anonymous", "elder_a"],
            {"elder_mode": ["1", "0"], "next": ["/zh-hans/orders/", "https://example.com/"]},
        ),
        Endpoint(
            "set_language",
            ["anonymous", "elder_a"],
            {"language": ["en", "zh-hans"], "next": ["/zh-hans/orders/"]},
        ),
        Endpoint(
            "account_signup",
            ["anonymous"],
            {
                "phone": ["13800138099"],
                "email": ["new@example.org"],
                "password1": ["a-long-test-password-9"],
                "password2": ["a-long-test-password-9"],
            },
        ),
        Endpoint("account_login", ["anonymous"], {"login": ["13900000003"], "password": ["x"]}),
        Endpoint("account_change_phone", ["elder_a"], {"phone": ["13800138098"]}),
        Endpoint("account_email", ["elder_a"], {"email": ["e@example.org"], "action_add": [""]}),
        Endpoint(
            "account_change_password",
            ["vol_a"],
            {"oldpassword": ["x"], "password1": ["y"], "password2": ["y"]},
        ),
        Endpoint("account_reset_password", ["anonymous"], {"email": ["city@example.org"]}),
    ]


ADMIN_EXTRA_FIELDS = {
    "confirm": ["1"],
    "reason": ["Checked at the station"],
    "minutes": ["30", "960"],
    "note": ["Settled"],
    "quantity": ["5"],
    "index": ["0"],
}


def admin_endpoints(world):
    """Every admin action on the changelist, and each model's change and add page."""
    endpoints = []
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        prefix = f"admin:{opts.app_label}_{opts.model_name}"
        first = model.objects.order_by("pk").first()
        pks = [str(pk) for pk in model.objects.order_by("pk").values_list("pk", flat=True)[:3]]
        actions = [name for name in (model_admin.actions or []) if isinstance(name, str)]
        # The site-wide actions too, except Django's delete confirmation.
        actions += [name for name, _action in admin.site.actions if name != "delete_selected"]
        if actions:
            endpoints.append(
                Endpoint(
                    f"{prefix}_changelist",
                    ["staff_a", "city"],
                    {
                        "action": actions,
                        "_selected_action": pks or ["1"],
                        **ADMIN_EXTRA_FIELDS,
                    },
                    url=reverse(f"{prefix}_changelist"),
                )
            )
        pages = {"add": reverse(f"{prefix}_add")}
        if first is not None:
            pages["change"] = reverse(f"{prefix}_change", args=[first.pk])
        for kind, url in pages.items():
            endpoints.append(
                Endpoint(
                    f"{prefix}_{kind}",
                    ["staff_a", "city"],
                    {f.name: _plausible(f, first) for f in opts.fields if f.editable},
                    url=url,
                )
            )
    return endpoints


def _plausible(model_field, obj):
    value = model_field.value_from_object(obj) if obj is not None else ""
    return [str(getattr(value, "pk", value) if value is not None else "")]


# The checks ----------------------------------------------------------------


WATCHED = [model for model in all_models() if model._meta.app_label in STAFF_APPS]


def rows_of(models):
    return {
        model: {row[model._meta.pk.attname]: row for row in model.objects.values()}
        for model in models
    }


def snapshot(world, writes=None):
    """Every row of the project's models, as plain values, by model and pk; and ledger problems.

    Every example starts from the same world (each is rolled back), so the
    rows before are read once per test; after a request only the tables it
    wrote are read again. The shared world records served hours without
    minting credits, which `verify_ledger` reports: a request must add no
    problem of its own.
    """
    if writes is None:
        if "rows before" not in world:
            world["rows before"] = rows_of(WATCHED), set(check_ledger()[0])
        return world["rows before"]
    rows, _ledger = world["rows before"]
    return {**rows, **rows_of(writes.tables())}, set(check_ledger()[0])


def check_invariants(before_and_ledger, after_and_ledger, endpoint, persona, world):
    (before, ledger_before), (after, ledger_after) = before_and_ledger, after_and_ledger
    assert ledger_after <= ledger_before, ledger_after - ledger_before
    admin_page = endpoint.name.startswith("admin:")
    users = world["users"]
    actor = users[persona]

    # Staff may deactivate an account in the admin; rights only city admins grant.
    flags = ["is_staff", "is_superuser"] + ([] if admin_page else ["is_active"])
    for pk, row in after[User].items():
        old = before[User].get(pk)
        if old is None:
            assert not (row["is_staff"] or row["is_superuser"]), f"new user {pk} is staff"
        elif not (admin_page and persona == "city"):
            assert [row[f] for f in flags] == [old[f] for f in flags], f"user {pk} flags changed"

    order = world["order"]
    may_pay = {actor and actor.pk, users["vol_other"].pk if endpoint.name == "rewards:gift" else 0}
    if endpoint.acts_on_order:
        may_pay |= {order.elder.user_id, order.volunteer_id}
    if not admin_page:
        for pk, row in after[Account].items():
            old = before[Account].get(pk)
            if row["kind"] == AccountKind.WALLET and old and row["owner_id"] not in may_pay:
                assert row["balance"] == old["balance"], f"wallet of user {row['owner_id']}"

    for pk, row in after[Order].items():
        old = before[Order].get(pk)
        moved = ("status", "volunteer_id")
        if old is None or [old[f] for f in moved] == [row[f] for f in moved]:
            continue
        assert endpoint.acts_on_order and pk == order.pk or admin_page, f"order {pk} changed"
        if old["status"] != row["status"]:
            assert row["status"] in TRANSITIONS[old["status"]], (old["status"], row["status"])

    for model, rows in after.items():
        if not issubclass(model, Verifiable) or persona in STAFF:
            continue
        for pk, row in rows.items():
            old = before[model].get(pk, {"status": None})
            if row["status"] == VerificationStatus.VERIFIED:
                assert old["status"] == VerificationStatus.VERIFIED, f"{model.__name__} {pk}"

    for model, rows in after.items():
        for pk, row in rows.items():
            if before[model].get(pk) != row:
                model.objects.get(pk=pk).full_clean()


# The tests -------------------------------------------------------------------


@pytest.fixture
def world(world):
    """The shared world, with a verified link between the two volunteers."""
    users = world["users"]
    RelativeLink.objects.create(
        requester=users["vol_a"],
        relative=users["vol_other"],
        relation="child",
        district=world["elder_a"].district,
        status=VerificationStatus.VERIFIED,
    )
    return world


def _url(endpoint, world):
    if endpoint.url:
        return endpoint.url
    route = dict(all_routes())[endpoint.name]
    return fill(endpoint.name, route, world)


@st.composite
def submission(draw, endpoint):
    """The form's fields (plausible or nasty, or missing), extra keys, and uploads."""
    data = {}
    # A third of the examples fill every field plausibly, so that the form
    # goes through and only the extra keys and uploads are bad.
    all_plausible = draw(st.integers(0, 2), label="all plausible") == 0
    for name, plausible in endpoint.fields.items():
        choice = "plausible"
        if not all_plausible:
            choice = draw(st.sampled_from(["plausible", "nasty", "missing"]), label=name)
        if choice == "plausible":
            data[name] = draw(st.sampled_from(plausible), label=name)
        elif choice == "nasty":
            data[name] = draw(form_value, label=name)
    extra = draw(
        st.dictionaries(
            st.sampled_from(MODEL_FIELD_KEYS),
            st.one_of(
                form_value,
                st.sampled_from(["completed", "verified", "1000000", "on", "1", "2", "3"]),
            ),
            max_size=4,
        ),
        label="extra keys",
    )
    for key, value in extra.items():
        data.setdefault(key, value)
    for name in endpoint.uploads:
        if all_plausible:
            data[name] = image_file("photo.jpg")
        elif draw(st.booleans(), label=f"{name} sent"):
            data[name] = draw(uploads(), label=name)
    return {key: _postable(value) for key, value in data.items()}


def _postable(value):
    if isinstance(value, list):
        return [str(v) for v in value]
    return value if isinstance(value, SimpleUploadedFile) else str(value)


def fuzz(world, endpoint, data):
    url = _url(endpoint, world)
    persona = data.draw(st.sampled_from(endpoint.personas), label="persona")
    body = data.draw(submission(endpoint), label="body")
    client = client_as(world, persona)
    before = snapshot(world)
    with rolled_back():
        writes = Writes(WATCHED)
        response = client.post(url, body)
        assert_no_server_error(response, f"POST {url} as {persona}")
        check_invariants(before, snapshot(world, writes), endpoint, persona, world)


def _site_names():
    # The endpoints need the world's ids; names are enough to parametrize.
    return [
        "orders:new", "orders:claim", "orders:release", "orders:check_in", "orders:check_out",
        "orders:card_code", "orders:confirm", "orders:dispute", "orders:rate", "orders:cancel",
        "series:new", "series:skip", "series:pause", "series:resume", "series:end",
        "series:take", "series:change", "orders:not_again", "orders:welcome_again",
        "orders:pass", "credits:carry_in",
        "notifications:read", "people:volunteer", "people:availability", "people:elder_self",
        "people:register_elder", "people:category_new", "people:act_for",
        "people:proxy_revoke", "people:proxy_confirm", "people:proxy_request",
        "people:qualification_new", "people:relative_new",
        "people:organisation_new", "rewards:goods", "rewards:redemption_cancel",
        "rewards:honour_preference", "rewards:gift", "rewards:donate", "rewards:notice",
        "rewards:certificate_new", "rewards:pickup", "choose_role", "elder_mode",
        "set_language", "account_signup",
        "account_login", "account_change_phone", "account_email", "account_change_password",
        "account_reset_password",
    ]  # fmt: skip


@pytest.mark.parametrize("name", _site_names())
@examples(12)
@given(data=st.data())
def test_site_forms_refuse_bad_input_cleanly(world, name, data):
    endpoint = next(e for e in site_endpoints(world) if e.name == name)
    with translation.override("zh-hans"):
        fuzz(world, endpoint, data)


def test_every_state_changing_endpoint_of_the_access_matrix_is_fuzzed(world):
    names = {e.name for e in site_endpoints(world)}
    assert names == set(_site_names())
    # The API's posts take JSON, not forms: schemathesis fuzzes them (tests/api).
    assert names >= {name for name in POSTED if not name.startswith("api:")}


@pytest.mark.long
@examples(3)
@given(data=st.data())
def test_admin_forms_and_actions_refuse_bad_input_cleanly(world, data):
    with translation.override("zh-hans"):
        for endpoint in admin_endpoints(world):
            fuzz(world, endpoint, data)
