"""Sending text messages through a pluggable backend.

`SMS_BACKEND` names a class with `send(recipient, body)`. The default keeps
every message in the outbox table (readable in the admin), so a station
worker or a tester can read a verification code without a phone. A real
gateway is one small class more.
"""

import logging

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class OutboxBackend:
    def send(self, recipient, body):
        from accounts.models import TextMessage

        message = TextMessage.objects.create(recipient=recipient, body=body)
        # The log carries the outbox id, never the number or the text.
        logger.info("Text message %s written to the outbox.", message.pk)
        return message


def send_text_message(recipient, body):
    backend = import_string(settings.SMS_BACKEND)()
    return backend.send(recipient, body)
