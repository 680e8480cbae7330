import re

import pytest
from django.contrib.sessions.models import Session

from accounts.models import TextMessage, User
from tests.accounts.conftest import PASSWORD, code_sent_to, login, signup, url
from tests.conftest import DEMO_PASSWORD, make_user, totp_code

pytestmark = pytest.mark.django_db


def errors(response):
    return re.findall(r'class="errorlist[^"]*"[^>]*>\s*<li>([^<]*)', response.content.decode())


def test_signup_with_phone_texts_a_six_digit_code(client):
    response = signup(client, phone="138 0013 8000")

    assert response.status_code == 302
    assert response.url == url("account_verify_phone")
    user = User.objects.get()
    assert (user.phone, user.phone_verified) == ("+8613800138000", False)
    assert re.fullmatch(r"\d{6}", code_sent_to("+8613800138000"))


def test_right_code_verifies_the_phone(client):
    signup(client, phone="13800138000")

    response = client.post(url("account_verify_phone"), {"code": code_sent_to("+8613800138000")})

    assert response.status_code == 302
    assert User.objects.get().phone_verified


@pytest.mark.parametrize(
    ("lang", "message"), [("zh-hans", "错误代码。"), ("en", "Incorrect code.")]
)
def test_wrong_code_is_refused_in_the_users_language(client, lang, message):
    signup(client, lang=lang, phone="13800138000")

    response = client.post(url("account_verify_phone", lang), {"code": "000000"})

    assert response.status_code == 200
    assert message in errors(response)
    assert not User.objects.get().phone_verified


def test_signup_with_email_only_works(client):
    response = signup(client, email="Li@Example.org")

    assert response.status_code == 302
    assert User.objects.get().email == "li@example.org"


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("zh-hans", "请填写手机号码或电子邮箱（或两者都填）。"),
        ("en", "Enter a mobile number or an email address (or both)."),
    ],
)
def test_signup_needs_a_phone_or_an_email(client, lang, message):
    response = signup(client, lang=lang)

    assert response.status_code == 200
    assert message in errors(response)
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("zh-hans", "请输入11位中国大陆手机号码，例如 13800138000。"),
        ("en", "Enter an 11-digit mainland mobile number, for example 13800138000."),
    ],
)
def test_signup_refuses_a_number_that_is_not_a_mainland_mobile(client, lang, message):
    response = signup(client, lang=lang, phone="12345")

    assert message in errors(response)
    assert not User.objects.exists()


def test_signup_with_a_registered_number_answers_as_for_a_new_one_and_texts_the_owner(client):
    make_user("+8613800138000")
    new = signup(client, lang="en", phone="13800138001")
    client.logout()

    registered = signup(client, lang="en", phone="+86 138-0013-8000")

    assert (registered.status_code, registered.url) == (new.status_code, new.url)
    assert User.objects.filter(phone="+8613800138000").count() == 1
    text = TextMessage.objects.filter(recipient="+8613800138000").get().body
    assert "already has an account" in text


def test_login_by_phone_in_any_common_spelling(client):
    make_user("+8613800138000", password=PASSWORD)

    response = login(client, "86 138 0013 8000", PASSWORD)

    assert response.status_code == 302
    assert response.url == url("landing")
    assert client.session["_auth_user_id"]


def test_login_by_email(client):
    make_user(email="li@example.org", password=PASSWORD)

    response = login(client, "li@example.org", PASSWORD)

    assert response.status_code == 302
    assert client.session["_auth_user_id"]


def test_login_with_unverified_phone_asks_for_the_code_first(client):
    make_user("+8613800138000", password=PASSWORD).__class__.objects.update(phone_verified=False)

    response = login(client, "13800138000", PASSWORD)

    assert response.url == url("account_verify_phone")
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("zh-hans", "您输入的电话号码和/或密码不正确。"),
        ("en", "The phone number and/or password you specified are not correct."),
    ],
)
def test_wrong_password_says_so(client, lang, message):
    make_user("+8613800138000")

    response = login(client, "13800138000", "not-the-password", lang=lang)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("zh-hans", "登录失败次数过多，请稍后重试。"),
        ("en", "Too many failed login attempts. Try again later."),
    ],
)
def test_sixth_wrong_password_in_a_row_is_rate_limited(client, lang, message):
    make_user("+8613800138000")
    for _ in range(5):
        assert message not in login(client, "13800138000", "wrong", lang=lang).content.decode()

    response = login(client, "13800138000", DEMO_PASSWORD, lang=lang)

    assert message in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_admin_login_goes_through_the_rate_limited_login(client, district_staff):
    admin_index = url("admin:index")

    response = client.get(url("admin:login") + "?next=" + admin_index)

    assert response.status_code == 302
    assert response.url.startswith(url("account_login"))
    for _ in range(5):
        login(client, "staff@example.org", "wrong")
    response = login(client, "staff@example.org", DEMO_PASSWORD)
    assert "_auth_user_id" not in client.session
    assert client.get(admin_index).status_code == 302


def test_staff_login_reaches_the_admin_after_the_code_of_their_app(client, district_staff):
    admin_index = url("admin:index")

    response = client.post(
        url("account_login") + "?next=" + admin_index,
        {"login": "staff@example.org", "password": DEMO_PASSWORD, "next": admin_index},
    )
    assert response.url == url("mfa_authenticate")
    response = client.post(response.url, {"code": totp_code(district_staff)})

    assert response.url == admin_index
    assert client.get(admin_index).status_code == 200


def test_non_staff_cannot_open_the_admin(client, volunteer):
    client.force_login(volunteer)

    assert client.get(url("admin:index")).url.startswith(url("admin:login"))
    assert client.get(url("admin:login")).status_code == 403


def test_logout_ends_the_session_server_side(client, volunteer):
    client.force_login(volunteer)
    session_key = client.session.session_key

    client.post(url("account_logout"))

    assert not Session.objects.filter(session_key=session_key).exists()
