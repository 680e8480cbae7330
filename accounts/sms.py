"""Sending text messages through a pluggable backend, within limits.

Every text, sent or refused, is a row in the outbox (`TextMessage`), which
staff read in the admin and which the limits count: per number per hour and
per day, per account per day and per internet address per hour (settings
`SMS_LIMIT_*`). The limits hold texts that a request can cause; an order's
own notices always go. Counting rows in the database, not in a worker's memory,
makes the limits hold across every worker.

`SMS_BACKEND` names a class with `send(recipient, body)` that hands a text
to a gateway. The default sends nothing further: the outbox row is all, so a
station worker or a tester can read a verification code without a phone.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string

from accounts.models import TextLimit, TextMessage, TextStatus

logger = logging.getLogger(__name__)

HOUR = timedelta(hours=1)
DAY = timedelta(days=1)


class OutboxBackend:
    def send(self, recipient, body):
        """The outbox row is the message: nothing goes to a gateway."""


def _limits(recipient, account, ip):
    """(limit, the texts it counts, over how long, how many) for each limit on this text."""
    yield TextLimit.NUMBER_HOUR, Q(recipient=recipient), HOUR, settings.SMS_LIMIT_NUMBER_HOUR
    yield TextLimit.NUMBER_DAY, Q(recipient=recipient), DAY, settings.SMS_LIMIT_NUMBER_DAY
    if account is not None:
        yield TextLimit.ACCOUNT_DAY, Q(account=account), DAY, settings.SMS_LIMIT_ACCOUNT_DAY
    if ip:
        yield TextLimit.IP_HOUR, Q(ip=ip), HOUR, settings.SMS_LIMIT_IP_HOUR


def limit_reached(recipient, *, account=None, ip=None):
    """The first limit one more text would pass, or '' when it may go."""
    now = timezone.now()
    sent = TextMessage.objects.filter(status=TextStatus.SENT)
    for limit, texts, period, most in _limits(recipient, account, ip):
        if sent.filter(texts, sent_at__gt=now - period).count() >= most:
            return limit
    return ""


def send_text_message(recipient, body, *, account=None, ip=None, limited=True):
    """Send `body` to `recipient` unless a limit is reached; the outbox row says which.

    Texts that anyone can cause (codes, notices to owners) are `limited`; the
    platform's own notices of an order's progress are not, though they count.
    """
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Two requests for one number count one after the other, so both
            # cannot see room for one more text and both send.
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [recipient])
        limit = limit_reached(recipient, account=account, ip=ip) if limited else ""
        message = TextMessage.objects.create(
            recipient=recipient,
            body=body,
            status=TextStatus.REFUSED if limit else TextStatus.SENT,
            refused_by=limit,
            account=account,
            ip=ip,
        )
    # The log carries the outbox id, never the number or the text.
    if limit:
        logger.warning("Text message %s refused: limit %s reached.", message.pk, limit)
    else:
        logger.info("Text message %s written to the outbox.", message.pk)
        import_string(settings.SMS_BACKEND)().send(recipient, body)
    return message
