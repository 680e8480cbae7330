from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.utils.translation import gettext_lazy as _


class SignupForm(AllauthSignupForm):
    """Either a mobile number or an email address is needed to log in later."""

    def clean(self):
        cleaned_data = super().clean()
        if not self.errors and not cleaned_data.get("phone") and not cleaned_data.get("email"):
            raise forms.ValidationError(
                _("Enter a mobile number or an email address (or both)."), code="no_login"
            )
        return cleaned_data
