"""Staff reach only the login accounts of people of their area.

Before this scoping, staff of any district could open (and edit the phone
and email of) any elder's account in the admin, and later any account
without a profile, such as a proxy's or a relative's.
"""

from django.urls import reverse
from django.utils import translation

from accounts.models import RelativeLink
from tests.conftest import make_staff, make_user


def user_change(user):
    with translation.override("zh-hans"):
        return reverse("admin:accounts_user_change", args=[user.pk])


def test_staff_of_another_district_cannot_open_an_elders_account(
    client, elder_profile, other_district_staff
):
    client.force_login(other_district_staff)

    response = client.get(user_change(elder_profile.user))

    assert response.status_code == 302
    assert elder_profile.user.phone.encode() not in response.content


def test_staff_of_another_district_do_not_find_the_elder_in_the_list(
    client, elder_profile, other_district_staff
):
    client.force_login(other_district_staff)
    with translation.override("zh-hans"):
        url = reverse("admin:accounts_user_changelist")

    response = client.get(url, {"q": elder_profile.user.phone})

    assert elder_profile.user.name not in response.content.decode()


def test_staff_of_another_district_cannot_open_a_volunteers_account(
    client, volunteer_profile, other_district_staff
):
    client.force_login(other_district_staff)

    assert client.get(user_change(volunteer_profile.user)).status_code == 302


def test_staff_of_the_district_and_city_staff_open_the_elders_account(
    client, elder_profile, district_staff, city_staff
):
    for staff in (district_staff, city_staff):
        client.force_login(staff)
        assert client.get(user_change(elder_profile.user)).status_code == 200


def user_list(client, **query):
    with translation.override("zh-hans"):
        url = reverse("admin:accounts_user_changelist")
    return client.get(url, query)


def listed(response):
    return [user.pk for user in response.context["cl"].result_list]


def test_staff_of_the_elders_district_open_and_list_the_elders_proxy(
    client, proxy_authorisation, district_staff
):
    proxy = proxy_authorisation.proxy
    client.force_login(district_staff)

    assert client.get(user_change(proxy)).status_code == 200
    assert proxy.pk in listed(user_list(client))


def test_staff_of_another_district_neither_open_nor_list_the_elders_proxy(
    client, proxy_authorisation, other_district_staff
):
    proxy = proxy_authorisation.proxy
    client.force_login(other_district_staff)

    response = client.get(user_change(proxy))

    assert response.status_code == 302
    assert proxy.pk not in listed(user_list(client))
    assert proxy.pk not in listed(user_list(client, q=proxy.phone))


def test_an_account_tied_to_no_area_is_for_city_staff_only(client, district_staff, city_staff):
    newcomer = make_user("+8613900000077", name="New Person")

    client.force_login(district_staff)
    assert client.get(user_change(newcomer)).status_code == 302
    assert newcomer.pk not in listed(user_list(client))
    client.force_login(city_staff)
    assert client.get(user_change(newcomer)).status_code == 200
    assert newcomer.pk in listed(user_list(client))


def test_staff_reach_a_relative_named_in_a_link_of_their_district(
    client, volunteer, other_volunteer, yuexiu, district_staff, other_district_staff
):
    RelativeLink.objects.create(
        requester=volunteer, relative=other_volunteer, relation="parent", district=yuexiu
    )

    client.force_login(district_staff)
    assert client.get(user_change(other_volunteer)).status_code == 200
    client.force_login(other_district_staff)
    assert client.get(user_change(other_volunteer)).status_code == 302


def test_staff_reach_staff_of_their_own_area_only(client, yuexiu, district_staff, haizhu):
    street_staff = make_staff("street@example.org", yuexiu, street=yuexiu.streets.first())
    haizhu_staff = make_staff("haizhu.street@example.org", haizhu)
    client.force_login(district_staff)

    assert client.get(user_change(street_staff)).status_code == 200
    assert client.get(user_change(district_staff)).status_code == 200
    assert client.get(user_change(haizhu_staff)).status_code == 302


def test_only_city_staff_add_accounts_which_no_area_could_open(client, district_staff, city_staff):
    with translation.override("zh-hans"):
        url = reverse("admin:accounts_user_add")

    client.force_login(district_staff)
    assert client.get(url).status_code == 403
    client.force_login(city_staff)
    assert client.get(url).status_code == 200
