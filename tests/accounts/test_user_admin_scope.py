"""Staff reach only the login accounts of elders and volunteers of their area.

Before this scoping, staff of any district could open (and edit the phone
and email of) any elder's account in the admin.
"""

from django.urls import reverse
from django.utils import translation


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


def test_staff_still_open_accounts_without_a_profile(client, proxy, other_district_staff):
    """A new proxy has no profile yet; any station may help them start."""
    client.force_login(other_district_staff)

    assert client.get(user_change(proxy)).status_code == 200
