"""Every change to people, links and verifications goes through these functions.

Each runs in one transaction, locks the row it decides on, re-checks the
rule on the locked row and raises `PeopleError` with a message safe to show.
Staff decisions are written to the audit log (`accounts.audit.record`).
"""

from accounts.services.decisions import approve_request, reject_request
from accounts.services.elders import (
    record_elder_view,
    register_elder,
    request_category,
    save_elder_profile,
)
from accounts.services.links import (
    ask_to_act_for,
    confirm_proxy_request,
    request_relative_link,
    revoke_proxy,
)
from accounts.services.numbers import remove_stale_account, stale_unverified_accounts, verify_phone
from accounts.services.refusals import PeopleError
from accounts.services.volunteers import (
    add_qualification,
    register_organisation,
    save_volunteer_profile,
    set_availability,
)

__all__ = [
    "PeopleError",
    "add_qualification",
    "approve_request",
    "ask_to_act_for",
    "confirm_proxy_request",
    "record_elder_view",
    "register_elder",
    "register_organisation",
    "reject_request",
    "remove_stale_account",
    "request_category",
    "request_relative_link",
    "revoke_proxy",
    "save_elder_profile",
    "save_volunteer_profile",
    "set_availability",
    "stale_unverified_accounts",
    "verify_phone",
]
