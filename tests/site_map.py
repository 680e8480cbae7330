"""Every URL of the site, with real ids, and a small world to request them in.

The header test, the access matrix and the canary walk the resolver, so a
new URL is covered the day it is added: a path with a parameter this module
cannot fill makes them fail instead of skipping it.
"""

import datetime
import re

from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.test import Client, TestCase
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import translation

from accounts.models import (
    ElderCategory,
    RecipientCategory,
    Relation,
    RelativeLink,
    Street,
    TextMessage,
    VerificationStatus,
)
from accounts.services import record_elder_view
from api.clients import register_client
from api.models import ApiClient, DisclosedRead
from catalogue.models import ServiceKind, ServiceType
from credits.carrying import import_statement
from credits.models import ServiceRecord
from credits.services import wallet_of
from notifications.models import Notification, NotificationKind
from orders import services
from rewards.models import CertificateIssuer, Project, StarNotice
from rewards.services import issue_certificate, open_star_notice, propose_grant, redeem_goods
from series import services as series_services
from tests.conftest import (
    fund,
    image_file,
    make_district,
    make_elder_profile,
    make_organisation,
    make_proxy_authorisation,
    make_staff,
    make_user,
    make_volunteer_profile,
)
from tests.credits.carry import make_platform, statement_file
from tests.orders.conftest import BEFORE_START, START, place
from tests.rewards.conftest import make_goods, make_station, serve
from timebank.management.commands.seed_demo import STAFF_APPS

# A's proxy, a proxy of nobody, the volunteer who claimed A's order, another
# volunteer, the coordinator of that volunteer's organisation, staff of A's
# district, of A's street, of another street of A's district, of another
# district, and of the city.
PERSONAS = [
    "anonymous",
    "elder_a",
    "elder_b",
    "proxy_a",
    "proxy_none",
    "vol_a",
    "vol_other",
    "coordinator",
    "staff_a",
    "staff_street_a",
    "staff_street_other",
    "staff_other",
    "city",
]


# Elder A's personal data, easy to find in any page, log or message.
CANARY_PHONE = "+8613876543210"
CANARY_ADDRESS = "77 Canary Lane"


def _walk(resolver, prefix="", namespace=""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}:{pattern.namespace}" if pattern.namespace else namespace
            yield from _walk(pattern, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}".lstrip(":") if pattern.name else None
            yield name, prefix + str(pattern.pattern)


def all_routes():
    """(url name or None, route) of every pattern, in the Chinese prefix."""
    with translation.override("zh-hans"):
        return list(_walk(get_resolver()))


def _admin_object_id(route, world):
    app_label, model_name = re.search(r"admin/(\w+)/(\w+)/", route).groups()
    model = apps.get_model(app_label, model_name)
    own = world["objects"].get(model)
    if own is not None:
        return own.pk
    first = model.objects.order_by("pk").first()
    return first.pk if first else 0


# The pages of a standing order, each opened on A's series.
SERIES_PAGES = ["detail", "skip", "pause", "resume", "end", "take", "change"]

# Form pages that keep their key in the address (accounts/once.py) redirect
# to an address with one; the walks ask for the page itself.
KEYED_PAGES = {"rewards:goods", "rewards:donate"}


def fill(name, route, world):
    """The path of one route with the parameters taken from A's objects."""
    ids = world["ids"]

    def value(parameter):
        if name == "admin:view_on_site":
            return ids[parameter] if parameter == "content_type_id" else world["order"].pk
        if parameter == "object_id" or name == "admin:auth_user_password_change":
            return _admin_object_id(route, world)
        if parameter == "pk" and name in ids:
            return ids[name]
        return ids[parameter]

    # allauth's regex routes first: ^confirm-email/(?P<key>...)/$
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: str(value(m.group(1))), route)
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(value(m.group(1))), path)
    path = "/" + path.replace("^", "").replace("$", "")
    return f"{path}?key={'0' * 32}" if name in KEYED_PAGES else path


def build_api_client_world(district, staff, volunteer):
    """The district's API client, and its unmasked read of the volunteer's ID number."""
    client = ApiClient(
        name="Yuexiu registry",
        organisation="Yuexiu Civil Affairs",
        purpose="Registry records",
        district=district,
    )
    register_client(client, by=staff)
    read = DisclosedRead.objects.create(
        client=client, person=volunteer, fields="id_number", purpose=client.purpose
    )
    return [client, read]


def build_rewards_world(volunteer, district):
    """The claiming volunteer's side of rewards: a redemption, a star notice, a
    certificate of the district's issuer, and hours brought from another platform."""
    serve(volunteer, 100, on=datetime.date(2026, 1, 5))
    funding = fund(volunteer, 20)
    goods = make_goods(district, image=image_file("rice.jpg"))
    issuer = CertificateIssuer.objects.create(
        district=district,
        name="Yuexiu Volunteers Federation",
        person_in_charge="Wang Director",
        handler="Zhao Clerk",
        contact="020-8888 0000",
    )
    platform, platform_key = make_platform()
    profile = volunteer.volunteer_profile
    carried = import_statement(volunteer, statement_file(platform_key, profile), by=volunteer)
    return {
        "issuer": issuer,
        "platform": platform,
        "carried": carried,
        "funding": funding,
        "goods": goods,
        "redemption": redeem_goods(goods, make_station(district), by=volunteer),
        "notice": open_star_notice(volunteer),
        "project": Project.objects.create(
            code="warm-winter", name="Warm winter", purpose="Blankets", district=district, target=50
        ),
        "certificate": issue_certificate(
            datetime.date(2026, 1, 1), datetime.date(2026, 1, 31), by=volunteer
        ),
    }


def build_organisation(coordinator, member, elder_a):
    """A verified organisation in A's street qualified for bathing; A's volunteer is a member.

    A's order in the ids is cleaning, a general service; the volunteer also
    claims a bathing order of A's, so the coordinator's page lists one of A's
    orders, and the walks check that it shows nothing of A's contact data.
    """
    bathing = ServiceType.objects.create(
        code="bathing", kind=ServiceKind.PROFESSIONAL, name_zh="助浴服务", name_en="Bathing"
    )
    return make_organisation(
        coordinator,
        [member],
        [bathing],
        elder_a.district,
        name="Beijing Jie Care Centre",
        street=elder_a.street,
        evidence=image_file("licence.jpg"),
    )


def build_world():
    """Elder A (Yuexiu, Beijing Jie) with a proxy, a relative, a category and a claimed
    order; elder B elsewhere; staff of each level, and of the street next to A's.

    The world's texts and notices are queued on commit: they are sent here,
    so that the outbox and the task table hold what a real site would.
    """
    with TestCase.captureOnCommitCallbacks(execute=True):
        world = _build_world()
    elder_a, order = world["users"]["elder_a"], world["order"]
    sent = [
        Notification.objects.get(
            topic=order.reference, recipient=elder_a, kind=NotificationKind.CLAIMED
        ),
        TextMessage.objects.filter(recipient=CANARY_PHONE).earliest("pk"),
    ]
    world["objects"].update({type(obj): obj for obj in sent})
    return world


def _build_world():
    yuexiu = make_district("yuexiu", "越秀区", "Yuexiu", "北京街", "Beijing Jie")
    haizhu = make_district("haizhu", "海珠区", "Haizhu", "滨江街", "Binjiang")
    beijing_jie = yuexiu.streets.get()
    nonglin = Street.objects.create(district=yuexiu, name_zh="农林街", name_en="Nonglin Jie")
    users = {
        "elder_a": make_user(CANARY_PHONE, name="Chen Elder"),
        "elder_b": make_user("+8613900000005", name="Zhou Elder"),
        "proxy_a": make_user("+8613900000002", name="Chen Proxy"),
        "proxy_none": make_user("+8613900000006", name="Zhou Proxy"),
        "vol_a": make_user("+8613900000003", name="Li Volunteer"),
        "vol_other": make_user("+8613900000004", name="Wang Volunteer"),
        "coordinator": make_user("+8613900000007", name="Huang Coordinator"),
        "staff_a": make_staff("staff@example.org", yuexiu),
        "staff_street_a": make_staff("beijingjie.staff@example.org", yuexiu, street=beijing_jie),
        "staff_street_other": make_staff("nonglin.staff@example.org", yuexiu, street=nonglin),
        "staff_other": make_staff("haizhu.staff@example.org", haizhu),
        "city": make_user(
            email="city@example.org", name="City Staff", is_staff=True, is_superuser=True
        ),
    }
    # What the district staff group of a real site holds (seed_demo).
    staff_permissions = Permission.objects.filter(content_type__app_label__in=STAFF_APPS)
    for staff in ("staff_a", "staff_street_a", "staff_street_other", "staff_other"):
        users[staff].user_permissions.set(staff_permissions)
    elder_a = make_elder_profile(users["elder_a"], yuexiu)
    elder_a.address = CANARY_ADDRESS
    elder_a.save(update_fields=["address"])
    make_elder_profile(users["elder_b"], haizhu, sequence="134")
    proxy = make_proxy_authorisation(elder_a, users["proxy_a"])
    relative = RelativeLink.objects.create(
        requester=users["proxy_a"],
        relative=users["elder_a"],
        relation=Relation.PARENT,
        district=yuexiu,
        street=elder_a.street,
        status=VerificationStatus.VERIFIED,
    )
    volunteer_a = make_volunteer_profile(users["vol_a"], yuexiu)
    make_volunteer_profile(users["vol_other"], yuexiu, sequence="126")
    organisation = build_organisation(users["coordinator"], users["vol_a"], elder_a)
    category = ElderCategory.objects.create(
        elder=elder_a,
        category=RecipientCategory.LOW_INCOME,
        status=VerificationStatus.VERIFIED,
        district=yuexiu,
        street=elder_a.street,
        evidence=image_file("evidence.jpg"),
    )
    cleaning = ServiceType.objects.create(
        code="cleaning", kind=ServiceKind.GENERAL, name_zh="助洁服务", name_en="Cleaning"
    )
    order = place(elder_a, cleaning)
    services.approve_order(order, by=users["staff_a"])
    services.claim_order(order, now=BEFORE_START, by=users["vol_a"])
    order.refresh_from_db()
    bathing = place(
        elder_a, organisation.service_types.get(), starts_at=START + datetime.timedelta(days=1)
    )
    services.approve_order(bathing, by=users["staff_a"])
    services.claim_order(bathing, now=BEFORE_START, by=users["vol_a"])
    rewards = build_rewards_world(users["vol_a"], yuexiu)
    series = series_services.approve_series(
        series_services.set_up_series(
            elder_a,
            by=users["elder_a"],
            service_type=cleaning,
            weekdays=1,
            time_of_day=datetime.time(9, 0),
            booked_hours=2,
            funding="welfare",
            starts_on=START.date() + datetime.timedelta(days=7),
            visits=4,
            now=BEFORE_START,
        ),
        by=users["staff_a"],
    )
    viewed = record_elder_view(elder_a, by=users["staff_a"])
    grant = propose_grant(elder_a, 3, reason="Lives alone since March", by=users["staff_a"])
    ids = {
        "elder_id": elder_a.pk,
        "service_code": cleaning.code,
        "pk": order.pk,
        "kind": "eldercategory",
        "app_label": "orders",
        "url": "no-such-page/",
        "key": "not-a-real-key",
        "uidb36": "zz",
        "content_type_id": ContentType.objects.get_for_model(order).pk,
        "people:elder": elder_a.pk,
        "people:card": elder_a.pk,
        "people:category_new": elder_a.pk,
        "people:act_for": elder_a.pk,
        "people:proxy_revoke": proxy.pk,
        "people:proxy_confirm": proxy.pk,
        "people:evidence": category.pk,
        "orders:organisation": organisation.pk,
        "rewards:goods": rewards["goods"].pk,
        "rewards:goods_image": rewards["goods"].pk,
        "rewards:redemption": rewards["redemption"].pk,
        "rewards:redemption_cancel": rewards["redemption"].pk,
        "rewards:notice": rewards["notice"].pk,
        "code": rewards["project"].code,
        "serial": rewards["certificate"].serial,
        **{f"series:{name}": series.pk for name in SERIES_PAGES},
    }
    # The admin change page of each model shows this object: A's, or A's volunteer's.
    mine = [elder_a, order, proxy, relative, category, grant, users["elder_a"], yuexiu, series]
    volunteers = [volunteer_a, organisation, wallet_of(users["vol_a"]), rewards["funding"]]
    volunteers += [rewards["redemption"], rewards["notice"], rewards["certificate"]]
    volunteers += [rewards["issuer"], rewards["platform"], rewards["carried"]]
    served = ServiceRecord.objects.get(volunteer=users["vol_a"])
    machine = build_api_client_world(yuexiu, users["staff_a"], users["vol_a"])
    objects = {type(obj): obj for obj in [*mine, *volunteers, served, viewed, *machine]}
    return {
        "users": {"anonymous": None, **users},
        "ids": ids,
        "objects": objects,
        "elder_a": elder_a,
        "order": order,
    }


# The site map ------------------------------------------------------------
#
# Every page of the site as each role sees it, for the checks that read pages
# (both languages, axe-core, large text). A named URL is either a page here or
# in NOT_PAGES with the reason; the admin's list and change form of every
# registered model are pages, so a model or a URL added later is checked too.

# The roles of the site, each played by one person of the world.
ROLES = {
    "anonymous": "anonymous",
    "elder": "elder_a",
    "proxy": "proxy_a",
    "volunteer": "vol_a",
    "coordinator": "coordinator",
    "district staff": "staff_a",
    "street staff": "staff_street_a",
    "city staff": "city",
}

PAGES = [
    "home",
    "choose_role",
    "account_login",
    "account_logout",
    "account_inactive",
    "account_signup",
    "account_reauthenticate",
    "account_request_reauthentication_code",
    "account_email",
    "account_email_verification_sent",
    "account_change_password",
    "account_reset_password",
    "account_confirm_email",
    "account_change_phone",
    "account_reset_password_from_key_done",
    "account_reset_password_from_key",
    "account_reset_password_done",
    "mfa_index",
    "mfa_reauthenticate",
    "orders:start",
    "orders:elder_home",
    "orders:new",
    "orders:mine",
    "orders:market",
    "orders:claims",
    "orders:organisation",
    "orders:detail",
    "orders:again",
    "notifications:list",
    "series:elder",
    "series:new",
    "series:detail",
    "series:change",
    "people:me",
    "people:start",
    "people:volunteer",
    "people:availability",
    "people:elder_self",
    "people:register_elder",
    "people:elder",
    "people:card",
    "people:category_new",
    "people:qualification_new",
    "people:organisation_new",
    "people:relative_new",
    "people:proxy_request",
    "credits:mine",
    "credits:statement",
    "credits:carry_in",
    "rewards:shelf",
    "rewards:goods",
    "rewards:redemption",
    "rewards:pickup",
    "rewards:mine",
    "rewards:gift",
    "rewards:donate",
    "rewards:projects",
    "rewards:project",
    "rewards:notices",
    "rewards:notice",
    "rewards:honours",
    "rewards:certificate_new",
    "rewards:certificate_print",
    "rewards:certificate",
    "admin:index",
    "admin:app_list",
    "admin:dashboard",
    "admin:report",
    "admin:password_change",
    "admin:password_change_done",
    "admin:auth_user_password_change",
]

_POSTED = "an action a form posts to; its page is the one holding the form"
_API = "JSON API, covered by tests/api"
API_READS = [
    "market",
    "my_orders",
    "claims",
    "order",
    "elders",
    "choices",
    "credits",
    "passbook",
    "notifications",
    "records",
]
API_WRITES = [
    "token",
    "claim",
    "release",
    "pass",
    "check_in",
    "check_out",
    "card_code",
    "confirm",
    "rate",
    "place_order",
    "notifications_read",
    "volunteers_import",
]
NOT_PAGES = {
    "set_language": _POSTED,
    "favicon": "a redirect to the icon file",
    "account_set_password": "every account has a password: redirects to the change page",
    "account_confirm_reauthentication_code": "only after a code was sent: redirects otherwise",
    "account_confirm_login_code": "only during a login by code, which the site does not offer",
    "account_verify_phone": "only right after a code was sent to a new number",
    "mfa_authenticate": "only halfway through a staff login (tests/e2e/test_staff_two_factor.py)",
    "mfa_activate_totp": "only for staff yet to add an authenticator (test_staff_two_factor.py)",
    "mfa_deactivate_totp": "staff cannot switch their authenticator off: redirects",
    "mfa_view_recovery_codes": "only for staff who made codes; allauth's own page",
    "mfa_generate_recovery_codes": "allauth's own page, reached from the two-factor page",
    "mfa_download_recovery_codes": "a text file",
    "landing": "a redirect to the page where the person's role starts",
    "elder_mode": _POSTED,
    "notifications:read": _POSTED,
    "people:proxy_confirm": _POSTED,
    **{f"series:{name}": _POSTED for name in ["skip", "pause", "resume", "end", "take"]},
    "orders:claim": _POSTED,
    "orders:release": _POSTED,
    "orders:check_in": _POSTED,
    "orders:check_out": _POSTED,
    "orders:card_code": _POSTED,
    "orders:confirm": _POSTED,
    "orders:dispute": _POSTED,
    "orders:rate": _POSTED,
    "orders:cancel": _POSTED,
    "orders:not_again": _POSTED,
    "orders:welcome_again": _POSTED,
    "orders:pass": _POSTED,
    "people:act_for": _POSTED,
    "people:proxy_revoke": _POSTED,
    "people:evidence": "an image file",
    "people:my_data": "a JSON download",
    "credits:hours_statement": "a JSON download (tests/credits/test_hours_statements.py)",
    "statement_key": "JSON for other platforms (tests/credits/test_hours_statements.py)",
    "rewards:goods_image": "an image file",
    "rewards:redemption_cancel": _POSTED,
    "rewards:honour_preference": _POSTED,
    "admin:login": "staff log in on the site's login page: redirects there",
    "admin:logout": _POSTED,
    "admin:autocomplete": "JSON for the admin's search boxes",
    "admin:jsi18n": "the admin's JavaScript catalogue",
    "admin:view_on_site": "a redirect to the object's page on the site",
    **{f"api:{name}": _API for name in [*API_READS, *API_WRITES]},
    "api:api-root": "the API's root: a 404, the endpoints are below it",
    "api:openapi-json": "the API's OpenAPI schema (tests/api/test_schema.py)",
    "api:openapi-view": "the API's documentation page, Swagger UI (tests/api/test_schema.py)",
}
# The other admin pages of each model, by the end of their URL name.
NOT_PAGES_OF_EACH_MODEL = {
    "_add": "the change form's fields, empty: checked on the change form",
    "_delete": "Django's confirmation page, one button under the object's name",
    "_history": "Django's table of the admin's own log, which the audit log replaces",
}


def registered_admin_pages():
    """The list and the change form of every model the staff site registers."""
    from django.contrib import admin

    return [
        f"admin:{model._meta.app_label}_{model._meta.model_name}_{page}"
        for model in admin.site._registry
        for page in ("changelist", "change")
    ]


def site_map_names():
    return [*PAGES, *registered_admin_pages()]


def unmapped_names():
    """Named URLs that are neither a page of the site map nor excluded with a reason."""
    mapped = set(site_map_names()) | set(NOT_PAGES)
    return [
        name
        for name, _ in all_routes()
        if name and name not in mapped and not name.endswith(tuple(NOT_PAGES_OF_EACH_MODEL))
    ]


def build_site_map_world():
    """The world, with a row in every table the staff site shows, so each change form opens."""
    from django.contrib.auth.models import Group
    from django_q.models import OrmQ, Schedule, Task
    from django_q.signing import SignedPackage

    from accounts.models import (
        AvailabilityWindow,
        ClashKind,
        Community,
        IdClash,
        Qualification,
        ResidentIdentity,
    )
    from credits.holds import hold_credits
    from credits.models import Policy
    from rewards.services import object_to_notice

    world = build_world()
    users, elder_a = world["users"], world["elder_a"]
    # Rows the data migrations add, which a transactional test run before on
    # this worker empties with every other table.
    if not Policy.objects.exists():
        Policy.objects.create()
    Schedule.objects.get_or_create(
        name="orders: expire unclaimed",
        defaults={"func": "orders.tasks.expire_due_orders", "schedule_type": "I", "minutes": 5},
    )
    bathing = ServiceType.objects.get(code="bathing")
    now = datetime.datetime(2026, 1, 5, 9, tzinfo=datetime.UTC)
    extra = [
        Group.objects.create(name="District staff"),
        Community.objects.create(
            street=elder_a.street, name_zh="北京街社区", name_en="Beijing Jie Community"
        ),
        Qualification.objects.create(
            holder=users["vol_a"],
            service_type=bathing,
            certificate_number="NC-2026-001",
            expires_on=datetime.date(2030, 1, 1),
            district=elder_a.district,
            street=elder_a.street,
            evidence=image_file("certificate.jpg"),
        ),
        IdClash.objects.create(
            holder=ResidentIdentity.objects.get(user=users["elder_a"]),
            attempted_by=users["proxy_none"],
            kind=ClashKind.ELDER_FOR_OTHER,
            real_name="Chen Elder",
            district=elder_a.district,
            street=elder_a.street,
        ),
        hold_credits(users["vol_a"], 1, key="site-map-hold"),
        object_to_notice(
            world["objects"][StarNotice], reason="Not on that day", by=users["vol_other"]
        ),
        Task.objects.create(
            id="0" * 32,
            name="expire-orders",
            func="orders.tasks.expire_orders",
            started=now,
            stopped=now,
            success=False,
            result="Timed out",
        ),
        OrmQ.objects.create(
            key="timebank",
            payload=SignedPackage.dumps(
                {
                    "id": "1" * 32,
                    "name": "alpha-bravo-charlie-delta",
                    "func": "notifications.tasks.send_notices",
                    "args": (1,),
                    "kwargs": {},
                }
            ),
            lock=now,
        ),
        AvailabilityWindow.objects.create(
            profile=users["vol_a"].volunteer_profile,
            weekday=0,
            starts=datetime.time(9),
            ends=datetime.time(12),
        ),
    ]
    world["objects"].update({type(obj): obj for obj in extra})
    return world


def opened_pages(world, role, client=None):
    """(url name, path, response) of each page of the site map that opens for `role`,
    read by `client` (a new one, logged in as the role, by default)."""
    routes = {name: route for name, route in all_routes() if name}
    if client is None:
        client = Client()
        if world["users"][ROLES[role]] is not None:
            client.force_login(world["users"][ROLES[role]])
    for name in site_map_names():
        path = fill(name, routes[name], world)
        response = client.get(path)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            yield name, path, response


def pages_by_role(world, roles=tuple(ROLES)):
    """{role: [(url name, path)]}: the pages of the site map that open for each of `roles`."""
    return {
        role: [(name, path) for name, path, _response in opened_pages(world, role)]
        for role in roles
    }


# The routes that change something when posted: the access matrix and the fuzzer read them.
POSTED = {
    "choose_role",
    "elder_mode",
    "orders:new",
    "series:new",
    "series:skip",
    "series:pause",
    "series:resume",
    "series:end",
    "series:take",
    "series:change",
    "notifications:read",
    "orders:claim",
    "orders:release",
    "orders:check_in",
    "orders:check_out",
    "orders:card_code",
    "orders:confirm",
    "orders:dispute",
    "orders:rate",
    "orders:cancel",
    "orders:not_again",
    "orders:welcome_again",
    "orders:pass",
    "people:availability",
    "people:category_new",
    "people:act_for",
    "people:proxy_confirm",
    "people:proxy_revoke",
    "rewards:goods",
    "rewards:redemption_cancel",
    "rewards:honour_preference",
    "rewards:gift",
    "rewards:donate",
    "rewards:notice",
    "rewards:certificate_new",
    "credits:carry_in",
    *(f"api:{name}" for name in API_WRITES),
}
