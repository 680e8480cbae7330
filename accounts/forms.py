from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.account.models import EmailAddress
from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.idnumbers import normalize_resident_id
from accounts.images import clean_image
from accounts.models import (
    MAX_WINDOWS,
    Community,
    District,
    ProxyRelation,
    RecipientCategory,
    Relation,
    Street,
    User,
    Weekday,
    window_refusal,
)
from accounts.phones import MobileNumberField
from accounts.widgets import IsoDateInput, StreetSelect
from catalogue.models import ServiceType


class SignupForm(AllauthSignupForm):
    """Either a mobile number or an email address is needed to log in later."""

    def validate_unique_email(self, value):
        # Answered as a new address (the owner is emailed instead), as a number is.
        self.account_already_exists = (
            User.objects.filter(email__iexact=value).exists()
            or EmailAddress.objects.filter(email__iexact=value).exists()
        )
        return value

    def _clean_phone(self):
        # A number is taken once verified. Until then whoever verifies it first gets it,
        # so that signing up with someone else's number cannot keep its owner out.
        phone = self.cleaned_data.get("phone")
        if phone and User.objects.filter(phone=phone, phone_verified=True).exists():
            self.account_already_exists = True

    def clean(self):
        cleaned_data = super().clean()
        if not self.errors and not cleaned_data.get("phone") and not cleaned_data.get("email"):
            raise forms.ValidationError(
                _("Enter a mobile number or an email address (or both)."), code="no_login"
            )
        return cleaned_data


class ImageUploadField(forms.FileField):
    """A photo or scan, re-encoded and stripped by `accounts.images.clean_image`."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget", forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})
        )
        kwargs.setdefault("help_text", _("A clear photo or scan: JPEG, PNG or WebP, up to 8 MB."))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if not upload or upload is initial:
            return upload
        return clean_image(upload)


class ResidentIdField(forms.CharField):
    default_error_messages = {"required": _("Enter the resident ID number.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Resident ID number"))
        kwargs.setdefault("max_length", 22)
        kwargs.setdefault("widget", forms.TextInput(attrs={"autocomplete": "off"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return value
        return normalize_resident_id(value)


def service_types():
    return ServiceType.objects.offered()


class PlaceForm(forms.Form):
    """District and street, with the street checked against the district."""

    district = forms.ModelChoiceField(District.objects.all(), label=_("District"))
    street = forms.ModelChoiceField(Street.objects.all(), label=_("Street"), widget=StreetSelect())

    def clean(self):
        cleaned_data = super().clean()
        district, street = cleaned_data.get("district"), cleaned_data.get("street")
        if district and street and street.district_id != district.pk:
            self.add_error("street", _("This street is not in the chosen district."))
        return cleaned_data


class IdentityEditMixin:
    """Editing a profile: the ID number and photo already given may stay as they are.

    The number is never shown back (it is masked everywhere but to verifying
    staff), so an empty field keeps it. When staff verified what the profile
    says, a new name, number or photo needs their review again: the form asks
    the person to accept that before saving (the service refuses otherwise).
    """

    review_label = ""

    def setup_edit(self, profile, *, verified, photo_field=None):
        if profile is None:
            return
        id_field = self.fields["id_number"]
        id_field.required = False
        id_field.help_text = _("Leave empty to keep %(number)s.") % {
            "number": profile.masked_id_number
        }
        if photo_field:
            self.fields[photo_field].required = False
            self.fields[photo_field].help_text = _(
                "Leave empty to keep the photo staff already have."
            )
        if verified:
            self.fields["review_accepted"] = forms.BooleanField(
                label=self.review_label, required=False
            )


class VolunteerForm(IdentityEditMixin, PlaceForm):
    real_name = forms.CharField(label=_("Real name"), max_length=60)
    id_number = ResidentIdField()
    health_declared = forms.BooleanField(
        label=_("I am in good health and fit to volunteer"),
        error_messages={"required": _("Volunteers must declare that they are fit to volunteer.")},
    )
    health_notes = forms.CharField(
        label=_("Anything staff should know about your health"), max_length=200, required=False
    )
    skills = forms.ModelMultipleChoiceField(
        service_types(),
        label=_("Services you can give"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    evidence = ImageUploadField(label=_("Photo of your resident ID card"))

    field_order = ["real_name", "id_number", "district", "street"]
    review_label = _(
        "I understand that a new name, ID number or photo must be verified by staff again, "
        "and that I cannot take orders until then."
    )

    def __init__(self, *args, profile=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_edit(
            profile, verified=profile is not None and profile.is_verified, photo_field="evidence"
        )


class ElderForm(IdentityEditMixin, PlaceForm):
    real_name = forms.CharField(label=_("Real name"), max_length=60)
    id_number = ResidentIdField()
    birth_date = forms.DateField(
        label=_("Birth date"),
        required=False,
        widget=IsoDateInput(),
        help_text=_("Optional: checked against the resident ID number."),
    )
    phone = MobileNumberField(label=_("Contact phone"), required=False)
    community = forms.ModelChoiceField(
        Community.objects.all(), label=_("Community"), required=False
    )
    address = forms.CharField(label=_("Address (building, floor, door)"), max_length=200)
    emergency_contact_name = forms.CharField(label=_("Emergency contact"), max_length=60)
    emergency_contact_phone = MobileNumberField(label=_("Emergency contact phone"))

    field_order = ["real_name", "id_number", "birth_date", "phone", "district", "street"]
    review_label = _(
        "I understand that with a new name or ID number my categories must be verified "
        "by staff again, and that welfare orders wait until then."
    )

    def __init__(self, *args, profile=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_edit(profile, verified=profile is not None and profile.has_verified_category())

    def clean(self):
        cleaned_data = super().clean()
        community, street = cleaned_data.get("community"), cleaned_data.get("street")
        if community and street and community.street_id != street.pk:
            self.add_error("community", _("This community is not in the chosen street."))
        return cleaned_data


class RegisterElderForm(ElderForm):
    relation = forms.ChoiceField(label=_("You are the elder's"), choices=ProxyRelation.choices)
    consent_note = forms.CharField(
        label=_("How the elder agreed that you act for them"),
        max_length=200,
        help_text=_("For example: signed form at the station, or said yes on a call."),
    )
    evidence = ImageUploadField(
        label=_("Evidence of the relationship or consent"),
        required=False,
    )


class ProxyRequestForm(forms.Form):
    """Ask to act for an elder who has an account: by resident ID number or by phone."""

    id_number = ResidentIdField(
        label=_("The elder's resident ID number"),
        required=False,
        help_text=_("Or leave it empty and give the elder's mobile number."),
    )
    phone = MobileNumberField(label=_("The elder's mobile number"), required=False)
    relation = forms.ChoiceField(label=_("You are the elder's"), choices=ProxyRelation.choices)
    note = forms.CharField(
        label=_("A note for the elder and staff"),
        max_length=200,
        required=False,
        help_text=_("For example: your name and how the elder knows you."),
    )

    def clean(self):
        cleaned_data = super().clean()
        if not self.errors and not cleaned_data.get("id_number") and not cleaned_data.get("phone"):
            raise forms.ValidationError(
                _("Enter the elder's resident ID number or mobile number."), code="no_elder"
            )
        return cleaned_data


class CategoryForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=RecipientCategory.choices)
    evidence = ImageUploadField(label=_("Evidence (certificate, card or letter)"))


class QualificationForm(forms.Form):
    service_type = forms.ModelChoiceField(
        service_types().filter(kind="professional"), label=_("Professional service")
    )
    certificate_number = forms.CharField(label=_("Certificate number"), max_length=60)
    expires_on = forms.DateField(label=_("Valid until"), widget=IsoDateInput())
    evidence = ImageUploadField(label=_("Photo of the certificate"))


class RelativeForm(forms.Form):
    relative_phone = MobileNumberField(label=_("Your relative's mobile number"))
    relation = forms.ChoiceField(label=_("This person is your"), choices=Relation.choices)
    evidence = ImageUploadField(label=_("Evidence (household register or certificate)"))


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("Name of the organisation"), max_length=120)
    licence_number = forms.CharField(label=_("Registration or licence number"), max_length=60)
    district = forms.ModelChoiceField(District.objects.all(), label=_("District"))
    service_types = forms.ModelMultipleChoiceField(
        service_types().filter(kind="professional"),
        label=_("Professional services it is qualified for"),
        widget=forms.CheckboxSelectMultiple,
    )
    evidence = ImageUploadField(label=_("Photo of the licence"))


class WindowForm(forms.Form):
    """One time of the week; a row left empty is no time."""

    weekday = forms.TypedChoiceField(
        label=_("Day"),
        choices=[("", _("Choose a day")), *Weekday.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    starts = forms.TimeField(
        label=pgettext_lazy("time of day", "From"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    ends = forms.TimeField(
        label=pgettext_lazy("time of day", "Until"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )

    def clean(self):
        cleaned_data = super().clean()
        if self.errors:
            return cleaned_data
        given = [cleaned_data.get(name) is not None for name in ("weekday", "starts", "ends")]
        if any(given) and not all(given):
            raise forms.ValidationError(
                _("Give the day, the start and the end, or leave all three empty."),
                code="incomplete",
            )
        if all(given) and cleaned_data["ends"] <= cleaned_data["starts"]:
            self.add_error(
                "ends",
                forms.ValidationError(_("The end must be after the start."), code="ends_first"),
            )
        return cleaned_data

    def window(self):
        """(weekday, starts, ends), or None for an empty row."""
        if self.cleaned_data.get("weekday") is None:
            return None
        return (
            self.cleaned_data["weekday"],
            self.cleaned_data["starts"],
            self.cleaned_data["ends"],
        )


class BaseWindowFormSet(forms.BaseFormSet):
    def _construct_form(self, i, **kwargs):
        # Every row is read, also one sent as it was shown: it is still a time.
        return super()._construct_form(i, **kwargs, empty_permitted=False)

    def clean(self):
        if any(self.errors):
            return
        refusal = window_refusal(self.windows())
        if refusal:
            raise forms.ValidationError(refusal, code="windows")

    def windows(self):
        return [window for form in self.forms if (window := form.window()) is not None]


# Rows beyond those saved, to add times; past MAX_WINDOWS rows the limit's
# own message says so, far past it the form set's.
EMPTY_WINDOW_ROWS = 2
WindowFormSet = forms.formset_factory(
    WindowForm,
    formset=BaseWindowFormSet,
    extra=EMPTY_WINDOW_ROWS,
    max_num=MAX_WINDOWS + EMPTY_WINDOW_ROWS,
    absolute_max=MAX_WINDOWS + 10,
)


class ServedDistrictsForm(forms.Form):
    serve_districts = forms.ModelMultipleChoiceField(
        District.objects.all(),
        label=_("Districts where you serve"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("With none chosen, you serve your own district."),
    )
