"""Who sees an order's address and phone (DESIGN §5): one rule on the model."""

from datetime import timedelta

import pytest

from orders import services
from tests.orders.conftest import START

pytestmark = pytest.mark.django_db


def test_claiming_volunteer_sees_the_address_until_a_day_after_completion(
    delivered, welfare_elder, verified_volunteer
):
    order = services.confirm_order(delivered, by=welfare_elder.user)

    assert order.shows_contact_to(verified_volunteer, now=order.completed_at + timedelta(hours=23))
    assert not order.shows_contact_to(
        verified_volunteer, now=order.completed_at + timedelta(hours=25)
    )


def test_before_claiming_no_volunteer_sees_the_address(published, verified_volunteer):
    assert not published.shows_contact_to(verified_volunteer)


def test_another_volunteer_never_sees_the_address(claimed, second_volunteer):
    assert not claimed.shows_contact_to(second_volunteer, now=START)


def test_the_elder_side_always_sees_it(claimed, welfare_elder, proxy_authorisation, proxy):
    assert claimed.shows_contact_to(welfare_elder.user)
    assert claimed.shows_contact_to(proxy)


def test_staff_see_it_only_in_their_area(claimed, staff, other_district_staff):
    assert claimed.shows_contact_to(staff)
    assert not claimed.shows_contact_to(other_district_staff)
