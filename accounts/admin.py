from allauth.mfa import admin as allauth_mfa_admin
from allauth.mfa.models import Authenticator
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import (
    AdminPasswordChangeForm,
    AdminUserCreationForm,
    SetUnusablePasswordMixin,
)
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts import audit, services
from accounts.admin_actions import apply_each, ask
from accounts.models import (
    AuditLog,
    Community,
    District,
    ElderCategory,
    ElderProfile,
    IdClash,
    ProxyAuthorisation,
    Qualification,
    RelativeLink,
    ServiceOrganisation,
    StaffScope,
    Street,
    TextMessage,
    User,
    VolunteerProfile,
    covers,
    is_city_staff,
    scoped_people,
)
from accounts.phones import MobileNumberField, mask_mobiles_in
from accounts.scoped_admin import (
    AdministratorsOnly,
    CityDataAdmin,
    ReadOnly,
    ScopedAdmin,
    StaffInline,
    StaffModelAdmin,
    area_of,
    is_administrator,
)


class AccountCreationForm(AdminUserCreationForm):
    """A new account needs a way to log in: a mobile number, an email address, or both."""

    phone = MobileNumberField(label=_("Mobile number"), required=False, empty_value=None)

    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ["name", "phone", "email"]
        field_classes = {}

    def clean(self):
        cleaned_data = super().clean()
        if not self.errors and not cleaned_data.get("phone") and not cleaned_data.get("email"):
            raise ValidationError(
                _("Enter a mobile number or an email address (or both)."), code="no_login"
            )
        return cleaned_data


class StaffPasswordForm(AdminPasswordChangeForm):
    """Django joins this help text once, at import, in the language of that moment;
    here it is joined each time the page is shown, in the reader's language."""

    usable_password_help_text = format_lazy(
        '{}<ul id="id_unusable_warning" class="messagelist"><li class="warning">{}</li></ul>',
        SetUnusablePasswordMixin.usable_password_help_text,
        _("If disabled, the current password for this user will be lost."),
    )


@admin.register(User)
class UserAdmin(StaffModelAdmin, DjangoUserAdmin):
    add_form = AccountCreationForm
    change_password_form = StaffPasswordForm
    ordering = ["-date_joined"]
    list_display = ["__str__", "masked_phone", "email", "phone_verified", "is_staff", "date_joined"]
    list_filter = ["is_staff", "is_superuser", "is_active", "phone_verified"]
    search_fields = ["name", "email", "phone"]
    date_hierarchy = "date_joined"
    fieldsets = [
        (None, {"fields": ["name", "phone", "phone_verified", "email", "password"]}),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {"classes": ["wide"], "fields": ["name", "phone", "email", "password1", "password2"]},
        ),
    ]
    readonly_fields = ["last_login", "date_joined"]
    privilege_fields = ["is_staff", "is_superuser", "groups", "user_permissions"]

    def get_queryset(self, request):
        """Staff read the accounts of people of their own area only; city staff read all."""
        return scoped_people(super().get_queryset(request), request.user)

    def has_add_permission(self, request):
        """A new account is tied to no area yet, so only city staff could open it after adding.

        Elders are registered through the station page; everyone else signs up.
        """
        return is_city_staff(request.user) and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        if obj is not None and not manages_account(request.user, obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not manages_account(request.user, obj):
            return False
        return super().has_delete_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        """Only city administrators hand out staff rights."""
        fields = super().get_readonly_fields(request, obj)
        if is_administrator(request.user):
            return fields
        return [*fields, *self.privilege_fields]

    def audit_action(self, obj, verb, message):
        """Setting a password is its own kind of decision: maker-checker looks for it."""
        changed = [
            field
            for change in message or []
            for field in change.get("changed", {}).get("fields", [])
        ]
        if verb == "changed" and changed == ["password"]:
            return audit.PASSWORD_CHANGED
        return super().audit_action(obj, verb, message)

    def user_change_password(self, request, id, form_url=""):
        """An elder registered at a station gets a login first, then a password."""
        user = self.get_object(request, id)
        if user is not None and not (user.phone or user.email):
            self.message_user(
                request,
                gettext("Add a mobile number or an email address before setting a password."),
                messages.ERROR,
            )
            return redirect("admin:accounts_user_change", user.pk)
        response = super().user_change_password(request, id, form_url)
        if getattr(response, "context_data", None) and user is not None:
            # Django titles the page with the username, which a phone-only person lacks.
            response.context_data["title"] = gettext("Change password: %(person)s") % {
                "person": user
            }
        return response

    @admin.display(description=_("mobile number"))
    def masked_phone(self, user):
        return user.masked_phone


def manages_account(staff, person):
    """May `staff` change `person`'s account (details, password, rights) in the admin?

    Nobody changes their own account here (they have their own password page);
    only city administrators touch an account with staff rights or a scope;
    city staff change anyone else's, district and street staff the accounts
    of people whose own profile is in their area (a link to it is not enough).
    """
    if person.pk == staff.pk:
        return False
    if person.is_staff or person.is_superuser or StaffScope.objects.filter(user=person).exists():
        return is_administrator(staff)
    if is_city_staff(staff):
        return True
    area = area_of(person)
    return area is not None and covers(staff, *area)


@admin.register(TextMessage)
class TextMessageAdmin(ReadOnly, StaffModelAdmin):
    """The development SMS outbox: read-only, newest first.

    It is there to check that texts went out, so numbers show masked (DESIGN §8),
    in the text too; a full number still finds its messages in the search.
    """

    list_display = ["sent_at", "masked_recipient", "masked_body", "status", "refused_by"]
    list_filter = ["status", "refused_by"]
    fields = ["sent_at", "masked_recipient", "masked_body", "status", "refused_by"]
    readonly_fields = fields
    search_fields = ["recipient"]
    date_hierarchy = "sent_at"

    def has_view_permission(self, request, obj=None):
        """The whole city's numbers and login codes: city-level staff only."""
        return is_city_staff(request.user) and super().has_view_permission(request, obj)

    @admin.display(description=_("recipient"))
    def masked_recipient(self, message):
        return message.masked_recipient

    @admin.display(description=_("text"))
    def masked_body(self, message):
        return mask_mobiles_in(message.body)


class StreetInline(StaffInline):
    model = Street
    extra = 0


@admin.register(District)
class DistrictAdmin(CityDataAdmin):
    list_display = ["code", "name_zh", "name_en"]
    search_fields = ["code", "name_zh", "name_en"]
    inlines = [StreetInline]


class CommunityInline(StaffInline):
    model = Community
    extra = 0


@admin.register(Street)
class StreetAdmin(CityDataAdmin):
    list_display = ["name_zh", "name_en", "district"]
    list_filter = ["district"]
    search_fields = ["name_zh", "name_en"]
    list_select_related = ["district"]
    inlines = [CommunityInline]


@admin.register(Community)
class CommunityAdmin(CityDataAdmin):
    list_display = ["name_zh", "name_en", "street"]
    list_filter = ["street__district"]
    search_fields = ["name_zh", "name_en"]
    list_select_related = ["street__district"]


# Scoped staff work ---------------------------------------------------------


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
            lambda obj: services.approve(obj, by=request.user),
            services.PeopleError,
        )

    @admin.action(description=_("Reject selected (asks for a reason)"))
    def reject_selected(self, request, queryset):
        data, page = ask(
            self,
            request,
            queryset,
            RejectForm,
            action="reject_selected",
            title=gettext("Reject with a reason"),
        )
        if page:
            return page
        apply_each(
            self,
            request,
            queryset,
            lambda obj: services.reject(obj, by=request.user, reason=data["reason"]),
            services.PeopleError,
        )
        return None


class ElderCategoryInline(StaffInline):
    model = ElderCategory
    fields = ["category", "status", "decision_reason"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


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
            services.record_elder_view(request.user, elder)
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(ElderCategory)
class ElderCategoryAdmin(VerificationAdmin):
    list_display = ["elder", "category", "status", "district", "created_at"]
    list_filter = ["status", "category", "district"]
    search_fields = ["elder__real_name"]
    list_select_related = ["elder", "district"]
    raw_id_fields = ["elder"]
    area_from = "elder"


@admin.register(VolunteerProfile)
class VolunteerProfileAdmin(MaskedPersonColumns, VerificationAdmin):
    list_display = ["__str__", "masked_id_number", "age", "status", "district", "created_at"]
    search_fields = ["real_name", "id_number", "user__phone"]
    # Where a volunteer is willing to serve is theirs to say, anywhere in the city.
    readonly_fields = ["birth_date", "serve_districts"]
    raw_id_fields = ["user"]
    filter_horizontal = ["skills"]


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


@admin.register(StaffScope)
class StaffScopeAdmin(AdministratorsOnly, StaffModelAdmin):
    """Only city administrators decide who manages what, and never for themselves."""

    list_display = ["user", "level", "district", "street"]
    list_filter = ["level", "district"]
    raw_id_fields = ["user"]

    def audit_target(self, scope):
        return scope.user

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.user_id == request.user.pk:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.user_id == request.user.pk:
            return False
        return super().has_delete_permission(request, obj)


class AuditActorFilter(admin.SimpleListFilter):
    """Who: only the people who appear in the log this staff member may read."""

    title = _("who")
    parameter_name = "actor"

    def lookups(self, request, model_admin):
        actors = model_admin.get_queryset(request).values("actor")
        return [(user.pk, str(user)) for user in User.objects.filter(pk__in=actors)]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        try:
            actor_id = User._meta.pk.to_python(self.value())
        except ValidationError as error:
            # Django's admin answers this with its "incorrect lookup" page, not a 500.
            raise IncorrectLookupParameters(error) from error
        return queryset.filter(actor_id=actor_id)


class AuditTargetFilter(admin.SimpleListFilter):
    title = _("kind of record")
    parameter_name = "target_type"

    def lookups(self, request, model_admin):
        types = model_admin.get_queryset(request).values_list("target_type", flat=True)
        return [(label, label) for label in sorted(set(types.distinct().order_by()))]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(target_type=self.value())
        return queryset


@admin.register(AuditLog)
class AuditLogAdmin(ReadOnly, ScopedAdmin):
    """Readable by staff of the district; nobody can add, change or delete a row.

    Filters: who, action, kind of record; a record's link lists its whole history.
    """

    street_field = None
    list_display = ["created_at", "actor", "action", "target", "district"]
    list_filter = [AuditActorFilter, "action", AuditTargetFilter, "district"]
    search_fields = ["action", "target_type", "target_id", "reason"]
    list_select_related = ["actor", "district"]
    date_hierarchy = "created_at"

    def lookup_allowed(self, lookup, value, request=None):
        return lookup == "target_id" or super().lookup_allowed(lookup, value, request)

    @admin.display(description=_("record"), ordering="target_id")
    def target(self, row):
        query = urlencode({"target_type": row.target_type, "target_id": row.target_id})
        return format_html('<a href="?{}">{}:{}</a>', query, row.target_type, row.target_id)


@admin.register(IdClash)
class IdClashAdmin(ReadOnly, ScopedAdmin):
    """Resident ID numbers entered by an account other than their holder: both sides, read-only.

    The person who entered the number was not told it is registered; staff
    of the area compare the two records and settle it (a proxy request, a
    typing mistake, or a report).
    """

    list_display = ["created_at", "kind", "attempted_by", "real_name", "holder_records", "district"]
    list_filter = ["kind", "district"]
    list_select_related = ["attempted_by", "holder__user", "district"]
    fields = [*list_display[:4], "street", "holder_records"]
    readonly_fields = fields
    date_hierarchy = "created_at"

    @admin.display(description=_("number held by"))
    def holder_records(self, clash):
        """The holder's account and the profiles that carry the number, linked for staff."""
        holder = clash.holder.user
        links = [(reverse("admin:accounts_user_change", args=[holder.pk]), str(holder))]
        for model in (ElderProfile, VolunteerProfile):
            for profile in model.objects.filter(user=holder, id_number=clash.holder.number):
                name = f"{model._meta.verbose_name}: {profile} {profile.masked_id_number}"
                change = f"admin:accounts_{model._meta.model_name}_change"
                links.append((reverse(change, args=[profile.pk]), name))
        return format_html_join(" · ", '<a href="{}">{}</a>', links)


admin.site.unregister(Authenticator)


@admin.register(Authenticator)
class AuthenticatorAdmin(AdministratorsOnly, StaffModelAdmin, allauth_mfa_admin.AuthenticatorAdmin):
    """Who has which second factor; a city administrator removes one for a lost phone.

    Never the secret or the recovery codes: whoever reads them holds the
    factor. The staff member then enrols again at their next admin page.
    """

    fields = ("user", "type", "created_at", "last_used_at")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def audit_target(self, authenticator):
        return authenticator.user
