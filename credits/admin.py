from django.contrib import admin, messages
from django.db.models import Q
from django.forms.models import model_to_dict
from django.template.response import TemplateResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.admin_actions import ReasonForm, apply_each, ask_and_apply
from accounts.models import User, is_city_staff, scoped_people
from accounts.scoped_admin import CityDataAdmin, ReadOnly, ScopedAdmin, StaffModelAdmin
from credits.carrying import approve_statement, reject_statement
from credits.forms import ReversalForm
from credits.models import (
    Account,
    CarriedStatement,
    CarriedStatus,
    Hold,
    Policy,
    ServiceRecord,
    Transfer,
    TrustedPlatform,
    current_policy,
)
from credits.services import LedgerError, reverse_transfer
from credits.statements import StatementError


class ReadOnlyAdmin(ReadOnly, StaffModelAdmin):
    """Ledger rows are written only by credits.services: staff look, never edit.

    Below city level, staff look at their own area's people only (DESIGN §7):
    each ledger admin says which of its rows belong to whom in `in_area`.
    """

    def get_queryset(self, request):
        rows = super().get_queryset(request)
        return rows if is_city_staff(request.user) else self.in_area(rows, request.user)


@admin.register(Account)
class AccountAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "kind", "balance_now", "created_at"]
    list_filter = ["kind"]
    search_fields = ["owner__name", "owner__phone", "owner__email", "code", "name"]
    list_select_related = ["owner"]

    @staticmethod
    def in_area(accounts, staff):
        """System accounts, and the wallets of the people `staff` manage."""
        people = scoped_people(User.objects.all(), staff)
        return accounts.filter(Q(owner__isnull=True) | Q(owner__in=people))

    @admin.display(description=_("balance"))
    def balance_now(self, account):
        return account.current_balance


@admin.register(Transfer)
class TransferAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "kind", "source", "target", "amount", "reference", "created_by"]
    list_filter = ["kind", "source__kind", "target__kind"]
    search_fields = [
        "idempotency_key",
        "reference",
        "memo",
        "source__owner__name",
        "source__owner__phone",
        "target__owner__name",
        "target__owner__phone",
    ]
    list_select_related = ["source__owner", "target__owner", "created_by"]
    date_hierarchy = "created_at"
    actions = ["reverse_transfers"]

    @staticmethod
    def in_area(transfers, staff):
        """Transfers whose every account is in the area."""
        accounts = AccountAdmin.in_area(Account.objects.all(), staff)
        return transfers.filter(source__in=accounts, target__in=accounts)

    def has_reverse_permission(self, request):
        return request.user.is_superuser

    @admin.action(description=_("Reverse the selected transfers"), permissions=["reverse"])
    def reverse_transfers(self, request, queryset):
        """Asks for a reason first; each refusal is reported on its own."""
        form = ReversalForm(request.POST if "reason" in request.POST else None)
        if not form.is_valid():
            return TemplateResponse(
                request,
                "admin/credits/transfer/reverse.html",
                {
                    **self.admin_site.each_context(request),
                    "title": gettext("Reverse transfers"),
                    "opts": self.model._meta,
                    "form": form,
                    "transfers": queryset,
                    "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
                },
            )
        for transfer in queryset:
            try:
                reverse_transfer(transfer, reason=form.cleaned_data["reason"], by=request.user)
            except LedgerError as error:
                self.message_user(request, f"{transfer}: {error}", messages.ERROR)
            else:
                self.message_user(
                    request, gettext("Reversed: %(transfer)s") % {"transfer": transfer}
                )
        return None


@admin.register(Hold)
class HoldAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "status", "resolved_at"]
    list_filter = ["status"]
    search_fields = ["transfer__reference", "transfer__idempotency_key"]
    list_select_related = ["transfer"]

    @staticmethod
    def in_area(holds, staff):
        return holds.filter(transfer__in=TransferAdmin.in_area(Transfer.objects.all(), staff))


@admin.register(ServiceRecord)
class ServiceRecordAdmin(ReadOnlyAdmin):
    list_display = ["volunteer", "minutes", "served_on", "credited", "pooled", "reference"]
    search_fields = ["volunteer__name", "volunteer__phone", "reference", "idempotency_key"]
    list_select_related = ["volunteer"]
    date_hierarchy = "served_on"

    @staticmethod
    def in_area(records, staff):
        return records.filter(volunteer__in=scoped_people(User.objects.all(), staff))


@admin.register(Policy)
class PolicyAdmin(CityDataAdmin):
    """Each change is a new version, started from the one in force; none is edited."""

    list_display = [
        "created_at",
        "created_by",
        "spendable_after_hours",
        "self_pay_age",
        "wallet_cap",
        "star_thresholds",
        "auto_confirm_hours",
        "daily_hour_limit",
        "over_report_minutes",
        "star_notice_working_days",
        "extra_holidays",
        "extra_working_days",
        "daily_gift_limit",
        "credential_change_days",
    ]
    exclude = ["created_at", "created_by"]
    list_select_related = ["created_by"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_changeform_initial_data(self, request):
        return model_to_dict(current_policy(), exclude=["id", *self.exclude])

    def save_model(self, request, obj, form, change):
        obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(TrustedPlatform)
class TrustedPlatformAdmin(CityDataAdmin):
    """Whose signed hours statements the city accepts: city staff decide, the others read."""

    list_display = ["name", "key_id", "is_active", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "key_id"]


@admin.register(CarriedStatement)
class CarriedStatementAdmin(ReadOnly, ScopedAdmin):
    """Statements volunteers brought: a staff member of the district who did not upload one
    approves it. Street staff see their street's; the signed document (with the full ID
    number) stays out of the page."""

    street_field = "volunteer__volunteer_profile__street"
    exclude = ["document"]
    list_display = ["__str__", "hours_served", "status", "uploaded_at", "decided_by"]
    list_filter = ["status", "platform"]
    list_select_related = ["volunteer", "platform", "decided_by"]
    date_hierarchy = "uploaded_at"
    actions = ["approve_selected", "reject_selected"]

    @admin.action(description=_("Approve selected: carry the credits in"))
    def approve_selected(self, request, queryset):
        apply_each(
            self,
            request,
            queryset.filter(status=CarriedStatus.PENDING),
            lambda carried: approve_statement(carried, by=request.user),
            StatementError,
        )

    @admin.action(description=_("Reject selected (asks for a reason)"))
    def reject_selected(self, request, queryset):
        return ask_and_apply(
            self,
            request,
            queryset,
            ReasonForm,
            lambda carried, data: reject_statement(carried, by=request.user, reason=data["reason"]),
            StatementError,
            action="reject_selected",
            title=gettext("Reject"),
        )
