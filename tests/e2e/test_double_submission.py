"""Every button that changes something, tapped twice, sent again after Back,
reloaded after it went through: one effect, and a page that says what happened.

The browser runs without JavaScript unless a test says otherwise, so that
static/js/once.js does not stop the second tap (the last test checks that
script on its own). Chromium itself often drops the first of two quick
submissions of a form before sending it, so each step is also sent again
from a tab left open before it went through: that request always reaches the
server.
"""

import re
import threading
import time
from datetime import timedelta

import pytest
from django.core.signals import request_finished, request_started
from django.urls import reverse
from django.utils import timezone, translation

from catalogue.models import ServiceKind
from credits.models import Transfer, TransferKind
from credits.services import wallet_of
from orders.models import Funding, Order, OrderStatus
from orders.services import approve_order, check_in, check_out, claim_order, submit_order
from rewards.models import Redemption, RedemptionStatus
from tests.conftest import fund, make_elder_profile, make_service_type, make_user, set_policy
from tests.e2e.conftest import (
    PHONE,
    logged_in_context,
    make_order_staff,
    make_volunteer,
    pretend_an_hour_passed_since_check_in,
)
from tests.orders.conftest import give_welfare_category
from tests.rewards.conftest import link, make_goods, make_station

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def server_idle():
    """Waits until the live server has answered every request it received.

    The page shows the answer to the last tap; the request a second tap cut
    short may still be running on the server, and the test must count the
    database rows after it, not before.
    """
    in_flight, lock = [0], threading.Lock()

    def started(**kwargs):
        with lock:
            in_flight[0] += 1

    def finished(**kwargs):
        with lock:
            in_flight[0] -= 1

    request_started.connect(started, weak=False)
    request_finished.connect(finished, weak=False)

    def wait():
        deadline = time.monotonic() + 60  # a hang, not a slow machine
        while in_flight[0] and time.monotonic() < deadline:
            time.sleep(0.05)
        assert in_flight[0] == 0

    yield wait
    request_started.disconnect(started)
    request_finished.disconnect(finished)


@pytest.fixture
def open_as(browser, live_server, server_idle):
    """A phone page logged in as `user`; the test fails on any answer of 500 or
    more and on any console error."""
    contexts, failures = [], []

    def open_as(user, *, javascript=False):
        context = logged_in_context(
            browser, live_server, user, viewport=PHONE, java_script_enabled=javascript
        )
        contexts.append(context)
        context.on("response", lambda r: failures.append(r.url) if r.status >= 500 else None)
        context.on("console", lambda m: failures.append(m.text) if m.type == "error" else None)
        page = context.new_page()
        page.base = live_server.url
        page.server_idle = server_idle
        return page

    yield open_as
    for context in contexts:
        context.close()
    assert failures == []


def twin(page):
    """The same page in a second tab, left open while the first one acts."""
    stale = page.context.new_page()
    stale.goto(page.url)
    stale.server_idle = page.server_idle
    return stale


def url(name, *args):
    with translation.override("en"):
        return reverse(name, args=args)


def arrived(page, shown):
    """The page answering the last tap shows `shown`, and the server is done with both."""
    shown.wait_for()
    page.server_idle()


def double_click(page, button, shown):
    button.dblclick()
    arrived(page, shown)


def centre(button):
    button.scroll_into_view_if_needed()
    box = button.bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def tap_twice(page, button, shown):
    """Two quick taps at one spot, without waiting for anything in between."""
    x, y = centre(button)
    page.mouse.click(x, y)
    page.mouse.click(x, y)
    arrived(page, shown)


def enter_twice(page, field, shown):
    field.focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    arrived(page, shown)


def send_again(stale, button, said):
    """Send the form of a page left open before it went through: nothing more happens."""
    button.click()
    arrived(stale, stale.get_by_text(said))


def either(*texts):
    """What the page says depends on which of the two taps the server answered last.

    When the browser drops the first answer, its message waits in the session and
    shows beside the second one's, so a caller takes the first match.
    """
    return re.compile("|".join(re.escape(text) for text in texts))


# Orders ----------------------------------------------------------------------


@pytest.fixture
def elder(yuexiu):
    elder = make_elder_profile(make_user("+8613900000001", name="Chen Elder"), yuexiu)
    give_welfare_category(elder)
    return elder


@pytest.fixture
def cleaning(db):
    return make_service_type("cleaning", kind=ServiceKind.GENERAL)


def published_order(elder, cleaning, yuexiu):
    """Starts in half an hour: claimable, and open for check-in now."""
    order = submit_order(
        elder,
        by=elder.user,
        service_type=cleaning,
        starts_at=timezone.now() + timedelta(minutes=30),
        booked_hours=1,
        funding=Funding.WELFARE,
    )
    return approve_order(order, by=make_order_staff("staff@example.org", yuexiu))


def moves(order, status):
    return order.events.filter(to_status=status).count()


def test_an_order_is_placed_and_cancelled_once(open_as, elder, cleaning):
    page = open_as(elder.user)
    page.goto(page.base + url("orders:new", elder.pk, "cleaning"))

    button = page.get_by_role("button", name="Confirm order")
    double_click(page, button, page.get_by_text("Status: Awaiting review"))
    order = Order.objects.get()
    assert page.url == page.base + url("orders:detail", order.pk)
    page.go_back()
    send_again(page, button, f"already booked for that time: order {order.number}.")
    page.reload()
    assert Order.objects.count() == 1

    stale = twin(page)
    page.get_by_text("Cancel this order").click()
    button = page.get_by_role("button", name="Cancel the order")
    tap_twice(page, button, page.get_by_text("Status: Cancelled"))
    stale.get_by_text("Cancel this order").click()
    send_again(
        stale,
        stale.get_by_role("button", name="Cancel the order"),
        "This order is already cancelled.",
    )
    page.go_back()
    page.reload()
    assert page.get_by_text("Cancel this order").count() == 0
    assert moves(order, OrderStatus.CANCELLED) == 1


def test_a_volunteer_claims_checks_in_and_out_and_confirms_by_card_once(
    open_as, elder, cleaning, yuexiu
):
    order = published_order(elder, cleaning, yuexiu)
    volunteer = make_volunteer("+8613900000003", yuexiu)
    page = open_as(volunteer)
    page.goto(page.base + url("orders:detail", order.pk))
    claim, check_in_button, check_out_button = (
        page.get_by_role("button", name=name)
        for name in ("Claim this order", "Check in", "Check out")
    )

    stale = twin(page)
    double_click(page, claim, check_in_button)
    send_again(
        stale,
        stale.get_by_role("button", name="Claim this order"),
        "You have already claimed this order.",
    )
    assert moves(order, OrderStatus.CLAIMED) == 1

    stale = twin(page)
    double_click(page, check_in_button, check_out_button)
    send_again(stale, stale.get_by_role("button", name="Check in"), "You have already checked in.")
    assert moves(order, OrderStatus.IN_SERVICE) == 1
    pretend_an_hour_passed_since_check_in(order)

    stale = twin(page)
    tap_twice(page, check_out_button, page.get_by_text("Confirm with the service card"))
    send_again(
        stale, stale.get_by_role("button", name="Check out"), "You have already checked out."
    )
    assert moves(order, OrderStatus.DELIVERED) == 1

    stale = twin(page)
    card_code = page.get_by_label("Code on the elder's service card")
    card_code.fill(elder.card_code)
    enter_twice(page, card_code, page.get_by_text("Status: Completed"))
    stale.get_by_label("Code on the elder's service card").fill(elder.card_code)
    send_again(
        stale,
        stale.get_by_role("button", name="Confirm", exact=True),
        "This service is already confirmed. Thank you!",
    )
    page.go_back()
    page.reload()
    assert moves(order, OrderStatus.COMPLETED) == 1
    assert wallet_of(volunteer).balance == 1
    assert Transfer.objects.filter(kind=TransferKind.EARN).count() == 1


def test_the_elder_confirms_and_rates_once(open_as, elder, cleaning, yuexiu):
    order = published_order(elder, cleaning, yuexiu)
    volunteer = make_volunteer("+8613900000003", yuexiu)
    claim_order(order, by=volunteer)
    check_in(order, now=timezone.now(), by=volunteer)
    check_out(order, now=timezone.now() + timedelta(hours=1), by=volunteer)
    page = open_as(elder.user)
    page.goto(page.base + url("orders:detail", order.pk))

    stale = twin(page)
    confirm = page.get_by_role("button", name="Yes, the service was done")
    double_click(page, confirm, page.get_by_text("Status: Completed"))
    send_again(
        stale,
        stale.get_by_role("button", name="Yes, the service was done"),
        "This service is already confirmed. Thank you!",
    )
    assert moves(order, OrderStatus.COMPLETED) == 1
    assert wallet_of(volunteer).balance == 1

    stale = twin(page)
    page.get_by_label("Very satisfied").check()
    rated = either("Thank you for your rating.", "This service has already been rated.")
    tap_twice(page, page.get_by_role("button", name="Send rating"), page.get_by_text(rated).first)
    stale.get_by_label("Neutral").check()
    send_again(
        stale,
        stale.get_by_role("button", name="Send rating"),
        "This service has already been rated. Thank you!",
    )
    page.go_back()
    page.reload()
    assert page.get_by_role("button", name="Send rating").count() == 0
    order.refresh_from_db()
    assert order.rating == 5


# Rewards ---------------------------------------------------------------------


@pytest.fixture
def volunteer(yuexiu):
    set_policy(spendable_after_hours=0)
    volunteer = make_user("+8613920000011", name="Qian Volunteer")
    fund(volunteer, 20)
    return volunteer


def test_goods_are_redeemed_once_and_the_redemption_cancelled_once(open_as, volunteer, yuexiu):
    goods = make_goods(yuexiu, name="Badge", price=3, stock=5, limit_per_person=0)
    make_station(yuexiu)
    page = open_as(volunteer)
    page.goto(page.base + url("rewards:goods", goods.pk))
    assert "?key=" in page.url

    stale = twin(page)
    double_click(
        page,
        page.get_by_role("button", name="Redeem"),
        page.get_by_text("Show this at the station"),
    )
    page.go_back()
    page.get_by_text("You already redeemed this from this page.").wait_for()
    assert page.get_by_role("button", name="Redeem").count() == 0
    send_again(
        stale,
        stale.get_by_role("button", name="Redeem"),
        "This was already redeemed; nothing more was taken.",
    )
    page.reload()
    goods.refresh_from_db()
    assert (Redemption.objects.count(), goods.stock, wallet_of(volunteer).balance) == (1, 4, 17)

    page.get_by_role("link", name="See the pickup code").click()
    stale = twin(page)
    cancel = page.get_by_role("button", name="Cancel and get the credits back")
    double_click(page, cancel, page.get_by_text("Cancelled", exact=True))
    send_again(
        stale,
        stale.get_by_role("button", name="Cancel and get the credits back"),
        "This redemption is already cancelled.",
    )
    page.reload()
    goods.refresh_from_db()
    assert Redemption.objects.get().status == RedemptionStatus.CANCELLED
    assert (goods.stock, wallet_of(volunteer).balance) == (5, 20)
    assert Transfer.objects.filter(kind=TransferKind.REFUND).count() == 1


def test_a_gift_and_a_donation_go_through_once(open_as, volunteer, yuexiu):
    relative = make_user("+8613920000012", name="Qian Elder")
    link(volunteer, relative, yuexiu)
    page = open_as(volunteer)

    page.goto(page.base + url("rewards:gift"))
    page.get_by_label("Credits").fill("4")
    enter_twice(page, page.get_by_label("Credits"), page.get_by_role("button", name="Yes, give"))
    stale = twin(page)
    given = either("You gave 4 credits", "This gift was already given")
    double_click(page, page.get_by_role("button", name="Yes, give"), page.get_by_text(given).first)
    page.go_back()
    page.get_by_text("You already gave 4 credits to Qian Elder from this page.").wait_for()
    send_again(
        stale,
        stale.get_by_role("button", name="Yes, give"),
        "This gift was already given; nothing more was taken.",
    )
    page.reload()
    assert Transfer.objects.filter(kind=TransferKind.GIFT).count() == 1
    assert wallet_of(relative).balance == 4

    page.goto(page.base + url("rewards:donate"))
    stale = twin(page)
    page.get_by_label("Credits").fill("5")
    donated = either("Thank you for your donation.", "This donation was already made")
    enter_twice(page, page.get_by_label("Credits"), page.get_by_text(donated).first)
    page.go_back()
    page.get_by_text("You already donated from this page.").wait_for()
    stale.get_by_label("Credits").fill("5")
    send_again(
        stale,
        stale.get_by_role("button", name="Donate"),
        "This donation was already made; nothing more was taken.",
    )
    page.reload()
    assert Transfer.objects.filter(kind=TransferKind.DONATE).count() == 1
    assert wallet_of(volunteer).balance == 11


# The script ------------------------------------------------------------------


def test_with_javascript_a_second_tap_is_not_sent(open_as, volunteer, yuexiu):
    goods = make_goods(yuexiu, name="Badge", price=3, stock=5, limit_per_person=0)
    make_station(yuexiu)
    page = open_as(volunteer, javascript=True)
    page.goto(page.base + url("rewards:goods", goods.pk))
    # The answer to the first tap is held back, so the second tap lands on
    # the same page whatever the machine's speed.
    held = []
    page.route(
        "**/rewards/goods/**",
        lambda route: held.append(route) if route.request.method == "POST" else route.continue_(),
    )
    x, y = centre(page.get_by_role("button", name="Redeem"))

    page.mouse.click(x, y)
    page.wait_for_timeout(300)
    page.mouse.click(x, y)
    page.wait_for_timeout(300)
    sent = len(held)
    held[-1].continue_()

    arrived(page, page.get_by_text("Show this at the station"))
    assert sent == 1
    assert Redemption.objects.count() == 1
