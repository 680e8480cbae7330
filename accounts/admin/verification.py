"""What staff verify: elder categories, volunteers, qualifications, organisations and links."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts import services
from accounts.admin_actions import apply_each, ask_and_apply
from accounts.models import (
    AvailabilityWindow,
    ElderCategory,
    ElderProfile,
    ProxyAuthorisation,
    Qualification,
    RelativeLink,
    ServiceOrganisation,
    VolunteerProfile,
)
from accounts.scoped_admin import ReadOnlyInline, ScopedAdmin


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the rejection"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The applicant sees this reason."),
        error_messages={"required": _("Give a reason for the rejection.")},
    )


class VerifiableForm(forms.ModelForm):
    """Also checks the constraints that read the status, which the form shows read-only.

    Django skips a constraint whose condition names a field the form leaves
    out, so a second open request for the same people reached the database
    and failed there instead of coming back as a form error.
    """

    def _post_clean(self):
        super()._post_clean()
        try:
            self.instance.validate_constraints(
                exclude=self._get_validation_exclusions() - {"status"}
            )
        except ValidationError:
            self.add_error(
                None, _("An open request for the same people already exists: decide that one.")
            )


class VerificationAdmin(ScopedAdmin):
    """A verification queue: pending first, approve or reject (with a reason) in bulk."""

    form = VerifiableForm

    list_filter = ["status", "district"]
    list_select_related = ["district"]
    date_hierarchy = "created_at"
    actions = ["approve_selected", "reject_selected"]
    decision_fields = ["status", "decided_by", "decided_at", "decision_reason", "evidence_link"]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), *self.decision_fields]

    def get_exclude(self, request, obj=None):
        return ["evidence"]

    def get_ordering(self, request):
        return ["status", "created_at"]  # "pending" sorts first

    @admin.display(description=_("evidence image"))
    def evidence_link(self, obj):
        if not obj.evidence:
            return "—"
        url = reverse("people:evidence", args=[obj._meta.model_name, obj.pk])
        return format_html('<a href="{}" target="_blank">{}</a>', url, gettext("Open the image"))

    @admin.action(description=_("Approve selected"))
    def approve_selected(self, request, queryset):
        apply_each(
            self,
            request,
            queryset,
            lambda obj: services.approve_request(obj, by=request.user),
            services.PeopleError,
        )

    @admin.action(description=_("Reject selected (asks for a reason)"))
    def reject_selected(self, request, queryset):
        return ask_and_apply(
            self,
            request,
            queryset,
            RejectForm,
            lambda obj, data: services.reject_request(obj, by=request.user, reason=data["reason"]),
            services.PeopleError,
            action="reject_selected",
            title=gettext("Reject with a reason"),
        )


class ElderCategoryInline(ReadOnlyInline):
    model = ElderCategory
    fields = ["category", "status", "decision_reason"]


class AvailabilityInline(ReadOnlyInline):
    """When the volunteer usually serves: theirs to say, staff only read it."""

    model = AvailabilityWindow
    fields = ["weekday", "starts", "ends"]


class MaskedPersonColumns:
    """Columns that name a person without showing their data in full (DESIGN §8)."""

    @admin.display(description=_("name"))
    def masked_name(self, profile):
        return profile.masked_name

    @admin.display(description=_("resident ID number"))
    def masked_id_number(self, profile):
        return profile.masked_id_number

    @admin.display(description=_("age"))
    def age(self, profile):
        return profile.age


@admin.register(ElderProfile)
class ElderProfileAdmin(MaskedPersonColumns, ScopedAdmin):
    list_display = ["masked_name", "masked_id_number", "age", "district", "street", "created_at"]
    list_filter = ["district"]
    search_fields = ["real_name", "id_number", "card_code"]
    list_select_related = ["district", "street"]
    date_hierarchy = "created_at"
    readonly_fields = ["card_code", "birth_date", "registered_by", "created_at"]
    raw_id_fields = ["user"]
    inlines = [ElderCategoryInline]

    def has_add_permission(self, request):
        """Elders are registered through the station page, which makes the registrant proxy."""
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        elder = self.get_object(request, object_id)
        if elder is not None and request.method == "GET":
            services.record_elder_view(elder, by=request.user)
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(ElderCategory)
class ElderCategoryAdmin(VerificationAdmin):
    list_display = ["elder", "category", "status", "district", "created_at"]
    list_filter = ["status", "category", "district"]
    search_fields = ["elder__real_name"]
    list_select_related = ["elder", "district"]
    raw_id_fields = ["elder"]
    area_from = "elder"


# Elders' sides mark a volunteer "not again" in `orders` (`NotAgain`, related
# name `not_again_marks`); staff see only how many, as a reason to follow up.
NOT_AGAIN_MARKS = "user__not_again_marks"


class NotAgainFilter(admin.SimpleListFilter):
    title = _("asked not to come again")
    parameter_name = "not_again"

    def lookups(self, request, model_admin):
        return [("yes", _("By at least one elder")), ("no", _("By no elder"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(not_again_count__gt=0)
        if self.value() == "no":
            return queryset.filter(not_again_count=0)
        return queryset


@admin.register(VolunteerProfile)
class VolunteerProfileAdmin(MaskedPersonColumns, VerificationAdmin):
    list_display = [
        "__str__",
        "masked_id_number",
        "age",
        "status",
        "district",
        "not_again_count",
        "created_at",
    ]
    list_filter = [*VerificationAdmin.list_filter, NotAgainFilter]
    search_fields = ["real_name", "id_number", "user__phone"]
    # Where a volunteer is willing to serve is theirs to say, anywhere in the city.
    readonly_fields = ["birth_date", "serve_districts"]
    raw_id_fields = ["user"]
    filter_horizontal = ["skills"]
    inlines = [AvailabilityInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            # Never a staff member's own count: the volunteer is not told.
            .annotate(
                not_again_count=Count(NOT_AGAIN_MARKS, distinct=True, filter=~Q(user=request.user))
            )
        )

    @admin.display(
        description=_("elders who asked them not to come again"), ordering="not_again_count"
    )
    def not_again_count(self, profile):
        return profile.not_again_count


@admin.register(Qualification)
class QualificationAdmin(VerificationAdmin):
    list_display = ["holder", "service_type", "certificate_number", "expires_on", "status"]
    list_filter = ["status", "service_type", "district"]
    search_fields = ["certificate_number", "holder__name"]
    list_select_related = ["holder", "service_type", "district"]
    raw_id_fields = ["holder"]
    area_from = "holder"


@admin.register(ServiceOrganisation)
class ServiceOrganisationAdmin(VerificationAdmin):
    list_display = ["name", "licence_number", "coordinator", "status", "district"]
    search_fields = ["name", "licence_number"]
    raw_id_fields = ["coordinator"]
    filter_horizontal = ["service_types", "members"]


@admin.register(ProxyAuthorisation)
class ProxyAuthorisationAdmin(VerificationAdmin):
    list_display = ["proxy", "elder", "relation", "status", "district", "created_at"]
    list_filter = ["status", "relation", "district"]
    search_fields = ["elder__real_name", "proxy__name"]
    list_select_related = ["proxy", "elder", "district"]
    raw_id_fields = ["elder", "proxy"]
    area_from = "elder"


@admin.register(RelativeLink)
class RelativeLinkAdmin(VerificationAdmin):
    list_display = ["requester", "relation", "relative", "status", "district", "created_at"]
    list_filter = ["status", "relation", "district"]
    search_fields = ["requester__name", "relative__name"]
    list_select_related = ["requester", "relative", "district"]
    raw_id_fields = ["requester", "relative"]
    area_from = "requester"
