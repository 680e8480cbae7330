"""Texts cannot be pumped: limits per number, account and address, counted in the outbox."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import TextLimit, TextMessage, TextStatus, User
from accounts.sms import send_text_message
from tests.accounts.conftest import PASSWORD, signup, url

pytestmark = pytest.mark.django_db

NUMBER = "+8613800138000"


def sent_before(recipient, ago, **fields):
    return TextMessage.objects.create(
        recipient=recipient, body="code", sent_at=timezone.now() - ago, **fields
    )


def test_a_101st_text_to_one_number_in_a_day_is_refused_and_recorded():
    for index in range(100):
        sent_before(NUMBER, timedelta(minutes=10 + index * 14))

    message = send_text_message(NUMBER, "code 123456")

    assert (message.status, message.refused_by) == (TextStatus.REFUSED, TextLimit.NUMBER_DAY)
    assert TextMessage.objects.filter(status=TextStatus.REFUSED).get() == message


def test_texts_to_one_number_are_limited_per_hour():
    for _ in range(10):
        assert send_text_message(NUMBER, "code").status == TextStatus.SENT

    message = send_text_message(NUMBER, "code")

    assert message.refused_by == TextLimit.NUMBER_HOUR


def test_texts_sent_more_than_an_hour_ago_leave_room_in_the_hourly_limit():
    for _ in range(10):
        sent_before(NUMBER, timedelta(minutes=61))

    assert send_text_message(NUMBER, "code").status == TextStatus.SENT


def test_texts_for_one_account_are_limited_per_day(volunteer):
    for index in range(20):
        sent_before(f"+86139000001{index:02d}", timedelta(hours=index), account=volunteer)

    message = send_text_message(NUMBER, "code", account=volunteer)

    assert message.refused_by == TextLimit.ACCOUNT_DAY


def test_texts_asked_from_one_address_are_limited_per_hour():
    for index in range(30):
        sent_before(f"+86139000001{index:02d}", timedelta(minutes=index), ip="203.0.113.9")

    refused = send_text_message(NUMBER, "code", ip="203.0.113.9")
    other_address = send_text_message(NUMBER, "code", ip="203.0.113.10")

    assert refused.refused_by == TextLimit.IP_HOUR
    assert other_address.status == TextStatus.SENT


def test_refused_texts_do_not_count_against_the_limits():
    for _ in range(10):
        sent_before(NUMBER, timedelta(minutes=1), status=TextStatus.REFUSED, refused_by="ip_hour")

    assert send_text_message(NUMBER, "code").status == TextStatus.SENT


def test_a_signup_over_the_limit_says_no_text_was_sent(client):
    for _ in range(10):
        sent_before(NUMBER, timedelta(minutes=1))

    response = signup(client, lang="en", phone="13800138000")
    page = client.get(response.url).content.decode()

    assert "No text message was sent: the limit on texts to one number in an hour" in page
    assert TextMessage.objects.get(status=TextStatus.REFUSED).account.phone == NUMBER


def test_staff_filter_the_outbox_for_refused_texts(client, city_staff):
    send_text_message(NUMBER, "sent")
    refused = sent_before(NUMBER, timedelta(0), status=TextStatus.REFUSED, refused_by="ip_hour")
    client.force_login(city_staff)

    response = client.get(reverse("admin:accounts_textmessage_changelist"), {"status": "refused"})

    assert list(response.context["cl"].result_list) == [refused]
    assert "from one internet address in an hour" in response.content.decode()


def test_a_signups_text_remembers_the_account_and_the_address(client):
    client.post(
        url("account_signup"),
        {"phone": "13800138000", "password1": PASSWORD, "password2": PASSWORD},
        REMOTE_ADDR="198.51.100.7",
    )

    message = TextMessage.objects.get()
    assert message.account == User.objects.get(phone=NUMBER)
    assert message.ip == "198.51.100.7"


def test_an_orders_own_notices_are_sent_past_the_limits():
    for _ in range(10):
        sent_before(NUMBER, timedelta(minutes=1))

    message = send_text_message(NUMBER, "Order 000042 claimed", limited=False)

    assert message.status == TextStatus.SENT
