"""Redeem, gift and donate forms sent again (double tap, Back, reload) act once.

Logged-in pages are never cached, so Back fetches the form page again; these
tests do what the browser does: fetch the page, send its form, fetch the same
address again and send the form found there.
"""

import re

import pytest
from django.urls import reverse

from credits.models import Transfer, TransferKind
from rewards.models import Redemption
from tests.conftest import balance, fund, messages_of, set_policy
from tests.rewards.conftest import link, make_goods

pytestmark = pytest.mark.django_db

HIDDEN = re.compile(r'<input type="hidden" name="(\w+)" value="([^"]*)"')


@pytest.fixture(autouse=True)
def funded(volunteer):
    set_policy(spendable_after_hours=0)
    fund(volunteer, 30)
    return volunteer


@pytest.fixture
def rice(yuexiu):
    """No limit per person, so only the key can stop a second redemption."""
    return make_goods(yuexiu, limit_per_person=0)


def form_page(client, url, query=None):
    """Open a page as a browser would (following redirects): its address and hidden fields."""
    response = client.get(url, query, follow=True)
    address = response.request["PATH_INFO"]
    if response.request["QUERY_STRING"]:
        address += "?" + response.request["QUERY_STRING"]
    return address, dict(HIDDEN.findall(response.content.decode()))


def send(client, page, **fields):
    address, hidden = page
    return client.post(address, {**hidden, **fields})


def test_the_goods_page_sent_again_after_back_redeems_once(client, volunteer, rice, station):
    client.force_login(volunteer)
    url = reverse("rewards:goods", args=[rice.pk])

    page = form_page(client, url)
    first = send(client, page, station=station.pk)
    client.get(first.url)
    back = client.get(page[0]).content.decode()
    again = send(client, form_page(client, page[0]), station=station.pk)

    redemption = Redemption.objects.get()
    assert again.url == first.url == redemption.get_absolute_url()
    assert "You already redeemed this from this page." in back
    assert 'name="station"' not in back
    assert messages_of(again) == ["This was already redeemed; nothing more was taken."]
    rice.refresh_from_db()
    assert (rice.stock, balance(volunteer)) == (4, 20)


def test_the_goods_page_opened_anew_redeems_again(client, volunteer, rice, station):
    client.force_login(volunteer)
    url = reverse("rewards:goods", args=[rice.pk])

    first, second = form_page(client, url), form_page(client, url)
    send(client, first, station=station.pk)
    send(client, second, station=station.pk)

    assert first[0].startswith(url + "?key=")
    assert Redemption.objects.count() == 2


def test_a_gift_confirmed_again_after_back_gives_once(client, volunteer, elder, yuexiu):
    link(volunteer, elder, yuexiu)
    client.force_login(volunteer)

    page = form_page(client, reverse("rewards:gift"), {"receiver": elder.pk, "amount": 5})
    send(client, page)
    client.get(reverse("credits:mine"))
    back = client.get(page[0]).content.decode()
    again = send(client, form_page(client, page[0]))

    assert again.url == reverse("credits:mine")
    assert "You already gave 5 credits to Chen Elder from this page." in back
    assert messages_of(again) == ["This gift was already given; nothing more was taken."]
    assert Transfer.objects.filter(kind=TransferKind.GIFT).count() == 1
    assert balance(elder) == 5


def test_a_donation_sent_again_after_back_gives_once(client, volunteer):
    client.force_login(volunteer)

    page = form_page(client, reverse("rewards:donate"))
    send(client, page, amount=4)
    client.get(reverse("credits:mine"))
    back = client.get(page[0]).content.decode()
    again = send(client, form_page(client, page[0]), amount=4)

    assert "You already donated from this page." in back
    assert messages_of(again) == ["This donation was already made; nothing more was taken."]
    assert Transfer.objects.filter(kind=TransferKind.DONATE).count() == 1
    assert balance(volunteer) == 26


def test_the_key_is_added_to_the_address_and_the_rest_of_it_kept(client, volunteer, project):
    client.force_login(volunteer)

    response = client.get(reverse("rewards:donate"), {"project": project.pk})

    assert re.fullmatch(
        rf"/en/rewards/donate/\?project={project.pk}&key=[0-9a-f]{{32}}", response.url
    )


def test_anonymous_visitors_see_the_goods_without_a_key(client, rice):
    response = client.get(reverse("rewards:goods", args=[rice.pk]))

    assert response.status_code == 200
    assert 'name="station"' not in response.content.decode()
