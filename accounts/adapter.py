"""Connects django-allauth to our users: phone storage, SMS and messages."""

from allauth.account.adapter import DefaultAccountAdapter
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

    def save_user(self, request, user, form, commit=True):
        # The number is saved with the rest: a phone-only person has nothing else to log in with.
        user.phone = form.cleaned_data.get("phone") or None
        return super().save_user(request, user, form, commit)

    def _get_login_attempts_cache_key(self, request, **credentials):
        # allauth counts failed logins per email field, which a phone login leaves
        # empty: every phone user would share one count, and five wrong tries
        # would lock them all out. Count per number (or email) as typed, normalised.
        phone = credentials.get("phone")
        if phone:
            try:
                return "phone:" + normalize_mobile(phone)
            except ValidationError:
                return "phone:" + phone.strip()
        return "email:" + credentials.get("email", "").strip().lower()

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
