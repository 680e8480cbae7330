from django import forms
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _

from accounts.widgets import IsoDateInput
from catalogue.models import ServiceType
from orders.forms import hour_choices
from orders.models import Funding
from series.models import weekdays_mask
from series.services import MAX_VISITS


class VisitTimeForm(forms.Form):
    """On which weekdays, at what time and for how long the visits are."""

    weekdays = forms.TypedMultipleChoiceField(
        label=_("On which days?"),
        choices=sorted(WEEKDAYS.items()),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one weekday."),
            "invalid_choice": _("Choose weekdays from the list."),
        },
    )
    time_of_day = forms.TimeField(
        label=_("At what time?"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"invalid": _("Enter a time such as 09:00.")},
    )
    booked_hours = forms.TypedChoiceField(
        label=_("For how long each time?"),
        coerce=int,
        choices=hour_choices,
        error_messages={"invalid_choice": _("Choose between 1 and 4 hours.")},
    )

    def weekdays_mask(self):
        return weekdays_mask(self.cleaned_data["weekdays"])


class SeriesForm(VisitTimeForm):
    """A service that repeats: what, on which weekdays, when, and until when."""

    field_order = ["service_type", "weekdays", "time_of_day", "booked_hours"]
    service_type = forms.ModelChoiceField(
        label=_("Service"),
        queryset=ServiceType.objects.filter(is_active=True),
        error_messages={"invalid_choice": _("Choose one of the services shown.")},
    )
    funding = forms.ChoiceField(
        label=_("Who pays?"), choices=Funding.choices, widget=forms.RadioSelect
    )
    starts_on = forms.DateField(
        label=_("From"),
        widget=IsoDateInput,
        error_messages={"invalid": _("Enter a date such as 2027-01-04.")},
    )
    ends_on = forms.DateField(
        label=_("Until (last day)"),
        required=False,
        widget=IsoDateInput,
        error_messages={"invalid": _("Enter a date such as 2027-03-29.")},
    )
    visits = forms.IntegerField(
        label=_("Or a number of visits"),
        required=False,
        min_value=1,
        max_value=MAX_VISITS,
    )
    skips_holidays = forms.BooleanField(
        label=_("No visits on public holidays"),
        required=False,
        help_text=_("Such as the Spring Festival or National Day holidays."),
    )
    notes = forms.CharField(
        label=_("Anything the volunteer should know? (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        data = super().clean()
        if (data.get("ends_on") is None) == (data.get("visits") is None) and not self.errors:
            raise forms.ValidationError(
                _("Give either a last day or a number of visits."), code="end"
            )
        return data


class SkipForm(forms.Form):
    date = forms.DateField(
        label=_("Date to skip"),
        widget=IsoDateInput,
        error_messages={"required": _("Choose the date to skip."), "invalid": _("Enter a date.")},
    )


class ChangeTimeForm(VisitTimeForm):
    """New weekdays, time or hours from a chosen day on."""

    field_order = ["from_day"]
    from_day = forms.DateField(
        label=_("From which day on?"),
        widget=IsoDateInput,
        error_messages={
            "required": _("Choose the day the new time starts."),
            "invalid": _("Enter a date such as 2027-01-04."),
        },
    )
