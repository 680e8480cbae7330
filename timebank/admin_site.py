"""The staff site: Django's admin as our own `AdminSite`, safe for a model added tomorrow.

Every model admin registered here derives from `accounts.scoped_admin.StaffModelAdmin`,
which scopes choices, permissions and audit rows; a model admin that does
not (Django's groups, allauth's email addresses, django-q2's task tables) is
registered for city administrators only. The staff dashboard and monthly
report are views of this site, and its login is the rate-limited one that
everyone uses. Staff without an authenticator app reach none of its pages:
each one sends them to enrol first.
"""

from functools import update_wrapper

from django.contrib import admin, messages
from django.contrib.admin.apps import AdminConfig
from django.core.exceptions import BadRequest, ValidationError
from django.shortcuts import redirect
from django.urls import path
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# A day, in seconds.
ADMIN_CATALOGUE_MAX_AGE = 24 * 60 * 60


class StaffSite(admin.AdminSite):
    site_header = _("Time Bank staff")
    site_title = _("Time Bank staff")
    index_title = _("Today's work")

    def __init__(self, name="admin"):
        super().__init__(name)
        from timebank.staff import export_selected_csv

        self.add_action(export_selected_csv)

    def register(self, model_or_iterable, admin_class=None, **options):
        """Admins not of ours (Django's, allauth's, django-q2's) are for city administrators."""
        from accounts.scoped_admin import AdministratorsOnly, StaffModelAdmin

        if admin_class is None or not issubclass(admin_class, StaffModelAdmin):
            base = admin_class or admin.ModelAdmin
            admin_class = type(base.__name__, (AdministratorsOnly, base), {})
        super().register(model_or_iterable, admin_class, **options)

    def get_urls(self):
        from timebank import staff

        return [
            path("dashboard/", self.admin_view(staff.dashboard), name="dashboard"),
            path("reports/", self.admin_view(staff.report), name="report"),
            *super().get_urls(),
        ]

    def has_permission(self, request):
        """Staff without an authenticator app have no admin, whatever their rights."""
        return super().has_permission(request) and not _needs_authenticator(request)

    def login(self, request, extra_context=None):
        """Staff log in through the same rate-limited login as everyone else."""
        from allauth.account.decorators import secure_admin_login

        if _needs_authenticator(request):
            return _to_enrolment(request)
        return secure_admin_login(super().login)(request, extra_context)

    def password_change(self, request, extra_context=None):
        """A staff member's own new password is an audit row, like one set for them."""
        from accounts import audit

        response = super().password_change(request, extra_context)
        if request.method == "POST" and response.status_code == 302:
            audit.record(request.user, audit.PASSWORD_CHANGED, request.user)
        return response

    def i18n_javascript(self, request, extra_context=None):
        """The admin scripts' own words, which every list and change form loads before
        it shows: kept by the browser for a day instead of being built again for each
        page (building them reads every catalogue, some 50 ms a page). They are the
        same for everyone and hold nobody's data; a deploy that changes them reaches
        each browser within the day."""
        response = super().i18n_javascript(request, extra_context)
        patch_cache_control(response, private=True, max_age=ADMIN_CATALOGUE_MAX_AGE)
        response.holds_no_personal_data = True
        return response

    def admin_view(self, view, cacheable=False):
        """Every admin page sends staff without an authenticator app to enrol first."""
        inner = self._usable_input_only(super().admin_view(view, cacheable), view)

        def enrolled(request, *args, **kwargs):
            if _needs_authenticator(request):
                return _to_enrolment(request)
            return inner(request, *args, **kwargs)

        return update_wrapper(enrolled, inner)

    def _usable_input_only(self, inner, view):
        """Refuse, as a 400, selected ids and dates that Django cannot use.

        Django filters the selected rows of an action with the posted values as
        they are, so `_selected_action=abc` failed inside the query; and it
        builds a date from a `date_hierarchy` year without a range check, so a
        13-digit year overflowed. Both were server errors.
        """
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


def _needs_authenticator(request):
    """Asked several times by each admin page (its permission, its context): looked up once."""
    # Imported here: this module is loaded before the models are.
    from accounts.twofactor import needs_authenticator

    if not hasattr(request, "_needs_authenticator"):
        request._needs_authenticator = needs_authenticator(request.user)
    return request._needs_authenticator


def _to_enrolment(request):
    messages.info(
        request, gettext("Staff need an authenticator app to open the staff site: add one here.")
    )
    return redirect("mfa_activate_totp")


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


class StaffAdminConfig(AdminConfig):
    default_site = "timebank.admin_site.StaffSite"
