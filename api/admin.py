"""The staff UI for machine clients: register one, issue it a new key, revoke it; the reads log.

A client's area is a district or the whole city (no district): district staff
see, register and change only their district's clients, and must name it;
city staff keep them all. The key is shown once, on the page the staff
member lands on after saving (it waits in their server-side session for that
one page); the database keeps only its hash.
"""

from django.contrib import admin, messages
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.admin_actions import ReasonForm, ask_and_apply
from accounts.models import is_city_staff
from accounts.scoped_admin import ReadOnly, ScopedAdmin, StaffModelAdmin
from api import clients
from api.models import ApiClient, DisclosedRead

_NEW_KEY = "api_client_new_key"  # the session slot of a key to show once


def _keep_key_for_next_page(request, client, key):
    request.session[_NEW_KEY] = {"client": str(client), "key": key}


def _show_new_key(modeladmin, request):
    """On the page that is drawn, never on a request that redirects: a message not
    shown at once would wait in a cookie, with the key in it."""
    if request.method != "GET":
        return
    shown = request.session.pop(_NEW_KEY, None)
    if shown:
        message = (
            gettext("The key of %(client)s is: %(key)s — copy it now, it is shown only this once.")
            % shown
        )
        modeladmin.message_user(request, message, messages.WARNING)


@admin.register(ApiClient)
class ApiClientAdmin(ScopedAdmin):
    street_field = None
    list_display = ["name", "organisation", "district", "is_active", "revoked_at", "key_prefix"]
    list_filter = ["is_active", "district"]
    list_select_related = ["district"]
    search_fields = ["name", "organisation", "key_prefix"]
    fields = [
        "name",
        "organisation",
        "purpose",
        "district",
        "may_read_records",
        "may_read_id_numbers",
        "may_read_phones",
        "may_import_volunteers",
        "is_active",
        "key_prefix",
        "key_issued_at",
        "revoked_at",
        "created_by",
        "created_at",
    ]
    readonly_fields = ["key_prefix", "key_issued_at", "revoked_at", "created_by", "created_at"]
    # What a client may read unmasked, or bring in, is the city's decision: district
    # staff who set these could hand themselves what the staff site masks for them.
    CITY_DECIDES = ["may_read_id_numbers", "may_read_phones", "may_import_volunteers"]
    actions = ["issue_new_key", "revoke_selected"]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not is_city_staff(request.user):
            fields += self.CITY_DECIDES
        return fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if not is_city_staff(request.user) and "district" in form.base_fields:
            form.base_fields["district"].required = True  # a city-wide client is the city's
        return form

    def has_change_permission(self, request, obj=None):
        """A revoked client stays on record as it was."""
        if obj is not None and obj.is_revoked:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False  # revoke instead: the reads log points at the client

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        _keep_key_for_next_page(request, obj, clients.register_client(obj, by=request.user))
        return None

    def log_addition(self, request, obj, message):
        # `register_client` wrote the audit row of the registration.
        return admin.ModelAdmin.log_addition(self, request, obj, message)

    def changelist_view(self, request, extra_context=None):
        _show_new_key(self, request)
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        _show_new_key(self, request)
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.action(description=_("Issue a new key (the old one stops working)"))
    def issue_new_key(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(
                request, gettext("Choose one client: its new key is shown once."), messages.ERROR
            )
            return
        client = queryset.get()
        try:
            key = clients.reissue_key(client, by=request.user)
        except clients.ClientError as error:
            self.message_user(request, f"{client}: {error}", messages.ERROR)
            return
        _keep_key_for_next_page(request, client, key)

    @admin.action(description=_("Revoke selected (asks for a reason)"))
    def revoke_selected(self, request, queryset):
        return ask_and_apply(
            self,
            request,
            queryset,
            ReasonForm,
            lambda client, data: clients.revoke_client(client, by=request.user, **data),
            clients.ClientError,
            action="revoke_selected",
            title=_("Revoke API clients"),
        )


@admin.register(DisclosedRead)
class DisclosedReadAdmin(ReadOnly, StaffModelAdmin):
    """Who was read unmasked by which client: for city staff, who register city-wide clients."""

    list_display = ["read_at", "client", "person", "what_was_read", "purpose"]
    fields = ["read_at", "client", "person", "what_was_read", "purpose"]
    list_select_related = ["client", "person"]
    list_filter = ["client"]
    date_hierarchy = "read_at"

    @admin.display(description=_("what was read"))
    def what_was_read(self, obj):
        return obj.fields_read

    def has_module_permission(self, request):
        return is_city_staff(request.user) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return is_city_staff(request.user) and super().has_view_permission(request, obj)
