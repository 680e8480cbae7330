"""Response headers that depend on who is asking."""

from django.utils.cache import add_never_cache_headers


def no_store_when_logged_in(get_response):
    """Pages seen by a logged-in person may show personal data: never cache them.

    Shared phones and family computers keep the browser's cache and Back
    button; `no-store` stops the next person from reading the last one's
    pages. Static files never get here (WhiteNoise answers them earlier).
    """

    def middleware(request):
        response = get_response(request)
        if request.user.is_authenticated:
            add_never_cache_headers(response)
        return response

    return middleware
