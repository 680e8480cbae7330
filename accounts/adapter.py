"""Connects django-allauth to our users: phone storage, SMS and messages."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext

from accounts.models import User
from accounts.phones import MobileNumberField, normalize_mobile
from accounts.sms import send_text_message


class AccountAdapter(DefaultAccountAdapter):
    def get_signup_redirect_url(self, request):
        """Newcomers say first what they are here for (volunteer, elder, proxy)."""
        return reverse("people:start")

    def phone_form_field(self, **kwargs):
        kwargs.pop("label", None)
        return MobileNumberField(**kwargs)

    def set_phone(self, user, phone, verified):
        user.phone = phone
        user.phone_verified = verified
        user.save(update_fields=["phone", "phone_verified"])

    def get_phone(self, user):
        if not user.phone:
            return None
        return user.phone, user.phone_verified

    def set_phone_verified(self, user, phone):
        user.phone_verified = True
        user.save(update_fields=["phone_verified"])

    def get_user_by_phone(self, phone):
        # allauth passes the raw login text here, so normalise it first.
        try:
            phone = normalize_mobile(phone)
        except ValidationError:
            return None
        return User.objects.filter(phone=phone).first()

    def send_verification_code_sms(self, user, phone, code, **kwargs):
        body = gettext(
            "[Time Bank] Your verification code is %(code)s. "
            "It is valid for 15 minutes. Do not share it with anyone."
        ) % {"code": code}
        send_text_message(phone, body)

    def send_account_already_exists_sms(self, phone):
        send_text_message(
            phone,
            gettext(
                "[Time Bank] Someone tried to sign up with this number, which already "
                "has an account. If it was you, log in or reset your password."
            ),
        )


class MFAAdapter(DefaultMFAAdapter):
    def can_delete_authenticator(self, authenticator):
        """Staff keep their authenticator app: the staff site is closed without one.

        A lost phone is a city administrator's to remove, in the admin.
        """
        return not authenticator.user.is_staff
