"""The staff UI for rewards: shelf, pickups, projects, grants, notices, certificates.

Querysets are scoped to the staff member's district; every state change is an
action that calls `rewards.services` and reports refusals with `message_user`.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.admin_actions import ReasonForm, apply_each, ask_and_apply
from accounts.images import clean_image
from accounts.models import ElderProfile, is_city_staff, scope_of, scoped
from accounts.scoped_admin import CityDataAdmin, ReadOnly, ReadOnlyInline, ScopedAdmin
from credits.forms import LARGEST_INTEGER, CreditsField
from rewards import services
from rewards.models import (
    Certificate,
    CertificateIssuer,
    Goods,
    Grant,
    GrantStatus,
    Objection,
    PickupStation,
    Project,
    Redemption,
    StarNotice,
    StockDonation,
)


class StockForm(forms.Form):
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1)
    sponsor = forms.CharField(label=_("Sponsor"), max_length=100)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


@admin.register(PickupStation)
class PickupStationAdmin(ScopedAdmin):
    list_display = ["name", "district", "street", "address", "is_active"]
    list_filter = ["is_active", "district"]
    list_select_related = ["district", "street"]
    search_fields = ["name", "address"]


class GoodsForm(forms.ModelForm):
    price = CreditsField(label=_("Price in credits"))

    class Meta:
        model = Goods
        fields = [
            "name",
            "description",
            "image",
            "price",
            "stock",
            "limit_per_person",
            "limit_period_days",
            "is_active",
            "sponsor",
            "district",
        ]

    def clean_image(self):
        image = self.cleaned_data.get("image")
        if image and hasattr(image, "content_type"):  # a new upload, not the stored file
            try:
                return clean_image(image)
            except ValidationError as error:
                raise forms.ValidationError(error.messages) from error
        return image


class StockDonationInline(ReadOnlyInline):
    model = StockDonation
    fields = ["received_at", "sponsor", "quantity", "note", "received_by"]


@admin.register(Goods)
class GoodsAdmin(ScopedAdmin):
    form = GoodsForm
    street_field = None
    list_display = ["name", "price", "stock", "limit_per_person", "is_active", "sponsor"]
    list_filter = ["is_active", "district"]
    list_select_related = ["district"]
    search_fields = ["name", "sponsor"]
    inlines = [StockDonationInline]
    actions = ["add_stock_selected"]

    def get_readonly_fields(self, request, obj=None):
        # After creation stock changes only by redemptions and recorded donations.
        return ["stock"] if obj else []

    @admin.action(description=_("Add stock from a sponsor's donation"))
    def add_stock_selected(self, request, queryset):
        return ask_and_apply(
            self,
            request,
            queryset,
            StockForm,
            lambda goods, data: services.add_stock(goods, **data, by=request.user),
            services.RewardsError,
            action="add_stock_selected",
            title=gettext("Add stock"),
        )


@admin.register(Redemption)
class RedemptionAdmin(ReadOnly, ScopedAdmin):
    district_field = "station__district"
    street_field = "station__street"
    list_display = ["code", "goods", "user", "station", "status", "deadline", "created_at"]
    list_filter = ["status", "station"]
    list_select_related = ["goods", "user", "station"]
    search_fields = ["code"]
    date_hierarchy = "created_at"
    actions = ["hand_over_selected", "cancel_selected"]

    @admin.action(description=_("Mark handed over"))
    def hand_over_selected(self, request, queryset):
        apply_each(
            self,
            request,
            queryset,
            lambda r: services.hand_over(r.code, by=request.user),
            services.RewardsError,
        )

    @admin.action(description=_("Cancel and refund"))
    def cancel_selected(self, request, queryset):
        apply_each(
            self,
            request,
            queryset,
            lambda r: services.cancel_redemption(r, by=request.user),
            services.RewardsError,
        )


class ProjectForm(forms.ModelForm):
    # A project gathers many wallets' donations, so its target may pass one wallet's cap.
    target = CreditsField(label=_("Target in credits"), most=LARGEST_INTEGER)

    class Meta:
        model = Project
        fields = ["code", "name", "purpose", "district", "target", "is_open", "created_at"]


@admin.register(Project)
class ProjectAdmin(CityDataAdmin):
    """Projects are the city's: district staff read them and grant from their own district's."""

    form = ProjectForm
    list_display = ["name", "code", "district", "target", "is_open", "created_at"]
    list_filter = ["is_open", "district"]
    list_select_related = ["district"]
    search_fields = ["name", "code"]
    readonly_fields = ["totals"]

    @admin.display(description=_("credits received / granted"))
    def totals(self, obj):
        if obj.pk is None:
            return "—"
        totals = services.project_totals(obj)
        return f"{totals['received']} / {totals['granted']}"


class GrantForm(forms.ModelForm):
    amount = CreditsField()

    class Meta:
        model = Grant
        fields = ["elder", "project", "amount", "reason"]


@admin.register(Grant)
class GrantAdmin(ScopedAdmin):
    """Maker-checker: one staff member proposes (the add form), another approves."""

    form = GrantForm
    audit_edits = False  # propose_grant writes the audit row
    # A grant says why the elder needs help: read by staff of the elder's street.
    street_field = "elder__street"
    list_display = ["__str__", "project", "status", "proposed_by", "decided_by", "proposed_at"]
    list_filter = ["status", "district"]
    list_select_related = ["elder", "project", "proposed_by", "decided_by"]
    date_hierarchy = "proposed_at"
    actions = ["approve_selected", "reject_selected"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "elder":
            kwargs["queryset"] = scoped(ElderProfile.objects.all(), request.user)
        if db_field.name == "project":
            kwargs["queryset"] = scoped(
                Project.objects.filter(is_open=True), request.user, street_field=None
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        # The form offers only elders and projects of the staff member's area.
        proposal = services.propose_grant(
            obj.elder, obj.amount, reason=obj.reason, project=obj.project, by=request.user
        )
        obj.pk = proposal.pk

    @admin.action(description=_("Approve selected (a second staff member)"))
    def approve_selected(self, request, queryset):
        queryset = queryset.filter(status=GrantStatus.PROPOSED)
        apply_each(
            self,
            request,
            queryset,
            lambda g: services.approve_grant(g, by=request.user),
            services.RewardsError,
        )

    @admin.action(description=_("Reject selected (asks for a reason)"))
    def reject_selected(self, request, queryset):
        return ask_and_apply(
            self,
            request,
            queryset,
            ReasonForm,
            lambda g, data: services.reject_grant(g, by=request.user, reason=data["reason"]),
            services.RewardsError,
            action="reject_selected",
            title=gettext("Reject"),
        )


class ObjectionInline(ReadOnlyInline):
    model = Objection
    fields = ["raised_at", "reason", "status", "resolution", "resolved_by"]


@admin.register(StarNotice)
class StarNoticeAdmin(ReadOnly, ScopedAdmin):
    street_field = None
    list_display = ["public_name", "level", "hours", "district", "closes_on", "status"]
    list_filter = ["status", "level", "district"]
    list_select_related = ["district"]
    date_hierarchy = "opened_at"
    inlines = [ObjectionInline]


@admin.register(Objection)
class ObjectionAdmin(ReadOnly, ScopedAdmin):
    district_field = "notice__district"
    street_field = None
    list_display = ["notice", "reason", "status", "raised_at", "resolved_by"]
    list_filter = ["status"]
    list_select_related = ["notice", "resolved_by"]
    actions = ["dismiss_selected", "uphold_selected"]

    @admin.action(description=_("Dismiss (the star can be awarded)"))
    def dismiss_selected(self, request, queryset):
        return self._resolve(request, queryset, upheld=False, action="dismiss_selected")

    @admin.action(description=_("Uphold (withhold the star)"))
    def uphold_selected(self, request, queryset):
        return self._resolve(request, queryset, upheld=True, action="uphold_selected")

    def _resolve(self, request, queryset, *, upheld, action):
        return ask_and_apply(
            self,
            request,
            queryset,
            ReasonForm,
            lambda o, data: services.resolve_objection(
                o, upheld=upheld, resolution=data["reason"], by=request.user
            ),
            services.RewardsError,
            action=action,
            title=gettext("Resolve"),
        )


@admin.register(CertificateIssuer)
class CertificateIssuerAdmin(ScopedAdmin):
    """District staff keep their district's issuer; city staff the city's (the fallback)."""

    street_field = None
    list_display = ["name", "district", "person_in_charge", "handler", "contact"]
    list_select_related = ["district"]

    def has_add_permission(self, request):
        """A district has one issuer: once it exists, its staff change it."""
        if is_city_staff(request.user):
            return super().has_add_permission(request)
        scope = scope_of(request.user)
        return (
            scope is not None
            and not CertificateIssuer.objects.filter(district_id=scope.district_id).exists()
            and super().has_add_permission(request)
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if not is_city_staff(request.user) and "district" in form.base_fields:
            form.base_fields["district"].required = True  # the city's row is the city's
        return form


@admin.register(Certificate)
class CertificateAdmin(ReadOnly, ScopedAdmin):
    district_field = "user__volunteer_profile__district"
    street_field = None
    list_display = ["serial", "public_name", "start", "end", "hours", "issued_at", "revoked_at"]
    list_select_related = ["user"]
    search_fields = ["serial"]
    date_hierarchy = "issued_at"
    actions = ["revoke_selected"]

    @admin.action(description=_("Revoke selected (asks for a reason)"))
    def revoke_selected(self, request, queryset):
        return ask_and_apply(
            self,
            request,
            queryset,
            ReasonForm,
            lambda c, data: services.revoke_certificate(c, reason=data["reason"], by=request.user),
            services.RewardsError,
            action="revoke_selected",
            title=gettext("Revoke"),
        )
