from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import RelativeLink
from accounts.widgets import IsoDateInput
from credits.forms import CreditsField
from rewards.models import PickupStation, Project


class RedeemForm(forms.Form):
    station = forms.ModelChoiceField(
        label=_("Pickup station"),
        queryset=PickupStation.objects.filter(is_active=True).select_related("street"),
        empty_label=None,
    )


class PickupForm(forms.Form):
    code = forms.CharField(
        label=_("Pickup code"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )


class GiftForm(forms.Form):
    """Choose a verified direct relative and an amount; the next page confirms."""

    receiver = forms.ModelChoiceField(
        label=_("Relative"), queryset=get_user_model().objects.none(), empty_label=None
    )
    amount = CreditsField()

    def __init__(self, data=None, *, giver):
        super().__init__(data)
        links = RelativeLink.objects.verified().filter(Q(requester=giver) | Q(relative=giver))
        ids = {pk for link in links.values_list("requester", "relative") for pk in link}
        ids.discard(giver.pk)
        self.fields["receiver"].queryset = get_user_model().objects.filter(pk__in=ids)


class DonationForm(forms.Form):
    project = forms.ModelChoiceField(
        label=_("Give to"),
        queryset=Project.objects.filter(is_open=True),
        required=False,
        empty_label=_("The public pool"),
    )
    amount = CreditsField()


class ObjectionForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you object?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Staff read it and may contact you; the volunteer does not see your name."),
    )


class HonourForm(forms.Form):
    show_on_board = forms.BooleanField(
        label=_("Show my masked name and stars on the honours board"), required=False
    )


class CertificateForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=IsoDateInput())
    end = forms.DateField(label=_("To"), widget=IsoDateInput())

    def __init__(self, data=None):
        today = timezone.localdate()
        super().__init__(data, initial={"start": today.replace(month=1, day=1), "end": today})
