"""Staff's second factor: allauth's authenticator app (TOTP) and recovery codes.

allauth asks for the code at login once an account has an authenticator;
what is ours is the rule that staff must have one before they reach the
admin, and enrolment with a known secret for the demo and the tests.
"""

import time

from allauth.mfa import app_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from allauth.mfa.utils import is_mfa_enabled
from django.db import transaction


def needs_authenticator(user):
    """Active staff without an authenticator app are sent to enrol before the admin."""
    return user.is_active and user.is_staff and not has_authenticator(user)


def has_authenticator(user):
    return is_mfa_enabled(user, [Authenticator.Type.TOTP])


@transaction.atomic
def enrol_authenticator(user, secret):
    """Enrol `user` with an authenticator app on `secret`, and recovery codes.

    For accounts whose secret is known in advance (the demo's); people enrol
    themselves on allauth's page, which makes a secret of its own. An account
    already enrolled keeps its authenticator, so this is safe to run twice.
    """
    if not has_authenticator(user):
        TOTP.activate(user, secret)
    RecoveryCodes.activate(user)


def current_code(secret):
    """The code an authenticator app shows for `secret` now."""
    counter = int(time.time()) // app_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(secret, counter))
