"""The one shape of every refusal: `{"code": "<stable code>", "message": "<text>"}`.

The code is for programs and never changes; the message is for people, in
the language the client asked for (Accept-Language). Domain errors carry
their code (`OrderError.code`); the HTTP status follows from it.
"""

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from credits.services import LedgerError
from orders.services import OrderError


class FieldError(Schema):
    field: str
    message: str


class Error(Schema):
    code: str
    message: str
    errors: list[FieldError] = []


# Every operation may answer these; each adds its own 400/409 where it refuses.
COMMON = {401: Error, 403: Error, 404: Error, 422: Error}
REFUSALS = {**COMMON, 400: Error, 409: Error}

# Order refusals that are about the order's state, or about who asks.
_STATUS_OF_CODE = {
    "not_allowed": 403,
    "already_done": 409,
    "order_taken": 409,
    "wrong_status": 409,
}


class Refusal(Exception):
    """A refusal the API makes itself (bad login, a staff account asking for a token)."""

    def __init__(self, status, code, message, errors=()):
        super().__init__(message)
        self.status, self.code, self.message, self.errors = status, code, message, list(errors)


def _answer(api, request, status, code, message, errors=()):
    body = {"code": code, "message": str(message), "errors": list(errors)}
    return api.create_response(request, body, status=status)


def install(api):
    """Answer every error of `api` in the one shape."""

    @api.exception_handler(Refusal)
    def refusal(request, error):
        return _answer(api, request, error.status, error.code, error.message, error.errors)

    @api.exception_handler(OrderError)
    def order_error(request, error):
        status = _STATUS_OF_CODE.get(error.code, 400)
        return _answer(api, request, status, error.code, str(error))

    @api.exception_handler(LedgerError)
    def ledger_error(request, error):
        return _answer(api, request, 400, "credits_refused", str(error))

    @api.exception_handler(AuthenticationError)
    def not_authenticated(request, error):
        message = _("Log in on the site, or send a valid token (POST /api/v1/auth/token).")
        return _answer(api, request, 401, "not_authenticated", message)

    @api.exception_handler(Http404)
    def not_found(request, error):
        return _answer(api, request, 404, "not_found", _("There is nothing here."))

    @api.exception_handler(ValidationError)
    def invalid(request, error):
        errors = [
            {"field": ".".join(str(part) for part in e.get("loc", ())), "message": e.get("msg", "")}
            for e in error.errors
        ]
        message = _("Some values are missing or not valid.")
        return _answer(api, request, 422, "invalid", message, errors)

    @api.exception_handler(HttpError)
    def http_error(request, error):
        if error.status_code == 429:
            return _answer(api, request, 429, "too_many_requests", _("Too many requests."))
        return _answer(api, request, error.status_code, "bad_request", _("Bad request."))
