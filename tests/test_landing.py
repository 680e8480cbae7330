"""Where each person lands after login and from the header, the role switch, and elder mode."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import Role, User
from accounts.roles import ELDER_MODE_COOKIE, roles_of
from tests.conftest import (
    DEMO_PASSWORD,
    admin_url,
    client_of,
    make_elder_profile,
    make_organisation,
    make_proxy_authorisation,
    make_volunteer_profile,
)

pytestmark = pytest.mark.django_db

LANDING = "/zh-hans/start/"
CHOOSE = "/zh-hans/start/role/"


def lands_on(client):
    response = client.get(LANDING)
    assert response.status_code == 302
    return response.url


def test_elder_lands_on_their_own_services(elder, elder_profile):
    assert lands_on(client_of(elder)) == reverse("orders:elder_home", args=[elder_profile.pk])


def test_proxy_lands_on_the_elders_they_act_for(proxy, proxy_authorisation):
    assert lands_on(client_of(proxy)) == reverse("orders:start")


def test_volunteer_lands_on_the_market(volunteer, volunteer_profile):
    assert lands_on(client_of(volunteer)) == reverse("orders:market")


def test_coordinator_lands_on_their_organisation(proxy, yuexiu, bathing):
    organisation = make_organisation(proxy, [], [bathing], yuexiu)

    assert lands_on(client_of(proxy)) == reverse("orders:organisation", args=[organisation.pk])


def test_staff_land_on_the_dashboard(district_staff):
    assert lands_on(client_of(district_staff)) == admin_url("dashboard")


def test_a_person_without_a_role_lands_on_the_home_page(volunteer):
    assert lands_on(client_of(volunteer)) == reverse("home")


def test_a_pending_proxy_link_is_no_role(proxy, elder_profile):
    make_proxy_authorisation(elder_profile, proxy, status="pending")

    assert roles_of(proxy) == []


def test_login_lands_on_the_role_page(client, volunteer, volunteer_profile):
    response = client.post(
        "/zh-hans/accounts/login/", {"login": "13900000003", "password": DEMO_PASSWORD}
    )

    assert response.url == reverse("landing")
    assert lands_on(client) == reverse("orders:market")


@pytest.fixture
def volunteer_and_proxy(volunteer, volunteer_profile, elder_profile):
    make_proxy_authorisation(elder_profile, volunteer)
    return volunteer


def test_several_roles_are_asked_to_choose_once(volunteer_and_proxy):
    client = client_of(volunteer_and_proxy)

    assert lands_on(client) == reverse("choose_role")
    page = client.get(CHOOSE).content.decode()
    assert "代长者下单" in page and "志愿者" in page

    response = client.post(CHOOSE, {"role": "volunteer"})

    assert response.url == reverse("landing")
    assert User.objects.get(pk=volunteer_and_proxy.pk).landing_role == Role.VOLUNTEER
    assert lands_on(client) == reverse("orders:market")


def test_the_header_offers_the_switch_once_a_role_is_chosen(volunteer_and_proxy):
    client = client_of(volunteer_and_proxy)
    assert 'href="/zh-hans/start/role/"' not in client.get("/zh-hans/").content.decode()

    client.post(CHOOSE, {"role": "proxy"})

    header = client.get("/zh-hans/").content.decode()
    assert 'href="/zh-hans/start/role/"' in header
    assert 'href="/zh-hans/start/"' in header
    assert lands_on(client) == reverse("orders:start")


def test_nobody_switches_to_a_role_they_do_not_have(volunteer_and_proxy):
    client = client_of(volunteer_and_proxy)

    response = client.post(CHOOSE, {"role": "staff"})

    assert response.status_code == 200
    assert "您没有这个身份。" in response.content.decode()
    assert User.objects.get(pk=volunteer_and_proxy.pk).landing_role == ""


def test_a_chosen_role_no_longer_held_asks_again(volunteer_and_proxy):
    client = client_of(volunteer_and_proxy)
    client.post(CHOOSE, {"role": "proxy"})
    volunteer_and_proxy.proxy_authorisations.update(status="revoked")

    assert lands_on(client) == reverse("orders:market")


# Elder mode ---------------------------------------------------------------


def test_elder_mode_is_stored_on_the_person_and_shows_only_elder_tasks(elder, elder_profile):
    client = client_of(elder)
    plain = client.get("/zh-hans/").content.decode()
    assert "elder-mode" not in plain and 'href="/zh-hans/orders/market/"' in plain

    response = client.post("/zh-hans/elder-mode/", {"elder_mode": "1", "next": "/zh-hans/"})

    assert response.url == "/zh-hans/"
    assert User.objects.get(pk=elder.pk).elder_mode
    page = client.get("/zh-hans/").content.decode()
    assert '<html lang="zh-hans" class="elder-mode">' in page
    assert "data-read-aloud" in page
    assert 'href="/zh-hans/orders/market/"' not in page
    assert 'href="/zh-hans/rewards/"' not in page
    assert 'href="/zh-hans/orders/mine/"' in page


def test_elder_mode_turns_off_again(elder):
    client = client_of(elder)
    client.post("/zh-hans/elder-mode/", {"elder_mode": "1"})
    client.post("/zh-hans/elder-mode/", {"elder_mode": "0"})

    assert not User.objects.get(pk=elder.pk).elder_mode


def test_elder_mode_chosen_on_the_login_page_is_saved_to_the_person_at_login(client, elder):
    assert "elder_mode" in client.get("/zh-hans/accounts/login/").content.decode()
    client.post("/zh-hans/elder-mode/", {"elder_mode": "1", "next": "/zh-hans/accounts/login/"})
    assert "elder-mode" in client.get("/zh-hans/accounts/login/").content.decode()

    client.post("/zh-hans/accounts/login/", {"login": "13900000001", "password": DEMO_PASSWORD})

    assert User.objects.get(pk=elder.pk).elder_mode


def test_elder_mode_does_not_send_anyone_to_another_site(client):
    response = client.post(
        "/zh-hans/elder-mode/", {"elder_mode": "1", "next": "https://example.com/"}
    )

    assert response.url == "/zh-hans/"
    assert response.cookies[ELDER_MODE_COOKIE].value == "1"


def test_elder_mode_lands_a_volunteer_elder_on_the_elder_side(volunteer, volunteer_profile, yuexiu):
    elder_profile = make_elder_profile(volunteer, yuexiu, sequence="126")
    client = client_of(volunteer)
    client.post(CHOOSE, {"role": "volunteer"})
    client.post("/zh-hans/elder-mode/", {"elder_mode": "1"})

    assert lands_on(client) == reverse("orders:elder_home", args=[elder_profile.pk])


def test_elder_mode_needs_a_post(client):
    assert client.get("/zh-hans/elder-mode/").status_code == 405


def test_make_volunteer_profile_is_enough_for_the_volunteer_role(volunteer, yuexiu):
    make_volunteer_profile(volunteer, yuexiu, status="pending")

    assert roles_of(volunteer) == [Role.VOLUNTEER]


def test_each_demo_persona_lands_where_their_role_starts():
    call_command("seed_demo", stdout=StringIO())
    elder = User.objects.get(phone="+8613800000001")
    landings = {
        login: lands_on(client_of(User.objects.get(**lookup)))
        for login, lookup in [
            ("elder", {"phone": "+8613800000001"}),
            ("proxy", {"phone": "+8613800000002"}),
            ("volunteer", {"phone": "+8613800000003"}),
            ("staff", {"email": "staff.yuexiu@example.org"}),
            ("admin", {"email": "admin@example.org"}),
        ]
    }

    assert landings == {
        "elder": reverse("orders:elder_home", args=[elder.elder_profile.pk]),
        "proxy": reverse("orders:start"),
        "volunteer": reverse("orders:market"),
        "staff": admin_url("dashboard"),
        "admin": admin_url("dashboard"),
    }
    assert elder.elder_mode


def test_elder_mode_with_a_next_that_looks_like_a_view_name_is_no_server_error(client):
    response = client.post("/zh-hans/elder-mode/", {"elder_mode": "1", "next": "home"})

    assert response.status_code == 302
    assert response.url == "home"
