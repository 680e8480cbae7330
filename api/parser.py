"""JSON bodies, refusing NUL characters as the site's middleware refuses them in forms."""

import json

from ninja.parser import Parser


def _holds_nul(value):
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(key) or _holds_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_holds_nul(item) for item in value)
    return False


class NulRefusingParser(Parser):
    """PostgreSQL text cannot hold NUL: such a body is a bad request (400), not a server error."""

    def parse_body(self, request):
        data = json.loads(request.body)
        if _holds_nul(data):
            raise ValueError("NUL character in the body")
        return data
