"""What every staff action in the admin shares.

It lives in `accounts`, beside the staff admin's bases (`scoped_admin`), so
that the admin of every app above it may use it: apps do not import the
project (`timebank`).

Actions that need more than a click (a reason, minutes, a quantity) show one
intermediate page with a small form; actions apply a service to each
selected row and report each refusal on its own, so one bad row never hides
what happened to the others.
"""

from django import forms
from django.contrib import admin, messages
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


def ask_and_apply(modeladmin, request, queryset, form_class, call, refusal, *, action, title):
    """Ask on the intermediate page until its form is valid, then `call(row, data)` on each row."""
    data, page = ask(modeladmin, request, queryset, form_class, action=action, title=title)
    if page:
        return page
    apply_each(modeladmin, request, queryset, lambda row: call(row, data), refusal)
    return None
