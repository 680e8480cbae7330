import pytest
from django.utils import timezone

from credits.models import Policy, Transfer, TransferKind
from credits.passbook import PASSBOOK_PAGE_SIZE
from credits.services import credit_served_time, give_gift, reverse_transfer, wallet_of
from tests.conftest import fund, next_key, set_policy

pytestmark = pytest.mark.django_db


def test_my_credits_needs_a_login(client):
    response = client.get("/en/credits/")

    assert response.status_code == 302
    assert "/accounts/login/" in response.url


def test_my_credits_shows_balance_carry_and_progress(client, volunteer):
    credit_served_time(volunteer, 150, key=next_key())
    client.force_login(volunteer)

    response = client.get("/en/credits/")

    assert response.status_code == 200
    content = response.content.decode()
    assert "2 credits" in content
    assert "(and 30 minutes carried to your next service)" in content
    assert "Not yet: redeeming and gifting open after 98 more hours of service." in content
    assert "98 hours to the next star." in content
    assert "Earned for 150 minutes of service" in content


def test_my_credits_says_when_credits_can_be_used(client, volunteer, open_policy):
    client.force_login(volunteer)

    assert "Yes: you can redeem goods" in client.get("/en/credits/").content.decode()


def test_my_credits_in_chinese(client, volunteer):
    client.force_login(volunteer)

    assert "我的积分" in client.get("/zh-hans/credits/").content.decode()


def test_header_links_to_my_credits_when_logged_in(client, volunteer):
    client.force_login(volunteer)

    assert 'href="/en/credits/"' in client.get("/en/").content.decode()


def test_passbook_pages_hold_twenty_rows(client, volunteer):
    for _ in range(PASSBOOK_PAGE_SIZE + 1):
        fund(volunteer, 1)
    client.force_login(volunteer)

    first = client.get("/en/credits/").content.decode()
    second = client.get("/en/credits/?page=2").content.decode()

    assert first.count(">Granted to you</td>") == PASSBOOK_PAGE_SIZE
    assert "Page 1 of 2" in first
    assert second.count(">Granted to you</td>") == 1


def test_passbook_never_shows_another_persons_transfers(client, volunteer, other_volunteer):
    fund(other_volunteer, 5)
    Transfer.objects.filter(target=wallet_of(other_volunteer)).get()
    client.force_login(volunteer)

    content = client.get("/en/credits/").content.decode()

    assert "Nothing yet" in content
    assert "Granted" not in content


def test_passbook_names_the_counterpart_of_a_gift(client, volunteer, elder, open_policy):
    fund(volunteer, 5)
    give_gift(volunteer, elder, 2, key=next_key(), memo="For grandma")
    client.force_login(elder)

    content = client.get("/en/credits/").content.decode()

    assert "Gift from Li Volunteer" in content and "+2" in content


def test_passbook_page_runs_a_fixed_number_of_queries(client, volunteer, django_assert_num_queries):
    for _ in range(30):
        fund(volunteer, 1)
    Policy.objects.create()
    client.force_login(volunteer)

    # session, user, unread notices, wallet, policy, minutes served, elder and
    # volunteer profiles, count, page of transfers, the next page's newest,
    # earnings that put nothing in the wallet, spent holds (no stars: they serve not)
    with django_assert_num_queries(13):
        assert client.get("/en/credits/").status_code == 200


def test_statement_shows_opening_and_closing_balance(client, volunteer, open_policy, elder):
    fund(volunteer, 5)
    today = timezone.localdate().isoformat()
    give_gift(volunteer, elder, 2, key=next_key())
    client.force_login(volunteer)

    response = client.get("/en/credits/statement/", {"start": today, "end": today})

    content = response.content.decode()
    assert response.status_code == 200
    assert "Opening balance" in content and "Closing balance" in content
    assert "<dd>0</dd>" in content and "<dd>3</dd>" in content
    assert "Chen Elder" in content


def test_statement_of_a_later_period_opens_with_the_balance_so_far(client, volunteer):
    fund(volunteer, 5)
    tomorrow = (timezone.localdate() + timezone.timedelta(days=1)).isoformat()
    client.force_login(volunteer)

    content = client.get(
        "/en/credits/statement/", {"start": tomorrow, "end": tomorrow}
    ).content.decode()

    assert content.count("<dd>5</dd>") == 2
    assert "No transfers in this period." in content


def test_statement_refuses_a_backwards_period(client, volunteer):
    client.force_login(volunteer)

    response = client.get("/en/credits/statement/", {"start": "2026-02-02", "end": "2026-02-01"})

    assert "The period must not end before it starts." in response.content.decode()


def test_statement_refuses_a_period_that_ends_on_the_last_day_of_the_calendar(client, volunteer):
    client.force_login(volunteer)

    response = client.get("/en/credits/statement/", {"start": "2026-01-01", "end": "9999-12-31"})

    assert response.status_code == 200
    assert response.context["form"].errors["end"]


def test_admin_reversal_asks_for_a_reason_first(admin_client, volunteer):
    posted = fund(volunteer, 5)

    response = admin_client.post(
        "/en/admin/credits/transfer/",
        {"action": "reverse_transfers", "_selected_action": [posted.pk]},
    )

    assert response.status_code == 200
    assert 'name="reason"' in response.content.decode()
    assert not Transfer.objects.filter(kind=TransferKind.REVERSAL).exists()


def test_admin_reversal_with_a_reason_posts_the_opposite_transfer(admin_client, volunteer):
    posted = fund(volunteer, 5)

    response = admin_client.post(
        "/en/admin/credits/transfer/",
        {"action": "reverse_transfers", "_selected_action": [posted.pk], "reason": "Test grant"},
    )

    assert response.status_code == 302
    reversal = Transfer.objects.get(kind=TransferKind.REVERSAL)
    assert (reversal.reverses, reversal.memo) == (posted, "Test grant")


def test_admin_reversal_reports_a_refusal(admin_client, volunteer, admin_user):
    posted = fund(volunteer, 5)
    reverse_transfer(posted, reason="first", by=admin_user)

    response = admin_client.post(
        "/en/admin/credits/transfer/",
        {"action": "reverse_transfers", "_selected_action": [posted.pk], "reason": "again"},
        follow=True,
    )

    assert "This transfer was already reversed." in response.content.decode()


def test_district_staff_cannot_reverse(client, district_staff, volunteer):
    posted = fund(volunteer, 5)
    client.force_login(district_staff)

    client.post(
        "/en/admin/credits/transfer/",
        {"action": "reverse_transfers", "_selected_action": [posted.pk], "reason": "x"},
    )

    assert not Transfer.objects.filter(kind=TransferKind.REVERSAL).exists()


def test_a_policy_change_is_a_new_version_by_its_author(admin_client, admin_user):
    Policy.objects.create(wallet_cap=1500)
    versions = Policy.objects.count()

    form = admin_client.get("/en/admin/credits/policy/add/").content.decode()
    response = admin_client.post(
        "/en/admin/credits/policy/add/",
        {
            "spendable_after_hours": 50,
            "self_pay_age": 60,
            "wallet_cap": 1200,
            "star_thresholds": "100,300,600,1000,1500",
            "auto_confirm_hours": 72,
            "daily_hour_limit": 8,
            "over_report_minutes": 30,
            "star_notice_working_days": 5,
            "daily_gift_limit": 2,
            "credential_change_days": 30,
            "series_horizon_days": 14,
            "series_misses_allowed": 2,
            "favourite_window_hours": 12,
        },
    )

    assert 'value="1500"' in form
    assert 'name="daily_gift_limit"' in form
    assert response.status_code == 302
    assert Policy.objects.count() == versions + 1
    newest = Policy.objects.first()
    assert (newest.wallet_cap, newest.daily_gift_limit, newest.created_by) == (1200, 2, admin_user)


def test_policy_versions_cannot_be_edited(admin_client):
    policy = Policy.objects.create()

    response = admin_client.post(f"/en/admin/credits/policy/{policy.pk}/change/", {"wallet_cap": 1})

    assert response.status_code == 403


def test_statement_dates_are_iso_on_the_chinese_site(client, volunteer):
    client.force_login(volunteer)
    today = timezone.localdate()

    content = client.get("/zh-hans/credits/statement/").content.decode()

    assert f'type="date" name="start" value="{today.replace(day=1):%Y-%m-%d}"' in content
    assert f'type="date" name="end" value="{today:%Y-%m-%d}"' in content


POOLED_LINE = "您获得的 2 积分已转入公益积分池：您的账户已达上限。"


def earn_above_the_cap(volunteer):
    """Three hours served with room for one credit: two go to the public pool."""
    set_policy(wallet_cap=10)
    fund(volunteer, 9)
    return credit_served_time(volunteer, 180, key=next_key())


def test_passbook_tells_the_volunteer_what_went_to_the_pool_above_the_cap(client, volunteer):
    earn_above_the_cap(volunteer)
    client.force_login(volunteer)

    content = client.get("/zh-hans/credits/").content.decode()

    assert POOLED_LINE in content


def test_statement_tells_what_went_to_the_pool_and_keeps_the_balance(client, volunteer):
    earn_above_the_cap(volunteer)
    client.force_login(volunteer)

    response = client.get("/zh-hans/credits/statement/")

    assert POOLED_LINE in response.content.decode()
    assert [row["balance"] for row in response.context["rows"]] == [9, 9, 10]


def test_a_pooled_line_between_two_passbook_pages_shows_on_exactly_one(client, volunteer):
    for _ in range(5):
        fund(volunteer, 1)
    set_policy(wallet_cap=5)
    credit_served_time(volunteer, 180, key=next_key())
    set_policy(wallet_cap=0)
    for _ in range(PASSBOOK_PAGE_SIZE):
        fund(volunteer, 1)
    client.force_login(volunteer)

    first, second = (client.get("/zh-hans/credits/", {"page": n}).content.decode() for n in (1, 2))

    assert "您获得的 3 积分已转入公益积分池" in first
    assert "积分已转入公益积分池" not in second
