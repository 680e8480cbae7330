from accounts.roles import ELDER_MODE_COOKIE


def elder_mode(request):
    """Elder mode for this page: the person's setting, or before login the browser's choice."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return {"elder_mode": user.elder_mode}
    return {"elder_mode": request.COOKIES.get(ELDER_MODE_COOKIE) == "1"}
