import pytest
from django.urls import reverse

from accounts.models import TextMessage
from accounts.sms import send_text_message

pytestmark = pytest.mark.django_db


def test_outbox_backend_keeps_the_message():
    send_text_message("+8613800138000", "hello")

    message = TextMessage.objects.get()
    assert (message.recipient, message.body) == ("+8613800138000", "hello")


def test_log_names_the_outbox_row_not_the_number(caplog):
    with caplog.at_level("INFO", logger="accounts.sms"):
        send_text_message("+8613800138000", "code 123456")

    assert "Text message" in caplog.text
    assert "13800138000" not in caplog.text
    assert "123456" not in caplog.text


def test_staff_read_the_outbox_in_the_admin_but_cannot_change_it(client, city_staff):
    message = send_text_message("+8613800138000", "您的验证码是 654321")
    client.force_login(city_staff)

    listing = client.get(reverse("admin:accounts_textmessage_changelist"))
    change = client.post(
        reverse("admin:accounts_textmessage_change", args=[message.pk]), {"body": "changed"}
    )

    assert "654321" in listing.content.decode()
    assert change.status_code == 403
    message.refresh_from_db()
    assert message.body == "您的验证码是 654321"


def outbox(client, **query):
    return client.get(reverse("admin:accounts_textmessage_changelist"), query)


def test_the_outbox_masks_numbers_in_the_list_and_in_each_message(client, city_staff):
    message = send_text_message("+8613800138000", "Code 654321. Call 138 0013 8000 if lost.")
    client.force_login(city_staff)

    pages = [
        outbox(client).content.decode(),
        client.get(
            reverse("admin:accounts_textmessage_change", args=[message.pk])
        ).content.decode(),
    ]

    for page in pages:
        assert "138****8000" in page
        assert "654321" in page
        assert "13800138000" not in page.replace(" ", "")


def test_a_full_number_still_finds_its_messages_in_the_outbox(client, city_staff):
    wanted = send_text_message("+8613800138000", "hello")
    send_text_message("+8613900139000", "hello")
    client.force_login(city_staff)

    response = outbox(client, q="13800138000")

    assert list(response.context["cl"].result_list) == [wanted]


def test_district_staff_cannot_read_the_citys_outbox(client, district_staff):
    """It holds every number and login code of the city."""
    send_text_message("+8613800138000", "您的验证码是 654321")
    client.force_login(district_staff)

    listing = client.get(reverse("admin:accounts_textmessage_changelist"))

    assert listing.status_code == 403


def test_nobody_deletes_a_text_from_the_outbox(client, city_staff):
    """Refused texts are the record that the limits held: the outbox keeps every row."""
    message = send_text_message("+8613800138000", "code 123456")
    client.force_login(city_staff)

    answer = client.post(
        reverse("admin:accounts_textmessage_delete", args=[message.pk]), {"post": "yes"}
    )

    assert answer.status_code == 403
    assert TextMessage.objects.filter(pk=message.pk).exists()
