"""Our own error pages, as served in production (DEBUG off), in both languages."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import path

from timebank.urls import urlpatterns as site_urlpatterns

pytestmark = pytest.mark.django_db


def forbidden(request):
    raise PermissionDenied


def broken(request):
    raise RuntimeError("a bug")


urlpatterns = [
    path("zh-hans/forbidden/", forbidden),
    path("en/forbidden/", forbidden),
    path("zh-hans/broken/", broken),
    path("en/broken/", broken),
    *site_urlpatterns,
]


@pytest.fixture(autouse=True)
def production(settings):
    settings.DEBUG = False


@pytest.mark.parametrize(
    ("prefix", "heading", "home"),
    [("zh-hans", "找不到这个页面", "返回首页"), ("en", "Page not found", "Back to the home page")],
)
def test_missing_page_is_ours_with_the_header_and_a_way_home(client, prefix, heading, home):
    response = client.get(f"/{prefix}/no-such-page/")

    assert response.status_code == 404
    content = response.content.decode()
    assert f'<html lang="{prefix}">' in content
    assert heading in content
    assert 'class="site-header"' in content
    assert f'<a class="button button-primary" href="/{prefix}/">{home}</a>' in content


def test_missing_order_shows_a_logged_in_person_their_orders(client, volunteer):
    client.force_login(volunteer)

    content = client.get("/zh-hans/orders/999999/").content.decode()

    assert "找不到这个页面" in content
    assert 'href="/zh-hans/orders/mine/"' in content


@pytest.mark.urls(__name__)
@pytest.mark.parametrize(("prefix", "heading"), [("zh-hans", "无权访问"), ("en", "Not allowed")])
def test_forbidden_page_is_ours_with_the_header(client, prefix, heading):
    response = client.get(f"/{prefix}/forbidden/")

    assert response.status_code == 403
    content = response.content.decode()
    assert heading in content
    assert 'class="site-header"' in content
    assert f'href="/{prefix}/"' in content


@pytest.mark.urls(__name__)
@pytest.mark.parametrize(
    ("prefix", "heading"), [("zh-hans", "出错了"), ("en", "Something went wrong")]
)
def test_server_error_page_is_ours_styled_and_needs_no_context(client, prefix, heading):
    client.raise_request_exception = False

    response = client.get(f"/{prefix}/broken/")

    assert response.status_code == 500
    content = response.content.decode()
    assert f'<html lang="{prefix}">' in content
    assert heading in content
    assert 'href="/static/css/site.css"' in content
    assert f'href="/{prefix}/"' in content


@pytest.mark.parametrize(
    ("prefix", "heading"), [("zh-hans", "表单已过期"), ("en", "The form has expired")]
)
def test_csrf_failure_page_is_ours_in_the_page_language(prefix, heading):
    client = Client(enforce_csrf_checks=True)

    response = client.post(f"/{prefix}/accounts/login/", {"login": "x", "password": "y"})

    assert response.status_code == 403
    content = response.content.decode()
    assert heading in content
    assert 'class="site-header"' in content
    assert f'href="/{prefix}/"' in content
