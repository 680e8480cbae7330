import datetime

from django import forms
from django.core.validators import MaxValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.widgets import IsoDateInput
from credits.models import current_policy

# The largest value a PostgreSQL integer column holds.
LARGEST_INTEGER = 2**31 - 1


def most_credits():
    """No amount may exceed what one wallet may hold (the policy's cap, when there is one)."""
    return current_policy().wallet_cap or LARGEST_INTEGER


class CreditsField(forms.IntegerField):
    """A whole number of credits, checked here so that no amount reaches the database unchecked."""

    default_error_messages = {
        "min_value": _("Enter at least %(limit_value)s credit."),
        "max_value": _("Enter at most %(limit_value)s credits."),
    }

    def __init__(self, *, most=most_credits, **kwargs):
        kwargs.setdefault("label", _("Credits"))
        super().__init__(min_value=1, **kwargs)
        # A callable limit is read on every validation, so a policy change applies at once.
        self.validators.append(MaxValueValidator(most))


class StatementForm(forms.Form):
    """The period of a passbook statement; the current month when none is given."""

    start = forms.DateField(label=_("From"), widget=IsoDateInput())
    # The statement runs to midnight after `end`, which must still be a date.
    end = forms.DateField(
        label=_("To"),
        widget=IsoDateInput(),
        validators=[MaxValueValidator(datetime.date.max - datetime.timedelta(days=1))],
    )

    error_messages = {
        "order": _("The period must not end before it starts."),
    }

    def __init__(self, data=None):
        today = timezone.localdate()
        super().__init__(data, initial={"start": today.replace(day=1), "end": today})

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start") and cleaned.get("end") and cleaned["end"] < cleaned["start"]:
            raise forms.ValidationError(self.error_messages["order"], code="order")
        return cleaned

    def period(self):
        """The chosen (start, end) dates, or the initial ones when nothing valid was sent."""
        if self.is_bound and self.is_valid():
            return self.cleaned_data["start"], self.cleaned_data["end"]
        return self.initial["start"], self.initial["end"]


class ReversalForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown in the passbook of everyone the reversal touches."),
    )


STATEMENT_MAX_BYTES = 1024 * 1024  # a statement of years of service is a few dozen kB


class CarryInForm(forms.Form):
    statement = forms.FileField(
        label=_("Hours statement file"),
        help_text=_("The signed statement (a .json file) you downloaded from the other platform."),
    )

    def clean_statement(self):
        upload = self.cleaned_data["statement"]
        if upload.size > STATEMENT_MAX_BYTES:
            raise forms.ValidationError(_("This file is too large to be an hours statement."))
        return upload.read()
