"""Builders for rewards tests: stations, goods, served hours, projects."""

import datetime
import itertools

import pytest
from django.contrib.auth.models import Permission
from django.utils import translation

from accounts.models import RelativeLink, VerificationStatus
from credits.models import ServiceRecord
from rewards.models import CertificateIssuer, Goods, PickupStation, Project
from tests.conftest import make_elder_profile, make_staff, make_user

_keys = itertools.count()


@pytest.fixture(autouse=True)
def english():
    """Assertions read the English source messages."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def city_issuer(db):
    """Certificates need an issuer: the city's, unless a test sets a district's."""
    return make_issuer(None, name="Guangzhou Volunteers Federation")


def make_issuer(district, *, name):
    return CertificateIssuer.objects.create(
        district=district,
        name=name,
        person_in_charge=f"Head of {name}",
        handler=f"Clerk of {name}",
        contact="020-1234 5678",
    )


def serve(user, hours, *, on=None):
    """Record served hours straight into the tally (no credits minted)."""
    return ServiceRecord.objects.create(
        volunteer=user,
        minutes=hours * 60,
        served_on=on or datetime.date(2026, 1, 5),
        credited=0,
        pooled=0,
        idempotency_key=f"served:{next(_keys)}",
    )


def make_station(district, name="Beijing Jie station"):
    return PickupStation.objects.create(
        name=name, district=district, street=district.streets.first(), address="3 Station Road"
    )


def make_goods(district, *, name="Rice 5 kg", price=10, stock=5, **fields):
    return Goods.objects.create(name=name, price=price, stock=stock, district=district, **fields)


def allow_rewards(*staff):
    """Give staff the rewards model permissions (the shared builder gives accounts ones)."""
    for user in staff:
        user.user_permissions.add(*Permission.objects.filter(content_type__app_label="rewards"))


@pytest.fixture
def station(yuexiu):
    return make_station(yuexiu)


@pytest.fixture
def haizhu_station(haizhu):
    return make_station(haizhu, name="Binjiang station")


@pytest.fixture
def rice(yuexiu):
    return make_goods(yuexiu, sponsor="Yuexiu Grain Co.")


@pytest.fixture
def project(yuexiu):
    return Project.objects.create(
        code="warm-winter", name="Warm winter", purpose="Heaters", district=yuexiu, target=500
    )


@pytest.fixture
def second_staff(yuexiu):
    return make_staff("second.staff@example.org", yuexiu)


@pytest.fixture
def needy_elder(yuexiu):
    return make_elder_profile(
        make_user("+8613900000021", name="Huang Elder"), yuexiu, sequence="321"
    )


def link(requester, relative, district, status=VerificationStatus.VERIFIED):
    return RelativeLink.objects.create(
        requester=requester,
        relative=relative,
        relation="parent",
        district=district,
        status=status,
        decision_reason="Not proven" if status == VerificationStatus.REJECTED else "",
    )
