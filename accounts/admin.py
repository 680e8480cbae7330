from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import District, Street, TextMessage, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
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

    @admin.display(description=_("mobile number"))
    def masked_phone(self, user):
        return user.masked_phone


@admin.register(TextMessage)
class TextMessageAdmin(admin.ModelAdmin):
    """The development SMS outbox: read-only, newest first."""

    list_display = ["sent_at", "recipient", "body"]
    search_fields = ["recipient"]
    date_hierarchy = "sent_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class StreetInline(admin.TabularInline):
    model = Street
    extra = 0


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh", "name_en"]
    search_fields = ["code", "name_zh", "name_en"]
    inlines = [StreetInline]


@admin.register(Street)
class StreetAdmin(admin.ModelAdmin):
    list_display = ["name_zh", "name_en", "district"]
    list_filter = ["district"]
    search_fields = ["name_zh", "name_en"]
    list_select_related = ["district"]
