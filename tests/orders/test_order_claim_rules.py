"""Every rule of who may claim an order, each with a test that fails without it."""

import datetime
from datetime import timedelta

import pytest

from accounts.models import (
    Qualification,
    RelativeLink,
    ServiceOrganisation,
    VerificationStatus,
)
from orders import services
from orders.models import OrderStatus
from orders.services import OrderError, OrderTaken
from tests.conftest import make_proxy_authorisation, make_user, make_volunteer_profile
from tests.orders.conftest import BEFORE_START, START, place

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
VERIFIED = VerificationStatus.VERIFIED


def claim(order, volunteer):
    return services.claim_order(order, now=BEFORE_START, by=volunteer)


@pytest.fixture
def bathing_order(welfare_elder, bathing, staff):
    return services.approve_order(place(welfare_elder, bathing, hours=1), by=staff)


def certificate(user, service_type, *, expires_on=datetime.date(2031, 1, 1), status=VERIFIED):
    return Qualification.objects.create(
        holder=user,
        service_type=service_type,
        certificate_number="CERT-1",
        expires_on=expires_on,
        district=user.volunteer_profile.district,
        status=status,
    )


def test_first_eligible_volunteer_claims(published, verified_volunteer):
    order = claim(published, verified_volunteer)

    assert order.status == OrderStatus.CLAIMED
    assert order.volunteer == verified_volunteer


def test_second_claim_is_told_another_volunteer_has_taken_it(claimed, second_volunteer):
    with pytest.raises(OrderTaken, match="Another volunteer has taken this order"):
        claim(claimed, second_volunteer)


def test_unverified_volunteer_cannot_claim(published, volunteer, yuexiu):
    make_volunteer_profile(volunteer, yuexiu, status=VerificationStatus.PENDING)

    with pytest.raises(OrderError, match="verified volunteers"):
        claim(published, volunteer)


def test_person_without_a_volunteer_profile_cannot_claim(published, other_proxy):
    with pytest.raises(OrderError, match="verified volunteers"):
        claim(published, other_proxy)


def test_volunteer_cannot_claim_their_own_order(published, welfare_elder, yuexiu):
    make_volunteer_profile(welfare_elder.user, yuexiu, sequence="177")

    with pytest.raises(OrderError, match="your own order"):
        claim(published, welfare_elder.user)


def test_volunteer_cannot_claim_an_order_of_an_elder_under_their_own_resident_id(
    published, verified_volunteer
):
    # Only records from before one number meant one account can hold this; the rule still looks.
    published.elder.id_number = verified_volunteer.volunteer_profile.id_number

    refusal = services.claim_refusal(published, verified_volunteer, now=BEFORE_START)

    assert refusal == "You cannot claim your own order."


def test_volunteer_cannot_claim_order_of_an_elder_they_act_for(
    published, welfare_elder, verified_volunteer
):
    make_proxy_authorisation(welfare_elder, verified_volunteer)

    with pytest.raises(OrderError, match="act for"):
        claim(published, verified_volunteer)


def test_volunteer_cannot_claim_order_of_own_relative(published, welfare_elder, verified_volunteer):
    RelativeLink.objects.create(
        requester=verified_volunteer,
        relative=welfare_elder.user,
        relation="child",
        district=welfare_elder.district,
        status=VERIFIED,
    )

    with pytest.raises(OrderError, match="relative"):
        claim(published, verified_volunteer)


def test_unverified_relative_link_does_not_block(published, welfare_elder, verified_volunteer):
    RelativeLink.objects.create(
        requester=verified_volunteer,
        relative=welfare_elder.user,
        relation="child",
        district=welfare_elder.district,
    )

    assert claim(published, verified_volunteer).status == OrderStatus.CLAIMED


def test_volunteer_cannot_hold_two_overlapping_claims(
    published, welfare_elder, cleaning, staff, verified_volunteer
):
    claim(published, verified_volunteer)
    overlapping = services.approve_order(
        place(welfare_elder, cleaning, starts_at=START + timedelta(hours=1)), by=staff
    )
    later = services.approve_order(
        place(welfare_elder, cleaning, starts_at=START + timedelta(hours=2)), by=staff
    )

    with pytest.raises(OrderError, match="at that time"):
        claim(overlapping, verified_volunteer)
    assert claim(later, verified_volunteer).status == OrderStatus.CLAIMED


def test_order_that_has_started_cannot_be_claimed(published, verified_volunteer):
    with pytest.raises(OrderError, match="already started"):
        services.claim_order(published, now=START, by=verified_volunteer)


def test_professional_service_needs_a_qualification(bathing_order, verified_volunteer):
    with pytest.raises(OrderError, match="professional service"):
        claim(bathing_order, verified_volunteer)


def test_own_verified_certificate_qualifies(bathing_order, verified_volunteer, bathing):
    certificate(verified_volunteer, bathing)

    assert claim(bathing_order, verified_volunteer).status == OrderStatus.CLAIMED


def test_certificate_expired_by_the_service_day_does_not_qualify(
    bathing_order, verified_volunteer, bathing
):
    certificate(verified_volunteer, bathing, expires_on=START.date() - timedelta(days=1))

    with pytest.raises(OrderError, match="professional service"):
        claim(bathing_order, verified_volunteer)


def test_pending_certificate_does_not_qualify(bathing_order, verified_volunteer, bathing):
    certificate(verified_volunteer, bathing, status=VerificationStatus.PENDING)

    with pytest.raises(OrderError, match="professional service"):
        claim(bathing_order, verified_volunteer)


def test_membership_of_a_qualified_organisation_qualifies(
    bathing_order, verified_volunteer, bathing, yuexiu
):
    organisation = ServiceOrganisation.objects.create(
        name="Care Centre",
        licence_number="LIC-1",
        coordinator=make_user("+8613900000021"),
        district=yuexiu,
        status=VERIFIED,
    )
    organisation.service_types.add(bathing)
    organisation.members.add(verified_volunteer)

    assert claim(bathing_order, verified_volunteer).status == OrderStatus.CLAIMED


def test_claim_refusal_explains_without_claiming(published, welfare_elder):
    reason = services.claim_refusal(published, welfare_elder.user, now=BEFORE_START)

    assert "verified volunteers" in reason
    published.refresh_from_db()
    assert published.status == OrderStatus.PUBLISHED
