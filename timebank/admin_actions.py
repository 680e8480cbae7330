"""What every staff action in the admin shares.

Actions that need more than a click (a reason, minutes, a quantity) show one
intermediate page with a small form; actions apply a service to each
selected row and report each refusal on its own, so one bad row never hides
what happened to the others.
"""

from functools import update_wrapper

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import BadRequest, ValidationError
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Give a reason.")},
    )


def ask(modeladmin, request, queryset, form_class, *, action, title):
    """The intermediate page: `(None, page)` until the form is valid, then `(data, None)`."""
    form = form_class(request.POST if "confirm" in request.POST else None)
    if form.is_valid():
        return form.cleaned_data, None
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "opts": modeladmin.model._meta,
        "queryset": queryset,
        "form": form,
        "action": action,
        "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
    }
    return None, TemplateResponse(request, "admin/action_form.html", context)


def apply_each(modeladmin, request, queryset, call, refusal):
    """Apply `call` to each row; a `refusal` exception is reported for its row only."""
    done = 0
    for obj in queryset:
        try:
            call(obj)
        except refusal as error:
            modeladmin.message_user(request, f"{obj}: {error}", messages.ERROR)
        else:
            done += 1
    if done:
        modeladmin.message_user(
            request,
            ngettext("%(count)d item done.", "%(count)d items done.", done) % {"count": done},
            messages.SUCCESS,
        )
    return done


def checks_selected_ids(admin_view):
    """Wrap `AdminSite.admin_view` so that ids and dates Django cannot use are a 400.

    Django filters the selected rows of an action with the posted values as
    they are, so `_selected_action=abc` failed inside the query; and it
    builds a date from a `date_hierarchy` year without a range check, so a
    13-digit year overflowed. Both were server errors.
    """

    def wrap(view, cacheable=False):
        inner = admin_view(view, cacheable)
        model_admin = getattr(view, "__self__", None)
        if not isinstance(model_admin, admin.ModelAdmin):
            return inner

        def checked(request, *args, **kwargs):
            pk = model_admin.model._meta.pk
            for value in request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME):
                try:
                    pk.to_python(value)
                except ValidationError as error:
                    raise BadRequest("selected id is not an id") from error
            if model_admin.date_hierarchy and _huge_date_part(request, model_admin.date_hierarchy):
                raise BadRequest("date out of range")
            return inner(request, *args, **kwargs)

        return update_wrapper(checked, inner)

    return wrap


def _huge_date_part(request, field):
    """Does the query ask for a year, month or day that no date can have?"""
    for part in ("year", "month", "day"):
        try:
            number = int(request.GET.get(f"{field}__{part}", ""))
        except ValueError:
            continue  # Django's admin reports these itself
        if abs(number) > 9999:
            return True
    return False
