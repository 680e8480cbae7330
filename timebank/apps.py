from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TimebankConfig(AppConfig):
    """The project itself: its admin site, demo data and task runner, above every app."""

    name = "timebank"
    verbose_name = _("Time Bank")

    def ready(self):
        from django.contrib.admin.templatetags import admin_list

        from timebank.admin_icons import boolean_icon

        # Django draws every yes/no icon of the staff site (lists, read-only
        # fields, details) through this one function, which it imports at each
        # call; its alt text is the raw True/False, in English on Chinese pages.
        admin_list._boolean_icon = boolean_icon
