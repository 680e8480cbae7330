"""The credits pages speak to the person: what they can do now, and a passbook in plain words."""

import datetime
from datetime import timedelta

import pytest
from django.urls import reverse

from accounts.models import VolunteerProfile
from credits.services import credit_served_time
from orders import services
from orders.models import Funding
from tests.conftest import (
    client_of,
    fund,
    make_elder_profile,
    make_id_number,
    make_user,
    next_key,
    set_policy,
)
from tests.orders.conftest import BEFORE_START, START, place

pytestmark = pytest.mark.django_db


@pytest.fixture
def self_paying_elder(yuexiu):
    """An elder born in 1946 who never served, with 5 credits a child gave her."""
    user = make_user("+8613900000011", name="Self Payer")
    profile = make_elder_profile(user, yuexiu, born=datetime.date(1946, 1, 8), sequence="155")
    fund(user, 5)
    return profile


def credits_page(user):
    with_english = client_of(user).get("/en/credits/")
    return with_english.content.decode()


def complete(order, staff, volunteer, *, minutes=120):
    order = services.approve_order(order, by=staff)
    order = services.claim_order(order, now=BEFORE_START, by=volunteer)
    services.check_in(order, now=START, by=volunteer)
    services.check_out(order, now=START + timedelta(minutes=minutes), by=volunteer)
    return services.confirm_order(order, by=order.elder.user)


def test_an_elder_who_never_served_hears_what_she_can_do_not_about_hours_or_stars(
    self_paying_elder,
):
    page = credits_page(self_paying_elder.user)

    assert "Pay for your own services with them." in page
    assert reverse("orders:start") in page
    assert "more hours of service" not in page
    assert "<progress" not in page and "to the next star" not in page


def test_a_young_volunteer_hears_about_hours_stars_and_the_age_for_own_care(verified_volunteer):
    page = credits_page(verified_volunteer)

    assert "Not yet: redeeming and gifting open after 100 more hours of service." in page
    assert "From age 60 you can pay for your own services with credits" in page
    assert "Pay for your own services with them." not in page
    assert "100 hours to the next star." in page


def test_a_volunteer_over_sixty_without_an_elder_profile_is_shown_how_to_order(volunteer, yuexiu):
    VolunteerProfile.objects.create(
        user=volunteer,
        real_name=volunteer.name,
        id_number=make_id_number(datetime.date(1960, 3, 1), sequence="166"),
        birth_date=datetime.date(1960, 3, 1),
        health_declared=True,
        district=yuexiu,
        street=yuexiu.streets.first(),
    )

    page = credits_page(volunteer)

    assert "Pay for your own services with them." in page
    assert reverse("people:elder_self") in page
    assert "From age 60" not in page


def test_a_paid_order_shows_as_set_aside_then_spent_with_its_number(
    self_paying_elder, cleaning, staff, verified_volunteer
):
    order = complete(
        place(self_paying_elder, cleaning, funding=Funding.OWN_CREDITS), staff, verified_volunteer
    )

    page = credits_page(self_paying_elder.user)

    assert "Set aside for a service you ordered" in page
    assert "Paid for the service on" in page
    assert "The 2 credits set aside paid for the service." in page
    assert f'<a href="{order.get_absolute_url()}">Order {order.number}' in page
    assert "Escrow" not in page and "Issuance" not in page


def test_a_cancelled_paid_order_shows_the_credits_returned(self_paying_elder, cleaning):
    order = place(self_paying_elder, cleaning, funding=Funding.OWN_CREDITS)
    services.cancel_order(order, by=self_paying_elder.user, reason="Ill")

    page = credits_page(self_paying_elder.user)

    assert "Returned to you: the service did not take place" in page
    assert "Returned to you on" in page
    assert "paid for the service." not in page


def test_an_open_hold_says_it_is_still_set_aside(self_paying_elder, cleaning):
    place(self_paying_elder, cleaning, funding=Funding.OWN_CREDITS)

    assert "Still set aside" in credits_page(self_paying_elder.user)


def test_the_volunteer_sees_the_minutes_and_the_order_they_earned_for(
    welfare_elder, cleaning, staff, verified_volunteer
):
    order = complete(place(welfare_elder, cleaning), staff, verified_volunteer, minutes=90)

    page = credits_page(verified_volunteer)

    assert "Earned for 90 minutes of service" in page
    assert order.get_absolute_url() in page
    assert "(and 30 minutes carried to your next service)" in page


def test_minutes_that_make_no_whole_credit_yet_are_on_the_passbook(verified_volunteer):
    credit_served_time(verified_volunteer, 30, key=next_key())

    page = credits_page(verified_volunteer)

    assert "30 minutes of service, carried to your next service: not a whole credit yet." in page


def test_the_order_page_tells_the_volunteer_what_went_to_the_pool(
    welfare_elder, cleaning, staff, verified_volunteer
):
    set_policy(wallet_cap=1)
    order = complete(place(welfare_elder, cleaning), staff, verified_volunteer)

    page = client_of(verified_volunteer).get(f"/en/orders/{order.pk}/").content.decode()

    assert "1 credit you earned went to the public pool: your wallet was at its cap." in page
