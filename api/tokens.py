"""`POST /api/v1/auth/token`: a password for an hour's token, under the site's login limits."""

from allauth.account.adapter import get_adapter
from allauth.account.internal.flows.login import derive_login_method
from allauth.core import ratelimit
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Router

from api import schemas
from api.auth import TOKEN_LIFETIME, issue_token
from api.errors import Error, Refusal

router = Router(tags=["auth"])


def _too_many(request):
    """allauth's own words for it, as on the login page."""
    message = get_adapter(request).error_messages["too_many_login_attempts"]
    return Refusal(429, "too_many_attempts", message)


@router.post(
    "/token",
    auth=None,
    response={200: schemas.Token, 401: Error, 403: Error, 422: Error, 429: Error},
    url_name="token",
)
def token(request, credentials: schemas.Credentials):
    """A token for your own phone client: send it as `Authorization: Bearer <token>`.

    The same limits as the site's login: a few wrong passwords lock the login
    for a while, here and on the site alike. Staff accounts get no token: the
    staff site needs their second factor.
    """
    if not ratelimit.consume(request, action="login"):
        raise _too_many(request)
    login = credentials.login.strip()
    method = derive_login_method(login)
    if method not in ("phone", "email"):
        raise Refusal(401, "invalid_login", _("The login or the password is not right."))
    try:
        user = get_adapter(request).authenticate(
            request, **{method: login, "password": credentials.password}
        )
    except ValidationError as error:
        raise _too_many(request) from error
    if user is None or not user.is_active:
        raise Refusal(401, "invalid_login", _("The login or the password is not right."))
    if user.is_staff:
        raise Refusal(
            403,
            "staff_need_second_factor",
            _("Staff accounts log in on the staff site, with their second factor."),
        )
    if method == "phone" and not user.phone_verified:
        raise Refusal(
            403,
            "phone_not_verified",
            _("Verify your mobile number on the site first, then ask for a token."),
        )
    return {
        "token": issue_token(user),
        "token_type": "Bearer",
        "expires_in": int(TOKEN_LIFETIME.total_seconds()),
    }
