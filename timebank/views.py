from django.shortcuts import redirect, render
from django.templatetags.static import static


def home(request):
    """Explains the time bank and sends each kind of visitor on."""
    return render(request, "home.html")


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
