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


def test_district_staff_cannot_read_the_citys_outbox(client, district_staff):
    """It holds every number and login code of the city."""
    send_text_message("+8613800138000", "您的验证码是 654321")
    client.force_login(district_staff)

    listing = client.get(reverse("admin:accounts_textmessage_changelist"))

    assert listing.status_code == 403
