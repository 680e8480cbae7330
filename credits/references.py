"""What a transfer's reference (`order:42`, `redemption:7`) is about, in words and a link.

The ledger knows nothing of orders or goods (DESIGN §3): the app that owns a
kind of reference registers, in its `AppConfig.ready`, one function that
names a batch of its ids for the person reading their passbook.
"""

from dataclasses import dataclass

_namers = {}


@dataclass(frozen=True)
class About:
    label: str
    url: str = ""
    place: str = ""  # where a service happened (district and street), for certificates


def register(prefix, namer):
    """`namer(ids)` returns {id: About} for the ids it knows."""
    _namers[prefix] = namer


def name_references(references):
    """{reference: About} for every reference a registered app can name: one query per app."""
    ids = {}
    for reference in references:
        prefix, _sep, pk = (reference or "").partition(":")
        if prefix in _namers and pk.isdigit():
            ids.setdefault(prefix, set()).add(int(pk))
    named = {}
    for prefix, pks in ids.items():
        for pk, about in _namers[prefix](pks).items():
            named[f"{prefix}:{pk}"] = about
    return named
