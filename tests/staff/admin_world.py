"""Haizhu's side of the site map's world, and what lies outside each staff member's area.

The site map's world is elder A's, in Yuexiu's Beijing Jie. The write matrix
needs the same kinds of rows elsewhere to post as ids: this module gives
Haizhu an elder B with a proxy, a relative, a category and a claimed order,
a volunteer with a qualification, an organisation, a redemption, a star
notice with an objection and a certificate (of Haizhu's issuer), hours
carried in from another platform, a project, a grant, a station and an
API client; Nonglin Jie (the other street of Yuexiu) gets a community.
"""

import datetime

from django.contrib.auth.models import Permission
from django.test import TestCase

from accounts.models import (
    Community,
    District,
    ElderCategory,
    ElderProfile,
    ProxyAuthorisation,
    Qualification,
    RecipientCategory,
    Relation,
    RelativeLink,
    ScopeLevel,
    ServiceOrganisation,
    StaffScope,
    Street,
    User,
    VerificationStatus,
    VolunteerProfile,
)
from api.clients import register_client
from api.models import ApiClient
from catalogue.models import ServiceType
from credits.carrying import import_statement
from credits.models import Account, CarriedStatement, Hold, ServiceRecord, Transfer, TrustedPlatform
from credits.services import wallet_of
from notifications.models import Notification
from orders import services as orders
from orders.models import Order
from rewards import services as rewards
from rewards.models import (
    Certificate,
    CertificateIssuer,
    Goods,
    Grant,
    Objection,
    PickupStation,
    Project,
    Redemption,
    StarNotice,
)
from series import services as series
from series.models import Series
from tests.conftest import (
    fund,
    make_organisation,
    make_proxy_authorisation,
    make_user,
    make_volunteer_profile,
)
from tests.credits.carry import platform_key, statement_file
from tests.orders.conftest import BEFORE_START, START, place
from tests.rewards.conftest import make_goods, make_station, serve
from timebank.management.commands.seed_demo import STAFF_APPS


def make_city_staff():
    """City-level staff who are not administrators: they keep city data, not staff accounts."""
    user = make_user(email="city.staff@example.org", name="City Officer", is_staff=True)
    StaffScope.objects.create(user=user, level=ScopeLevel.CITY)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label__in=STAFF_APPS))
    return user


def build_haizhu(world):
    """Elder B's side of the city; returns {model: [rows]} of everything built there."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return _build_haizhu(world)


def _build_haizhu(world):
    users = world["users"]
    haizhu = District.objects.get(code="haizhu")
    binjiang = haizhu.streets.get()
    community = Community.objects.create(street=binjiang, name_zh="滨江社区", name_en="Binjiang")
    elder_b = ElderProfile.objects.get(user=users["elder_b"])
    proxy_b = make_user("+8613900000011", name="Zhou Proxy B")
    vol_b = make_user("+8613900000012", name="Liu Volunteer B")
    coord_b = make_user("+8613900000013", name="Ma Coordinator B")
    authorisation = make_proxy_authorisation(elder_b, proxy_b)
    relative = RelativeLink.objects.create(
        requester=proxy_b,
        relative=users["elder_b"],
        relation=Relation.PARENT,
        district=haizhu,
        street=binjiang,
    )
    categories = [
        ElderCategory.objects.create(
            elder=elder_b, category=category, district=haizhu, street=binjiang, status=status
        )
        for category, status in [
            (RecipientCategory.ALONE, VerificationStatus.VERIFIED),
            (RecipientCategory.LOW_INCOME, VerificationStatus.PENDING),
        ]
    ]
    volunteer = make_volunteer_profile(vol_b, haizhu, sequence="141")
    bathing = ServiceType.objects.get(code="bathing")
    qualification = Qualification.objects.create(
        holder=vol_b,
        service_type=bathing,
        certificate_number="HZ-1",
        expires_on=datetime.date(2040, 1, 1),
        district=haizhu,
        street=binjiang,
    )
    organisation = make_organisation(
        coord_b,
        [vol_b],
        [bathing],
        haizhu,
        name="Binjiang Care",
        licence_number="52440105MJ0000002",
        status=VerificationStatus.PENDING,
    )
    order = place(elder_b, ServiceType.objects.get(code="cleaning"))
    orders.approve_order(order, by=users["staff_other"])
    orders.claim_order(order, now=BEFORE_START, by=vol_b)
    serve(vol_b, 100, on=datetime.date(2026, 1, 5))
    fund(vol_b, 20)
    station = make_station(haizhu, name="Binjiang station")
    goods = make_goods(haizhu, name="Haizhu rice")
    redemption = rewards.redeem_goods(goods, station, by=vol_b)
    notice = rewards.open_star_notice(vol_b)
    rewards.object_to_notice(notice, reason="Never saw them serve", by=proxy_b)
    issuer = CertificateIssuer.objects.create(
        district=haizhu, name="Haizhu Federation", person_in_charge="Hu", handler="He", contact="1"
    )
    certificate = rewards.issue_certificate(
        datetime.date(2026, 1, 1), datetime.date(2026, 1, 31), by=vol_b
    )
    platform = TrustedPlatform.objects.get()  # the site map world's
    carried = import_statement(vol_b, statement_file(platform_key(platform), volunteer), by=vol_b)
    project = Project.objects.create(
        code="haizhu-winter", name="Haizhu winter", purpose="Blankets", district=haizhu, target=9
    )
    grant = rewards.propose_grant(elder_b, 2, reason="Alone", by=users["staff_other"])
    standing = series.set_up_series(
        elder_b,
        by=users["elder_b"],
        service_type=ServiceType.objects.get(code="cleaning"),
        weekdays=1,
        time_of_day=datetime.time(9, 0),
        booked_hours=2,
        funding="welfare",
        starts_on=START.date() + datetime.timedelta(days=7),
        visits=4,
        now=BEFORE_START,
    )
    client = ApiClient(
        name="Haizhu registry",
        organisation="Haizhu Civil Affairs",
        purpose="Records",
        district=haizhu,
    )
    register_client(client, by=users["staff_other"])
    people = [users[name] for name in ("elder_b", "proxy_none", "staff_other", "city")]
    return {
        User: [*people, proxy_b, vol_b, coord_b],
        District: [haizhu],
        Street: [binjiang],
        Community: [community],
        ElderProfile: [elder_b],
        ProxyAuthorisation: [authorisation],
        RelativeLink: [relative],
        ElderCategory: categories,
        VolunteerProfile: [volunteer],
        Qualification: [qualification],
        ServiceOrganisation: [organisation],
        Order: [order],
        Notification: list(Notification.objects.filter(topic=order.reference)),
        PickupStation: [station],
        Goods: [goods],
        Redemption: [redemption],
        StarNotice: [notice],
        Objection: list(Objection.objects.filter(notice=notice)),
        Certificate: [certificate],
        CertificateIssuer: [issuer],
        CarriedStatement: [carried],
        Project: [project],
        Grant: [grant],
        Series: [standing],
        Account: [wallet_of(vol_b), wallet_of(users["elder_b"])],
        Transfer: list(Transfer.objects.filter(target__owner=vol_b)),
        Hold: list(Hold.objects.filter(transfer__source__owner=vol_b)),
        ServiceRecord: list(ServiceRecord.objects.filter(volunteer=vol_b)),
        ApiClient: [client],
    }


def outside_of_street(world, haizhu):
    """For staff of A's street: Haizhu's rows and the other street of Yuexiu."""
    nonglin = Street.objects.get(name_en="Nonglin Jie")
    community = Community.objects.create(street=nonglin, name_zh="农林社区", name_en="Nonglin")
    outside = {model: list(rows) for model, rows in haizhu.items()}
    outside[Street] = [*outside[Street], nonglin]
    outside[Community] = [*outside[Community], community]
    outside[User] = [*outside[User], world["users"]["staff_street_other"]]
    return outside
