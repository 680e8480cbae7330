"""Admins of the apps that may not know the staff site's bases, and of django-q2.

The catalogue is the bottom layer, below `accounts` where the staff bases
(`accounts.scoped_admin`) live, so its admin is registered here, by the
project, which may import every app.

django-q2's task tables keep its own admins, registered again here (for city
administrators, as every admin not of ours) with what they show in English
on Chinese pages put in the reader's language. Its field names and help
texts are translated in our catalogue (`timebank.translations`).
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import display_for_field
from django.template.defaultfilters import linebreaksbr
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_q import admin as django_q_admin
from django_q.models import Failure, OrmQ, Schedule, Success, Task

from accounts.scoped_admin import CityDataAdmin
from catalogue.models import ServiceType


class ServiceTypeListForm(forms.ModelForm):
    class Meta:
        widgets = {"is_active": forms.CheckboxInput(attrs={"aria-label": _("active")})}


@admin.register(ServiceType)
class ServiceTypeAdmin(CityDataAdmin):
    list_display = ["code", "name_zh", "name_en", "kind", "default_hours", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["code", "name_zh", "name_en"]
    list_editable = ["is_active"]

    def get_changelist_form(self, request, **kwargs):
        """The list's checkboxes have no label of their own: each says what it is."""
        return super().get_changelist_form(request, form=ServiceTypeListForm, **kwargs)


def _as_written(value):
    """What a task was given or gave back, as its program wrote it: Python values and
    error messages, in English whatever the page's language, and marked so."""
    return format_html('<span lang="en">{}</span>', linebreaksbr(value))


def _task_value(field_name):
    """A task's stored value (arguments, result) as a read-only field."""
    field = Task._meta.get_field(field_name)

    @admin.display(description=field.verbose_name)
    def shown(model_admin, task):
        value = getattr(task, field_name)
        return _as_written(display_for_field(value, field, model_admin.get_empty_value_display()))

    return shown


class TaskValues:
    """django-q2's done tasks, their arguments and result marked as the program's words."""

    task_args, task_kwargs, task_result = map(_task_value, ["args", "kwargs", "result"])
    readonly_fields = ["task_args", "task_kwargs", "task_result"]

    def get_fields(self, request, obj=None):
        shown = {"args": "task_args", "kwargs": "task_kwargs", "result": "task_result"}
        return [shown.get(field.name, field.name) for field in self.model._meta.fields]


class SuccessAdmin(TaskValues, django_q_admin.TaskAdmin):
    pass


class FailureAdmin(TaskValues, django_q_admin.FailAdmin):
    @admin.display(description=django_q_admin.FailAdmin.short_result.short_description)
    def short_result(self, task):
        return _as_written(super().short_result(task))


class ScheduleAdmin(django_q_admin.ScheduleAdmin):
    list_display = [
        "id",
        "schedule_name",
        "func",
        "schedule_type",
        "repeats",
        "cluster",
        "next_run",
        "get_last_run",
        "get_success",
    ]
    list_display_links = ["id", "schedule_name"]

    @admin.display(description=_("name"), ordering="name")
    def schedule_name(self, schedule):
        """Our migrations name their schedules in English; the catalogue has them."""
        return gettext(schedule.name) if schedule.name else None


def _queued(method_name):
    """A queued task's value, as its program wrote it; one it lacks shows as empty, not "None"."""
    method = getattr(OrmQ, method_name)

    @admin.display(description=method.short_description)
    def shown(model_admin, queued):
        value = method(queued)
        if value is None:
            return model_admin.get_empty_value_display()
        return _as_written(value)

    return shown


class QueueAdmin(django_q_admin.QueueAdmin):
    task_name, task_group, task_func, task_args, task_kwargs, task_options = map(
        _queued, ["name", "group", "func", "args", "kwargs", "q_options"]
    )
    fields = [
        "key",
        "lock",
        "task_id",
        "task_name",
        "task_group",
        "task_func",
        "task_args",
        "task_kwargs",
        "task_options",
    ]
    readonly_fields = fields[2:]


for model, model_admin in [
    (Success, SuccessAdmin),
    (Failure, FailureAdmin),
    (Schedule, ScheduleAdmin),
    (OrmQ, QueueAdmin),
]:
    if admin.site.is_registered(model):  # django-q2 shows its queue with the ORM broker only
        admin.site.unregister(model)
        admin.site.register(model, model_admin)
