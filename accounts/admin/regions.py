"""Districts, streets and communities: city reference data."""

from django.contrib import admin

from accounts.models import Community, District, Street
from accounts.scoped_admin import CityDataAdmin, StaffInline


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
