"""Telling people what happened: notices posted once, with their text message.

Apps call `notify` inside the transaction of the change: the notices go out
if, and only if, it commits (`queue_task`), through the task
`notifications.tasks.send_notices`, which takes ids and plain values only.
Tasks that already run in the background (an order's notices, reminders,
the schedules) call `post` directly.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_q.conf import Conf
from django_q.tasks import async_task

from accounts.sms import send_text_message
from notifications.models import Notification


def queue_task(task, *args):
    """Queue a task that runs if, and only if, the transaction commits.

    The database broker writes the task's row inside the transaction, so it
    commits or rolls back with the change: a task queued after the commit
    is lost when the database goes away in between. Redis is outside the
    transaction, so there (and when tasks run inline) it waits for the commit.
    """
    if Conf.ORM and not Conf.SYNC:
        async_task(task, *args)
    else:
        transaction.on_commit(lambda: async_task(task, *args))


def topic_of(subject):
    """What a notice about `subject` is unique by, for each recipient and kind."""
    return f"{subject._meta.label_lower}:{subject.pk}"


def notify(recipients, kind, subject, *, params=None, text=True):
    """Tell each of `recipients` that `kind` happened to `subject`, once each, on commit."""
    subject_type = ContentType.objects.get_for_model(subject)
    queue_task(
        "notifications.tasks.send_notices",
        sorted({recipient.pk for recipient in recipients}),
        str(kind),
        subject_type.pk,
        subject.pk,
        params or {},
        text,
    )


def notify_each(kind, notices, *, text=True):
    """`notify` for many subjects at once, as one queued task: `notices` are
    (recipients, subject, params), each told to its own recipients."""
    if not notices:
        return
    queue_task(
        "notifications.tasks.send_each",
        str(kind),
        [
            (
                sorted({recipient.pk for recipient in recipients}),
                ContentType.objects.get_for_model(subject).pk,
                subject.pk,
                params or {},
            )
            for recipients, subject, params in notices
        ],
        text,
    )


def post(recipient, kind, *, subject=None, topic=None, params=None, text=True):
    """Create the notice once, and text it to the person in the same transaction.

    A task that dies after the notice but before the text runs again and
    finds the notice: the text would never be sent. Together, both or neither.
    Returns whether the notice is new.
    """
    notice = Notification(
        recipient=recipient,
        kind=kind,
        subject=subject,
        topic=topic or topic_of(subject),
        params=params or {},
    )
    try:
        with transaction.atomic():
            notice.save()
            if text and recipient.phone:
                with translation.override("zh-hans"):
                    body = _("[Time Bank] %(notice)s") % {"notice": notice.text}
                send_text_message(recipient.phone, body, limited=False)
    except IntegrityError:
        return False
    return True


def mark_all_read(recipient):
    """Every unread notice of `recipient` is read now; returns how many were unread."""
    return Notification.objects.filter(recipient=recipient, read_at__isnull=True).update(
        read_at=timezone.now()
    )
