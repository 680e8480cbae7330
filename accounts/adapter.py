"""Connects django-allauth to our users: phone storage, SMS and messages."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.translation import gettext

from accounts import audit, services
from accounts.models import TextStatus, User
from accounts.phones import MobileNumberField, normalize_mobile
from accounts.roles import ELDER_MODE_COOKIE, set_elder_mode
from accounts.sms import send_text_message


class AccountAdapter(DefaultAccountAdapter):
    def get_signup_redirect_url(self, request):
        """Newcomers say first what they are here for (volunteer, elder, proxy)."""
        return reverse("people:start")

    def login(self, request, user):
        """Elder mode chosen on the login page, before anyone logged in, is kept on the person."""
        super().login(request, user)
        chosen = request.COOKIES.get(ELDER_MODE_COOKIE)
        if chosen in {"0", "1"} and (chosen == "1") != user.elder_mode:
            set_elder_mode(user, chosen == "1")

    def get_login_stages(self):
        stages = super().get_login_stages()
        email_step = stages.index("allauth.account.stages.EmailVerificationStage")
        stages[email_step] = "accounts.stages.EmailSignupStage"
        return stages

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

    def set_password(self, user, password):
        """allauth's password change and reset: a staff member's new password is audited too."""
        super().set_password(user, password)
        if user.is_staff:
            audit.record(user, audit.PASSWORD_CHANGED, user)

    def phone_form_field(self, **kwargs):
        kwargs.pop("label", None)
        return MobileNumberField(**kwargs)

    def set_phone(self, user, phone, verified):
        if verified:
            services.verify_phone(phone, by=user)
            return
        user.phone = phone
        user.phone_verified = False
        user.save(update_fields=["phone", "phone_verified"])

    def get_phone(self, user):
        if not user.phone:
            return None
        return user.phone, user.phone_verified

    def set_phone_verified(self, user, phone):
        services.verify_phone(phone, by=user)

    def get_user_by_phone(self, phone):
        # allauth passes the raw login text here, so normalise it first.
        try:
            phone = normalize_mobile(phone)
        except ValidationError:
            return None
        # The verified holder; else the newest account still waiting to verify it.
        return User.objects.filter(phone=phone).order_by("-phone_verified", "-pk").first()

    def send_verification_code_sms(self, user, phone, code, **kwargs):
        body = gettext(
            "[Time Bank] Your verification code is %(code)s. "
            "It is valid for 15 minutes. Do not share it with anyone."
        ) % {"code": code}
        self._send_text(phone, body, account=user if user and user.pk else None)

    def send_account_already_exists_sms(self, phone):
        self._send_text(
            phone,
            gettext(
                "[Time Bank] Someone tried to sign up with this number, which already "
                "has an account. If it was you, log in or reset your password."
            ),
        )

    def _send_text(self, phone, body, *, account=None):
        """Send within the limits on texts; a refusal is said on the next page."""
        ip = None
        if self.request is not None:
            try:
                ip = self.get_client_ip(self.request)
            except PermissionDenied:
                ip = None
        message = send_text_message(phone, body, account=account, ip=ip)
        if message.status == TextStatus.REFUSED and self.request is not None:
            messages.error(
                self.request,
                gettext(
                    "No text message was sent: the limit on texts %(limit)s is reached. "
                    "Please try again later, or ask at a service station."
                )
                % {"limit": message.get_refused_by_display()},
            )


class MFAAdapter(DefaultMFAAdapter):
    def can_delete_authenticator(self, authenticator):
        """Staff keep their authenticator app: the staff site is closed without one.

        A lost phone is a city administrator's to remove, in the admin.
        """
        return not authenticator.user.is_staff
