from datetime import datetime, time, timedelta

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.models import District, Street
from accounts.widgets import IsoDateInput
from catalogue.models import ServiceType
from orders.models import Funding

# The times an elder can pick with one tap: mornings and afternoons.
SLOT_TIMES = [time(9, 0), time(14, 0)]
SLOT_DAYS = 7


def next_slots(now=None):
    """The next bookable start times, at least two hours from now."""
    now = timezone.localtime(now or timezone.now())
    earliest = now + timedelta(hours=2)
    slots = []
    for offset in range(SLOT_DAYS + 1):
        day = now.date() + timedelta(days=offset)
        for slot_time in SLOT_TIMES:
            start = timezone.make_aware(datetime.combine(day, slot_time))
            if start >= earliest:
                slots.append(start)
    return slots[: SLOT_DAYS * len(SLOT_TIMES)]


def preselected_slot(slots, prefer_time=None):
    """The slot an order starts with: the first at `prefer_time` of day (an order
    made again keeps its hour), else simply the first one."""
    for start in slots:
        if timezone.localtime(start).time() == prefer_time:
            return start
    return slots[0]


def slot_label(start):
    local = timezone.localtime(start)
    return f"{date_format(local, 'MONTH_DAY_FORMAT')} ({date_format(local, 'D')}) {local:%H:%M}"


def hour_choices():
    """Called each time the field renders, so the words follow the viewer's language."""
    return [
        (hours, ngettext("%(hours)s hour", "%(hours)s hours", hours) % {"hours": hours})
        for hours in range(1, 5)
    ]


class OrderForm(forms.Form):
    """One tap: the time is the only choice; hours and funding come prefilled."""

    starts_at = forms.TypedChoiceField(
        label=_("When should the volunteer come?"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose a time."),
            "invalid_choice": _("Choose one of the times shown."),
        },
    )
    booked_hours = forms.TypedChoiceField(
        label=_("For how long?"),
        coerce=int,
        choices=hour_choices,
        error_messages={"invalid_choice": _("Choose between 1 and 4 hours.")},
    )
    funding = forms.ChoiceField(
        label=_("Who pays?"), choices=Funding.choices, widget=forms.RadioSelect
    )
    notes = forms.CharField(
        label=_("Anything the volunteer should know? (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    favourite = forms.ModelChoiceField(
        label=_("Who should come?"),
        queryset=None,
        required=False,
        empty_label=_("Any volunteer"),
        widget=forms.RadioSelect,
        help_text=_("A volunteer you asked for again sees the order first, for a few hours."),
        error_messages={"invalid_choice": _("Choose one of the volunteers shown.")},
    )

    def __init__(self, *args, prefer_time=None, favourites=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Offered only when the elder has volunteers to ask for again.
        if favourites is not None and favourites.exists():
            self.fields["favourite"].queryset = favourites
        else:
            del self.fields["favourite"]
        slots = next_slots()
        self.fields["starts_at"].choices = [(s.isoformat(), slot_label(s)) for s in slots]
        self.fields["starts_at"].coerce = datetime.fromisoformat
        if slots and "starts_at" not in self.initial:
            self.initial["starts_at"] = preselected_slot(slots, prefer_time).isoformat()

    def chosen(self):
        """What the confirm button orders, in words: the values sent, else those prefilled."""
        labels = {}
        for name in ("starts_at", "booked_hours", "funding", "favourite"):
            if name not in self.fields:
                continue
            value = self[name].value()
            choices = {str(key): label for key, label in self.fields[name].choices}
            labels[name] = choices.get("" if value is None else str(value), "")
        return labels


class MarketFilterForm(forms.Form):
    district = forms.ModelChoiceField(
        label=_("District"),
        queryset=District.objects.all(),
        required=False,
        empty_label=_("All districts"),
    )
    street = forms.ModelChoiceField(
        label=_("Street"),
        queryset=Street.objects.select_related("district"),
        required=False,
        empty_label=_("All streets"),
    )
    service = forms.ModelChoiceField(
        label=_("Service"),
        queryset=ServiceType.objects.filter(is_active=True),
        required=False,
        empty_label=_("All services"),
        to_field_name="code",
    )
    day = forms.DateField(label=_("Date"), required=False, widget=IsoDateInput())
    show_all = forms.BooleanField(label=_("Show all orders"), required=False)


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How was the service?"),
        coerce=int,
        widget=forms.RadioSelect,
        choices=[
            (5, _("Very satisfied")),
            (4, _("Satisfied")),
            (3, _("Neutral")),
            (2, _("Dissatisfied")),
            (1, _("Very dissatisfied")),
        ],
        error_messages={"required": _("Choose one of the five faces.")},
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Please give a reason.")},
    )


class CardCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code on the elder's service card"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocapitalize": "characters", "autocomplete": "off", "spellcheck": "false"}
        ),
        error_messages={"required": _("Enter the code from the card.")},
    )


class LocationForm(forms.Form):
    """Where the phone was at check-in/out, if the browser shared it."""

    latitude = forms.DecimalField(
        required=False, min_value=-90, max_value=90, decimal_places=6, max_digits=9
    )
    longitude = forms.DecimalField(
        required=False, min_value=-180, max_value=180, decimal_places=6, max_digits=10
    )

    def location(self):
        if not self.is_valid():
            return ""
        lat, lng = self.cleaned_data.get("latitude"), self.cleaned_data.get("longitude")
        if lat is None or lng is None:
            return ""
        return f"{lat:.5f},{lng:.5f}"
