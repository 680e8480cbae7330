"""Clients of the JSON API: by session cookie (with CSRF, as a browser sends it) or by token."""

import json

import pytest
from django.test import Client

from api.auth import issue_token
from tests.conftest import DEMO_PASSWORD
from tests.orders.conftest import (  # noqa: F401 - the orders' fixtures serve the API tests too
    claimed,
    cleaning,
    delivered,
    published,
    second_volunteer,
    staff,
    submitted,
    verified_volunteer,
    welfare_elder,
)

# Any 32 letters: the CSRF cookie and the header must match, as a page's script sends them.
CSRF = "A" * 32


class ApiClient:
    """JSON requests to /api/v1/ as one person, by `kind` ("session", "token" or "anonymous")."""

    def __init__(self, user=None, kind="token", language=None):
        self.client = Client(enforce_csrf_checks=True)
        self.headers = {}
        if language:
            self.headers["Accept-Language"] = language
        if user is not None and kind == "session":
            self.client.force_login(user)
            self.client.cookies["csrftoken"] = CSRF
            self.headers["X-CSRFToken"] = CSRF
        elif user is not None and kind == "token":
            self.headers["Authorization"] = f"Bearer {issue_token(user)}"

    def get(self, path, **query):
        return self.client.get(f"/api/v1{path}", query, headers=self.headers)

    def post(self, path, body=None):
        return self.client.post(
            f"/api/v1{path}",
            json.dumps(body) if body is not None else "",
            content_type="application/json",
            headers=self.headers,
        )


def token_of(login, password=DEMO_PASSWORD):
    """A token as a phone app gets it: POST the login and the password."""
    response = Client().post(
        "/api/v1/auth/token",
        {"login": login, "password": password},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    return response.json()["token"]


@pytest.fixture
def api():
    return ApiClient
