"""The API's documentation page works under the site's content policy, from our own server only."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_api_docs_page_shows_the_endpoints_without_asking_another_site(phone_page):
    page = phone_page
    requested = []
    page.on("request", lambda request: requested.append(request.url))

    page.goto(page.base + "/api/v1/docs")
    page.get_by_text("Time Bank API").first.wait_for()
    page.get_by_text("/api/v1/market").first.wait_for()

    assert requested, "the page asked for nothing: this checks nothing"
    assert [url for url in requested if not url.startswith(page.base)] == []
