"""Admins of the apps that may not know the staff site's bases.

The catalogue is the bottom layer, below `accounts` where the staff bases
(`accounts.scoped_admin`) live, so its admin is registered here, by the
project, which may import every app.
"""

from django.contrib import admin

from accounts.scoped_admin import CityDataAdmin
from catalogue.models import ServiceType


@admin.register(ServiceType)
class ServiceTypeAdmin(CityDataAdmin):
    list_display = ["code", "name_zh", "name_en", "kind", "default_hours", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["code", "name_zh", "name_en"]
    list_editable = ["is_active"]
