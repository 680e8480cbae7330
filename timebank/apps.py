from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TimebankConfig(AppConfig):
    """The project itself: its admin site, demo data and task runner, above every app."""

    name = "timebank"
    verbose_name = _("Time Bank")
