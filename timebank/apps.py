from django.apps import AppConfig
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _


class TimebankConfig(AppConfig):
    """The project itself: its admin site, demo data and task runner, above every app."""

    name = "timebank"
    verbose_name = _("Time Bank")

    def ready(self):
        from django.contrib.admin.templatetags import admin_list
        from django_q.models import OrmQ

        from timebank.admin_icons import boolean_icon

        # Django draws every yes/no icon of the staff site (lists, read-only
        # fields, details) through this one function, which it imports at each
        # call; its alt text is the raw True/False, in English on Chinese pages.
        admin_list._boolean_icon = boolean_icon
        # django-q2 gives a queued task no name, so the staff site titled it
        # with Django's "OrmQ object (1)", in English on Chinese pages too.
        OrmQ.__str__ = queued_task_name


def queued_task_name(queued):
    return f"{capfirst(queued._meta.verbose_name)} {queued.pk}"
