"""Who logs in and how: people's logins, staff scopes, two-factor devices and texts sent."""

from allauth.mfa import admin as allauth_mfa_admin
from allauth.mfa.models import Authenticator
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import display_for_value
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import (
    AdminPasswordChangeForm,
    AdminUserCreationForm,
    SetUnusablePasswordMixin,
)
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts import audit, labels
from accounts.models import StaffScope, TextMessage, User, covers, is_city_staff, scoped_people
from accounts.phones import MobileNumberField, mask_mobiles_in
from accounts.scoped_admin import (
    AdministratorsOnly,
    ReadOnly,
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


class PermissionsField(forms.ModelMultipleChoiceField):
    """Django stores each permission's name in English; staff read it in their language."""

    def label_from_instance(self, permission):
        return labels.permission_label(permission)


class PermissionsInReadersLanguage:
    """Any list of permissions an admin form offers (a person's, a group's)."""

    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        if db_field.related_model is Permission:
            kwargs["form_class"] = PermissionsField
        return super().formfield_for_manytomany(db_field, request, **kwargs)


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(PermissionsInReadersLanguage, DjangoGroupAdmin):
    """Django's groups, for city administrators (the site's rule for admins not of ours)."""


@admin.register(User)
class UserAdmin(PermissionsInReadersLanguage, StaffModelAdmin, DjangoUserAdmin):
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


def titled(filter_class, title):
    """`filter_class` under our name for its field, which its package names in English only."""

    class Titled(filter_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.title = title

    return Titled


admin.site.unregister(Authenticator)


@admin.register(Authenticator)
class AuthenticatorAdmin(AdministratorsOnly, StaffModelAdmin, allauth_mfa_admin.AuthenticatorAdmin):
    """Who has which second factor; a city administrator removes one for a lost phone.

    Never the secret or the recovery codes: whoever reads them holds the
    factor. The staff member then enrols again at their next admin page.

    allauth names the fields in English only, so the columns, details and
    filters show them under our names.
    """

    list_display = ["owner", "kind", "added", "last_used"]
    list_filter = [
        ("type", titled(admin.ChoicesFieldListFilter, _("kind"))),
        ("created_at", titled(admin.DateFieldListFilter, _("added on"))),
        ("last_used_at", titled(admin.DateFieldListFilter, _("last used"))),
    ]
    fields = list_display
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def audit_target(self, authenticator):
        return authenticator.user

    @admin.display(description=_("user"), ordering="user")
    def owner(self, authenticator):
        return authenticator.user

    @admin.display(description=_("kind"), ordering="type")
    def kind(self, authenticator):
        return authenticator.get_type_display()

    @admin.display(description=_("added on"), ordering="created_at")
    def added(self, authenticator):
        return display_for_value(authenticator.created_at, self.get_empty_value_display())

    @admin.display(description=_("last used"), ordering="last_used_at")
    def last_used(self, authenticator):
        return display_for_value(authenticator.last_used_at, self.get_empty_value_display())
