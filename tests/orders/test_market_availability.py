"""The volunteer's times and districts: the market, the offers asked for them, the notices.

START (tests.orders.conftest) is Monday 3 June 2030, 09:00 in Guangzhou: 01:00 UTC,
so a window read in any other time zone than the project's would miss it.
"""

import datetime
from datetime import timedelta

import pytest
from django.urls import reverse as django_reverse
from django.utils import timezone, translation

from accounts.models import AvailabilityWindow
from notifications.models import Notification, NotificationKind
from orders import services
from orders.forms import next_slots
from orders.models import Order, OrderStatus
from tests.api.conftest import ApiClient
from tests.conftest import client_of, make_user, make_volunteer_profile, messages_of
from tests.orders.conftest import BEFORE_START, START, give_welfare_category, place
from tests.orders.test_who_comes import complete

pytestmark = pytest.mark.django_db
MONDAY, TUESDAY = 0, 1


def reverse(name, args=None):
    with translation.override("zh-hans"):
        return django_reverse(name, args=args)


def available(user, weekday, starts, ends):
    return AvailabilityWindow.objects.create(
        profile=user.volunteer_profile,
        weekday=weekday,
        starts=datetime.time(*starts),
        ends=datetime.time(*ends),
    )


def publish(elder_profile, service_type, staff, starts_at):
    return services.approve_order(place(elder_profile, service_type, starts_at=starts_at), by=staff)


def page_ids(user, **query):
    context = client_of(user).get(reverse("orders:market"), query).context
    return [row.pk for row in context["orders"]], context


def api_ids(user, **query):
    answer = ApiClient(user).get("/market", **query).json()
    return [row["id"] for row in answer["orders"]], answer


@pytest.fixture
def three_times(welfare_elder, cleaning, staff):
    """Monday 09:00 (at the volunteer's time below), Monday 12:00 and Tuesday 09:00."""
    return [
        publish(welfare_elder, cleaning, staff, START + offset)
        for offset in (timedelta(0), timedelta(hours=3), timedelta(days=1))
    ]


# The market ------------------------------------------------------------------------


def test_the_market_shows_the_orders_at_the_volunteers_times_and_the_switch_shows_all(
    three_times, verified_volunteer
):
    available(verified_volunteer, MONDAY, (8, 30), (10, 0))
    every = [order.pk for order in three_times]

    shown, context = page_ids(verified_volunteer)
    shown_all, context_all = page_ids(verified_volunteer, show_all="1")

    assert shown == every[:1]
    assert context["narrowed"] and "show_all=1" in context["switched"]
    assert shown_all == every
    assert not context_all["narrowed"] and context_all["switched"] == ""


def test_the_api_market_lists_the_same_orders_as_the_page_narrowed_or_not(
    three_times, verified_volunteer
):
    available(verified_volunteer, MONDAY, (8, 30), (10, 0))
    available(verified_volunteer, TUESDAY, (9, 0), (9, 30))

    listed, answer = api_ids(verified_volunteer)
    listed_all, answer_all = api_ids(verified_volunteer, show_all="true")

    assert listed == page_ids(verified_volunteer)[0] == [three_times[0].pk, three_times[2].pk]
    assert answer["narrowed"] is True
    assert listed_all == page_ids(verified_volunteer, show_all="1")[0]
    assert answer_all["narrowed"] is False


def test_the_page_says_what_it_shows_and_offers_the_switch_in_one_tap(
    three_times, verified_volunteer
):
    client = client_of(verified_volunteer)

    narrowed = client.get(reverse("orders:market")).content.decode()
    everything = client.get(reverse("orders:market") + "?show_all=1").content.decode()

    assert 'href="?show_all=1">显示全部订单</a>' in narrowed
    assert reverse("people:availability") in narrowed
    assert '<input type="hidden" name="show_all" value="1">' in everything
    assert "只看我的时间和区域" in everything


def test_a_volunteer_who_never_set_times_sees_any_time_in_their_own_district(
    published, other_elder_profile, cleaning, staff, other_district_staff, verified_volunteer
):
    elsewhere = publish(
        give_welfare_category(other_elder_profile), cleaning, other_district_staff, START
    )

    assert page_ids(verified_volunteer)[0] == [published.pk]
    assert set(page_ids(verified_volunteer, show_all="1")[0]) == {published.pk, elsewhere.pk}


def test_the_districts_chosen_replace_the_own_district(
    published, other_elder_profile, cleaning, other_district_staff, verified_volunteer, haizhu
):
    elsewhere = publish(
        give_welfare_category(other_elder_profile), cleaning, other_district_staff, START
    )
    verified_volunteer.volunteer_profile.serve_districts.set([haizhu])

    assert page_ids(verified_volunteer)[0] == [elsewhere.pk]
    assert api_ids(verified_volunteer)[0] == [elsewhere.pk]


def test_the_narrowed_market_pages_through_only_the_orders_at_the_volunteers_times(
    welfare_elder, cleaning, staff, verified_volunteer
):
    available(verified_volunteer, MONDAY, (8, 0), (18, 0))
    inside = [
        publish(welfare_elder, cleaning, staff, START + timedelta(days=week * 7, hours=hour)).pk
        for week in range(3)
        for hour in range(8)
    ]
    for week in range(3):
        publish(welfare_elder, cleaning, staff, START + timedelta(days=week * 7 + 1))

    first, context = page_ids(verified_volunteer)
    second, _context = page_ids(verified_volunteer, after=context["next_cursor"])
    api_first, answer = api_ids(verified_volunteer)
    api_second, api_answer = api_ids(verified_volunteer, after=answer["next"])

    assert first + second == inside
    assert (api_first, api_second) == (first, second)
    assert answer["next"] == context["next_cursor"] and api_answer["next"] is None


def test_an_order_outside_the_volunteers_times_can_still_be_claimed(
    three_times, verified_volunteer
):
    available(verified_volunteer, MONDAY, (8, 30), (10, 0))
    tuesday = three_times[2]

    services.claim_order(tuesday, now=BEFORE_START, by=verified_volunteer)

    assert Order.objects.get(pk=tuesday.pk).volunteer == verified_volunteer


# The volunteer asked for by name -------------------------------------------------------


@pytest.fixture
def served(published, verified_volunteer):
    return complete(published, verified_volunteer, rating=5)


def ask_again(served, volunteer, starts_at):
    order = services.submit_order(
        served.elder,
        by=served.elder.user,
        service_type=served.service_type,
        starts_at=starts_at,
        booked_hours=1,
        funding="welfare",
        favourite=volunteer,
        now=BEFORE_START,
    )
    return order


def test_a_favourite_not_usually_free_then_gets_no_offer_and_the_order_goes_to_everyone(
    served, staff, verified_volunteer, second_volunteer
):
    available(verified_volunteer, TUESDAY, (9, 0), (12, 0))

    order = services.approve_order(
        ask_again(served, verified_volunteer, START + timedelta(days=7)), by=staff
    )

    assert order.offered_to is None and order.offered_until is None
    assert order.pk in page_ids(second_volunteer)[0]


def test_a_favourite_free_then_gets_the_offer(served, staff, verified_volunteer):
    available(verified_volunteer, MONDAY, (9, 0), (12, 0))

    order = services.approve_order(
        ask_again(served, verified_volunteer, START + timedelta(days=7)), by=staff
    )

    assert order.offered_to == verified_volunteer and order.offered_until is not None


def test_a_favourite_who_changed_their_times_before_approval_gets_no_offer_window(
    served, staff, verified_volunteer
):
    order = ask_again(served, verified_volunteer, START + timedelta(days=7))
    available(verified_volunteer, TUESDAY, (9, 0), (12, 0))

    order = services.approve_order(order, by=staff)

    assert order.offered_until is None


def test_the_elders_side_is_told_at_once_that_the_favourite_is_not_usually_free(
    client, served, verified_volunteer
):
    client.force_login(served.elder.user)
    url = reverse("orders:new", args=[served.elder.pk, "cleaning"])
    slot = next_slots()[0]
    other_day = (timezone.localtime(slot).weekday() + 1) % 7
    available(verified_volunteer, other_day, (0, 0), (23, 59))

    response = client.post(
        url,
        {
            "starts_at": slot.isoformat(),
            "booked_hours": 1,
            "funding": "welfare",
            "favourite": verified_volunteer.pk,
        },
    )

    assert "这位志愿者通常这个时间没空，订单将发给老人附近的所有志愿者。" in messages_of(response)
    assert Order.objects.latest("pk").offered_to is None


# New orders announced -----------------------------------------------------------------


def volunteer_with_skill(phone, district, sequence, service_type):
    profile = make_volunteer_profile(make_user(phone, name=phone), district, sequence=sequence)
    profile.skills.add(service_type)
    return profile.user


def told():
    return set(
        Notification.objects.filter(kind=NotificationKind.NEW_ORDERS).values_list(
            "recipient", flat=True
        )
    )


def test_new_orders_are_announced_only_to_volunteers_available_then_and_there(
    welfare_elder, cleaning, staff, yuexiu, haizhu, django_capture_on_commit_callbacks
):
    free_then = volunteer_with_skill("13800000201", yuexiu, "201", cleaning)
    available(free_then, MONDAY, (9, 0), (9, 30))
    busy_then = volunteer_with_skill("13800000202", yuexiu, "202", cleaning)
    available(busy_then, MONDAY, (9, 30), (12, 0))
    never_set = volunteer_with_skill("13800000203", yuexiu, "203", cleaning)
    never_set_elsewhere = volunteer_with_skill("13800000204", haizhu, "204", cleaning)
    serves_here = volunteer_with_skill("13800000205", haizhu, "205", cleaning)
    serves_here.volunteer_profile.serve_districts.set([yuexiu])
    serves_elsewhere = volunteer_with_skill("13800000206", yuexiu, "206", cleaning)
    serves_elsewhere.volunteer_profile.serve_districts.set([haizhu])

    with django_capture_on_commit_callbacks(execute=True):
        publish(welfare_elder, cleaning, staff, START)

    assert told() == {free_then.pk, never_set.pk, serves_here.pk}
    assert never_set_elsewhere.pk not in told() and busy_then.pk not in told()
    assert serves_elsewhere.pk not in told()


def test_a_claim_given_back_is_announced_to_the_others_available_not_to_its_volunteer(
    published, cleaning, verified_volunteer, yuexiu, django_capture_on_commit_callbacks
):
    verified_volunteer.volunteer_profile.skills.add(cleaning)
    other = volunteer_with_skill("13800000207", yuexiu, "207", cleaning)
    services.claim_order(published, now=BEFORE_START, by=verified_volunteer)
    Notification.objects.all().delete()

    with django_capture_on_commit_callbacks(execute=True):
        services.release_claim(published, by=verified_volunteer)

    assert told() == {other.pk}


def test_a_claim_the_platform_takes_back_is_announced_to_the_others_available(
    published, cleaning, verified_volunteer, yuexiu, django_capture_on_commit_callbacks
):
    verified_volunteer.volunteer_profile.skills.add(cleaning)
    free_then = volunteer_with_skill("13800000208", yuexiu, "208", cleaning)
    busy_then = volunteer_with_skill("13800000209", yuexiu, "209", cleaning)
    available(busy_then, TUESDAY, (9, 0), (12, 0))
    services.claim_order(published, now=BEFORE_START, by=verified_volunteer)
    Notification.objects.all().delete()

    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw_claim(published, reason="Visits missed", now=BEFORE_START)

    assert told() == {free_then.pk}


def test_a_claim_taken_back_ends_the_offer_to_the_volunteer_asked_for(
    published, cleaning, verified_volunteer, yuexiu
):
    """Their claim ended the offer: the order is everyone's again, as after a release."""
    verified_volunteer.volunteer_profile.skills.add(cleaning)
    services.claim_order(published, now=BEFORE_START, by=verified_volunteer)
    Order.objects.filter(pk=published.pk).update(
        offered_to=verified_volunteer, offered_until=BEFORE_START + timedelta(hours=6)
    )

    services.withdraw_claim(published, reason="Visits missed", now=BEFORE_START)

    published.refresh_from_db()
    assert published.status == OrderStatus.PUBLISHED
    assert published.offered_until == BEFORE_START
