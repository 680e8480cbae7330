"""Mobile numbers: the first to verify one takes it; accounts never verified are removed."""

import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import (
    User,
)
from accounts.privacy import holds_anything


@transaction.atomic
def verify_phone(phone, *, by):
    """The first account to verify a number takes it; accounts holding it unverified lose it.

    An account left with no way to log in is closed (and removed later with
    the other stale accounts); one with an email address is told by email.
    A second verified holder is impossible: the database allows one.
    """
    holders = User.objects.select_for_update().filter(Q(phone=phone) | Q(pk=by.pk)).order_by("pk")
    for holder in holders:
        if holder.pk == by.pk:
            continue
        holder.phone = None
        holder.is_active = bool(holder.email) and holder.is_active
        holder.save(update_fields=["phone", "is_active"])
        if holder.email:
            _tell_number_taken(holder.email)
    by.phone = phone
    by.phone_verified = True
    by.save(update_fields=["phone", "phone_verified"])
    return by


def _tell_number_taken(email):
    subject = gettext("[Time Bank] Your mobile number was verified by another account")
    body = gettext(
        "Someone verified the mobile number you gave when you signed up, by entering the "
        "code texted to it, so the number now belongs to their account and no longer to "
        "yours. You can still log in with this email address and add a number you can "
        "receive texts on."
    )
    transaction.on_commit(lambda: send_mail(subject, body, None, [email]))


def stale_unverified_accounts(now=None):
    """Accounts with neither a verified number nor a verified email, unused for a while."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.UNVERIFIED_ACCOUNT_DAYS)
    return (
        User.objects.filter(
            Q(last_login__isnull=True) | Q(last_login__lt=cutoff),
            date_joined__lt=cutoff,
            phone_verified=False,
            is_staff=False,
            is_superuser=False,
        )
        .exclude(emailaddress__verified=True)
        # Registered at a station, with no login of their own: kept for their profile.
        .exclude(password__startswith="!")  # noqa: S106 - "!" marks an unusable password
    )


@transaction.atomic
def remove_stale_account(user, now=None):
    """Remove an unverified account that holds nothing else; False when it must stay."""
    user = stale_unverified_accounts(now).select_for_update().filter(pk=user.pk).first()
    if user is None or holds_anything(user):
        return False
    user.delete()
    return True
