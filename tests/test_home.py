from io import StringIO

import pytest
from django.core.management import call_command

from accounts.models import District, Street, User
from catalogue.models import ServiceKind, ServiceType
from timebank.management.commands.seed_demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def test_root_redirects_to_the_chinese_home(client):
    response = client.get("/")

    assert response.status_code == 302
    assert response.url == "/zh-hans/"


def test_home_explains_the_time_bank_in_chinese(client):
    response = client.get("/zh-hans/")

    assert response.status_code == 200
    content = response.content.decode()
    assert '<html lang="zh-hans">' in content
    assert "时间银行" in content
    assert "注册成为志愿者" in content


def test_home_in_english(client):
    content = client.get("/en/").content.decode()

    assert "Sign up as a volunteer" in content
    assert "Staff login" in content


def test_language_switch_keeps_the_page(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/zh-hans/accounts/login/"})

    assert response.status_code == 302
    assert response.url == "/en/accounts/login/"


def test_header_names_who_is_logged_in(client, volunteer):
    client.force_login(volunteer)

    assert "已登录：Li Volunteer" in client.get("/zh-hans/").content.decode()


def test_seed_demo_creates_the_city_and_catalogue_and_is_idempotent():
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())

    assert District.objects.count() == 11
    assert Street.objects.count() >= 33
    assert ServiceType.objects.filter(kind=ServiceKind.GENERAL).count() == 7
    assert ServiceType.objects.filter(kind=ServiceKind.PROFESSIONAL).count() == 7
    assert ServiceType.objects.get(code="bathing").name_zh == "助浴服务"
    assert User.objects.count() == 6
    assert User.objects.get(email="admin@example.org").is_superuser


def test_demo_logins_work(client):
    call_command("seed_demo", stdout=StringIO())

    response = client.post(
        "/zh-hans/accounts/login/", {"login": "13800000003", "password": DEMO_PASSWORD}
    )

    assert response.status_code == 302
    assert client.session["_auth_user_id"]


def test_home_sends_a_logged_in_person_to_ordering_and_the_market(client, volunteer):
    client.force_login(volunteer)

    content = client.get("/zh-hans/").content.decode()

    assert 'href="/zh-hans/orders/"' in content
    assert 'href="/zh-hans/orders/market/"' in content
