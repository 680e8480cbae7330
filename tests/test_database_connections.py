"""A server process holds no more database connections than its pool allows.

Browsers keep their HTTP connections open between pages, and the development
server serves each one in a thread of its own; a persistent database
connection per such thread stayed open as long as the browser's did.
"""

import http.client
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.db import connection

from tests.conftest import make_user

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

BROWSERS = 8
PAGES = ["/zh-hans/", "/zh-hans/notifications/", "/zh-hans/me/"]


def connections_to_this_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()")
        return cursor.fetchone()[0]


def test_many_requests_from_several_threads_hold_no_more_connections_than_the_pool(
    live_server, client
):
    client.force_login(make_user("+8613900001234", name="Reader"))
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    address = urlsplit(live_server.url)
    browsers = [http.client.HTTPConnection(address.hostname, address.port) for _ in range(BROWSERS)]

    def browse(browser):
        statuses = []
        for path in PAGES * 5:  # one kept-alive connection, many pages
            browser.request("GET", path, headers={"Cookie": cookie})
            answer = browser.getresponse()
            answer.read()
            statuses.append(answer.status)
        return statuses

    try:
        with ThreadPoolExecutor(max_workers=BROWSERS) as pool:
            statuses = [status for answers in pool.map(browse, browsers) for status in answers]
        held = connections_to_this_database()  # while every browser is still connected
    finally:
        for browser in browsers:
            browser.close()

    assert set(statuses) == {200}
    assert held <= settings.DATABASES["default"]["OPTIONS"]["pool"]["max_size"]
