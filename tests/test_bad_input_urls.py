"""Bad values in every URL parameter and in the query strings the views read.

Ids, slugs and paths get huge and negative numbers, Unicode digits, SQL and
HTML, traversal, control characters and very long strings; query strings get
the same in the cursors, filters, periods and `next` the views parse. Anyone
may type a URL, so each answer must be a page, a redirect or a 4xx — a 5xx
means a view trusted its input. Every route comes from the resolver
(tests/site_map.py), so a new URL is fuzzed the day it is added.
"""

import re
from urllib.parse import quote, urlencode

from django.contrib import admin
from django.urls import reverse
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from accounts import audit
from tests.bad_input import (
    PERSONAS,
    assert_no_server_error,
    client_as,
    examples,
    nasty_text,
    rolled_back,
)
from tests.site_map import all_routes, fill

PARAMETER = re.compile(r"\(\?P<(\w+)>[^)]*\)|<(?:(\w+):)?(\w+)>")

# Numbers that an `<int:...>` converter lets through to the view.
int_like = st.one_of(
    st.sampled_from(["0", "00", "0001", "9" * 19, "9" * 40, str(2**63), str(2**31)]),
    st.integers(min_value=0).map(str),
)
slug_like = st.from_regex(r"\A[-a-zA-Z0-9_]{1,300}\Z")


def value_for(converter):
    typed = {"int": int_like, "slug": slug_like}.get(converter, st.nothing())
    return st.one_of(typed, nasty_text)


@st.composite
def bad_path(draw, name, route, world):
    """The route with at least one parameter replaced; the others keep A's real ids."""
    count = len(PARAMETER.findall(route))
    replaced = draw(st.sets(st.integers(0, count - 1), min_size=1), label="replaced")
    index = iter(range(count))

    def substitute(match):
        if next(index) not in replaced:
            return match.group(0)
        return quote(draw(value_for(match.group(2) or "str"), label=_named(match)), safe="")

    return fill(name, PARAMETER.sub(substitute, route), world)


def _named(match):
    return match.group(1) or match.group(3)


def routes(*, admin_pages):
    chosen = []
    for name, route in all_routes():
        if not PARAMETER.search(route) or route.startswith("zh-hans/admin/") != admin_pages:
            continue
        chosen.append((name, route))
    return chosen


@examples(20)
@given(data=st.data())
def test_bad_path_parameters_never_give_a_server_error(world, data):
    """Every site route with parameters, GET and POST, as each persona, per example."""
    for name, route in routes(admin_pages=False):
        path = data.draw(bad_path(name, route, world), label=name)
        persona = data.draw(st.sampled_from(PERSONAS), label="persona")
        method = data.draw(st.sampled_from(["get", "post"]), label="method")
        client = client_as(world, persona)
        with rolled_back():
            response = getattr(client, method)(path)
        assert_no_server_error(response, f"{method.upper()} {path} as {persona}")


@examples(3)
@given(data=st.data())
def test_bad_admin_object_ids_never_give_a_server_error(world, data):
    """Every admin page with an object id, as district and city staff."""
    for name, route in routes(admin_pages=True):
        path = data.draw(bad_path(name, route, world), label=name or route)
        persona = data.draw(st.sampled_from(["staff_a", "city"]), label="persona")
        client = client_as(world, persona)
        with rolled_back():
            response = client.get(path)
        assert_no_server_error(response, f"GET {path} as {persona}")


# What each view reads from its query string (grep for request.GET).
QUERY_KEYS = {
    "orders:mine": ["after"],
    "orders:claims": ["after"],
    "orders:market": ["after", "district", "street", "service", "day"],
    "credits:mine": ["page"],
    "credits:statement": ["start", "end"],
    "rewards:honours": ["district", "year"],
    "rewards:pickup": ["code"],
    "rewards:donate": ["project"],
    "admin:dashboard": ["district", "month"],
    "admin:report": ["district", "month", "format"],
    "account_login": ["next"],
    "account_signup": ["next"],
    "set_language": ["next", "language"],
    "home": ["next", "page", "q"],
}


def admin_list_keys(model_admin):
    """The query keys a changelist reads: search, order, page and its own filters."""
    keys = ["q", "o", "p", "e", "all", "_to_field", "_popup", "_changelist_filters"]
    for item in model_admin.list_filter:
        if isinstance(item, str | tuple):
            field = item if isinstance(item, str) else item[0]
            keys += [field, f"{field}__exact", f"{field}__id__exact", f"{field}__isnull"]
            keys += [f"{field}__gte", f"{field}__lt"]
        else:
            keys.append(item.parameter_name)
    if model_admin.date_hierarchy:
        keys += [f"{model_admin.date_hierarchy}__{part}" for part in ("year", "month", "day")]
    return keys


def query_pages():
    with translation.override("zh-hans"):
        pages = [(reverse(name), keys) for name, keys in QUERY_KEYS.items()]
        for model, model_admin in admin.site._registry.items():
            opts = model._meta
            url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
            pages.append((url, admin_list_keys(model_admin)))
    return pages


def bad_query(keys):
    return st.dictionaries(
        st.sampled_from(keys),
        st.one_of(nasty_text, st.lists(nasty_text, min_size=2, max_size=3)),
        min_size=1,
        max_size=4,
    )


@examples(12)
@given(data=st.data())
def test_bad_query_strings_never_give_a_server_error(world, data):
    """The query keys each view reads, and every admin list's filters, search and order."""
    for url, keys in query_pages():
        query = data.draw(bad_query(keys), label=url)
        staff_only = "/admin/" in url
        persona = data.draw(
            st.sampled_from(["staff_a", "city"] if staff_only else PERSONAS), label="persona"
        )
        path = f"{url}?{urlencode(query, doseq=True)}"
        client = client_as(world, persona)
        with rolled_back():
            response = client.get(path)
            if not staff_only:
                assert_no_server_error(response, f"GET {path} as {persona}")
                response = client.post(path, query)
        assert_no_server_error(response, f"{path} as {persona}")


def test_the_audit_log_filtered_by_an_actor_that_is_no_id_is_an_incorrect_lookup(
    client, city_staff, district_staff
):
    audit.record(city_staff, "user.changed", district_staff)  # the filter shows with an actor
    client.force_login(city_staff)

    response = client.get("/en/admin/accounts/auditlog/", {"actor": "abc"})

    assert response.status_code == 302
    assert response.url.endswith("?e=1")
