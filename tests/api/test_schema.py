"""The schema is the contract: Schemathesis generates requests from it for every operation,
as an anonymous client, by session, by token and by API key, and no answer may be a server error or
differ from the schema. Also: the schema and its documentation page are served locally."""

import re
from collections import Counter

import pytest
import schemathesis
from django.contrib.staticfiles import finders
from django.test import Client
from django.test.client import ClientHandler
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from api.auth import issue_token
from tests.api.conftest import CSRF
from tests.api.machine import completed_order, make_api_client
from tests.bad_input import rolled_back

# A few examples per operation and auth kind keep the run to a minute or so.
EXAMPLES = 8
CHECKS = [not_a_server_error, response_schema_conformance]


def django_app(enforce_csrf_checks):
    """Django as a WSGI app inside the test's transaction (Django's own test handler)."""
    handler = ClientHandler(enforce_csrf_checks=enforce_csrf_checks)

    def app(environ, start_response):
        response = handler(environ)
        headers = [*response.items()]
        headers += [("Set-Cookie", c.output(header="")) for c in response.cookies.values()]
        start_response(f"{response.status_code} {response.reason_phrase}", headers)
        return [response.content]

    return app


def load_schema(enforce_csrf_checks=True):
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", django_app(enforce_csrf_checks))


def operations():
    return [result.ok() for result in load_schema().get_all_operations()]


def credentials(world, kind):
    """Headers for each auth kind: the claiming volunteer, whose world has the most to see;
    for an API key, a city client that may do and read everything."""
    volunteer = world["users"]["vol_a"]
    if kind == "api_key":
        # A record to read, so that the answers' records are checked against the schema too.
        completed_order(world["elder_a"], volunteer, world["order"].service_type, day=100)
        _client, key = make_api_client(
            may_read_id_numbers=True, may_read_phones=True, may_import_volunteers=True
        )
        return {"Authorization": f"Bearer {key}"}, {}
    if kind == "token":
        return {"Authorization": f"Bearer {issue_token(volunteer)}"}, {}
    if kind == "session":
        client = Client()
        client.force_login(volunteer)
        session = client.cookies["sessionid"].value
        return {"X-CSRFToken": CSRF}, {"sessionid": session, "csrftoken": CSRF}
    return {}, {}


def exercise(operation, world, headers, cookies, failures, answered):
    """EXAMPLES generated requests to one operation, each answer checked against the schema.

    Half of them name the world's real order and elder instead of the drawn
    ids, so that the generated bodies reach the services, not only the 404.
    """

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(), real=st.booleans())
    def check(case, real):
        if real and case.path_parameters:
            case.path_parameters = {
                name: world["order"].pk if name == "pk" else world["elder_a"].pk
                for name in case.path_parameters
            }
        with rolled_back():
            response = case.call(headers=headers, cookies=cookies)
        answered[operation.label, response.status_code // 100] += 1
        try:
            case.validate_response(response, checks=CHECKS)
        except Exception as error:  # every failure is reported, not only the first
            failures.append(f"{operation.label}: {error}")

    check()


# What an API key opens: the client endpoints, and those only.
BY_KEY = {"GET /api/v1/records", "POST /api/v1/volunteers/import"}


@pytest.mark.parametrize("kind", ["anonymous", "session", "token", "api_key"])
def test_every_operation_answers_within_its_schema(world, kind):
    headers, cookies = credentials(world, kind)
    failures, answered = [], Counter()
    for operation in operations():
        exercise(operation, world, headers, cookies, failures, answered)

    assert failures == []
    # Requests that got through: the generated data reached the endpoints themselves.
    served = {label for label, status in answered if status == 2}
    if kind == "anonymous":
        assert served == {"POST /api/v1/auth/token"} or served == set()
    elif kind == "api_key":
        assert served - {"POST /api/v1/auth/token"} == BY_KEY, sorted(answered.items())
    else:
        assert len(served) >= 10, sorted(answered.items())


def test_the_schema_describes_both_ways_of_logging_in(client):
    schema = client.get("/api/v1/openapi.json").json()

    assert schema["openapi"].startswith("3.")
    assert set(schema["components"]["securitySchemes"]) == {
        "TokenAuth",
        "SessionAuth",
        "ApiKeyAuth",
    }
    assert "/api/v1/auth/token" in schema["paths"]


def test_the_documentation_page_loads_nothing_from_another_site(client):
    page = client.get("/api/v1/docs").content.decode()

    assets = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert assets, "the page names no assets: this checks nothing"
    assert all(url.startswith("/static/") for url in assets), assets
    assert "cdn" not in page.lower()
    assert '"validatorUrl": null' in page
    # collectstatic gathers them from ninja's own static folder, and WhiteNoise serves them.
    for url in assets:
        assert finders.find(url.removeprefix("/static/")), url
