"""A login step of our own, in the place of allauth's email verification step."""

from allauth.account.adapter import get_adapter
from allauth.account.internal.flows.email_verification import send_verification_email_at_login
from allauth.account.stages import EmailVerificationStage


class EmailSignupStage(EmailVerificationStage):
    """A signup by email alone waits for the emailed link before it logs in.

    So does a signup with an email that is already registered (its owner is
    emailed instead): the two answers are the same page, and signing up tells
    nobody whether an address has an account. Signups with a number wait for
    the texted code instead, in allauth's phone step.
    """

    def handle(self):
        login, user = self.login, self.login.user
        email = login.email or (user.email if user else None)
        phone = login.phone or (user.phone if user else None)
        if not (login.signup and email and not phone):
            return super().handle()
        send_verification_email_at_login(self.request, login)
        return get_adapter().respond_email_verification_sent(self.request, user), True
