from django import forms
from django.contrib import admin
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.admin_actions import ReasonForm, apply_each, ask_and_apply
from accounts.scoped_admin import ReadOnlyInline, StaffModelAdmin
from orders import services
from orders.models import Order, OrderEvent, OrderStatus


class FlaggedFilter(admin.SimpleListFilter):
    title = _("needs attention")
    parameter_name = "flag"

    def lookups(self, request, model_admin):
        return [
            ("unclaimed", _("Unclaimed 24 h before start")),
            ("no_show", _("No check-in 30 min after start")),
            ("review", _("Time to review")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "unclaimed":
            return queryset.filter(
                flagged_unclaimed_at__isnull=False,
                status__in=[OrderStatus.SUBMITTED, OrderStatus.PUBLISHED],
            )
        if self.value() == "no_show":
            return queryset.filter(flagged_no_show_at__isnull=False, status=OrderStatus.CLAIMED)
        if self.value() == "review":
            return queryset.filter(status=OrderStatus.DISPUTED)
        return queryset


class OrderEventInline(ReadOnlyInline):
    model = OrderEvent
    fields = ["created_at", "from_status", "to_status", "actor", "on_behalf_of", "note"]


class SettleForm(forms.Form):
    minutes = forms.IntegerField(label=_("Minutes to credit"), min_value=0, max_value=16 * 60)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


@admin.register(Order)
class OrderAdmin(StaffModelAdmin):
    """Staff act on orders only through the actions, which call the services."""

    list_display = [
        "number",
        "service_type",
        "starts_at",
        "booked_hours",
        "district",
        "street",
        "status",
        "funding",
        "volunteer",
    ]
    list_filter = [FlaggedFilter, "status", "district", "service_type", "funding", "starts_at"]
    search_fields = ["=id", "elder__real_name", "volunteer__name"]
    list_select_related = ["service_type", "district", "street", "volunteer"]
    date_hierarchy = "starts_at"
    ordering = ["starts_at"]
    inlines = [OrderEventInline]
    actions = ["approve", "reject", "settle"]
    readonly_fields = [field.name for field in Order._meta.fields if field.name != "id"]

    def get_queryset(self, request):
        return super().get_queryset(request).in_scope_of(request.user)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("number"), ordering="pk")
    def number(self, order):
        return order.number

    @admin.action(description=_("Approve and publish selected orders"))
    def approve(self, request, queryset):
        apply_each(
            self,
            request,
            queryset,
            lambda order: services.approve_order(order, by=request.user),
            services.OrderError,
        )

    @admin.action(description=_("Reject selected orders (asks for a reason)"))
    def reject(self, request, queryset):
        return ask_and_apply(
            self,
            request,
            queryset,
            ReasonForm,
            lambda order, data: services.reject_order(
                order, by=request.user, reason=data["reason"]
            ),
            services.OrderError,
            action="reject",
            title=gettext("Reject orders"),
        )

    @admin.action(description=_("Settle review: credit minutes (asks for the minutes)"))
    def settle(self, request, queryset):
        return ask_and_apply(
            self,
            request,
            queryset,
            SettleForm,
            lambda order, data: services.settle_dispute(
                order, by=request.user, minutes=data["minutes"], note=data["note"]
            ),
            services.OrderError,
            action="settle",
            title=gettext("Settle orders"),
        )
