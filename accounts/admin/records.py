"""Read-only records: the audit log and resident-ID clashes."""

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from accounts import labels
from accounts.models import AuditLog, ElderProfile, IdClash, User, VolunteerProfile
from accounts.scoped_admin import ReadOnly, ScopedAdmin


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


class AuditCodeFilter(admin.SimpleListFilter):
    """A filter on one of the log's codes, offered by the name staff read for it."""

    def lookups(self, request, model_admin):
        codes = model_admin.get_queryset(request).values_list(self.parameter_name, flat=True)
        named = [(code, self.label(code)) for code in set(codes.distinct().order_by())]
        return sorted(named, key=lambda pair: str(pair[1]))

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(**{self.parameter_name: self.value()})
        return queryset


class AuditActionFilter(AuditCodeFilter):
    title = _("action")
    parameter_name = "action"
    label = staticmethod(labels.action_label)


class AuditTargetFilter(AuditCodeFilter):
    title = _("kind of record")
    parameter_name = "target_type"
    label = staticmethod(labels.record_label)


@admin.register(AuditLog)
class AuditLogAdmin(ReadOnly, ScopedAdmin):
    """Readable by staff of the district; nobody can add, change or delete a row.

    Filters: who, action, kind of record; a record's link lists its whole history.
    Actions and kinds of record show by name; staff still search by their codes.
    """

    street_field = None
    list_display = ["created_at", "actor", "action_name", "target", "district"]
    list_filter = [AuditActorFilter, AuditActionFilter, AuditTargetFilter, "district"]
    search_fields = ["action", "target_type", "target_id", "reason"]
    list_select_related = ["actor", "district"]
    date_hierarchy = "created_at"
    fields = [
        "created_at", "actor", "action_name", "target", "district", "reason", "before", "after"
    ]  # fmt: skip
    readonly_fields = fields

    def lookup_allowed(self, lookup, value, request=None):
        return lookup == "target_id" or super().lookup_allowed(lookup, value, request)

    @admin.display(description=_("action"), ordering="action")
    def action_name(self, row):
        return row.action_label

    @admin.display(description=_("record"), ordering="target_id")
    def target(self, row):
        history = reverse("admin:accounts_auditlog_changelist")
        query = urlencode({"target_type": row.target_type, "target_id": row.target_id})
        return format_html(
            '<a href="{}?{}">{} {}</a>', history, query, row.record_label, row.target_id
        )


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
