"""Who comes: "not this volunteer again" and "the same person again"."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse as django_reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from accounts.models import AuditLog
from notifications.models import Notification, NotificationKind
from orders import services
from orders.models import NotAgain, Order, favourites_of
from orders.tasks import announce_new_orders
from tests.conftest import client_of, messages_of, set_policy
from tests.orders.conftest import START, give_welfare_category

pytestmark = pytest.mark.django_db


def reverse(name, args=None):
    with translation.override("zh-hans"):
        return django_reverse(name, args=args)


def complete(order, volunteer, *, rating=None):
    """`order` approved, served by `volunteer`, confirmed, and rated."""
    services.claim_order(order, by=volunteer)
    services.check_in(order, now=order.starts_at, by=volunteer)
    services.check_out(order, now=order.starts_at + timedelta(minutes=60), by=volunteer)
    order = services.confirm_order(order, by=order.elder.user)
    if rating:
        order = services.rate_order(order, by=order.elder.user, rating=rating)
    return order


@pytest.fixture
def served(published, verified_volunteer):
    """A visit the first volunteer did for the elder, rated 5."""
    return complete(published, verified_volunteer, rating=5)


def next_order(elder_profile, service_type, staff, *, days=1, favourite=None):
    """Another order of the elder, approved and in the market."""
    order = services.submit_order(
        elder_profile,
        by=elder_profile.user,
        service_type=service_type,
        starts_at=START + timedelta(days=days),
        booked_hours=1,
        funding="welfare",
        favourite=favourite,
        now=START - timedelta(days=2),
    )
    return services.approve_order(order, by=staff)


def market_ids(user):
    response = client_of(user).get(reverse("orders:market"))
    assert response.status_code == 200
    return {order.pk for order in response.context["orders"]}


# Not this volunteer again ---------------------------------------------------------


def test_elder_marks_the_volunteer_of_a_completed_visit(served, verified_volunteer, english):
    mark = services.mark_not_again(served, by=served.elder.user)

    assert (mark.elder, mark.volunteer, mark.order, mark.marked_by) == (
        served.elder,
        verified_volunteer,
        served,
        served.elder.user,
    )
    assert AuditLog.objects.filter(action="order.not_again", target_id=str(mark.pk)).exists()


def test_proxy_of_the_elder_may_mark(served, proxy, proxy_authorisation, english):
    mark = services.mark_not_again(served, by=proxy)

    assert mark.marked_by == proxy


def test_proxy_of_another_elder_may_not_mark(
    served, other_proxy, other_proxy_authorisation, english
):
    with pytest.raises(services.OrderError):
        services.mark_not_again(served, by=other_proxy)

    assert not NotAgain.objects.exists()


def test_the_volunteer_cannot_mark_themselves(served, verified_volunteer, english):
    with pytest.raises(services.OrderError):
        services.mark_not_again(served, by=verified_volunteer)


def test_marking_twice_keeps_one_mark(served, english):
    services.mark_not_again(served, by=served.elder.user)

    with pytest.raises(services.AlreadyDone, match="already asked"):
        services.mark_not_again(served, by=served.elder.user)

    assert NotAgain.objects.count() == 1


def test_a_visit_not_yet_completed_cannot_be_marked(claimed, english):
    with pytest.raises(services.OrderError, match="completed"):
        services.mark_not_again(claimed, by=claimed.elder.user)


def test_marked_volunteer_no_longer_sees_the_elders_orders(
    served, cleaning, staff, verified_volunteer, second_volunteer
):
    services.mark_not_again(served, by=served.elder.user)
    order = next_order(served.elder, cleaning, staff)

    assert order.pk not in market_ids(verified_volunteer)
    assert order.pk in market_ids(second_volunteer)
    assert client_of(verified_volunteer).get(order.get_absolute_url()).status_code == 404
    assert client_of(second_volunteer).get(order.get_absolute_url()).status_code == 200


def test_marked_volunteer_cannot_claim_and_is_told_nothing_personal(
    served, cleaning, staff, verified_volunteer, english
):
    services.mark_not_again(served, by=served.elder.user)
    order = next_order(served.elder, cleaning, staff)

    assert services.claim_refusal(order, verified_volunteer) == "This order is not open to you."
    with pytest.raises(services.OrderError, match="not open to you"):
        services.claim_order(order, by=verified_volunteer)


def test_marked_volunteer_is_not_told_another_took_the_elders_order(
    served, cleaning, staff, verified_volunteer, second_volunteer
):
    services.mark_not_again(served, by=served.elder.user)
    order = next_order(served.elder, cleaning, staff)
    services.claim_order(order, by=second_volunteer)

    response = client_of(verified_volunteer).get(order.get_absolute_url())

    assert response.status_code == 404


def test_marked_volunteer_is_not_announced_the_elders_orders(
    served, cleaning, staff, verified_volunteer, second_volunteer
):
    for person in (verified_volunteer, second_volunteer):
        profile = person.volunteer_profile
        profile.skills.add(cleaning)
        profile.serve_districts.add(served.district)
    services.mark_not_again(served, by=served.elder.user)
    order = next_order(served.elder, cleaning, staff)
    Notification.objects.all().delete()

    announce_new_orders(order.pk)

    told = set(
        Notification.objects.filter(kind=NotificationKind.NEW_ORDERS).values_list(
            "recipient", flat=True
        )
    )
    assert told == {second_volunteer.pk}


def test_withdrawing_the_mark_lets_the_volunteer_come_again(
    served, cleaning, staff, verified_volunteer, english
):
    services.mark_not_again(served, by=served.elder.user)
    order = next_order(served.elder, cleaning, staff)

    services.withdraw_not_again(served, by=served.elder.user)

    assert not NotAgain.objects.exists()
    assert order.pk in market_ids(verified_volunteer)
    assert services.claim_refusal(order, verified_volunteer) is None
    assert AuditLog.objects.filter(action="order.not_again_withdrawn").exists()


def test_another_elders_side_cannot_withdraw(
    served, other_proxy, other_proxy_authorisation, english
):
    services.mark_not_again(served, by=served.elder.user)

    with pytest.raises(services.OrderError):
        services.withdraw_not_again(served, by=other_proxy)

    assert NotAgain.objects.count() == 1


def test_marking_page_marks_once_with_a_clear_message(client, served):
    client.force_login(served.elder.user)
    url = reverse("orders:not_again", args=[served.pk])

    first = client.post(url)
    second = client.post(url)

    assert first.status_code == second.status_code == 302
    assert NotAgain.objects.count() == 1
    with translation.override("zh-hans"):
        already = gettext("You have already asked that this volunteer not come again.")
    assert messages_of(second)[-1] == already


@pytest.mark.parametrize("who", ["other_elder", "verified_volunteer", "second_volunteer"])
def test_marking_someone_elses_order_is_a_404(request, served, other_elder_profile, who):
    person = request.getfixturevalue(who)

    for name in ("orders:not_again", "orders:welcome_again"):
        response = client_of(person).post(reverse(name, args=[served.pk]))
        assert response.status_code == 404
    assert not NotAgain.objects.exists()


def test_marking_an_order_that_does_not_exist_is_a_404(client, served):
    client.force_login(served.elder.user)

    response = client.post(reverse("orders:not_again", args=[served.pk + 1000]))

    assert response.status_code == 404


def test_order_page_offers_marking_and_withdrawing_to_the_elders_side_only(
    served, verified_volunteer
):
    elder_page = client_of(served.elder.user).get(served.get_absolute_url()).content.decode()
    volunteer_page = client_of(verified_volunteer).get(served.get_absolute_url()).content.decode()

    assert reverse("orders:not_again", args=[served.pk]) in elder_page
    assert reverse("orders:not_again", args=[served.pk]) not in volunteer_page
    services.mark_not_again(served, by=served.elder.user)
    elder_page = client_of(served.elder.user).get(served.get_absolute_url()).content.decode()
    volunteer_page = client_of(verified_volunteer).get(served.get_absolute_url()).content.decode()
    assert reverse("orders:welcome_again", args=[served.pk]) in elder_page
    assert reverse("orders:welcome_again", args=[served.pk]) not in volunteer_page


def test_staff_see_how_many_elders_marked_a_volunteer(
    served, staff, verified_volunteer, other_district_staff, city_staff
):
    services.mark_not_again(served, by=served.elder.user)
    url = reverse("admin:accounts_volunteerprofile_changelist")
    for person in (staff, other_district_staff):
        person.user_permissions.add(Permission.objects.get(codename="view_volunteerprofile"))

    rows = client_of(staff).get(url, {"not_again": "yes"}).context["cl"].result_list
    elsewhere = client_of(other_district_staff).get(url).context["cl"].result_list
    unmarked = client_of(staff).get(url, {"not_again": "no"}).context["cl"].result_list

    assert [(row.user_id, row.not_again_count) for row in rows] == [(verified_volunteer.pk, 1)]
    assert list(elsewhere) == []
    assert verified_volunteer.pk not in {row.user_id for row in unmarked}


def test_a_marked_volunteer_who_is_also_staff_never_reads_their_own_count(
    served, verified_volunteer, yuexiu
):
    from allauth.mfa.totp.internal.auth import generate_totp_secret

    from accounts.models import ScopeLevel, StaffScope
    from tests.conftest import enrol_authenticator

    services.mark_not_again(served, by=served.elder.user)
    verified_volunteer.is_staff = True
    verified_volunteer.save()
    enrol_authenticator(verified_volunteer, generate_totp_secret())
    StaffScope.objects.create(user=verified_volunteer, level=ScopeLevel.DISTRICT, district=yuexiu)
    verified_volunteer.user_permissions.add(
        Permission.objects.get(codename="view_volunteerprofile")
    )
    url = reverse("admin:accounts_volunteerprofile_changelist")

    rows = client_of(verified_volunteer).get(url).context["cl"].result_list
    marked = client_of(verified_volunteer).get(url, {"not_again": "yes"}).context["cl"]

    assert [row.not_again_count for row in rows if row.user_id == verified_volunteer.pk] == [0]
    assert list(marked.result_list) == []


# The same person again ----------------------------------------------------------------


def test_favourites_are_volunteers_of_well_rated_visits(
    welfare_elder, cleaning, staff, verified_volunteer, second_volunteer
):
    complete(next_order(welfare_elder, cleaning, staff), verified_volunteer, rating=4)
    complete(next_order(welfare_elder, cleaning, staff, days=2), second_volunteer, rating=3)

    assert list(favourites_of(welfare_elder)) == [verified_volunteer]


def test_a_volunteer_marked_not_again_is_no_favourite(served, verified_volunteer):
    services.mark_not_again(served, by=served.elder.user)

    assert not favourites_of(served.elder).exists()


def test_favourites_are_the_elders_own(served, other_elder_profile):
    assert not favourites_of(other_elder_profile).exists()


@pytest.mark.parametrize("who", ["second_volunteer", "verified_volunteer"])
def test_only_a_favourite_can_be_asked_for(
    request, served, cleaning, staff, other_elder_profile, english, who
):
    """One who never served the elder, or served another elder only, is refused."""
    person = request.getfixturevalue(who)
    elder = served.elder if who == "second_volunteer" else other_elder_profile
    if who == "verified_volunteer":
        give_welfare_category(other_elder_profile)

    with pytest.raises(services.OrderError, match="Choose one of the volunteers"):
        next_order(elder, cleaning, staff, favourite=person)


def test_the_asked_volunteer_alone_sees_and_may_claim_the_order_first(
    served, cleaning, staff, verified_volunteer, second_volunteer, english
):
    before = timezone.now()
    order = next_order(served.elder, cleaning, staff, favourite=verified_volunteer)

    assert order.offered_to == verified_volunteer
    assert (
        before + timedelta(hours=12) <= order.offered_until <= timezone.now() + timedelta(hours=12)
    )
    asked = client_of(verified_volunteer).get(reverse("orders:market")).context["asked"]
    assert [o.pk for o in asked] == [order.pk]
    assert order.pk not in market_ids(second_volunteer)
    assert client_of(second_volunteer).get(order.get_absolute_url()).status_code == 404
    with translation.override("en"):  # the pages above activated the site's language
        assert services.claim_refusal(order, second_volunteer) == "This order is not open to you."
    assert services.claim_refusal(order, verified_volunteer) is None
    services.claim_order(order, by=verified_volunteer)


def test_after_the_window_every_volunteer_sees_the_order(
    served, cleaning, staff, verified_volunteer, second_volunteer
):
    order = next_order(served.elder, cleaning, staff, favourite=verified_volunteer)
    Order.objects.filter(pk=order.pk).update(offered_until=timezone.now() - timedelta(seconds=1))
    order.refresh_from_db()

    assert order.pk in market_ids(second_volunteer)
    assert not client_of(verified_volunteer).get(reverse("orders:market")).context["asked"]
    assert services.claim_refusal(order, second_volunteer) is None


def test_claim_in_the_window_is_refused_at_that_time_and_allowed_after(
    served, cleaning, staff, second_volunteer, verified_volunteer
):
    order = next_order(served.elder, cleaning, staff, favourite=verified_volunteer)

    assert services.claim_refusal(order, second_volunteer, now=order.offered_until) is None
    assert services.claim_refusal(
        order, second_volunteer, now=order.offered_until - timedelta(minutes=1)
    )


def test_passing_opens_the_order_to_everyone(
    served, cleaning, staff, verified_volunteer, second_volunteer, english
):
    order = next_order(served.elder, cleaning, staff, favourite=verified_volunteer)

    order = services.pass_offer(order, by=verified_volunteer)

    assert order.pk in market_ids(second_volunteer)
    assert services.claim_refusal(order, second_volunteer) is None


def test_only_the_asked_volunteer_can_pass(
    served, cleaning, staff, verified_volunteer, second_volunteer, english
):
    order = next_order(served.elder, cleaning, staff, favourite=verified_volunteer)

    with pytest.raises(services.AlreadyDone):
        services.pass_offer(order, by=second_volunteer)

    order.refresh_from_db()
    assert order.offered_until > timezone.now()


def test_a_claimed_order_cannot_be_passed_on(
    served, cleaning, staff, verified_volunteer, second_volunteer, english
):
    order = next_order(served.elder, cleaning, staff, favourite=verified_volunteer)
    services.claim_order(order, by=verified_volunteer)

    with pytest.raises(services.OrderError, match="release it instead"):
        services.pass_offer(order, by=verified_volunteer)


def test_releasing_the_claim_ends_the_window(
    served, cleaning, staff, verified_volunteer, second_volunteer
):
    order = next_order(served.elder, cleaning, staff, favourite=verified_volunteer)
    services.claim_order(order, by=verified_volunteer)

    services.release_claim(order, by=verified_volunteer)

    order.refresh_from_db()
    assert services.claim_refusal(order, second_volunteer) is None


def test_marking_the_asked_volunteer_ends_the_window(
    served, cleaning, staff, verified_volunteer, second_volunteer
):
    order = next_order(served.elder, cleaning, staff, favourite=verified_volunteer)

    services.mark_not_again(served, by=served.elder.user)

    order.refresh_from_db()
    assert order.pk in market_ids(second_volunteer)
    assert order.pk not in market_ids(verified_volunteer)


def test_no_window_when_the_policy_turns_it_off(
    served, cleaning, staff, verified_volunteer, second_volunteer
):
    set_policy(favourite_window_hours=0)

    order = next_order(served.elder, cleaning, staff, favourite=verified_volunteer)

    assert order.offered_until is None
    assert order.pk in market_ids(second_volunteer)


def test_the_window_follows_the_policy_and_ends_by_the_start(
    served, cleaning, staff, verified_volunteer
):
    set_policy(favourite_window_hours=3)

    order = next_order(served.elder, cleaning, staff, favourite=verified_volunteer)

    assert order.offered_until <= timezone.now() + timedelta(hours=3)
    assert order.offered_until > timezone.now() + timedelta(hours=2)


@pytest.mark.parametrize(("hours_ahead", "offered_for"), [(3, 1.5), (1.5, None)])
def test_near_its_start_an_order_waits_half_the_time_left_or_not_at_all(
    served, cleaning, staff, verified_volunteer, hours_ahead, offered_for
):
    order = services.submit_order(
        served.elder,
        by=served.elder.user,
        service_type=cleaning,
        starts_at=timezone.now() + timedelta(hours=hours_ahead),
        booked_hours=1,
        funding="welfare",
        favourite=verified_volunteer,
    )
    before = timezone.now()
    order = services.approve_order(order, by=staff)

    if offered_for is None:
        assert order.offered_until is None
    else:
        waited = order.offered_until - before
        assert timedelta(hours=offered_for) - timedelta(minutes=1) < waited
        assert waited <= timedelta(hours=offered_for)


def test_only_the_asked_volunteer_hears_of_the_order_in_the_window(
    served, cleaning, staff, verified_volunteer, second_volunteer
):
    second_volunteer.volunteer_profile.skills.add(cleaning)
    second_volunteer.volunteer_profile.serve_districts.add(served.district)
    order = next_order(served.elder, cleaning, staff, favourite=verified_volunteer)
    Notification.objects.all().delete()

    announce_new_orders(order.pk)

    assert list(Notification.objects.values_list("recipient", "kind")) == [
        (verified_volunteer.pk, NotificationKind.ASKED_FOR_YOU)
    ]


def test_the_elders_side_is_not_told_when_the_favourite_passes(
    served, cleaning, staff, verified_volunteer
):
    order = next_order(served.elder, cleaning, staff, favourite=verified_volunteer)
    services.pass_offer(order, by=verified_volunteer)

    page = client_of(served.elder.user).get(order.get_absolute_url())

    assert not Notification.objects.filter(recipient=served.elder.user, kind="released").exists()
    with translation.override("zh-hans"):
        found = gettext("You asked for %(name)s again. A volunteer will be found for you.") % {
            "name": verified_volunteer
        }
    assert found in page.content.decode()


def test_ask_again_opens_the_order_screen_with_the_volunteer_chosen(client, served):
    client.force_login(served.elder.user)

    detail = client.get(served.get_absolute_url()).content.decode()
    response = client.get(reverse("orders:again", args=[served.pk]) + "?same=1")

    assert reverse("orders:again", args=[served.pk]) + "?same=1" in detail
    assert response.context["form"]["favourite"].value() == served.volunteer_id


def test_no_ask_again_after_a_middling_rating(client, published, verified_volunteer):
    order = complete(published, verified_volunteer, rating=3)
    client.force_login(order.elder.user)

    detail = client.get(order.get_absolute_url()).content.decode()
    response = client.get(reverse("orders:again", args=[order.pk]) + "?same=1")

    assert "?same=1" not in detail
    assert "favourite" not in response.context["form"].fields


def test_placing_with_the_favourite_offers_the_order_to_them(
    client, served, cleaning, verified_volunteer
):
    client.force_login(served.elder.user)
    url = reverse("orders:new", args=[served.elder.pk, "cleaning"])
    form = client.get(url).context["form"]

    client.post(
        url,
        {
            "starts_at": form.fields["starts_at"].choices[0][0],
            "booked_hours": 1,
            "funding": "welfare",
            "favourite": verified_volunteer.pk,
        },
    )

    assert Order.objects.latest("pk").offered_to == verified_volunteer


def test_placing_with_a_stranger_as_favourite_is_refused(
    client, served, cleaning, second_volunteer
):
    client.force_login(served.elder.user)
    url = reverse("orders:new", args=[served.elder.pk, "cleaning"])
    form = client.get(url).context["form"]
    count = Order.objects.count()

    response = client.post(
        url,
        {
            "starts_at": form.fields["starts_at"].choices[0][0],
            "booked_hours": 1,
            "funding": "welfare",
            "favourite": second_volunteer.pk,
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["favourite"]
    assert Order.objects.count() == count


def test_pass_page_opens_the_order(client, served, cleaning, staff, verified_volunteer):
    order = next_order(served.elder, cleaning, staff, favourite=verified_volunteer)
    client.force_login(verified_volunteer)

    page = client.get(order.get_absolute_url()).content.decode()
    response = client.post(reverse("orders:pass", args=[order.pk]))

    assert reverse("orders:pass", args=[order.pk]) in page
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.offered_until <= timezone.now()


def test_passing_an_order_offered_to_another_is_a_404(
    client, served, cleaning, staff, verified_volunteer, second_volunteer
):
    order = next_order(served.elder, cleaning, staff, favourite=verified_volunteer)
    client.force_login(second_volunteer)

    response = client.post(reverse("orders:pass", args=[order.pk]))

    assert response.status_code == 404
    order.refresh_from_db()
    assert order.offered_until > timezone.now()


def test_the_phone_app_shows_the_asked_volunteer_their_order_and_lets_them_pass(
    served, cleaning, staff, verified_volunteer, second_volunteer
):
    from tests.api.conftest import ApiClient

    order = next_order(served.elder, cleaning, staff, favourite=verified_volunteer)
    asked, other = ApiClient(verified_volunteer), ApiClient(second_volunteer)

    mine = asked.get("/market").json()
    assert ([row["id"] for row in mine["asked"]], mine["orders"]) == ([order.pk], [])
    assert other.get("/market").json()["asked"] == []
    assert order.pk not in [row["id"] for row in other.get("/market").json()["orders"]]

    assert asked.post(f"/orders/{order.pk}/pass").status_code == 200
    assert asked.get("/market").json()["asked"] == []
    assert order.pk in [row["id"] for row in other.get("/market").json()["orders"]]


def test_when_the_offer_ends_the_volunteers_nearby_hear_of_the_order_once(
    served, cleaning, staff, verified_volunteer, second_volunteer
):
    from orders.tasks import announce_ended_offers

    second_volunteer.volunteer_profile.skills.add(cleaning)
    second_volunteer.volunteer_profile.serve_districts.add(served.district)
    order = next_order(served.elder, cleaning, staff, favourite=verified_volunteer)
    heard = Notification.objects.filter(
        recipient=second_volunteer, kind=NotificationKind.NEW_ORDERS
    )
    announce_ended_offers()
    assert not heard.exists()  # still waiting for the one asked for

    services.pass_offer(order, by=verified_volunteer)
    announce_ended_offers()
    announce_ended_offers()

    assert heard.count() == 1
