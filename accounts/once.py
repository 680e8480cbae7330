"""Form pages whose address carries their key, so that sending one twice acts once.

It lives in `accounts`, the lowest app with pages, so that the views of
every app above it may use it: apps do not import the project (`timebank`).

Logged-in pages are never cached (see `timebank.middleware`), so Back fetches
a form page again: a key drawn afresh each time the page is shown would let
the form, sent again after Back, act twice. Drawn once and kept in the page's
address (`?key=`), the key comes back with Back and with reload; the form
posts to that same address, and the service records the key and acts once
per key.
"""

import re
import uuid

from django.shortcuts import redirect

KEY = re.compile(r"[0-9a-f]{32}")


def page_key(request):
    """The key in this page's address, or "" when it has none (or a malformed one)."""
    key = request.GET.get("key", "")
    return key if KEY.fullmatch(key) else ""


def redirect_with_key(request):
    """The same page, with a fresh key added to its address."""
    query = request.GET.copy()
    query["key"] = uuid.uuid4().hex
    return redirect(f"{request.path}?{query.urlencode()}")
