"""On a phone: the elder changes the time of a repeating service from a day on."""

from datetime import time

import pytest
from playwright.sync_api import expect

from series.models import Series
from tests.e2e.conftest import PHONE, assert_no_horizontal_overflow, logged_in_context
from tests.series.conftest import (  # noqa: F401 - fixtures
    cleaning,
    staff,
    weekly,
    welfare_elder,
)

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_elder_changes_the_time_from_a_day_on_and_sees_an_error_first(
    browser,
    live_server,
    weekly,  # noqa: F811 - the fixture imported above
):
    context = logged_in_context(browser, live_server, weekly.elder.user, viewport=PHONE)
    page = context.new_page()
    page.goto(live_server.url + weekly.get_absolute_url())

    page.click(f"a[href$='/series/{weekly.pk}/change/']")
    assert_no_horizontal_overflow(page)
    page.fill("#id_from_day", "2030-06-05")
    page.click("button.big-button")  # nothing changed yet: refused, the form kept
    expect(page.locator(".errorlist")).to_have_count(1)
    page.uncheck("input[name=weekdays][value='0']")
    page.check("input[name=weekdays][value='2']")
    page.fill("#id_time_of_day", "14:00")
    page.click("button.big-button")

    changed = Series.objects.get(follows=weekly)
    page.wait_for_url(f"**{changed.get_absolute_url()}")
    assert_no_horizontal_overflow(page)
    assert changed.time_of_day == time(14)
    assert changed.weekday_numbers == [2]
    context.close()
