"""The coordinator's page of a service organisation (DESIGN §2): services, members and
the members' professional orders, without the elders' contact data (§5)."""

import datetime

import pytest
from django.urls import reverse

from accounts.models import ServiceOrganisation, VerificationStatus
from orders.models import Funding, Order, OrderStatus
from orders.views import PAGE_SIZE
from tests.conftest import (
    make_elder_profile,
    make_organisation,
    make_service_type,
    make_user,
    make_volunteer_profile,
)
from tests.orders.conftest import START

pytestmark = pytest.mark.usefixtures("english")

ELDER_ADDRESS = "9 Kapok Lane"


@pytest.fixture
def coordinator(db):
    return make_user("+8613900000007", name="Huang Coordinator")


@pytest.fixture
def member(volunteer, yuexiu):
    make_volunteer_profile(volunteer, yuexiu)
    return volunteer


@pytest.fixture
def organisation(coordinator, member, bathing, yuexiu):
    return make_organisation(coordinator, [member], [bathing], yuexiu)


@pytest.fixture
def elder_profile(elder, yuexiu):
    profile = make_elder_profile(elder, yuexiu)
    profile.address = ELDER_ADDRESS
    profile.save(update_fields=["address"])
    return profile


def taken(elder_profile, service_type, volunteer, *, starts_at=START):
    """An order the volunteer has claimed, as `submit_order` and `claim_order` leave it."""
    return Order.objects.create(
        elder=elder_profile,
        placed_by=elder_profile.user,
        service_type=service_type,
        starts_at=starts_at,
        booked_hours=2,
        district=elder_profile.district,
        street=elder_profile.street,
        address_detail=elder_profile.address,
        contact_phone=elder_profile.phone,
        funding=Funding.WELFARE,
        status=OrderStatus.CLAIMED,
        volunteer=volunteer,
    )


def page(client, user, organisation, **params):
    if user is not None:
        client.force_login(user)
    return client.get(reverse("orders:organisation", args=[organisation.pk]), params)


def listed(response):
    return [order for order, _volunteer in response.context["orders"]]


def test_coordinator_sees_services_members_and_their_professional_orders(
    client, coordinator, organisation, member, elder_profile, bathing
):
    order = taken(elder_profile, bathing, member)

    response = page(client, coordinator, organisation)

    content = response.content.decode()
    assert response.status_code == 200
    assert "52440104MJ0000001" in content
    assert str(bathing) in content
    assert "L***********" in content and "Qualified for its services" in content
    assert listed(response) == [order]
    assert "Volunteer on the way" in content


def test_member_names_are_masked(client, coordinator, organisation, elder_profile, bathing, member):
    taken(elder_profile, bathing, member)

    content = page(client, coordinator, organisation).content.decode()

    assert "Li Volunteer" not in content


def test_general_order_of_a_member_is_not_listed(
    client, coordinator, organisation, member, elder_profile
):
    taken(elder_profile, make_service_type("cleaning", "general"), member)

    assert listed(page(client, coordinator, organisation)) == []


def test_order_of_a_member_for_a_service_the_organisation_lacks_is_not_listed(
    client, coordinator, organisation, member, elder_profile
):
    taken(elder_profile, make_service_type("legal"), member)

    assert listed(page(client, coordinator, organisation)) == []


def test_order_of_a_non_member_is_not_listed(
    client, coordinator, organisation, other_volunteer, elder_profile, bathing, yuexiu
):
    make_volunteer_profile(other_volunteer, yuexiu, sequence="126")
    taken(elder_profile, bathing, other_volunteer)

    response = page(client, coordinator, organisation)

    assert listed(response) == []
    assert "Your members have taken no orders of these services yet." in response.content.decode()


@pytest.mark.parametrize(
    "status", [VerificationStatus.PENDING, VerificationStatus.REJECTED, VerificationStatus.REVOKED]
)
def test_organisation_not_verified_shows_no_orders(
    client, coordinator, organisation, member, elder_profile, bathing, status
):
    ServiceOrganisation.objects.filter(pk=organisation.pk).update(
        status=status, decision_reason="Licence image unreadable"
    )
    taken(elder_profile, bathing, member)

    response = page(client, coordinator, organisation)

    assert listed(response) == []
    assert "once staff have verified the organisation" in response.content.decode()


def test_rejected_organisation_shows_the_reason(client, coordinator, organisation):
    ServiceOrganisation.objects.filter(pk=organisation.pk).update(
        status=VerificationStatus.REJECTED, decision_reason="Licence image unreadable"
    )

    assert "Licence image unreadable" in page(client, coordinator, organisation).content.decode()


def test_member_without_a_verified_volunteer_profile_is_not_qualified(
    client, coordinator, organisation, other_volunteer, yuexiu
):
    make_volunteer_profile(other_volunteer, yuexiu, status="pending", sequence="126")
    organisation.members.add(other_volunteer)

    members = page(client, coordinator, organisation).context["members"]

    assert [qualified for _name, qualified, _standing in members] == [True, False]
    assert members[1][2] == "Volunteer profile not verified"


@pytest.mark.parametrize("persona", ["other_coordinator", "member", "elder"])
def test_page_is_not_found_for_anyone_but_the_coordinator(
    client, organisation, member, elder, persona, bathing, yuexiu
):
    other_coordinator = make_user("+8613900000008", name="Zhao Coordinator")
    make_organisation(other_coordinator, [], [bathing], yuexiu, licence_number="L-2")
    user = {"other_coordinator": other_coordinator, "member": member, "elder": elder}[persona]

    assert page(client, user, organisation).status_code == 404


def test_anonymous_is_sent_to_log_in(client, organisation):
    response = page(client, None, organisation)

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_page_shows_no_elder_contact_data(
    client, coordinator, organisation, member, elder_profile, bathing
):
    taken(elder_profile, bathing, member)

    content = page(client, coordinator, organisation).content.decode()

    assert ELDER_ADDRESS not in content
    assert "13900000001" not in content
    assert "Chen Elder" not in content and "C*****" not in content


def test_orders_come_newest_first_a_page_at_a_time(
    client, coordinator, organisation, member, elder_profile, bathing
):
    orders = [
        taken(elder_profile, bathing, member, starts_at=START + datetime.timedelta(days=day))
        for day in range(PAGE_SIZE + 1)
    ]
    newest_first = orders[::-1]

    first = page(client, coordinator, organisation)
    second = page(client, coordinator, organisation, after=first.context["next_cursor"])

    assert listed(first) == newest_first[:PAGE_SIZE]
    assert listed(second) == newest_first[PAGE_SIZE:]
    assert second.context["next_cursor"] is None


def test_page_runs_a_fixed_number_of_queries(
    client, coordinator, organisation, elder_profile, bathing, yuexiu, django_assert_num_queries
):
    members = [make_user(f"+861390000010{n}", name=f"Member {n}") for n in range(4)]
    for n, user in enumerate(members):
        make_volunteer_profile(user, yuexiu, sequence=f"13{n}")
        taken(elder_profile, bathing, user, starts_at=START + datetime.timedelta(days=n))
        taken(elder_profile, bathing, user, starts_at=START + datetime.timedelta(days=n, hours=4))
    organisation.members.add(*members)
    organisation.service_types.add(make_service_type("legal"))
    client.force_login(coordinator)
    url = reverse("orders:organisation", args=[organisation.pk])

    # session, user, organisation, a page of orders, members, unread notices, services
    with django_assert_num_queries(7):
        response = client.get(url)

    assert len(listed(response)) == 8


def test_me_page_links_to_the_organisation(client, coordinator, organisation):
    client.force_login(coordinator)

    content = client.get(reverse("people:me")).content.decode()

    assert reverse("orders:organisation", args=[organisation.pk]) in content
