from django.contrib import admin
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.admin_actions import ReasonForm, apply_each, ask
from accounts.scoped_admin import ScopedAdmin, StaffInline
from series import services
from series.models import Occurrence, Series, SeriesEvent


class OccurrenceInline(StaffInline):
    """Each visit with its order and who takes it, read-only: visits change through orders."""

    model = Occurrence
    extra = 0
    can_delete = False
    fields = ["date", "state", "order", "order_status", "volunteer"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("order__volunteer")

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("order status"))
    def order_status(self, occurrence):
        return occurrence.order.get_status_display() if occurrence.order else "—"

    @admin.display(description=_("volunteer"))
    def volunteer(self, occurrence):
        return (occurrence.order and occurrence.order.volunteer) or "—"


class SeriesEventInline(StaffInline):
    model = SeriesEvent
    extra = 0
    can_delete = False
    fields = ["created_at", "kind", "from_status", "to_status", "actor", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Series)
class SeriesAdmin(ScopedAdmin):
    """Staff review a series once, through the actions, which call the services."""

    list_display = [
        "__str__",
        "service_type",
        "weekday_names",
        "time_of_day",
        "booked_hours",
        "district",
        "street",
        "status",
        "volunteer",
    ]
    list_filter = ["status", "district", "service_type", "funding", "skips_holidays"]
    search_fields = ["=id", "elder__real_name", "=elder__id_number"]
    list_select_related = ["service_type", "district", "street", "volunteer"]
    date_hierarchy = "starts_on"
    inlines = [OccurrenceInline, SeriesEventInline]
    actions = ["approve", "reject"]
    readonly_fields = [field.name for field in Series._meta.fields if field.name != "id"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("weekdays"))
    def weekday_names(self, series):
        return series.weekday_names

    @admin.action(description=_("Approve selected repeating services"))
    def approve(self, request, queryset):
        apply_each(
            self,
            request,
            queryset,
            lambda series: services.approve_series(series, by=request.user),
            services.SeriesError,
        )

    @admin.action(description=_("Reject selected repeating services (asks for a reason)"))
    def reject(self, request, queryset):
        data, page = ask(
            self,
            request,
            queryset,
            ReasonForm,
            action="reject",
            title=gettext("Reject repeating services"),
        )
        if page:
            return page
        apply_each(
            self,
            request,
            queryset,
            lambda series: services.reject_series(series, by=request.user, reason=data["reason"]),
            services.SeriesError,
        )
        return None
