import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from credits.models import Transfer, TransferKind
from rewards.models import HonourPreference, Redemption, RedemptionStatus, StarNotice
from rewards.services import (
    cancel_redemption,
    expire_redemption,
    issue_certificate,
    open_star_notice,
    redeem_goods,
    revoke_certificate,
)
from tests.conftest import balance, fund, image_file, make_staff, set_policy
from tests.rewards.conftest import link, make_goods, serve

pytestmark = pytest.mark.django_db

# The key a form page carries in its address (accounts/once.py).
KEY = "?key=" + "b" * 32


@pytest.fixture(autouse=True)
def open_policy(db):
    return set_policy(spendable_after_hours=0)


@pytest.fixture
def redemption(volunteer, rice, station):
    fund(volunteer, 30)
    return redeem_goods(rice, station, by=volunteer)


def test_the_shelf_lists_goods_in_a_fixed_number_of_queries(
    client, yuexiu, django_assert_num_queries
):
    for number in range(5):
        make_goods(yuexiu, name=f"Goods {number}")

    with django_assert_num_queries(1):
        response = client.get(reverse("rewards:shelf"))

    assert response.status_code == 200
    assert response.content.decode().count('class="goods-card"') == 5


def test_redeeming_from_the_goods_page_shows_the_pickup_code(client, volunteer, rice, station):
    fund(volunteer, 30)
    client.force_login(volunteer)

    response = client.post(reverse("rewards:goods", args=[rice.pk]) + KEY, {"station": station.pk})

    redemption = volunteer.redemptions.get()
    assert response.url == redemption.get_absolute_url()
    page = client.get(response.url).content.decode()
    assert redemption.code in page
    assert "<svg" in page


def test_a_refused_redemption_shows_the_reason(client, volunteer, rice, station):
    client.force_login(volunteer)

    response = client.post(
        reverse("rewards:goods", args=[rice.pk]) + KEY, {"station": station.pk}, follow=True
    )

    assert "There are not enough credits" in response.content.decode()
    assert not volunteer.redemptions.exists()


def test_a_redemption_over_the_goods_limit_shows_the_reason(client, volunteer, yuexiu, station):
    goods = make_goods(yuexiu, price=1, limit_per_person=1, limit_period_days=7)
    fund(volunteer, 5)
    redeem_goods(goods, station, by=volunteer)
    client.force_login(volunteer)

    response = client.post(
        reverse("rewards:goods", args=[goods.pk]) + KEY, {"station": station.pk}, follow=True
    )

    assert "You can redeem at most 1 of these every 7 days." in response.content.decode()
    assert volunteer.redemptions.count() == 1


def test_another_persons_redemption_is_not_found(client, other_volunteer, redemption):
    client.force_login(other_volunteer)

    assert client.get(redemption.get_absolute_url()).status_code == 404
    cancel = reverse("rewards:redemption_cancel", args=[redemption.pk])
    assert client.post(cancel).status_code == 404


def test_the_volunteer_cancels_from_the_page(client, volunteer, redemption):
    client.force_login(volunteer)

    client.post(reverse("rewards:redemption_cancel", args=[redemption.pk]))

    redemption.refresh_from_db()
    assert redemption.status == RedemptionStatus.CANCELLED
    assert balance(volunteer) == 30


def test_a_cancelled_redemption_says_it_was_refunded(client, volunteer, redemption):
    cancel_redemption(redemption, by=volunteer)
    client.force_login(volunteer)

    content = client.get(f"/zh-hans/rewards/redemptions/{redemption.pk}/").content.decode()

    today = timezone.localdate()
    assert f"已于 {today:%Y-%m-%d} 将 {redemption.price} 积分退回您的账户。" in content


def test_an_expired_redemption_says_it_was_refunded(client, volunteer, redemption):
    Redemption.objects.filter(pk=redemption.pk).update(
        deadline=timezone.now() - datetime.timedelta(minutes=1)
    )
    redemption.refresh_from_db()
    expire_redemption(redemption)
    client.force_login(volunteer)

    content = client.get(f"/en/rewards/redemptions/{redemption.pk}/").content.decode()

    assert f"{redemption.price} credits were refunded to your wallet on" in content


def test_station_staff_mark_a_pickup_on_the_staff_page(client, district_staff, redemption):
    client.force_login(district_staff)

    response = client.post(reverse("rewards:pickup"), {"code": redemption.code}, follow=True)

    assert response.status_code == 200
    redemption.refresh_from_db()
    assert redemption.status == RedemptionStatus.COLLECTED


def test_staff_of_another_district_cannot_mark_a_pickup(client, other_district_staff, redemption):
    client.force_login(other_district_staff)

    client.post(reverse("rewards:pickup"), {"code": redemption.code})

    redemption.refresh_from_db()
    assert redemption.status == RedemptionStatus.RESERVED


def test_the_pickup_page_is_for_staff_only(client, volunteer, redemption):
    client.force_login(volunteer)

    client.post(reverse("rewards:pickup"), {"code": redemption.code})

    redemption.refresh_from_db()
    assert redemption.status == RedemptionStatus.RESERVED


def test_a_gift_is_confirmed_on_a_second_page_before_credits_move(client, volunteer, elder, yuexiu):
    link(volunteer, elder, yuexiu)
    fund(volunteer, 30)
    client.force_login(volunteer)

    chosen = client.get(reverse("rewards:gift"), {"receiver": elder.pk, "amount": 5})
    confirmation = client.get(chosen.url)
    assert confirmation.context["data"]["amount"] == 5
    assert balance(elder) == 0
    client.post(chosen.url)

    assert balance(elder) == 5
    assert Transfer.objects.filter(kind=TransferKind.GIFT).count() == 1


def test_a_gift_over_the_daily_limit_shows_the_reason(client, volunteer, elder, yuexiu):
    set_policy(spendable_after_hours=0, daily_gift_limit=1)
    link(volunteer, elder, yuexiu)
    fund(volunteer, 30)
    client.force_login(volunteer)
    first = client.get(reverse("rewards:gift"), {"receiver": elder.pk, "amount": 5}).url
    client.post(first)
    second = client.get(reverse("rewards:gift"), {"receiver": elder.pk, "amount": 5}).url

    response = client.post(second, follow=True)

    assert "You can give at most 1 gifts a day." in response.content.decode()
    assert balance(elder) == 5


def test_only_verified_relatives_are_offered_as_receivers(client, volunteer, other_volunteer):
    client.force_login(volunteer)

    response = client.get(reverse("rewards:gift"), {"receiver": other_volunteer.pk, "amount": 5})

    assert response.status_code == 200
    assert "receiver" in response.context["form"].errors
    assert balance(other_volunteer) == 0


def test_a_project_page_shows_credits_received_and_granted(client, volunteer, project):
    fund(volunteer, 30)
    client.force_login(volunteer)
    client.post(reverse("rewards:donate") + KEY, {"project": project.pk, "amount": 12})

    response = client.get(project.get_absolute_url())

    assert response.context["received"] == 12
    assert response.context["granted"] == 0


def test_anyone_logged_in_can_object_to_a_running_notice(client, volunteer, other_volunteer):
    serve(volunteer, 100)
    notice = open_star_notice(volunteer)
    client.force_login(other_volunteer)

    client.post(notice.get_absolute_url(), {"reason": "Not true"})

    assert notice.objections.get().raised_by == other_volunteer


def test_the_objection_form_closes_when_the_notice_period_ends(client, volunteer, other_volunteer):
    serve(volunteer, 100)
    notice = open_star_notice(volunteer)
    StarNotice.objects.filter(pk=notice.pk).update(
        closes_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    client.force_login(other_volunteer)

    content = client.get(f"/zh-hans/rewards/notices/{notice.pk}/").content.decode()

    assert 'name="reason"' not in content
    assert "异议期已结束" in content


def test_the_objection_form_is_open_on_the_last_day(client, volunteer, other_volunteer):
    serve(volunteer, 100)
    notice = open_star_notice(volunteer)
    StarNotice.objects.filter(pk=notice.pk).update(closes_on=timezone.localdate())
    client.force_login(other_volunteer)

    assert 'name="reason"' in client.get(notice.get_absolute_url()).content.decode()


def test_the_honours_board_shows_only_volunteers_who_opted_in(client, volunteer, other_volunteer):
    for person in (volunteer, other_volunteer):
        serve(person, 100)
        notice = open_star_notice(person)
        notice.status = "awarded"
        notice.save()
    client.force_login(volunteer)
    client.post(reverse("rewards:honour_preference"), {"show_on_board": "on"})

    response = client.get(reverse("rewards:honours"))

    assert [n.volunteer for n in response.context["awarded"]] == [volunteer]


@pytest.mark.parametrize(
    ("district", "year"), [("²", ""), ("", "²"), ("", "0"), ("", "9" * 30), ("", "99999")]
)
def test_the_honours_board_ignores_filters_that_are_not_numbers_it_can_use(
    client, volunteer, district, year
):
    serve(volunteer, 100)
    notice = open_star_notice(volunteer)
    notice.status = "awarded"
    notice.save()
    HonourPreference.objects.create(user=volunteer, show_on_board=True)

    response = client.get(reverse("rewards:honours"), {"district": district, "year": year})

    assert list(response.context["awarded"]) == [notice]


@pytest.fixture
def certificate(volunteer, volunteer_profile):
    serve(volunteer, 7, on=datetime.date(2026, 1, 10))
    return issue_certificate(datetime.date(2026, 1, 1), datetime.date(2026, 1, 31), by=volunteer)


def test_the_public_certificate_page_shows_only_the_allowed_fields(client, certificate):
    response = client.get(reverse("rewards:certificate", args=[certificate.serial]))

    page = response.content.decode()
    facts = page[page.index('<dl class="facts">') : page.index("</dl>")]
    assert facts.count("<dt>") == 6  # serial, masked name, hours, period, issue date, issuer
    assert "L***********" in facts
    assert ">7<" in facts
    assert "2026-01-01 – 2026-01-31" in facts
    assert "Li Volunteer" not in page
    assert certificate.user.phone not in page


def test_a_revoked_certificate_says_so(client, certificate, district_staff):
    revoke_certificate(certificate, reason="Hours reversed", by=district_staff)

    response = client.get(reverse("rewards:certificate", args=[certificate.serial]))

    assert response.context["certificate"].is_revoked
    assert "2026" in response.content.decode()
    assert "Hours reversed" not in response.content.decode()


def test_only_the_owner_prints_a_certificate(client, other_volunteer, certificate):
    client.force_login(other_volunteer)

    url = reverse("rewards:certificate_print", args=[certificate.serial])
    assert client.get(url).status_code == 404


def test_a_staff_member_without_a_scope_cannot_mark_pickups(client, redemption, yuexiu):
    staff = make_staff("street@example.org", yuexiu)
    staff.staff_scope.delete()
    client.force_login(staff)

    client.post(reverse("rewards:pickup"), {"code": redemption.code})

    redemption.refresh_from_db()
    assert redemption.status == RedemptionStatus.RESERVED


def test_goods_images_are_served_for_goods_on_the_shelf_only(client, rice):
    rice.image.save("rice.jpg", image_file(), save=True)
    url = reverse("rewards:goods_image", args=[rice.pk])

    assert client.get(url)["Content-Type"] == "image/jpeg"
    rice.is_active = False
    rice.save()
    assert client.get(url).status_code == 404


def test_the_pickup_page_lists_what_waits_at_the_staff_members_stations_only(
    client, district_staff, other_district_staff, redemption
):
    client.force_login(district_staff)
    assert list(client.get(reverse("rewards:pickup")).context["waiting"]) == [redemption]

    client.force_login(other_district_staff)
    assert list(client.get(reverse("rewards:pickup")).context["waiting"]) == []


def test_my_rewards_shows_the_awarded_star_and_the_one_still_in_notice(client, volunteer):
    serve(volunteer, 100)
    first = open_star_notice(volunteer)
    first.status = "awarded"
    first.save()
    serve(volunteer, 200)
    client.force_login(volunteer)

    page = client.get(reverse("rewards:mine")).content.decode()

    assert "1 star awarded" in page
    assert "Your hours served reach 2 stars" in page


def test_profile_shows_a_star_only_once_awarded(client, volunteer, volunteer_profile):
    serve(volunteer, 100)
    notice = open_star_notice(volunteer)
    client.force_login(volunteer)
    profile_url = "/zh-hans/me/"

    assert "★" not in client.get(profile_url).content.decode()
    notice.status = "awarded"
    notice.save()
    assert "★ 1 星" in client.get(profile_url).content.decode()


def test_my_rewards_shows_no_star_an_objection_withheld(client, volunteer):
    serve(volunteer, 100)
    notice = open_star_notice(volunteer)
    notice.status = "withheld"
    notice.save()
    client.force_login(volunteer)

    page = client.get("/en/rewards/mine/").content.decode()

    assert "0 stars awarded" in page
    assert "Your hours served reach" not in page


def test_my_credits_shows_stars_only_once_awarded(client, volunteer):
    serve(volunteer, 100)
    notice = open_star_notice(volunteer)
    client.force_login(volunteer)

    assert "No star awarded yet" in client.get("/en/credits/").content.decode()
    notice.status = "awarded"
    notice.save()
    assert "★ 1 star" in client.get("/en/credits/").content.decode()


def test_my_credits_shows_no_star_an_objection_withheld(client, volunteer):
    serve(volunteer, 100)
    notice = open_star_notice(volunteer)
    notice.status = "withheld"
    notice.save()
    client.force_login(volunteer)

    page = client.get("/zh-hans/credits/").content.decode()

    assert "尚未获授星级" in page
    assert "★" not in page


def test_certificate_dates_are_iso_on_the_chinese_site(client, volunteer):
    client.force_login(volunteer)
    today = timezone.localdate()

    content = client.get("/zh-hans/rewards/certificates/new/").content.decode()

    assert f'type="date" name="start" value="{today.replace(month=1, day=1):%Y-%m-%d}"' in content
    assert f'type="date" name="end" value="{today:%Y-%m-%d}"' in content
