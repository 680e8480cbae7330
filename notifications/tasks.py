"""Sending notices in the background; safe to run twice (a notice is posted once)."""

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType

from notifications.services import post


def send_notices(recipient_ids, kind, subject_type_id, subject_id, params, text=True):
    subject_type = ContentType.objects.get_for_id(subject_type_id)
    subject = subject_type.get_object_for_this_type(pk=subject_id)
    for recipient in get_user_model().objects.filter(pk__in=recipient_ids).order_by("pk"):
        post(recipient, kind, subject=subject, params=params, text=text)


def send_each(kind, notices, text=True):
    """The notices of `notify_each`: (recipient ids, subject type id, subject id, params)."""
    for recipient_ids, subject_type_id, subject_id, params in notices:
        send_notices(recipient_ids, kind, subject_type_id, subject_id, params, text)
