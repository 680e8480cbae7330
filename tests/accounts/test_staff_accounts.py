"""Staff accounts are managed only upward, and nobody manages their own in the admin.

Only a city administrator sets the password, the staff and superuser flags,
the groups or the scope of an account with staff rights; district and street
staff manage the accounts of the people whose profile is in their area.
"""

import pytest
from django.contrib.auth.models import Group

from accounts.models import AuditLog, ScopeLevel, StaffScope, User
from tests.conftest import DEMO_PASSWORD, admin_url, client_of, make_staff, make_user
from tests.staff.admin_world import make_city_staff

NEW_PASSWORD = "a-brand-new-password-9"


def set_password(client, person):
    return client.post(
        admin_url("auth_user_password_change", person.pk),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )


@pytest.fixture
def colleague(yuexiu):
    return make_staff("colleague@example.org", yuexiu)


@pytest.fixture
def city_officer(db):
    return make_city_staff()


@pytest.mark.parametrize("actor", ["district_staff", "city_officer"])
@pytest.mark.parametrize("target", ["colleague", "city_staff"])
def test_only_a_city_administrator_sets_a_staff_members_password(request, actor, target):
    actor, target = request.getfixturevalue(actor), request.getfixturevalue(target)

    answer = set_password(client_of(actor), target)

    assert answer.status_code in (403, 404)  # 404: not even a person they may read
    target.refresh_from_db()
    assert target.check_password(DEMO_PASSWORD)


def test_a_city_administrator_sets_a_staff_members_password_and_it_is_audited(
    city_staff, colleague
):
    answer = set_password(client_of(city_staff), colleague)

    assert answer.status_code == 302
    colleague.refresh_from_db()
    assert colleague.check_password(NEW_PASSWORD)
    row = AuditLog.objects.get(action="user.password_changed")
    assert (row.actor, row.target_id) == (city_staff, str(colleague.pk))
    assert NEW_PASSWORD not in str(row.after)


@pytest.mark.parametrize("actor", ["district_staff", "city_officer"])
@pytest.mark.parametrize("flag", ["is_staff", "is_superuser"])
def test_below_city_administrators_nobody_hands_out_staff_rights(
    request, actor, flag, elder_profile
):
    actor = request.getfixturevalue(actor)
    person = elder_profile.user
    client = client_of(actor)
    form = {
        "name": person.name,
        "phone": person.phone,
        "email": "",
        "is_active": "on",
        flag: "on",
        "groups": [Group.objects.create(name="Everything").pk],
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
    }

    client.post(admin_url("accounts_user_change", person.pk), form)

    person.refresh_from_db()
    assert not (person.is_staff or person.is_superuser)
    assert not person.groups.exists()


def test_district_staff_may_set_the_password_of_an_elder_of_their_area(
    district_staff, elder_profile
):
    answer = set_password(client_of(district_staff), elder_profile.user)

    assert answer.status_code == 302
    elder_profile.user.refresh_from_db()
    assert elder_profile.user.check_password(NEW_PASSWORD)


def test_a_link_to_the_area_is_not_enough_to_set_a_persons_password(
    district_staff, proxy_authorisation
):
    """A proxy without a profile of their own belongs to no area: the staff only read them."""
    client = client_of(district_staff)

    proxy_page = admin_url("accounts_user_change", proxy_authorisation.proxy.pk)
    assert client.get(proxy_page).status_code == 200
    assert set_password(client, proxy_authorisation.proxy).status_code == 403


@pytest.mark.parametrize("actor", ["district_staff", "city_officer", "city_staff"])
def test_nobody_changes_their_own_account_in_the_admin(request, actor):
    actor = request.getfixturevalue(actor)
    client = client_of(actor)

    assert set_password(client, actor).status_code == 403
    own = admin_url("accounts_user_change", actor.pk)
    assert client.post(own, {"name": "Me", "is_superuser": "on"}).status_code == 403
    actor.refresh_from_db()
    assert actor.check_password(DEMO_PASSWORD)


def test_staff_change_their_own_password_on_their_own_page(district_staff):
    client = client_of(district_staff)

    answer = client.post(
        admin_url("password_change"),
        {
            "old_password": DEMO_PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )

    assert answer.status_code == 302
    district_staff.refresh_from_db()
    assert district_staff.check_password(NEW_PASSWORD)
    assert AuditLog.objects.filter(
        action="user.password_changed", actor=district_staff, target_id=str(district_staff.pk)
    ).exists()


@pytest.mark.parametrize("actor", ["district_staff", "city_officer"])
def test_only_city_administrators_give_or_change_a_staff_scope(request, actor, colleague, haizhu):
    actor = request.getfixturevalue(actor)
    client = client_of(actor)
    scope = colleague.staff_scope
    scopes = StaffScope.objects.count()

    change = client.post(
        admin_url("accounts_staffscope_change", scope.pk),
        {"user": colleague.pk, "level": ScopeLevel.CITY, "district": "", "street": ""},
    )
    add = client.post(
        admin_url("accounts_staffscope_add"),
        {"user": make_user("+8613911110000").pk, "level": "district", "district": haizhu.pk},
    )

    assert (change.status_code, add.status_code) == (403, 403)
    scope.refresh_from_db()
    assert scope.level == ScopeLevel.DISTRICT
    assert StaffScope.objects.count() == scopes


def test_a_city_administrator_cannot_change_their_own_scope(yuexiu):
    administrator = make_user(email="boss@example.org", is_staff=True, is_superuser=True)
    scope = StaffScope.objects.create(user=administrator, level=ScopeLevel.CITY)

    answer = client_of(administrator).post(
        admin_url("accounts_staffscope_change", scope.pk),
        {"user": administrator.pk, "level": ScopeLevel.DISTRICT, "district": yuexiu.pk},
    )

    assert answer.status_code == 403
    scope.refresh_from_db()
    assert scope.level == ScopeLevel.CITY


@pytest.mark.parametrize("actor", ["district_staff", "city_officer"])
def test_only_city_administrators_open_groups(request, actor):
    client = client_of(request.getfixturevalue(actor))

    assert client.get(admin_url("auth_group_changelist")).status_code == 403
    assert client.post(admin_url("auth_group_add"), {"name": "Everything"}).status_code == 403
    assert not Group.objects.exists()


def test_city_staff_add_two_email_only_accounts_in_a_row(city_officer):
    """The second account without a number once met the first one's empty number."""
    client = client_of(city_officer)

    for email in ("first@example.org", "second@example.org"):
        answer = client.post(
            admin_url("accounts_user_add"),
            {"name": "New", "email": email, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        )
        assert answer.status_code == 302

    added = User.objects.filter(email__in=["first@example.org", "second@example.org"])
    assert list(added.values_list("phone", flat=True)) == [None, None]


def test_the_password_page_names_a_phone_only_person(district_staff, elder_profile):
    page = client_of(district_staff).get(
        admin_url("auth_user_password_change", elder_profile.user.pk)
    )

    assert page.context["title"].endswith(str(elder_profile.user))
    assert "None" not in page.context["title"]


def test_a_staff_members_new_password_on_the_sites_own_page_is_audited(district_staff):
    """allauth's password page, not only the admin's: maker-checker must see every change."""
    client = client_of(district_staff)

    client.post(
        "/en/accounts/password/change/",
        {"oldpassword": DEMO_PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    district_staff.refresh_from_db()
    assert district_staff.check_password(NEW_PASSWORD)
    assert AuditLog.objects.filter(
        action="user.password_changed", actor=district_staff, target_id=str(district_staff.pk)
    ).exists()
