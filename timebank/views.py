from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from accounts.models import Role, ServiceOrganisation
from accounts.roles import (
    ELDER_MODE_COOKIE,
    choose_landing_role,
    landing_role,
    roles_of,
    set_elder_mode,
)
from accounts.services import PeopleError


def home(request):
    """Explains the time bank and sends each kind of visitor on."""
    return render(request, "home.html")


def _landing_url(user, role):
    """Where each role starts: the elder's services, the proxy's elders, the volunteer's
    market (only what they may claim), the coordinator's organisation, the staff dashboard."""
    if role == Role.ELDER:
        return reverse("orders:elder_home", args=[user.elder_profile.pk])
    if role == Role.PROXY:
        return reverse("orders:start")
    if role == Role.VOLUNTEER:
        return reverse("orders:market")
    if role == Role.COORDINATOR:
        organisation = ServiceOrganisation.objects.filter(coordinator=user).first()
        return reverse("orders:organisation", args=[organisation.pk])
    return reverse("admin:dashboard")


@login_required
def landing(request):
    """Where a person starts after login and from the header: their role's own page."""
    roles = roles_of(request.user)
    if not roles:
        return redirect("home")
    role = landing_role(request.user, roles)
    if role is None:
        return redirect("choose_role")
    return redirect(_landing_url(request.user, role))


class RoleForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Start as"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose how you want to start."),
            "invalid_choice": _("You do not have that role."),
        },
    )

    def __init__(self, *args, roles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(role.value, role.label) for role in roles]


@login_required
def choose_role(request):
    """A person with several roles picks the one to start as; they can come back to switch."""
    roles = roles_of(request.user)
    form = RoleForm(
        request.POST or None, roles=roles, initial={"role": landing_role(request.user, roles)}
    )
    if form.is_valid():
        try:
            choose_landing_role(request.user, form.cleaned_data["role"])
        except PeopleError as error:
            form.add_error("role", str(error))
        else:
            return redirect("landing")
    return render(request, "choose_role.html", {"form": form})


@require_POST
def elder_mode(request):
    """Turns elder mode on or off: on the person once logged in, before that in a cookie
    that the login keeps on the person (`AccountAdapter.login`)."""
    on = request.POST.get("elder_mode") == "1"
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("landing") if request.user.is_authenticated else reverse("home")
    # Not `redirect()`: a `next` such as "home" would be taken for a view name.
    response = HttpResponseRedirect(next_url)
    if request.user.is_authenticated:
        set_elder_mode(request.user, on)
        response.delete_cookie(ELDER_MODE_COOKIE)
    else:
        response.set_cookie(
            ELDER_MODE_COOKIE,
            "1" if on else "0",
            max_age=365 * 24 * 3600,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
        )
    return response


def favicon(request):
    """Browsers ask for /favicon.ico on pages that name no icon (the admin's).

    A view rather than a RedirectView built in urls.py: the static file's
    hashed name exists only after collectstatic, not when urls.py is imported
    by `check --deploy` or a fresh build.
    """
    return redirect(static("favicon.svg"), permanent=True)


def csrf_failure(request, reason=""):
    """A form sent from a page open too long, or without our cookie: said in the
    page's language, with the site header (Django's own page has neither)."""
    return render(request, "403_csrf.html", status=403)
