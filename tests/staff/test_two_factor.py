"""Staff reach the admin only with an authenticator app, and log in with its code.

A staff member without one is sent to allauth's enrolment page from every
kind of admin page, writes nothing on the way, and gets in once enrolled.
People who are not staff are asked for nothing new.
"""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, generate_totp_secret
from django.urls import reverse
from django.utils import translation

from accounts.models import AuditLog
from accounts.twofactor import current_code, enrol_authenticator
from catalogue.models import ServiceKind
from orders.models import OrderEvent, OrderStatus
from tests.conftest import DEMO_PASSWORD, make_elder_profile, make_service_type
from tests.orders.conftest import give_welfare_category, place


def url(name, *args):
    with translation.override("en"):
        return reverse(name, args=args)


@pytest.fixture
def unenrolled_staff(order_staff):
    """Yuexiu staff who may work on orders, with no authenticator (yet)."""
    Authenticator.objects.filter(user=order_staff).delete()
    return order_staff


@pytest.fixture
def submitted(elder, yuexiu):
    elder_profile = give_welfare_category(make_elder_profile(elder, yuexiu))
    return place(elder_profile, make_service_type("cleaning", ServiceKind.GENERAL))


def admin_pages(order):
    return [
        url("admin:index"),
        url("admin:orders_order_changelist"),
        url("admin:orders_order_change", order.pk),
        url("admin:dashboard"),
        url("admin:report"),
    ]


def confirm_password(client, page):
    """allauth asks for the password again before any change of factors."""
    asked = client.get(page)
    assert asked.url.startswith(url("account_reauthenticate"))
    assert client.post(asked.url, {"password": DEMO_PASSWORD}).url == page


def log_in(client, login, next_url):
    return client.post(
        url("account_login"), {"login": login, "password": DEMO_PASSWORD, "next": next_url}
    )


def test_staff_without_an_authenticator_are_sent_to_enrol_from_every_admin_page(
    client, unenrolled_staff, submitted
):
    client.force_login(unenrolled_staff)

    answers = [client.get(page) for page in admin_pages(submitted)]

    assert [(a.status_code, a.url) for a in answers] == [(302, url("mfa_activate_totp"))] * len(
        answers
    )


def test_an_action_posted_without_an_authenticator_changes_nothing(
    client, unenrolled_staff, submitted
):
    client.force_login(unenrolled_staff)
    events, audits = OrderEvent.objects.count(), AuditLog.objects.count()

    response = client.post(
        url("admin:orders_order_changelist"),
        {"action": "approve", "_selected_action": [submitted.pk], "index": 0},
    )

    assert response.url == url("mfa_activate_totp")
    submitted.refresh_from_db()
    assert submitted.status == OrderStatus.SUBMITTED
    assert (OrderEvent.objects.count(), AuditLog.objects.count()) == (events, audits)


def test_the_admin_login_sends_staff_without_an_authenticator_to_enrol(client, unenrolled_staff):
    client.force_login(unenrolled_staff)

    assert client.get(url("admin:login")).url == url("mfa_activate_totp")


def test_staff_who_enrol_on_the_activation_page_then_reach_the_admin(
    client, unenrolled_staff, submitted
):
    admin_index = url("admin:index")
    assert log_in(client, "staff@example.org", admin_index).url == admin_index
    assert client.get(admin_index).url == url("mfa_activate_totp")

    confirm_password(client, url("mfa_activate_totp"))
    page = client.get(url("mfa_activate_totp")).content.decode()
    assert "<svg" in page, "the QR code is drawn inline"
    assert "data:image" not in page, "the CSP would block a data: image"
    code = current_code(client.session[SECRET_SESSION_KEY])
    enrolled = client.post(url("mfa_activate_totp"), {"code": code})

    assert enrolled.url == url("mfa_view_recovery_codes")
    assert f'href="{admin_index}"' in client.get(enrolled.url).content.decode()
    assert [client.get(page).status_code for page in admin_pages(submitted)] == [200] * 5


def test_a_wrong_code_keeps_enrolled_staff_out(client, order_staff):
    admin_index = url("admin:index")

    assert log_in(client, "staff@example.org", admin_index).url == url("mfa_authenticate")
    wrong = client.post(url("mfa_authenticate"), {"code": "000000"})

    assert wrong.status_code == 200
    assert "_auth_user_id" not in client.session
    assert client.get(admin_index).url.startswith(url("admin:login"))


def test_people_who_are_not_staff_log_in_with_their_password_alone(client, volunteer):
    response = client.post(
        url("account_login"), {"login": "13900000003", "password": DEMO_PASSWORD}
    )

    assert response.url == url("landing")
    assert client.session["_auth_user_id"] == str(volunteer.pk)
    assert not Authenticator.objects.filter(user=volunteer).exists()


def test_people_who_are_not_staff_are_not_sent_to_enrol(client, volunteer):
    client.force_login(volunteer)

    assert client.get(url("admin:index")).url.startswith(url("admin:login"))
    assert client.get(url("orders:mine")).status_code == 200


def test_city_administrators_see_who_has_an_authenticator_but_never_its_secret(
    client, city_staff, order_staff
):
    client.force_login(city_staff)
    totp = Authenticator.objects.get(user=order_staff, type=Authenticator.Type.TOTP)

    page = client.get(url("admin:mfa_authenticator_change", totp.pk)).content.decode()

    assert str(order_staff) in page
    assert totp.data["secret"] not in page


def test_an_authenticator_removed_for_a_lost_phone_is_audited_and_sends_its_owner_to_enrol(
    client, city_staff, order_staff
):
    totp = Authenticator.objects.get(user=order_staff, type=Authenticator.Type.TOTP)
    client.force_login(city_staff)

    client.post(url("admin:mfa_authenticator_delete", totp.pk), {"post": "yes"})

    assert AuditLog.objects.filter(action="authenticator.deleted").get().actor == city_staff
    client.force_login(order_staff)
    assert client.get(url("admin:index")).url == url("mfa_activate_totp")


def test_district_staff_cannot_see_the_authenticators(client, order_staff):
    client.force_login(order_staff)

    assert client.get(url("admin:mfa_authenticator_changelist")).status_code == 403


def test_staff_cannot_deactivate_their_own_authenticator(client, order_staff):
    client.force_login(order_staff)
    confirm_password(client, url("mfa_deactivate_totp"))

    response = client.post(url("mfa_deactivate_totp"))

    assert "You cannot deactivate two-factor authentication." in response.content.decode()
    assert Authenticator.objects.filter(user=order_staff, type="totp").exists()


def test_people_who_are_not_staff_may_deactivate_an_authenticator_they_chose(client, volunteer):
    enrol_authenticator(volunteer, generate_totp_secret())
    client.force_login(volunteer)
    confirm_password(client, url("mfa_deactivate_totp"))

    client.post(url("mfa_deactivate_totp"))

    assert not Authenticator.objects.filter(user=volunteer, type="totp").exists()
