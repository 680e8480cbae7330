"""Every button that changes something, tapped twice, sent again after Back,
reloaded after it went through: one effect, and a page that says what happened.

The browser runs without JavaScript unless a test says otherwise, so that the
second tap really reaches the server (static/js/once.js would stop it); the
last test checks that script on its own.
"""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from credits.models import Transfer, TransferKind
from credits.services import wallet_of
from orders.models import Funding, Order, OrderStatus, ServiceKind, ServiceType
from orders.services import approve_order, check_in, check_out, claim_order, submit_order
from rewards.models import Redemption, RedemptionStatus
from tests.conftest import make_elder_profile, make_user
from tests.credits.conftest import fund, set_policy
from tests.e2e.conftest import PHONE
from tests.e2e.test_order_journeys import (
    give_welfare_category,
    make_order_staff,
    make_volunteer,
)
from tests.rewards.conftest import make_goods, make_station
from tests.rewards.test_rewards_gifts_donations import link

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def open_as(browser, live_server):
    """A phone page logged in as `user`; the test fails on any answer of 500 or more."""
    contexts, failures = [], []

    def open_as(user, *, javascript=False):
        client = Client()
        client.force_login(user)
        context = browser.new_context(
            viewport=PHONE, locale="en-GB", java_script_enabled=javascript
        )
        context.add_cookies(
            [
                {
                    "name": "sessionid",
                    "value": client.cookies["sessionid"].value,
                    "url": live_server.url,
                }
            ]
        )
        contexts.append(context)
        context.on("response", lambda r: failures.append(r.url) if r.status >= 500 else None)
        page = context.new_page()
        page.base = live_server.url
        return page

    yield open_as
    for context in contexts:
        context.close()
    assert failures == []


def twin(page):
    """The same page in a second tab, left open while the first one acts."""
    stale = page.context.new_page()
    stale.goto(page.url)
    return stale


def url(name, *args):
    with translation.override("en"):
        return reverse(name, args=args)


def settle(page):
    """Wait for the page, and for the request the second tap cut short to finish on the server."""
    page.wait_for_load_state()
    page.wait_for_timeout(400)


def tap_twice(page, button):
    """Two quick taps at one spot: the second lands before the first answer arrives."""
    button.scroll_into_view_if_needed()
    box = button.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.click(x, y)
    page.mouse.click(x, y)
    settle(page)


def enter_twice(page, field):
    field.focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    settle(page)


def double_click(page, button):
    button.dblclick()
    settle(page)


def message(page):
    return page.locator(".messages").inner_text()


def either(*texts):
    """What the page says depends on which of the two taps the server answered last."""
    return re.compile("|".join(re.escape(text) for text in texts))


# Orders ----------------------------------------------------------------------


@pytest.fixture
def elder(yuexiu):
    elder = make_elder_profile(make_user("+8613900000001", name="Chen Elder"), yuexiu)
    give_welfare_category(elder)
    return elder


@pytest.fixture
def cleaning(db):
    return ServiceType.objects.create(
        code="cleaning", kind=ServiceKind.GENERAL, name_zh="助洁服务", name_en="Cleaning"
    )


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
    page.locator("input[name=starts_at]").first.check()
    double_click(page, page.get_by_role("button", name="Confirm order"))
    order = Order.objects.get()
    assert page.url == page.base + url("orders:detail", order.pk)
    page.get_by_text("Status: Awaiting review").wait_for()

    page.go_back()
    page.locator("input[name=starts_at]").first.check()
    page.get_by_role("button", name="Confirm order").click()
    page.get_by_text(f"already booked for that time: order {order.number}.").wait_for()
    page.reload()
    assert Order.objects.count() == 1

    stale = twin(page)
    page.get_by_text("Cancel this order").click()
    tap_twice(page, page.get_by_role("button", name="Cancel the order"))
    page.get_by_text("Status: Cancelled").wait_for()
    stale.get_by_text("Cancel this order").click()
    stale.get_by_role("button", name="Cancel the order").click()
    stale.get_by_text("This order is already cancelled.").wait_for()
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

    stale = twin(page)
    double_click(page, page.get_by_role("button", name="Claim this order"))
    page.get_by_role("button", name="Check in").wait_for()
    stale.get_by_role("button", name="Claim this order").click()
    stale.get_by_text("You have already claimed this order.").wait_for()
    assert moves(order, OrderStatus.CLAIMED) == 1

    stale = twin(page)
    double_click(page, page.get_by_role("button", name="Check in"))
    page.get_by_role("button", name="Check out").wait_for()
    stale.get_by_role("button", name="Check in").click()
    stale.get_by_text("You have already checked in.").wait_for()
    assert moves(order, OrderStatus.IN_SERVICE) == 1
    Order.objects.filter(pk=order.pk).update(checked_in_at=timezone.now() - timedelta(hours=1))

    stale = twin(page)
    tap_twice(page, page.get_by_role("button", name="Check out"))
    page.get_by_text("Confirm with the service card").wait_for()
    stale.get_by_role("button", name="Check out").click()
    stale.get_by_text("You have already checked out.").wait_for()
    assert moves(order, OrderStatus.DELIVERED) == 1

    stale = twin(page)
    card_code = page.get_by_label("Code on the elder's service card")
    card_code.fill(elder.card_code)
    enter_twice(page, card_code)
    page.get_by_text("Status: Completed").wait_for()
    stale.get_by_label("Code on the elder's service card").fill(elder.card_code)
    stale.get_by_role("button", name="Confirm", exact=True).click()
    stale.get_by_text("This service is already confirmed. Thank you!").wait_for()
    page.go_back()
    page.reload()
    assert moves(order, OrderStatus.COMPLETED) == 1
    assert wallet_of(volunteer).balance == 1
    assert Transfer.objects.filter(kind=TransferKind.EARN).count() == 1


def test_the_elder_confirms_and_rates_once(open_as, elder, cleaning, yuexiu):
    order = published_order(elder, cleaning, yuexiu)
    volunteer = make_volunteer("+8613900000003", yuexiu)
    claim_order(order, volunteer)
    check_in(order, volunteer, now=timezone.now())
    check_out(order, volunteer, now=timezone.now() + timedelta(hours=1))
    page = open_as(elder.user)
    page.goto(page.base + url("orders:detail", order.pk))

    stale = twin(page)
    double_click(page, page.get_by_role("button", name="Yes, the service was done"))
    page.get_by_text("Status: Completed").wait_for()
    stale.get_by_role("button", name="Yes, the service was done").click()
    stale.get_by_text("This service is already confirmed. Thank you!").wait_for()
    assert moves(order, OrderStatus.COMPLETED) == 1
    assert wallet_of(volunteer).balance == 1

    stale = twin(page)
    page.get_by_label("Very satisfied").check()
    tap_twice(page, page.get_by_role("button", name="Send rating"))
    page.get_by_text(
        either("Thank you for your rating.", "This service has already been rated.")
    ).wait_for()
    stale.get_by_label("Neutral").check()
    stale.get_by_role("button", name="Send rating").click()
    stale.get_by_text("This service has already been rated. Thank you!").wait_for()
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
    double_click(page, page.get_by_role("button", name="Redeem"))
    redemption = Redemption.objects.get()
    page.get_by_text(redemption.code).wait_for()
    page.go_back()
    page.get_by_role("button", name="Redeem").click()
    page.get_by_text("This was already redeemed; nothing more was taken.").wait_for()
    page.reload()
    goods.refresh_from_db()
    assert (Redemption.objects.count(), goods.stock, wallet_of(volunteer).balance) == (1, 4, 17)

    stale = twin(page)
    double_click(page, page.get_by_role("button", name="Cancel and get the credits back"))
    page.get_by_text("Cancelled", exact=True).wait_for()
    stale.get_by_role("button", name="Cancel and get the credits back").click()
    stale.get_by_text("This redemption is already cancelled.").wait_for()
    page.reload()
    redemption.refresh_from_db()
    goods.refresh_from_db()
    assert redemption.status == RedemptionStatus.CANCELLED
    assert (goods.stock, wallet_of(volunteer).balance) == (5, 20)
    assert Transfer.objects.filter(kind=TransferKind.REFUND).count() == 1


def test_a_gift_and_a_donation_go_through_once(open_as, volunteer, yuexiu):
    relative = make_user("+8613920000012", name="Qian Elder")
    link(volunteer, relative, yuexiu)
    page = open_as(volunteer)

    page.goto(page.base + url("rewards:gift"))
    page.get_by_label("Credits").fill("4")
    enter_twice(page, page.get_by_label("Credits"))
    double_click(page, page.get_by_role("button", name="Yes, give"))
    page.get_by_text(either("You gave 4 credits", "This gift was already given")).wait_for()
    page.go_back()
    page.get_by_role("button", name="Yes, give").click()
    page.get_by_text("This gift was already given; nothing more was taken.").wait_for()
    page.reload()
    assert Transfer.objects.filter(kind=TransferKind.GIFT).count() == 1
    assert wallet_of(relative).balance == 4

    page.goto(page.base + url("rewards:donate"))
    page.get_by_label("Credits").fill("5")
    enter_twice(page, page.get_by_label("Credits"))
    page.get_by_text(
        either("Thank you for your donation.", "This donation was already made")
    ).wait_for()
    page.go_back()
    page.get_by_label("Credits").fill("5")
    page.get_by_role("button", name="Donate").click()
    page.get_by_text("This donation was already made; nothing more was taken.").wait_for()
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
    button = page.get_by_role("button", name="Redeem")
    button.scroll_into_view_if_needed()
    box = button.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2

    page.mouse.click(x, y)
    page.wait_for_timeout(300)
    page.mouse.click(x, y)
    page.wait_for_timeout(300)
    sent = len(held)
    held[-1].continue_()

    page.get_by_text("Show this at the station").wait_for()
    assert sent == 1
    assert Redemption.objects.count() == 1
