"""Who is calling: a person's own client, by session cookie or by a short-lived token.

Two kinds of proof, tried in this order on every request (`PERSONAL`):

- a bearer token from `POST /api/v1/auth/token`: the person's id and the
  session hash of their password (Django's `get_session_auth_hash`), signed
  with a timestamp; it lasts `TOKEN_LIFETIME`. Each request loads the person
  again and refuses the token if they are no longer active, became staff or
  changed their password. Wrong passwords lock new tokens (the site login's
  lock, at `POST /auth/token`), not those already given: their holder has
  proved the password, and a stranger typing wrong ones must not cut them off.
- the site's session cookie, with Django's CSRF check for unsafe methods.

Staff never get a token: the staff site needs a second factor, which a
password alone does not give.

Machine clients (an organisation's system) have their own kind, `ApiKeyAuth`:
`Authorization: Bearer tbk_…`, a key staff issued in the admin
(`api.clients`). It is the only kind of the endpoints open to them
(`MACHINE`), and no personal endpoint takes it. Each client has its own
request limit (`API_CLIENT_RATE_LIMIT`), counted in the shared cache.
"""

from datetime import timedelta

from allauth.core.internal import ratelimit
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from api.clients import KEY_START, client_for_key
from api.errors import Refusal

TOKEN_LIFETIME = timedelta(hours=1)
_SALT = "api.token"


def issue_token(user):
    """A token for `user`'s own client; the caller has checked the password and the rules."""
    payload = {"user": user.pk, "hash": user.get_session_auth_hash()}
    return signing.TimestampSigner(salt=_SALT).sign_object(payload, compress=True)


def user_for_token(request, token):
    """The person a token still speaks for, or None."""
    try:
        payload = signing.TimestampSigner(salt=_SALT).unsign_object(token, max_age=TOKEN_LIFETIME)
        user = get_user_model().objects.get(pk=payload["user"])
    except (signing.BadSignature, KeyError, TypeError, ValueError, OverflowError):
        return None
    except get_user_model().DoesNotExist:
        return None
    if not user.is_active or user.is_staff:
        return None
    if not constant_time_compare(str(payload.get("hash", "")), user.get_session_auth_hash()):
        return None
    return user


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`; the person becomes `request.user` as with a session."""

    def authenticate(self, request, token):
        user = user_for_token(request, token)
        if user is not None:
            request.user = user
        return user


class SessionAuth(APIKeyCookie):
    """The site's session; unsafe methods need the CSRF token, as forms do.

    Unlike ninja's `django_auth`, a request without a logged-in session is
    simply not this kind (401 follows), rather than a CSRF failure.
    """

    param_name = settings.SESSION_COOKIE_NAME

    def __call__(self, request):
        if not request.user.is_authenticated:
            return None
        if self.csrf and check_csrf(request):
            raise Refusal(
                403,
                "csrf_failed",
                _(
                    "The CSRF token is missing or wrong. Send the csrftoken cookie's value "
                    "in the X-CSRFToken header."
                ),
            )
        return request.user

    def authenticate(self, request, key):
        return request.user if request.user.is_authenticated else None


PERSONAL = [TokenAuth(), SessionAuth(csrf=True)]


class ApiKeyAuth(HttpBearer):
    """`Authorization: Bearer tbk_…`: a machine client's key; the client is `request.auth`.

    Without a key the answer is 401 `not_authenticated`; a key that is unknown,
    paused or revoked is 401 `invalid_api_key` (the three are not told apart).
    """

    def __call__(self, request):
        if (
            not request.headers.get("Authorization", "")
            .removeprefix("Bearer ")
            .startswith(KEY_START)
        ):
            raise Refusal(
                401,
                "not_authenticated",
                _("This is for API clients: send your key as Authorization: Bearer tbk_…"),
            )
        return super().__call__(request)

    def authenticate(self, request, token):
        client = client_for_key(token)
        if client is None:
            raise Refusal(
                401,
                "invalid_api_key",
                _("This API key is not valid: it is unknown, paused or revoked."),
            )
        limits = {"client": settings.API_CLIENT_RATE_LIMIT}
        usage = ratelimit.consume(
            request,
            app="api",
            action="client",
            config=limits,
            key=client.key_prefix,
            limit_get=True,
        )
        if not usage:
            raise Refusal(429, "too_many_requests", _("Too many requests."))
        return client


MACHINE = [ApiKeyAuth()]
