"""The market lists only orders the volunteer may claim, and says what a qualification opens."""

import datetime

import pytest
from django.urls import reverse as django_reverse
from django.utils import translation

from accounts.models import Qualification, RelativeLink, VerificationStatus
from orders import services
from tests.conftest import make_organisation, make_proxy_authorisation, make_volunteer_profile
from tests.orders.conftest import place

pytestmark = pytest.mark.django_db
VERIFIED = VerificationStatus.VERIFIED
ONE_LOCKED = "取得相应的认证资质后，您还可以接 1 个专业服务订单。"


def market_of(client, volunteer):
    client.force_login(volunteer)
    with translation.override("zh-hans"):
        url = django_reverse("orders:market")
    response = client.get(url)
    return {row.pk for row in response.context["orders"]}, response.content.decode()


@pytest.fixture
def bathing_order(welfare_elder, bathing, staff):
    return services.approve_order(place(welfare_elder, bathing, hours=1), by=staff)


def certificate(user, service_type, *, expires_on):
    return Qualification.objects.create(
        holder=user,
        service_type=service_type,
        certificate_number="CERT-1",
        expires_on=expires_on,
        district=user.volunteer_profile.district,
        status=VERIFIED,
    )


def test_unqualified_volunteer_sees_no_professional_order_and_how_many_a_qualification_opens(
    client, published, bathing_order, verified_volunteer
):
    shown, content = market_of(client, verified_volunteer)

    assert shown == {published.pk}
    assert ONE_LOCKED in content


def test_volunteer_with_a_valid_certificate_sees_the_professional_order(
    client, bathing_order, bathing, verified_volunteer
):
    certificate(verified_volunteer, bathing, expires_on=datetime.date(2031, 1, 1))

    shown, content = market_of(client, verified_volunteer)

    assert shown == {bathing_order.pk}
    assert "认证资质" not in content


def test_certificate_expiring_before_the_order_day_does_not_open_it(
    client, bathing_order, bathing, verified_volunteer
):
    certificate(verified_volunteer, bathing, expires_on=datetime.date(2030, 6, 2))

    shown, content = market_of(client, verified_volunteer)

    assert shown == set()
    assert ONE_LOCKED in content


def test_member_of_a_qualified_organisation_sees_the_professional_order(
    client, bathing_order, bathing, verified_volunteer, other_proxy, yuexiu
):
    make_organisation(other_proxy, [verified_volunteer], [bathing], yuexiu)

    shown, _content = market_of(client, verified_volunteer)

    assert shown == {bathing_order.pk}


def test_volunteer_does_not_see_their_own_order(client, published, welfare_elder, yuexiu):
    make_volunteer_profile(welfare_elder.user, yuexiu, sequence="177")

    assert market_of(client, welfare_elder.user)[0] == set()


def test_volunteer_does_not_see_orders_of_an_elder_they_act_for(
    client, published, welfare_elder, verified_volunteer
):
    make_proxy_authorisation(welfare_elder, verified_volunteer)

    assert market_of(client, verified_volunteer)[0] == set()


@pytest.mark.parametrize("status", [VERIFIED, VerificationStatus.PENDING])
def test_volunteer_does_not_see_orders_of_a_verified_relative_only(
    client, published, welfare_elder, verified_volunteer, status
):
    RelativeLink.objects.create(
        requester=welfare_elder.user,
        relative=verified_volunteer,
        relation="child",
        district=welfare_elder.district,
        status=status,
    )

    shown = market_of(client, verified_volunteer)[0]

    assert shown == (set() if status == VERIFIED else {published.pk})
