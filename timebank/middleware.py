"""Response headers that depend on who is asking."""

from django.core.exceptions import BadRequest
from django.http import Http404, QueryDict
from django.utils.cache import add_never_cache_headers


def no_store_when_logged_in(get_response):
    """Pages seen by a logged-in person may show personal data: never cache them.

    Shared phones and family computers keep the browser's cache and Back
    button; `no-store` stops the next person from reading the last one's
    pages. Static files never get here (WhiteNoise answers them earlier); a
    response that says it `holds_no_personal_data` keeps its own headers.
    """

    def middleware(request):
        response = get_response(request)
        personal = not getattr(response, "holds_no_personal_data", False)
        if request.user.is_authenticated and personal:
            add_never_cache_headers(response)
        return response

    return middleware


def refuse_nul_characters(get_response):
    """A parameter holding a NUL character is a bad request (400), never a server error;
    a path holding one names nothing (404).

    PostgreSQL text cannot hold NUL, so such a value fails deep inside the
    first query that uses it — an admin search, a list filter, a reason
    stored without a form. Forms already refuse it field by field; this
    catches the values no form checks. Nobody types a NUL by accident.

    The API reads its own body (its parser refuses NUL there): reading
    `request.POST` here would consume the body before it could.
    """

    def middleware(request):
        if "\x00" in request.path:
            raise Http404  # an id or a name no row can have
        posted = QueryDict() if request.path.startswith("/api/") else request.POST
        for params in (request.GET, posted):
            for key, values in params.lists():
                if "\x00" in key or any("\x00" in value for value in values):
                    raise BadRequest("NUL character in a parameter")
        return get_response(request)

    return middleware
