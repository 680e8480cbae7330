"""Builders for orders: a welfare elder, verified volunteers, orders in each state."""

import datetime
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone, translation

from accounts.models import ElderCategory, RecipientCategory, VerificationStatus
from catalogue.models import ServiceKind, ServiceType
from orders import services
from orders.models import Funding
from tests.conftest import make_elder_profile, make_volunteer_profile


@pytest.fixture
def english():
    """Service tests match the English messages; pages are tested in Chinese."""
    with translation.override("en"):
        yield


START = timezone.make_aware(datetime.datetime(2030, 6, 3, 9, 0))
BEFORE_START = START - timedelta(days=2)


@pytest.fixture
def cleaning(db):
    return ServiceType.objects.create(
        code="cleaning", kind=ServiceKind.GENERAL, name_zh="助洁服务", name_en="Cleaning"
    )


@pytest.fixture
def welfare_elder(elder_profile, district_staff):
    """The elder of the personas, with a verified low-income category."""
    return give_welfare_category(elder_profile)


def give_welfare_category(elder_profile):
    """A verified low-income category: the elder's orders are welfare, free to them."""
    ElderCategory.objects.create(
        elder=elder_profile,
        category=RecipientCategory.LOW_INCOME,
        status=VerificationStatus.VERIFIED,
        district=elder_profile.district,
        street=elder_profile.street,
    )
    return elder_profile


@pytest.fixture
def verified_volunteer(volunteer, yuexiu):
    make_volunteer_profile(volunteer, yuexiu)
    return volunteer


@pytest.fixture
def second_volunteer(other_volunteer, yuexiu):
    make_volunteer_profile(other_volunteer, yuexiu, sequence="126")
    return other_volunteer


@pytest.fixture
def staff(district_staff):
    district_staff.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="orders")
    )
    return district_staff


def place(
    elder_profile, service_type, *, funding=Funding.WELFARE, hours=2, starts_at=START, by=None
):
    return services.submit_order(
        elder_profile,
        by=by or elder_profile.user,
        service_type=service_type,
        starts_at=starts_at,
        booked_hours=hours,
        funding=funding,
        now=BEFORE_START,
    )


@pytest.fixture
def submitted(welfare_elder, cleaning):
    return place(welfare_elder, cleaning)


@pytest.fixture
def published(submitted, staff):
    return services.approve_order(submitted, by=staff)


@pytest.fixture
def claimed(published, verified_volunteer):
    return services.claim_order(published, now=BEFORE_START, by=verified_volunteer)


@pytest.fixture
def delivered(claimed, verified_volunteer):
    services.check_in(claimed, now=START, by=verified_volunteer)
    return services.check_out(claimed, now=START + timedelta(minutes=90), by=verified_volunteer)


def make_second_elder(user, district):
    return make_elder_profile(user, district, sequence="144")
