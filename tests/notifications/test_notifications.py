"""Notices about any subject: posted once, texted once, worded when read."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from accounts.models import TextMessage
from notifications.models import Notification, NotificationKind
from notifications.services import post
from notifications.tasks import send_notices

pytestmark = pytest.mark.django_db
K = NotificationKind
ORDER_PARAMS = {
    "service": {"zh-hans": "助洁服务", "en": "Cleaning"},
    "when": "12-05 09:00",
    "number": "000042",
}


def test_a_notice_is_posted_and_texted_once_however_often_its_task_runs(volunteer, yuexiu):
    subject_type = ContentType.objects.get_for_model(yuexiu)
    for _delivery in range(2):
        send_notices([volunteer.pk], K.GRANT_RECEIVED, subject_type.pk, yuexiu.pk, {"amount": 5})

    assert Notification.objects.filter(recipient=volunteer).count() == 1
    assert TextMessage.objects.filter(recipient=volunteer.phone).count() == 1


def test_a_notice_reads_in_the_language_of_its_reader(volunteer, yuexiu):
    post(volunteer, K.APPROVED, subject=yuexiu, params=ORDER_PARAMS, text=False)
    notice = Notification.objects.get()

    with translation.override("en"):
        assert notice.text == "Your order was approved: Cleaning, 12-05 09:00 (order 000042)"
    with translation.override("zh-hans"):
        assert "助洁服务" in notice.text
        assert "approved" not in notice.text


def test_a_text_message_is_worded_in_chinese(volunteer, yuexiu):
    with translation.override("en"):
        post(volunteer, K.APPROVED, subject=yuexiu, params=ORDER_PARAMS)

    body = TextMessage.objects.get(recipient=volunteer.phone).body
    assert "助洁服务" in body
    assert "approved" not in body


def test_a_notice_whose_subject_has_no_page_links_to_the_page_it_names(volunteer, yuexiu):
    post(volunteer, K.GIFT_RECEIVED, subject=yuexiu, params={"amount": 3, "page": "credits:mine"})

    with translation.override("en"):
        assert Notification.objects.get().link == reverse("credits:mine")


def test_the_notifications_page_reads_all_subjects_in_one_query(client, volunteer, yuexiu, haizhu):
    client.force_login(volunteer)
    url = reverse("notifications:list")
    post(volunteer, K.GRANT_RECEIVED, subject=yuexiu, params={"amount": 3}, text=False)
    with CaptureQueriesContext(connection) as one_notice:
        client.get(url)

    post(volunteer, K.GRANT_RECEIVED, subject=haizhu, params={"amount": 4}, text=False)
    post(volunteer, K.GIFT_RECEIVED, subject=volunteer, params={"amount": 5}, text=False)
    with CaptureQueriesContext(connection) as three_notices:
        page = client.get(url)

    assert len(three_notices) == len(one_notice) + 1  # the users, beside the districts
    assert page.context["unread_notifications"] == 3
