# ruff: noqa: E501 - one table row per line, so a change of access is a one-line diff
"""Who gets what at every URL of the site: a checked-in table, so any change
of access shows up as a diff in review.

Every URL pattern comes from the resolver with the ids of elder A's objects
(tests/site_map.py); a URL missing from EXPECTED fails the test. The admin
generates a dozen URLs per model: the table holds its index, the lists of
orders and elders, and the change page of every model that holds personal
data of A or of A's volunteer, opened on A's row (or the volunteer's), so
that a scoping mistake in any of them shows. Cells are the status code, or "login"
for a redirect to the login page. State-changing endpoints are POSTed to
with an empty body, after every GET, in the table's order.
"""

import pytest
from django.conf import settings
from django.shortcuts import resolve_url

from tests.site_map import PERSONAS, POSTED, all_routes, fill

ADMIN_PAGES = {
    "admin:index",
    "admin:orders_order_changelist",
    "admin:orders_order_change",
    "admin:series_series_changelist",
    "admin:series_series_change",
    "admin:notifications_notification_change",
    "admin:accounts_elderprofile_changelist",
    "admin:accounts_elderprofile_change",
    "admin:accounts_eldercategory_change",
    "admin:accounts_proxyauthorisation_change",
    "admin:accounts_relativelink_change",
    "admin:accounts_volunteerprofile_change",
    "admin:accounts_serviceorganisation_change",
    "admin:accounts_user_change",
    "admin:accounts_textmessage_change",
    "admin:accounts_auditlog_change",
    "admin:credits_account_change",
    "admin:credits_transfer_change",
    "admin:credits_servicerecord_change",
    "admin:rewards_redemption_change",
    "admin:rewards_grant_change",
    "admin:rewards_starnotice_change",
    "admin:rewards_certificate_change",
    "admin:rewards_certificateissuer_change",
    "admin:credits_carriedstatement_change",
    "admin:dashboard",
    "admin:report",
}

# One row per URL; columns in the order of PERSONAS.
# fmt: off
EXPECTED = {
    "set_language": {"anonymous": 302, "elder_a": 302, "elder_b": 302, "proxy_a": 302, "proxy_none": 302, "vol_a": 302, "vol_other": 302, "coordinator": 302, "staff_a": 302, "staff_street_a": 302, "staff_street_other": 302, "staff_other": 302, "city": 302},
    "favicon": {"anonymous": 301, "elder_a": 301, "elder_b": 301, "proxy_a": 301, "proxy_none": 301, "vol_a": 301, "vol_other": 301, "coordinator": 301, "staff_a": 301, "staff_street_a": 301, "staff_street_other": 301, "staff_other": 301, "city": 301},
    "statement_key": {"anonymous": 200, "elder_a": 200, "elder_b": 200, "proxy_a": 200, "proxy_none": 200, "vol_a": 200, "vol_other": 200, "coordinator": 200, "staff_a": 200, "staff_street_a": 200, "staff_street_other": 200, "staff_other": 200, "city": 200},
    "home": {"anonymous": 200, "elder_a": 200, "elder_b": 200, "proxy_a": 200, "proxy_none": 200, "vol_a": 200, "vol_other": 200, "coordinator": 200, "staff_a": 200, "staff_street_a": 200, "staff_street_other": 200, "staff_other": 200, "city": 200},
    "landing": {"anonymous": "login", "elder_a": 302, "elder_b": 302, "proxy_a": 302, "proxy_none": 302, "vol_a": 302, "vol_other": 302, "coordinator": 302, "staff_a": 302, "staff_street_a": 302, "staff_street_other": 302, "staff_other": 302, "city": 302},
    "choose_role": {"anonymous": "login", "elder_a": 200, "elder_b": 200, "proxy_a": 200, "proxy_none": 200, "vol_a": 200, "vol_other": 200, "coordinator": 200, "staff_a": 200, "staff_street_a": 200, "staff_street_other": 200, "staff_other": 200, "city": 200},
    "elder_mode": {"anonymous": 405, "elder_a": 405, "elder_b": 405, "proxy_a": 405, "proxy_none": 405, "vol_a": 405, "vol_other": 405, "coordinator": 405, "staff_a": 405, "staff_street_a": 405, "staff_street_other": 405, "staff_other": 405, "city": 405},
    "account_login": {"anonymous": 200, "elder_a": 302, "elder_b": 302, "proxy_a": 302, "proxy_none": 302, "vol_a": 302, "vol_other": 302, "coordinator": 302, "staff_a": 302, "staff_street_a": 302, "staff_street_other": 302, "staff_other": 302, "city": 302},
    "account_logout": {"anonymous": 302, "elder_a": 200, "elder_b": 200, "proxy_a": 200, "proxy_none": 200, "vol_a": 200, "vol_other": 200, "coordinator": 200, "staff_a": 200, "staff_street_a": 200, "staff_street_other": 200, "staff_other": 200, "city": 200},
    "account_inactive": {"anonymous": 200, "elder_a": 200, "elder_b": 200, "proxy_a": 200, "proxy_none": 200, "vol_a": 200, "vol_other": 200, "coordinator": 200, "staff_a": 200, "staff_street_a": 200, "staff_street_other": 200, "staff_other": 200, "city": 200},
    "account_signup": {"anonymous": 200, "elder_a": 302, "elder_b": 302, "proxy_a": 302, "proxy_none": 302, "vol_a": 302, "vol_other": 302, "coordinator": 302, "staff_a": 302, "staff_street_a": 302, "staff_street_other": 302, "staff_other": 302, "city": 302},
    "account_reauthenticate": {"anonymous": "login", "elder_a": 200, "elder_b": 200, "proxy_a": 200, "proxy_none": 200, "vol_a": 200, "vol_other": 200, "coordinator": 200, "staff_a": 200, "staff_street_a": 200, "staff_street_other": 200, "staff_other": 200, "city": 200},
    "account_request_reauthentication_code": {"anonymous": "login", "elder_a": 200, "elder_b": 200, "proxy_a": 200, "proxy_none": 200, "vol_a": 200, "vol_other": 200, "coordinator": 200, "staff_a": 302, "staff_street_a": 302, "staff_street_other": 302, "staff_other": 302, "city": 302},
    "account_confirm_reauthentication_code": {"anonymous": "login", "elder_a": 302, "elder_b": 302, "proxy_a": 302, "proxy_none": 302, "vol_a": 302, "vol_other": 302, "coordinator": 302, "staff_a": 302, "staff_street_a": 302, "staff_street_other": 302, "staff_other": 302, "city": 302},
    "account_email": {"anonymous": "login", "elder_a": 200, "elder_b": 200, "proxy_a": 200, "proxy_none": 200, "vol_a": 200, "vol_other": 200, "coordinator": 200, "staff_a": 200, "staff_street_a": 200, "staff_street_other": 200, "staff_other": 200, "city": 200},
    "account_email_verification_sent": {"anonymous": 200, "elder_a": 200, "elder_b": 200, "proxy_a": 200, "proxy_none": 200, "vol_a": 200, "vol_other": 200, "coordinator": 200, "staff_a": 200, "staff_street_a": 200, "staff_street_other": 200, "staff_other": 200, "city": 200},
    "account_change_password": {"anonymous": "login", "elder_a": 200, "elder_b": 200, "proxy_a": 200, "proxy_none": 200, "vol_a": 200, "vol_other": 200, "coordinator": 200, "staff_a": 200, "staff_street_a": 200, "staff_street_other": 200, "staff_other": 200, "city": 200},
    "account_set_password": {"anonymous": "login", "elder_a": 302, "elder_b": 302, "proxy_a": 302, "proxy_none": 302, "vol_a": 302, "vol_other": 302, "coordinator": 302, "staff_a": 302, "staff_street_a": 302, "staff_street_other": 302, "staff_other": 302, "city": 302},
    "account_reset_password": {"anonymous": 200, "elder_a": 200, "elder_b": 200, "proxy_a": 200, "proxy_none": 200, "vol_a": 200, "vol_other": 200, "coordinator": 200, "staff_a": 200, "staff_street_a": 200, "staff_street_other": 200, "staff_other": 200, "city": 200},
    "account_confirm_login_code": {"anonymous": "login", "elder_a": 302, "elder_b": 302, "proxy_a": 302, "proxy_none": 302, "vol_a": 302, "vol_other": 302, "coordinator": 302, "staff_a": 302, "staff_street_a": 302, "staff_street_other": 302, "staff_other": 302, "city": 302},
    "account_confirm_email": {"anonymous": 200, "elder_a": 200, "elder_b": 200, "proxy_a": 200, "proxy_none": 200, "vol_a": 200, "vol_other": 200, "coordinator": 200, "staff_a": 200, "staff_street_a": 200, "staff_street_other": 200, "staff_other": 200, "city": 200},
    "account_verify_phone": {"anonymous": "login", "elder_a": 302, "elder_b": 302, "proxy_a": 302, "proxy_none": 302, "vol_a": 302, "vol_other": 302, "coordinator": 302, "staff_a": 302, "staff_street_a": 302, "staff_street_other": 302, "staff_other": 302, "city": 302},
    "account_change_phone": {"anonymous": "login", "elder_a": 200, "elder_b": 200, "proxy_a": 200, "proxy_none": 200, "vol_a": 200, "vol_other": 200, "coordinator": 200, "staff_a": 200, "staff_street_a": 200, "staff_street_other": 200, "staff_other": 200, "city": 200},
    "account_reset_password_from_key_done": {"anonymous": 200, "elder_a": 200, "elder_b": 200, "proxy_a": 200, "proxy_none": 200, "vol_a": 200, "vol_other": 200, "coordinator": 200, "staff_a": 200, "staff_street_a": 200, "staff_street_other": 200, "staff_other": 200, "city": 200},
    "account_reset_password_from_key": {"anonymous": 200, "elder_a": 200, "elder_b": 200, "proxy_a": 200, "proxy_none": 200, "vol_a": 200, "vol_other": 200, "coordinator": 200, "staff_a": 200, "staff_street_a": 200, "staff_street_other": 200, "staff_other": 200, "city": 200},
    "account_reset_password_done": {"anonymous": 200, "elder_a": 200, "elder_b": 200, "proxy_a": 200, "proxy_none": 200, "vol_a": 200, "vol_other": 200, "coordinator": 200, "staff_a": 200, "staff_street_a": 200, "staff_street_other": 200, "staff_other": 200, "city": 200},
    "mfa_index": {"anonymous": "login", "elder_a": 200, "elder_b": 200, "proxy_a": 200, "proxy_none": 200, "vol_a": 200, "vol_other": 200, "coordinator": 200, "staff_a": 200, "staff_street_a": 200, "staff_street_other": 200, "staff_other": 200, "city": 200},
    "mfa_authenticate": {"anonymous": "login", "elder_a": 302, "elder_b": 302, "proxy_a": 302, "proxy_none": 302, "vol_a": 302, "vol_other": 302, "coordinator": 302, "staff_a": 302, "staff_street_a": 302, "staff_street_other": 302, "staff_other": 302, "city": 302},
    "mfa_reauthenticate": {"anonymous": "login", "elder_a": 302, "elder_b": 302, "proxy_a": 302, "proxy_none": 302, "vol_a": 302, "vol_other": 302, "coordinator": 302, "staff_a": 200, "staff_street_a": 200, "staff_street_other": 200, "staff_other": 200, "city": 200},
    "mfa_activate_totp": {"anonymous": "login", "elder_a": 302, "elder_b": 302, "proxy_a": 302, "proxy_none": 302, "vol_a": 302, "vol_other": 302, "coordinator": 302, "staff_a": 302, "staff_street_a": 302, "staff_street_other": 302, "staff_other": 302, "city": 302},
    "mfa_deactivate_totp": {"anonymous": "login", "elder_a": 404, "elder_b": 404, "proxy_a": 404, "proxy_none": 404, "vol_a": 404, "vol_other": 404, "coordinator": 404, "staff_a": 302, "staff_street_a": 302, "staff_street_other": 302, "staff_other": 302, "city": 302},
    "mfa_view_recovery_codes": {"anonymous": "login", "elder_a": 404, "elder_b": 404, "proxy_a": 404, "proxy_none": 404, "vol_a": 404, "vol_other": 404, "coordinator": 404, "staff_a": 302, "staff_street_a": 302, "staff_street_other": 302, "staff_other": 302, "city": 302},
    "mfa_generate_recovery_codes": {"anonymous": "login", "elder_a": 302, "elder_b": 302, "proxy_a": 302, "proxy_none": 302, "vol_a": 302, "vol_other": 302, "coordinator": 302, "staff_a": 302, "staff_street_a": 302, "staff_street_other": 302, "staff_other": 302, "city": 302},
    "mfa_download_recovery_codes": {"anonymous": "login", "elder_a": 404, "elder_b": 404, "proxy_a": 404, "proxy_none": 404, "vol_a": 404, "vol_other": 404, "coordinator": 404, "staff_a": 302, "staff_street_a": 302, "staff_street_other": 302, "staff_other": 302, "city": 302},
    "orders:start": {"anonymous": "login", "elder_a": 302, "elder_b": 302, "proxy_a": 302, "proxy_none": 200, "vol_a": 200, "vol_other": 200, "coordinator": 200, "staff_a": 200, "staff_street_a": 200, "staff_street_other": 200, "staff_other": 200, "city": 200},
    "orders:elder_home": {"anonymous": "login", "elder_a": 200, "elder_b": 404, "proxy_a": 200, "proxy_none": 404, "vol_a": 404, "vol_other": 404, "coordinator": 404, "staff_a": 404, "staff_street_a": 404, "staff_street_other": 404, "staff_other": 404, "city": 404},
    "orders:new": {"anonymous": "login", "elder_a": 200, "elder_b": 404, "proxy_a": 200, "proxy_none": 404, "vol_a": 404, "vol_other": 404, "coordinator": 404, "staff_a": 404, "staff_street_a": 404, "staff_street_other": 404, "staff_other": 404, "city": 404},
    "orders:mine": {"anonymous": "login", "elder_a": 200, "elder_b": 200, "proxy_a": 200, "proxy_none": 200, "vol_a": 200, "vol_other": 200, "coordinator": 200, "staff_a": 200, "staff_street_a": 200, "staff_street_other": 200, "staff_other": 200, "city": 200},
    "orders:market": {"anonymous": "login", "elder_a": 200, "elder_b": 200, "proxy_a": 200, "proxy_none": 200, "vol_a": 200, "vol_other": 200, "coordinator": 200, "staff_a": 200, "staff_street_a": 200, "staff_street_other": 200, "staff_other": 200, "city": 200},
    "orders:claims": {"anonymous": "login", "elder_a": 200, "elder_b": 200, "proxy_a": 200, "proxy_none": 200, "vol_a": 200, "vol_other": 200, "coordinator": 200, "staff_a": 200, "staff_street_a": 200, "staff_street_other": 200, "staff_other": 200, "city": 200},
    "orders:organisation": {"anonymous": "login", "elder_a": 404, "elder_b": 404, "proxy_a": 404, "proxy_none": 404, "vol_a": 404, "vol_other": 404, "coordinator": 200, "staff_a": 404, "staff_street_a": 404, "staff_street_other": 404, "staff_other": 404, "city": 404},
    "notifications:list": {"anonymous": "login", "elder_a": 200, "elder_b": 200, "proxy_a": 200, "proxy_none": 200, "vol_a": 200, "vol_other": 200, "coordinator": 200, "staff_a": 200, "staff_street_a": 200, "staff_street_other": 200, "staff_other": 200, "city": 200},
    "notifications:read": {"anonymous": 405, "elder_a": 405, "elder_b": 405, "proxy_a": 405, "proxy_none": 405, "vol_a": 405, "vol_other": 405, "coordinator": 405, "staff_a": 405, "staff_street_a": 405, "staff_street_other": 405, "staff_other": 405, "city": 405},
    "orders:detail": {"anonymous": "login", "elder_a": 200, "elder_b": 404, "proxy_a": 200, "proxy_none": 404, "vol_a": 200, "vol_other": 302, "coordinator": 404, "staff_a": 200, "staff_street_a": 200, "staff_street_other": 404, "staff_other": 404, "city": 200},
    "orders:again": {"anonymous": "login", "elder_a": 200, "elder_b": 404, "proxy_a": 200, "proxy_none": 404, "vol_a": 404, "vol_other": 404, "coordinator": 404, "staff_a": 404, "staff_street_a": 404, "staff_street_other": 404, "staff_other": 404, "city": 404},
    "orders:claim": {"anonymous": 405, "elder_a": 405, "elder_b": 405, "proxy_a": 405, "proxy_none": 405, "vol_a": 405, "vol_other": 405, "coordinator": 405, "staff_a": 405, "staff_street_a": 405, "staff_street_other": 405, "staff_other": 405, "city": 405},
    "orders:release": {"anonymous": 405, "elder_a": 405, "elder_b": 405, "proxy_a": 405, "proxy_none": 405, "vol_a": 405, "vol_other": 405, "coordinator": 405, "staff_a": 405, "staff_street_a": 405, "staff_street_other": 405, "staff_other": 405, "city": 405},
    "orders:check_in": {"anonymous": 405, "elder_a": 405, "elder_b": 405, "proxy_a": 405, "proxy_none": 405, "vol_a": 405, "vol_other": 405, "coordinator": 405, "staff_a": 405, "staff_street_a": 405, "staff_street_other": 405, "staff_other": 405, "city": 405},
    "orders:check_out": {"anonymous": 405, "elder_a": 405, "elder_b": 405, "proxy_a": 405, "proxy_none": 405, "vol_a": 405, "vol_other": 405, "coordinator": 405, "staff_a": 405, "staff_street_a": 405, "staff_street_other": 405, "staff_other": 405, "city": 405},
    "orders:card_code": {"anonymous": 405, "elder_a": 405, "elder_b": 405, "proxy_a": 405, "proxy_none": 405, "vol_a": 405, "vol_other": 405, "coordinator": 405, "staff_a": 405, "staff_street_a": 405, "staff_street_other": 405, "staff_other": 405, "city": 405},
    "orders:confirm": {"anonymous": 405, "elder_a": 405, "elder_b": 405, "proxy_a": 405, "proxy_none": 405, "vol_a": 405, "vol_other": 405, "coordinator": 405, "staff_a": 405, "staff_street_a": 405, "staff_street_other": 405, "staff_other": 405, "city": 405},
    "orders:dispute": {"anonymous": 405, "elder_a": 405, "elder_b": 405, "proxy_a": 405, "proxy_none": 405, "vol_a": 405, "vol_other": 405, "coordinator": 405, "staff_a": 405, "staff_street_a": 405, "staff_street_other": 405, "staff_other": 405, "city": 405},
    "orders:rate": {"anonymous": 405, "elder_a": 405, "elder_b": 405, "proxy_a": 405, "proxy_none": 405, "vol_a": 405, "vol_other": 405, "coordinator": 405, "staff_a": 405, "staff_street_a": 405, "staff_street_other": 405, "staff_other": 405, "city": 405},
    "orders:cancel": {"anonymous": 405, "elder_a": 405, "elder_b": 405, "proxy_a": 405, "proxy_none": 405, "vol_a": 405, "vol_other": 405, "coordinator": 405, "staff_a": 405, "staff_street_a": 405, "staff_street_other": 405, "staff_other": 405, "city": 405},
    "orders:not_again": {"anonymous": 405, "elder_a": 405, "elder_b": 405, "proxy_a": 405, "proxy_none": 405, "vol_a": 405, "vol_other": 405, "coordinator": 405, "staff_a": 405, "staff_street_a": 405, "staff_street_other": 405, "staff_other": 405, "city": 405},
    "orders:welcome_again": {"anonymous": 405, "elder_a": 405, "elder_b": 405, "proxy_a": 405, "proxy_none": 405, "vol_a": 405, "vol_other": 405, "coordinator": 405, "staff_a": 405, "staff_street_a": 405, "staff_street_other": 405, "staff_other": 405, "city": 405},
    "orders:pass": {"anonymous": 405, "elder_a": 405, "elder_b": 405, "proxy_a": 405, "proxy_none": 405, "vol_a": 405, "vol_other": 405, "coordinator": 405, "staff_a": 405, "staff_street_a": 405, "staff_street_other": 405, "staff_other": 405, "city": 405},
    "series:elder": {"anonymous": "login", "elder_a": 200, "elder_b": 404, "proxy_a": 200, "proxy_none": 404, "vol_a": 404, "vol_other": 404, "coordinator": 404, "staff_a": 404, "staff_street_a": 404, "staff_street_other": 404, "staff_other": 404, "city": 404},
    "series:new": {"anonymous": "login", "elder_a": 200, "elder_b": 404, "proxy_a": 200, "proxy_none": 404, "vol_a": 404, "vol_other": 404, "coordinator": 404, "staff_a": 404, "staff_street_a": 404, "staff_street_other": 404, "staff_other": 404, "city": 404},
    "series:detail": {"anonymous": "login", "elder_a": 200, "elder_b": 200, "proxy_a": 200, "proxy_none": 200, "vol_a": 200, "vol_other": 200, "coordinator": 200, "staff_a": 200, "staff_street_a": 200, "staff_street_other": 404, "staff_other": 404, "city": 200},
    "series:skip": {"anonymous": 405, "elder_a": 405, "elder_b": 405, "proxy_a": 405, "proxy_none": 405, "vol_a": 405, "vol_other": 405, "coordinator": 405, "staff_a": 405, "staff_street_a": 405, "staff_street_other": 405, "staff_other": 405, "city": 405},
    "series:pause": {"anonymous": 405, "elder_a": 405, "elder_b": 405, "proxy_a": 405, "proxy_none": 405, "vol_a": 405, "vol_other": 405, "coordinator": 405, "staff_a": 405, "staff_street_a": 405, "staff_street_other": 405, "staff_other": 405, "city": 405},
    "series:resume": {"anonymous": 405, "elder_a": 405, "elder_b": 405, "proxy_a": 405, "proxy_none": 405, "vol_a": 405, "vol_other": 405, "coordinator": 405, "staff_a": 405, "staff_street_a": 405, "staff_street_other": 405, "staff_other": 405, "city": 405},
    "series:end": {"anonymous": 405, "elder_a": 405, "elder_b": 405, "proxy_a": 405, "proxy_none": 405, "vol_a": 405, "vol_other": 405, "coordinator": 405, "staff_a": 405, "staff_street_a": 405, "staff_street_other": 405, "staff_other": 405, "city": 405},
    "series:take": {"anonymous": 405, "elder_a": 405, "elder_b": 405, "proxy_a": 405, "proxy_none": 405, "vol_a": 405, "vol_other": 405, "coordinator": 405, "staff_a": 405, "staff_street_a": 405, "staff_street_other": 405, "staff_other": 405, "city": 405},
    "series:change": {"anonymous": "login", "elder_a": 200, "elder_b": 404, "proxy_a": 200, "proxy_none": 404, "vol_a": 404, "vol_other": 404, "coordinator": 404, "staff_a": 200, "staff_street_a": 200, "staff_street_other": 404, "staff_other": 404, "city": 200},
    "people:me": {"anonymous": "login", "elder_a": 200, "elder_b": 200, "proxy_a": 200, "proxy_none": 200, "vol_a": 200, "vol_other": 200, "coordinator": 200, "staff_a": 200, "staff_street_a": 200, "staff_street_other": 200, "staff_other": 200, "city": 200},
    "people:start": {"anonymous": "login", "elder_a": 200, "elder_b": 200, "proxy_a": 200, "proxy_none": 200, "vol_a": 200, "vol_other": 200, "coordinator": 200, "staff_a": 200, "staff_street_a": 200, "staff_street_other": 200, "staff_other": 200, "city": 200},
    "people:volunteer": {"anonymous": "login", "elder_a": 200, "elder_b": 200, "proxy_a": 200, "proxy_none": 200, "vol_a": 200, "vol_other": 200, "coordinator": 200, "staff_a": 200, "staff_street_a": 200, "staff_street_other": 200, "staff_other": 200, "city": 200},
    "people:availability": {"anonymous": "login", "elder_a": 302, "elder_b": 302, "proxy_a": 302, "proxy_none": 302, "vol_a": 200, "vol_other": 200, "coordinator": 302, "staff_a": 302, "staff_street_a": 302, "staff_street_other": 302, "staff_other": 302, "city": 302},
    "people:elder_self": {"anonymous": "login", "elder_a": 200, "elder_b": 200, "proxy_a": 200, "proxy_none": 200, "vol_a": 200, "vol_other": 200, "coordinator": 200, "staff_a": 200, "staff_street_a": 200, "staff_street_other": 200, "staff_other": 200, "city": 200},
    "people:register_elder": {"anonymous": "login", "elder_a": 200, "elder_b": 200, "proxy_a": 200, "proxy_none": 200, "vol_a": 200, "vol_other": 200, "coordinator": 200, "staff_a": 200, "staff_street_a": 200, "staff_street_other": 200, "staff_other": 200, "city": 200},
    "people:elder": {"anonymous": "login", "elder_a": 200, "elder_b": 404, "proxy_a": 200, "proxy_none": 404, "vol_a": 404, "vol_other": 404, "coordinator": 404, "staff_a": 200, "staff_street_a": 200, "staff_street_other": 404, "staff_other": 404, "city": 200},
    "people:card": {"anonymous": "login", "elder_a": 200, "elder_b": 404, "proxy_a": 200, "proxy_none": 404, "vol_a": 404, "vol_other": 404, "coordinator": 404, "staff_a": 200, "staff_street_a": 200, "staff_street_other": 404, "staff_other": 404, "city": 200},
    "people:category_new": {"anonymous": "login", "elder_a": 200, "elder_b": 404, "proxy_a": 200, "proxy_none": 404, "vol_a": 404, "vol_other": 404, "coordinator": 404, "staff_a": 404, "staff_street_a": 404, "staff_street_other": 404, "staff_other": 404, "city": 404},
    "people:act_for": {"anonymous": 405, "elder_a": 405, "elder_b": 405, "proxy_a": 405, "proxy_none": 405, "vol_a": 405, "vol_other": 405, "coordinator": 405, "staff_a": 405, "staff_street_a": 405, "staff_street_other": 405, "staff_other": 405, "city": 405},
    "people:proxy_request": {"anonymous": "login", "elder_a": 200, "elder_b": 200, "proxy_a": 200, "proxy_none": 200, "vol_a": 200, "vol_other": 200, "coordinator": 200, "staff_a": 200, "staff_street_a": 200, "staff_street_other": 200, "staff_other": 200, "city": 200},
    "people:proxy_confirm": {"anonymous": 405, "elder_a": 405, "elder_b": 405, "proxy_a": 405, "proxy_none": 405, "vol_a": 405, "vol_other": 405, "coordinator": 405, "staff_a": 405, "staff_street_a": 405, "staff_street_other": 405, "staff_other": 405, "city": 405},
    "people:proxy_revoke": {"anonymous": 405, "elder_a": 405, "elder_b": 405, "proxy_a": 405, "proxy_none": 405, "vol_a": 405, "vol_other": 405, "coordinator": 405, "staff_a": 405, "staff_street_a": 405, "staff_street_other": 405, "staff_other": 405, "city": 405},
    "people:qualification_new": {"anonymous": "login", "elder_a": 200, "elder_b": 200, "proxy_a": 200, "proxy_none": 200, "vol_a": 200, "vol_other": 200, "coordinator": 200, "staff_a": 200, "staff_street_a": 200, "staff_street_other": 200, "staff_other": 200, "city": 200},
    "people:organisation_new": {"anonymous": "login", "elder_a": 200, "elder_b": 200, "proxy_a": 200, "proxy_none": 200, "vol_a": 200, "vol_other": 200, "coordinator": 200, "staff_a": 200, "staff_street_a": 200, "staff_street_other": 200, "staff_other": 200, "city": 200},
    "people:relative_new": {"anonymous": "login", "elder_a": 200, "elder_b": 200, "proxy_a": 200, "proxy_none": 200, "vol_a": 200, "vol_other": 200, "coordinator": 200, "staff_a": 200, "staff_street_a": 200, "staff_street_other": 200, "staff_other": 200, "city": 200},
    "people:evidence": {"anonymous": "login", "elder_a": 200, "elder_b": 404, "proxy_a": 200, "proxy_none": 404, "vol_a": 404, "vol_other": 404, "coordinator": 404, "staff_a": 200, "staff_street_a": 200, "staff_street_other": 404, "staff_other": 404, "city": 200},
    "people:my_data": {"anonymous": "login", "elder_a": 200, "elder_b": 200, "proxy_a": 200, "proxy_none": 200, "vol_a": 200, "vol_other": 200, "coordinator": 200, "staff_a": 200, "staff_street_a": 200, "staff_street_other": 200, "staff_other": 200, "city": 200},
    "credits:mine": {"anonymous": "login", "elder_a": 200, "elder_b": 200, "proxy_a": 200, "proxy_none": 200, "vol_a": 200, "vol_other": 200, "coordinator": 200, "staff_a": 200, "staff_street_a": 200, "staff_street_other": 200, "staff_other": 200, "city": 200},
    "credits:statement": {"anonymous": "login", "elder_a": 200, "elder_b": 200, "proxy_a": 200, "proxy_none": 200, "vol_a": 200, "vol_other": 200, "coordinator": 200, "staff_a": 200, "staff_street_a": 200, "staff_street_other": 200, "staff_other": 200, "city": 200},
    "credits:hours_statement": {"anonymous": "login", "elder_a": 404, "elder_b": 404, "proxy_a": 404, "proxy_none": 404, "vol_a": 200, "vol_other": 200, "coordinator": 404, "staff_a": 404, "staff_street_a": 404, "staff_street_other": 404, "staff_other": 404, "city": 404},
    "credits:carry_in": {"anonymous": "login", "elder_a": 200, "elder_b": 200, "proxy_a": 200, "proxy_none": 200, "vol_a": 200, "vol_other": 200, "coordinator": 200, "staff_a": 200, "staff_street_a": 200, "staff_street_other": 200, "staff_other": 200, "city": 200},
    "admin:index": {"anonymous": "login", "elder_a": "login", "elder_b": "login", "proxy_a": "login", "proxy_none": "login", "vol_a": "login", "vol_other": "login", "coordinator": "login", "staff_a": 200, "staff_street_a": 200, "staff_street_other": 200, "staff_other": 200, "city": 200},
    "admin:accounts_user_change": {"anonymous": "login", "elder_a": "login", "elder_b": "login", "proxy_a": "login", "proxy_none": "login", "vol_a": "login", "vol_other": "login", "coordinator": "login", "staff_a": 200, "staff_street_a": 200, "staff_street_other": 302, "staff_other": 302, "city": 200},
    "admin:accounts_textmessage_change": {"anonymous": "login", "elder_a": "login", "elder_b": "login", "proxy_a": "login", "proxy_none": "login", "vol_a": "login", "vol_other": "login", "coordinator": "login", "staff_a": 403, "staff_street_a": 403, "staff_street_other": 403, "staff_other": 403, "city": 200},
    "admin:accounts_elderprofile_changelist": {"anonymous": "login", "elder_a": "login", "elder_b": "login", "proxy_a": "login", "proxy_none": "login", "vol_a": "login", "vol_other": "login", "coordinator": "login", "staff_a": 200, "staff_street_a": 200, "staff_street_other": 200, "staff_other": 200, "city": 200},
    "admin:accounts_elderprofile_change": {"anonymous": "login", "elder_a": "login", "elder_b": "login", "proxy_a": "login", "proxy_none": "login", "vol_a": "login", "vol_other": "login", "coordinator": "login", "staff_a": 200, "staff_street_a": 200, "staff_street_other": 302, "staff_other": 302, "city": 200},
    "admin:accounts_eldercategory_change": {"anonymous": "login", "elder_a": "login", "elder_b": "login", "proxy_a": "login", "proxy_none": "login", "vol_a": "login", "vol_other": "login", "coordinator": "login", "staff_a": 200, "staff_street_a": 200, "staff_street_other": 302, "staff_other": 302, "city": 200},
    "admin:accounts_volunteerprofile_change": {"anonymous": "login", "elder_a": "login", "elder_b": "login", "proxy_a": "login", "proxy_none": "login", "vol_a": "login", "vol_other": "login", "coordinator": "login", "staff_a": 200, "staff_street_a": 200, "staff_street_other": 302, "staff_other": 302, "city": 200},
    "admin:accounts_serviceorganisation_change": {"anonymous": "login", "elder_a": "login", "elder_b": "login", "proxy_a": "login", "proxy_none": "login", "vol_a": "login", "vol_other": "login", "coordinator": "login", "staff_a": 200, "staff_street_a": 200, "staff_street_other": 302, "staff_other": 302, "city": 200},
    "admin:accounts_proxyauthorisation_change": {"anonymous": "login", "elder_a": "login", "elder_b": "login", "proxy_a": "login", "proxy_none": "login", "vol_a": "login", "vol_other": "login", "coordinator": "login", "staff_a": 200, "staff_street_a": 200, "staff_street_other": 302, "staff_other": 302, "city": 200},
    "admin:accounts_relativelink_change": {"anonymous": "login", "elder_a": "login", "elder_b": "login", "proxy_a": "login", "proxy_none": "login", "vol_a": "login", "vol_other": "login", "coordinator": "login", "staff_a": 200, "staff_street_a": 200, "staff_street_other": 302, "staff_other": 302, "city": 200},
    "admin:accounts_auditlog_change": {"anonymous": "login", "elder_a": "login", "elder_b": "login", "proxy_a": "login", "proxy_none": "login", "vol_a": "login", "vol_other": "login", "coordinator": "login", "staff_a": 200, "staff_street_a": 200, "staff_street_other": 200, "staff_other": 302, "city": 200},
    "admin:credits_account_change": {"anonymous": "login", "elder_a": "login", "elder_b": "login", "proxy_a": "login", "proxy_none": "login", "vol_a": "login", "vol_other": "login", "coordinator": "login", "staff_a": 200, "staff_street_a": 200, "staff_street_other": 302, "staff_other": 302, "city": 200},
    "admin:credits_transfer_change": {"anonymous": "login", "elder_a": "login", "elder_b": "login", "proxy_a": "login", "proxy_none": "login", "vol_a": "login", "vol_other": "login", "coordinator": "login", "staff_a": 200, "staff_street_a": 200, "staff_street_other": 302, "staff_other": 302, "city": 200},
    "admin:credits_servicerecord_change": {"anonymous": "login", "elder_a": "login", "elder_b": "login", "proxy_a": "login", "proxy_none": "login", "vol_a": "login", "vol_other": "login", "coordinator": "login", "staff_a": 200, "staff_street_a": 200, "staff_street_other": 302, "staff_other": 302, "city": 200},
    "admin:credits_carriedstatement_change": {"anonymous": "login", "elder_a": "login", "elder_b": "login", "proxy_a": "login", "proxy_none": "login", "vol_a": "login", "vol_other": "login", "coordinator": "login", "staff_a": 200, "staff_street_a": 200, "staff_street_other": 302, "staff_other": 302, "city": 200},
    "admin:orders_order_changelist": {"anonymous": "login", "elder_a": "login", "elder_b": "login", "proxy_a": "login", "proxy_none": "login", "vol_a": "login", "vol_other": "login", "coordinator": "login", "staff_a": 200, "staff_street_a": 200, "staff_street_other": 200, "staff_other": 200, "city": 200},
    "admin:orders_order_change": {"anonymous": "login", "elder_a": "login", "elder_b": "login", "proxy_a": "login", "proxy_none": "login", "vol_a": "login", "vol_other": "login", "coordinator": "login", "staff_a": 200, "staff_street_a": 200, "staff_street_other": 302, "staff_other": 302, "city": 200},
    "admin:series_series_changelist": {"anonymous": "login", "elder_a": "login", "elder_b": "login", "proxy_a": "login", "proxy_none": "login", "vol_a": "login", "vol_other": "login", "coordinator": "login", "staff_a": 200, "staff_street_a": 200, "staff_street_other": 200, "staff_other": 200, "city": 200},
    "admin:series_series_change": {"anonymous": "login", "elder_a": "login", "elder_b": "login", "proxy_a": "login", "proxy_none": "login", "vol_a": "login", "vol_other": "login", "coordinator": "login", "staff_a": 200, "staff_street_a": 200, "staff_street_other": 302, "staff_other": 302, "city": 200},
    "admin:notifications_notification_change": {"anonymous": "login", "elder_a": "login", "elder_b": "login", "proxy_a": "login", "proxy_none": "login", "vol_a": "login", "vol_other": "login", "coordinator": "login", "staff_a": 200, "staff_street_a": 200, "staff_street_other": 302, "staff_other": 302, "city": 200},
    "admin:rewards_redemption_change": {"anonymous": "login", "elder_a": "login", "elder_b": "login", "proxy_a": "login", "proxy_none": "login", "vol_a": "login", "vol_other": "login", "coordinator": "login", "staff_a": 200, "staff_street_a": 200, "staff_street_other": 302, "staff_other": 302, "city": 200},
    "admin:rewards_grant_change": {"anonymous": "login", "elder_a": "login", "elder_b": "login", "proxy_a": "login", "proxy_none": "login", "vol_a": "login", "vol_other": "login", "coordinator": "login", "staff_a": 200, "staff_street_a": 200, "staff_street_other": 302, "staff_other": 302, "city": 200},
    "admin:rewards_starnotice_change": {"anonymous": "login", "elder_a": "login", "elder_b": "login", "proxy_a": "login", "proxy_none": "login", "vol_a": "login", "vol_other": "login", "coordinator": "login", "staff_a": 200, "staff_street_a": 200, "staff_street_other": 200, "staff_other": 302, "city": 200},
    "admin:rewards_certificate_change": {"anonymous": "login", "elder_a": "login", "elder_b": "login", "proxy_a": "login", "proxy_none": "login", "vol_a": "login", "vol_other": "login", "coordinator": "login", "staff_a": 200, "staff_street_a": 200, "staff_street_other": 200, "staff_other": 302, "city": 200},
    "admin:rewards_certificateissuer_change": {"anonymous": "login", "elder_a": "login", "elder_b": "login", "proxy_a": "login", "proxy_none": "login", "vol_a": "login", "vol_other": "login", "coordinator": "login", "staff_a": 200, "staff_street_a": 200, "staff_street_other": 200, "staff_other": 302, "city": 200},
    "POST orders:new": {"anonymous": "login", "elder_a": 200, "elder_b": 404, "proxy_a": 200, "proxy_none": 404, "vol_a": 404, "vol_other": 404, "coordinator": 404, "staff_a": 404, "staff_street_a": 404, "staff_street_other": 404, "staff_other": 404, "city": 404},
    "POST notifications:read": {"anonymous": "login", "elder_a": 302, "elder_b": 302, "proxy_a": 302, "proxy_none": 302, "vol_a": 302, "vol_other": 302, "coordinator": 302, "staff_a": 302, "staff_street_a": 302, "staff_street_other": 302, "staff_other": 302, "city": 302},
    "POST orders:claim": {"anonymous": "login", "elder_a": 302, "elder_b": 404, "proxy_a": 302, "proxy_none": 404, "vol_a": 302, "vol_other": 302, "coordinator": 404, "staff_a": 302, "staff_street_a": 302, "staff_street_other": 404, "staff_other": 404, "city": 302},
    "POST orders:release": {"anonymous": "login", "elder_a": 302, "elder_b": 404, "proxy_a": 302, "proxy_none": 404, "vol_a": 302, "vol_other": 302, "coordinator": 404, "staff_a": 302, "staff_street_a": 302, "staff_street_other": 404, "staff_other": 404, "city": 302},
    "POST orders:check_in": {"anonymous": "login", "elder_a": 302, "elder_b": 404, "proxy_a": 302, "proxy_none": 404, "vol_a": 302, "vol_other": 302, "coordinator": 404, "staff_a": 302, "staff_street_a": 302, "staff_street_other": 404, "staff_other": 404, "city": 302},
    "POST orders:check_out": {"anonymous": "login", "elder_a": 302, "elder_b": 404, "proxy_a": 302, "proxy_none": 404, "vol_a": 302, "vol_other": 302, "coordinator": 404, "staff_a": 302, "staff_street_a": 302, "staff_street_other": 404, "staff_other": 404, "city": 302},
    "POST orders:card_code": {"anonymous": "login", "elder_a": 302, "elder_b": 404, "proxy_a": 302, "proxy_none": 404, "vol_a": 302, "vol_other": 302, "coordinator": 404, "staff_a": 302, "staff_street_a": 302, "staff_street_other": 404, "staff_other": 404, "city": 302},
    "POST orders:confirm": {"anonymous": "login", "elder_a": 302, "elder_b": 404, "proxy_a": 302, "proxy_none": 404, "vol_a": 302, "vol_other": 302, "coordinator": 404, "staff_a": 302, "staff_street_a": 302, "staff_street_other": 404, "staff_other": 404, "city": 302},
    "POST orders:dispute": {"anonymous": "login", "elder_a": 302, "elder_b": 404, "proxy_a": 302, "proxy_none": 404, "vol_a": 302, "vol_other": 302, "coordinator": 404, "staff_a": 302, "staff_street_a": 302, "staff_street_other": 404, "staff_other": 404, "city": 302},
    "POST orders:rate": {"anonymous": "login", "elder_a": 302, "elder_b": 404, "proxy_a": 302, "proxy_none": 404, "vol_a": 302, "vol_other": 302, "coordinator": 404, "staff_a": 302, "staff_street_a": 302, "staff_street_other": 404, "staff_other": 404, "city": 302},
    "POST orders:cancel": {"anonymous": "login", "elder_a": 302, "elder_b": 404, "proxy_a": 302, "proxy_none": 404, "vol_a": 302, "vol_other": 302, "coordinator": 404, "staff_a": 302, "staff_street_a": 302, "staff_street_other": 404, "staff_other": 404, "city": 302},
    "POST orders:not_again": {"anonymous": "login", "elder_a": 302, "elder_b": 404, "proxy_a": 302, "proxy_none": 404, "vol_a": 404, "vol_other": 404, "coordinator": 404, "staff_a": 404, "staff_street_a": 404, "staff_street_other": 404, "staff_other": 404, "city": 404},
    "POST orders:welcome_again": {"anonymous": "login", "elder_a": 302, "elder_b": 404, "proxy_a": 302, "proxy_none": 404, "vol_a": 404, "vol_other": 404, "coordinator": 404, "staff_a": 404, "staff_street_a": 404, "staff_street_other": 404, "staff_other": 404, "city": 404},
    "POST orders:pass": {"anonymous": "login", "elder_a": 302, "elder_b": 404, "proxy_a": 302, "proxy_none": 404, "vol_a": 302, "vol_other": 302, "coordinator": 404, "staff_a": 302, "staff_street_a": 302, "staff_street_other": 404, "staff_other": 404, "city": 302},
    "POST series:new": {"anonymous": "login", "elder_a": 200, "elder_b": 404, "proxy_a": 404, "proxy_none": 404, "vol_a": 404, "vol_other": 404, "coordinator": 404, "staff_a": 404, "staff_street_a": 404, "staff_street_other": 404, "staff_other": 404, "city": 404},
    "POST series:skip": {"anonymous": "login", "elder_a": 302, "elder_b": 302, "proxy_a": 302, "proxy_none": 302, "vol_a": 302, "vol_other": 302, "coordinator": 302, "staff_a": 302, "staff_street_a": 302, "staff_street_other": 404, "staff_other": 404, "city": 302},
    "POST series:pause": {"anonymous": "login", "elder_a": 302, "elder_b": 302, "proxy_a": 302, "proxy_none": 302, "vol_a": 302, "vol_other": 302, "coordinator": 302, "staff_a": 302, "staff_street_a": 302, "staff_street_other": 404, "staff_other": 404, "city": 302},
    "POST series:resume": {"anonymous": "login", "elder_a": 302, "elder_b": 302, "proxy_a": 302, "proxy_none": 302, "vol_a": 302, "vol_other": 302, "coordinator": 302, "staff_a": 302, "staff_street_a": 302, "staff_street_other": 404, "staff_other": 404, "city": 302},
    "POST series:end": {"anonymous": "login", "elder_a": 302, "elder_b": 302, "proxy_a": 302, "proxy_none": 302, "vol_a": 302, "vol_other": 302, "coordinator": 302, "staff_a": 302, "staff_street_a": 302, "staff_street_other": 404, "staff_other": 404, "city": 302},
    "POST series:take": {"anonymous": "login", "elder_a": 302, "elder_b": 302, "proxy_a": 302, "proxy_none": 302, "vol_a": 302, "vol_other": 302, "coordinator": 302, "staff_a": 302, "staff_street_a": 302, "staff_street_other": 404, "staff_other": 404, "city": 302},
    "POST series:change": {"anonymous": "login", "elder_a": 200, "elder_b": 404, "proxy_a": 404, "proxy_none": 404, "vol_a": 404, "vol_other": 404, "coordinator": 404, "staff_a": 200, "staff_street_a": 200, "staff_street_other": 404, "staff_other": 404, "city": 200},
    "POST people:availability": {"anonymous": "login", "elder_a": 302, "elder_b": 302, "proxy_a": 302, "proxy_none": 302, "vol_a": 200, "vol_other": 200, "coordinator": 302, "staff_a": 302, "staff_street_a": 302, "staff_street_other": 302, "staff_other": 302, "city": 302},
    "POST people:category_new": {"anonymous": "login", "elder_a": 200, "elder_b": 404, "proxy_a": 200, "proxy_none": 404, "vol_a": 404, "vol_other": 404, "coordinator": 404, "staff_a": 404, "staff_street_a": 404, "staff_street_other": 404, "staff_other": 404, "city": 404},
    "POST people:act_for": {"anonymous": "login", "elder_a": 302, "elder_b": 404, "proxy_a": 302, "proxy_none": 404, "vol_a": 404, "vol_other": 404, "coordinator": 404, "staff_a": 404, "staff_street_a": 404, "staff_street_other": 404, "staff_other": 404, "city": 404},
    "POST people:proxy_confirm": {"anonymous": "login", "elder_a": 302, "elder_b": 404, "proxy_a": 404, "proxy_none": 404, "vol_a": 404, "vol_other": 404, "coordinator": 404, "staff_a": 404, "staff_street_a": 404, "staff_street_other": 404, "staff_other": 404, "city": 404},
    "POST people:proxy_revoke": {"anonymous": "login", "elder_a": 302, "elder_b": 404, "proxy_a": 302, "proxy_none": 404, "vol_a": 404, "vol_other": 404, "coordinator": 404, "staff_a": 302, "staff_street_a": 302, "staff_street_other": 404, "staff_other": 404, "city": 302},
    "POST choose_role": {"anonymous": "login", "elder_a": 200, "elder_b": 200, "proxy_a": 200, "proxy_none": 200, "vol_a": 200, "vol_other": 200, "coordinator": 200, "staff_a": 200, "staff_street_a": 200, "staff_street_other": 200, "staff_other": 200, "city": 200},
    "POST elder_mode": {"anonymous": 302, "elder_a": 302, "elder_b": 302, "proxy_a": 302, "proxy_none": 302, "vol_a": 302, "vol_other": 302, "coordinator": 302, "staff_a": 302, "staff_street_a": 302, "staff_street_other": 302, "staff_other": 302, "city": 302},
    "rewards:shelf": {"anonymous": 200, "elder_a": 200, "elder_b": 200, "proxy_a": 200, "proxy_none": 200, "vol_a": 200, "vol_other": 200, "coordinator": 200, "staff_a": 200, "staff_street_a": 200, "staff_street_other": 200, "staff_other": 200, "city": 200},
    "rewards:goods": {"anonymous": 200, "elder_a": 200, "elder_b": 200, "proxy_a": 200, "proxy_none": 200, "vol_a": 200, "vol_other": 200, "coordinator": 200, "staff_a": 200, "staff_street_a": 200, "staff_street_other": 200, "staff_other": 200, "city": 200},
    "rewards:goods_image": {"anonymous": 200, "elder_a": 200, "elder_b": 200, "proxy_a": 200, "proxy_none": 200, "vol_a": 200, "vol_other": 200, "coordinator": 200, "staff_a": 200, "staff_street_a": 200, "staff_street_other": 200, "staff_other": 200, "city": 200},
    "rewards:redemption": {"anonymous": "login", "elder_a": 404, "elder_b": 404, "proxy_a": 404, "proxy_none": 404, "vol_a": 200, "vol_other": 404, "coordinator": 404, "staff_a": 404, "staff_street_a": 404, "staff_street_other": 404, "staff_other": 404, "city": 404},
    "rewards:redemption_cancel": {"anonymous": 405, "elder_a": 405, "elder_b": 405, "proxy_a": 405, "proxy_none": 405, "vol_a": 405, "vol_other": 405, "coordinator": 405, "staff_a": 405, "staff_street_a": 405, "staff_street_other": 405, "staff_other": 405, "city": 405},
    "rewards:pickup": {"anonymous": "login", "elder_a": "login", "elder_b": "login", "proxy_a": "login", "proxy_none": "login", "vol_a": "login", "vol_other": "login", "coordinator": "login", "staff_a": 200, "staff_street_a": 200, "staff_street_other": 200, "staff_other": 200, "city": 200},
    "rewards:mine": {"anonymous": "login", "elder_a": 200, "elder_b": 200, "proxy_a": 200, "proxy_none": 200, "vol_a": 200, "vol_other": 200, "coordinator": 200, "staff_a": 200, "staff_street_a": 200, "staff_street_other": 200, "staff_other": 200, "city": 200},
    "rewards:honour_preference": {"anonymous": 405, "elder_a": 405, "elder_b": 405, "proxy_a": 405, "proxy_none": 405, "vol_a": 405, "vol_other": 405, "coordinator": 405, "staff_a": 405, "staff_street_a": 405, "staff_street_other": 405, "staff_other": 405, "city": 405},
    "rewards:gift": {"anonymous": "login", "elder_a": 200, "elder_b": 200, "proxy_a": 200, "proxy_none": 200, "vol_a": 200, "vol_other": 200, "coordinator": 200, "staff_a": 200, "staff_street_a": 200, "staff_street_other": 200, "staff_other": 200, "city": 200},
    "rewards:donate": {"anonymous": "login", "elder_a": 200, "elder_b": 200, "proxy_a": 200, "proxy_none": 200, "vol_a": 200, "vol_other": 200, "coordinator": 200, "staff_a": 200, "staff_street_a": 200, "staff_street_other": 200, "staff_other": 200, "city": 200},
    "rewards:projects": {"anonymous": 200, "elder_a": 200, "elder_b": 200, "proxy_a": 200, "proxy_none": 200, "vol_a": 200, "vol_other": 200, "coordinator": 200, "staff_a": 200, "staff_street_a": 200, "staff_street_other": 200, "staff_other": 200, "city": 200},
    "rewards:project": {"anonymous": 200, "elder_a": 200, "elder_b": 200, "proxy_a": 200, "proxy_none": 200, "vol_a": 200, "vol_other": 200, "coordinator": 200, "staff_a": 200, "staff_street_a": 200, "staff_street_other": 200, "staff_other": 200, "city": 200},
    "rewards:notices": {"anonymous": 200, "elder_a": 200, "elder_b": 200, "proxy_a": 200, "proxy_none": 200, "vol_a": 200, "vol_other": 200, "coordinator": 200, "staff_a": 200, "staff_street_a": 200, "staff_street_other": 200, "staff_other": 200, "city": 200},
    "rewards:notice": {"anonymous": 200, "elder_a": 200, "elder_b": 200, "proxy_a": 200, "proxy_none": 200, "vol_a": 200, "vol_other": 200, "coordinator": 200, "staff_a": 200, "staff_street_a": 200, "staff_street_other": 200, "staff_other": 200, "city": 200},
    "rewards:honours": {"anonymous": 200, "elder_a": 200, "elder_b": 200, "proxy_a": 200, "proxy_none": 200, "vol_a": 200, "vol_other": 200, "coordinator": 200, "staff_a": 200, "staff_street_a": 200, "staff_street_other": 200, "staff_other": 200, "city": 200},
    "rewards:certificate_new": {"anonymous": "login", "elder_a": 200, "elder_b": 200, "proxy_a": 200, "proxy_none": 200, "vol_a": 200, "vol_other": 200, "coordinator": 200, "staff_a": 200, "staff_street_a": 200, "staff_street_other": 200, "staff_other": 200, "city": 200},
    "rewards:certificate_print": {"anonymous": "login", "elder_a": 404, "elder_b": 404, "proxy_a": 404, "proxy_none": 404, "vol_a": 200, "vol_other": 404, "coordinator": 404, "staff_a": 404, "staff_street_a": 404, "staff_street_other": 404, "staff_other": 404, "city": 404},
    "rewards:certificate": {"anonymous": 200, "elder_a": 200, "elder_b": 200, "proxy_a": 200, "proxy_none": 200, "vol_a": 200, "vol_other": 200, "coordinator": 200, "staff_a": 200, "staff_street_a": 200, "staff_street_other": 200, "staff_other": 200, "city": 200},
    "admin:dashboard": {"anonymous": "login", "elder_a": "login", "elder_b": "login", "proxy_a": "login", "proxy_none": "login", "vol_a": "login", "vol_other": "login", "coordinator": "login", "staff_a": 200, "staff_street_a": 200, "staff_street_other": 200, "staff_other": 200, "city": 200},
    "admin:report": {"anonymous": "login", "elder_a": "login", "elder_b": "login", "proxy_a": "login", "proxy_none": "login", "vol_a": "login", "vol_other": "login", "coordinator": "login", "staff_a": 200, "staff_street_a": 200, "staff_street_other": 200, "staff_other": 200, "city": 200},
    "POST rewards:goods": {"anonymous": "login", "elder_a": 200, "elder_b": 200, "proxy_a": 200, "proxy_none": 200, "vol_a": 200, "vol_other": 200, "coordinator": 200, "staff_a": 200, "staff_street_a": 200, "staff_street_other": 200, "staff_other": 200, "city": 200},
    "POST rewards:redemption_cancel": {"anonymous": "login", "elder_a": 404, "elder_b": 404, "proxy_a": 404, "proxy_none": 404, "vol_a": 302, "vol_other": 404, "coordinator": 404, "staff_a": 404, "staff_street_a": 404, "staff_street_other": 404, "staff_other": 404, "city": 404},
    "POST rewards:honour_preference": {"anonymous": "login", "elder_a": 302, "elder_b": 302, "proxy_a": 302, "proxy_none": 302, "vol_a": 302, "vol_other": 302, "coordinator": 302, "staff_a": 302, "staff_street_a": 302, "staff_street_other": 302, "staff_other": 302, "city": 302},
    "POST rewards:gift": {"anonymous": "login", "elder_a": 200, "elder_b": 200, "proxy_a": 200, "proxy_none": 200, "vol_a": 200, "vol_other": 200, "coordinator": 200, "staff_a": 200, "staff_street_a": 200, "staff_street_other": 200, "staff_other": 200, "city": 200},
    "POST rewards:donate": {"anonymous": "login", "elder_a": 200, "elder_b": 200, "proxy_a": 200, "proxy_none": 200, "vol_a": 200, "vol_other": 200, "coordinator": 200, "staff_a": 200, "staff_street_a": 200, "staff_street_other": 200, "staff_other": 200, "city": 200},
    "POST rewards:notice": {"anonymous": "login", "elder_a": 200, "elder_b": 200, "proxy_a": 200, "proxy_none": 200, "vol_a": 200, "vol_other": 200, "coordinator": 200, "staff_a": 200, "staff_street_a": 200, "staff_street_other": 200, "staff_other": 200, "city": 200},
    "POST rewards:certificate_new": {"anonymous": "login", "elder_a": 200, "elder_b": 200, "proxy_a": 200, "proxy_none": 200, "vol_a": 200, "vol_other": 200, "coordinator": 200, "staff_a": 200, "staff_street_a": 200, "staff_street_other": 200, "staff_other": 200, "city": 200},
    "POST credits:carry_in": {"anonymous": "login", "elder_a": 200, "elder_b": 200, "proxy_a": 200, "proxy_none": 200, "vol_a": 200, "vol_other": 200, "coordinator": 200, "staff_a": 200, "staff_street_a": 200, "staff_street_other": 200, "staff_other": 200, "city": 200},
    # The JSON API (tests/api has its own matrix, with tokens and real bodies): the posts
    # here carry an empty form, which is no JSON body (400).
    "api:openapi-json": {"anonymous": 200, "elder_a": 200, "elder_b": 200, "proxy_a": 200, "proxy_none": 200, "vol_a": 200, "vol_other": 200, "coordinator": 200, "staff_a": 200, "staff_street_a": 200, "staff_street_other": 200, "staff_other": 200, "city": 200},
    "api:openapi-view": {"anonymous": 200, "elder_a": 200, "elder_b": 200, "proxy_a": 200, "proxy_none": 200, "vol_a": 200, "vol_other": 200, "coordinator": 200, "staff_a": 200, "staff_street_a": 200, "staff_street_other": 200, "staff_other": 200, "city": 200},
    "api:token": {"anonymous": 405, "elder_a": 405, "elder_b": 405, "proxy_a": 405, "proxy_none": 405, "vol_a": 405, "vol_other": 405, "coordinator": 405, "staff_a": 405, "staff_street_a": 405, "staff_street_other": 405, "staff_other": 405, "city": 405},
    "api:market": {"anonymous": 401, "elder_a": 200, "elder_b": 200, "proxy_a": 200, "proxy_none": 200, "vol_a": 200, "vol_other": 200, "coordinator": 200, "staff_a": 200, "staff_street_a": 200, "staff_street_other": 200, "staff_other": 200, "city": 200},
    "api:my_orders": {"anonymous": 401, "elder_a": 200, "elder_b": 200, "proxy_a": 200, "proxy_none": 200, "vol_a": 200, "vol_other": 200, "coordinator": 200, "staff_a": 200, "staff_street_a": 200, "staff_street_other": 200, "staff_other": 200, "city": 200},
    "api:claims": {"anonymous": 401, "elder_a": 200, "elder_b": 200, "proxy_a": 200, "proxy_none": 200, "vol_a": 200, "vol_other": 200, "coordinator": 200, "staff_a": 200, "staff_street_a": 200, "staff_street_other": 200, "staff_other": 200, "city": 200},
    "api:order": {"anonymous": 401, "elder_a": 200, "elder_b": 404, "proxy_a": 200, "proxy_none": 404, "vol_a": 200, "vol_other": 409, "coordinator": 404, "staff_a": 200, "staff_street_a": 200, "staff_street_other": 404, "staff_other": 404, "city": 200},
    "api:claim": {"anonymous": 405, "elder_a": 405, "elder_b": 405, "proxy_a": 405, "proxy_none": 405, "vol_a": 405, "vol_other": 405, "coordinator": 405, "staff_a": 405, "staff_street_a": 405, "staff_street_other": 405, "staff_other": 405, "city": 405},
    "api:release": {"anonymous": 405, "elder_a": 405, "elder_b": 405, "proxy_a": 405, "proxy_none": 405, "vol_a": 405, "vol_other": 405, "coordinator": 405, "staff_a": 405, "staff_street_a": 405, "staff_street_other": 405, "staff_other": 405, "city": 405},
    "api:pass": {"anonymous": 405, "elder_a": 405, "elder_b": 405, "proxy_a": 405, "proxy_none": 405, "vol_a": 405, "vol_other": 405, "coordinator": 405, "staff_a": 405, "staff_street_a": 405, "staff_street_other": 405, "staff_other": 405, "city": 405},
    "api:check_in": {"anonymous": 405, "elder_a": 405, "elder_b": 405, "proxy_a": 405, "proxy_none": 405, "vol_a": 405, "vol_other": 405, "coordinator": 405, "staff_a": 405, "staff_street_a": 405, "staff_street_other": 405, "staff_other": 405, "city": 405},
    "api:check_out": {"anonymous": 405, "elder_a": 405, "elder_b": 405, "proxy_a": 405, "proxy_none": 405, "vol_a": 405, "vol_other": 405, "coordinator": 405, "staff_a": 405, "staff_street_a": 405, "staff_street_other": 405, "staff_other": 405, "city": 405},
    "api:card_code": {"anonymous": 405, "elder_a": 405, "elder_b": 405, "proxy_a": 405, "proxy_none": 405, "vol_a": 405, "vol_other": 405, "coordinator": 405, "staff_a": 405, "staff_street_a": 405, "staff_street_other": 405, "staff_other": 405, "city": 405},
    "api:confirm": {"anonymous": 405, "elder_a": 405, "elder_b": 405, "proxy_a": 405, "proxy_none": 405, "vol_a": 405, "vol_other": 405, "coordinator": 405, "staff_a": 405, "staff_street_a": 405, "staff_street_other": 405, "staff_other": 405, "city": 405},
    "api:rate": {"anonymous": 405, "elder_a": 405, "elder_b": 405, "proxy_a": 405, "proxy_none": 405, "vol_a": 405, "vol_other": 405, "coordinator": 405, "staff_a": 405, "staff_street_a": 405, "staff_street_other": 405, "staff_other": 405, "city": 405},
    "api:elders": {"anonymous": 401, "elder_a": 200, "elder_b": 200, "proxy_a": 200, "proxy_none": 200, "vol_a": 200, "vol_other": 200, "coordinator": 200, "staff_a": 200, "staff_street_a": 200, "staff_street_other": 200, "staff_other": 200, "city": 200},
    "api:choices": {"anonymous": 401, "elder_a": 200, "elder_b": 200, "proxy_a": 200, "proxy_none": 200, "vol_a": 200, "vol_other": 200, "coordinator": 200, "staff_a": 200, "staff_street_a": 200, "staff_street_other": 200, "staff_other": 200, "city": 200},
    "api:place_order": {"anonymous": 405, "elder_a": 405, "elder_b": 405, "proxy_a": 405, "proxy_none": 405, "vol_a": 405, "vol_other": 405, "coordinator": 405, "staff_a": 405, "staff_street_a": 405, "staff_street_other": 405, "staff_other": 405, "city": 405},
    "api:credits": {"anonymous": 401, "elder_a": 200, "elder_b": 200, "proxy_a": 200, "proxy_none": 200, "vol_a": 200, "vol_other": 200, "coordinator": 200, "staff_a": 200, "staff_street_a": 200, "staff_street_other": 200, "staff_other": 200, "city": 200},
    "api:passbook": {"anonymous": 401, "elder_a": 200, "elder_b": 200, "proxy_a": 200, "proxy_none": 200, "vol_a": 200, "vol_other": 200, "coordinator": 200, "staff_a": 200, "staff_street_a": 200, "staff_street_other": 200, "staff_other": 200, "city": 200},
    "api:notifications": {"anonymous": 401, "elder_a": 200, "elder_b": 200, "proxy_a": 200, "proxy_none": 200, "vol_a": 200, "vol_other": 200, "coordinator": 200, "staff_a": 200, "staff_street_a": 200, "staff_street_other": 200, "staff_other": 200, "city": 200},
    "api:notifications_read": {"anonymous": 405, "elder_a": 405, "elder_b": 405, "proxy_a": 405, "proxy_none": 405, "vol_a": 405, "vol_other": 405, "coordinator": 405, "staff_a": 405, "staff_street_a": 405, "staff_street_other": 405, "staff_other": 405, "city": 405},
    "api:records": {"anonymous": 401, "elder_a": 401, "elder_b": 401, "proxy_a": 401, "proxy_none": 401, "vol_a": 401, "vol_other": 401, "coordinator": 401, "staff_a": 401, "staff_street_a": 401, "staff_street_other": 401, "staff_other": 401, "city": 401},
    "api:volunteers_import": {"anonymous": 405, "elder_a": 405, "elder_b": 405, "proxy_a": 405, "proxy_none": 405, "vol_a": 405, "vol_other": 405, "coordinator": 405, "staff_a": 405, "staff_street_a": 405, "staff_street_other": 405, "staff_other": 405, "city": 405},
    "api:api-root": {"anonymous": 404, "elder_a": 404, "elder_b": 404, "proxy_a": 404, "proxy_none": 404, "vol_a": 404, "vol_other": 404, "coordinator": 404, "staff_a": 404, "staff_street_a": 404, "staff_street_other": 404, "staff_other": 404, "city": 404},
    "POST api:token": {"anonymous": 400, "elder_a": 400, "elder_b": 400, "proxy_a": 400, "proxy_none": 400, "vol_a": 400, "vol_other": 400, "coordinator": 400, "staff_a": 400, "staff_street_a": 400, "staff_street_other": 400, "staff_other": 400, "city": 400},
    "POST api:claim": {"anonymous": 401, "elder_a": 409, "elder_b": 404, "proxy_a": 409, "proxy_none": 404, "vol_a": 409, "vol_other": 409, "coordinator": 404, "staff_a": 409, "staff_street_a": 409, "staff_street_other": 404, "staff_other": 404, "city": 409},
    "POST api:release": {"anonymous": 401, "elder_a": 403, "elder_b": 404, "proxy_a": 403, "proxy_none": 404, "vol_a": 200, "vol_other": 409, "coordinator": 404, "staff_a": 403, "staff_street_a": 403, "staff_street_other": 404, "staff_other": 404, "city": 403},
    "POST api:pass": {"anonymous": 401, "elder_a": 409, "elder_b": 404, "proxy_a": 409, "proxy_none": 404, "vol_a": 409, "vol_other": 409, "coordinator": 404, "staff_a": 409, "staff_street_a": 409, "staff_street_other": 404, "staff_other": 404, "city": 409},
    "POST api:check_in": {"anonymous": 401, "elder_a": 400, "elder_b": 400, "proxy_a": 400, "proxy_none": 400, "vol_a": 400, "vol_other": 400, "coordinator": 400, "staff_a": 400, "staff_street_a": 400, "staff_street_other": 400, "staff_other": 400, "city": 400},
    "POST api:check_out": {"anonymous": 401, "elder_a": 400, "elder_b": 400, "proxy_a": 400, "proxy_none": 400, "vol_a": 400, "vol_other": 400, "coordinator": 400, "staff_a": 400, "staff_street_a": 400, "staff_street_other": 400, "staff_other": 400, "city": 400},
    "POST api:card_code": {"anonymous": 401, "elder_a": 400, "elder_b": 400, "proxy_a": 400, "proxy_none": 400, "vol_a": 400, "vol_other": 400, "coordinator": 400, "staff_a": 400, "staff_street_a": 400, "staff_street_other": 400, "staff_other": 400, "city": 400},
    "POST api:confirm": {"anonymous": 401, "elder_a": 409, "elder_b": 404, "proxy_a": 409, "proxy_none": 404, "vol_a": 403, "vol_other": 409, "coordinator": 404, "staff_a": 403, "staff_street_a": 403, "staff_street_other": 404, "staff_other": 404, "city": 403},
    "POST api:rate": {"anonymous": 401, "elder_a": 400, "elder_b": 400, "proxy_a": 400, "proxy_none": 400, "vol_a": 400, "vol_other": 400, "coordinator": 400, "staff_a": 400, "staff_street_a": 400, "staff_street_other": 400, "staff_other": 400, "city": 400},
    "POST api:place_order": {"anonymous": 401, "elder_a": 400, "elder_b": 400, "proxy_a": 400, "proxy_none": 400, "vol_a": 400, "vol_other": 400, "coordinator": 400, "staff_a": 400, "staff_street_a": 400, "staff_street_other": 400, "staff_other": 400, "city": 400},
    "POST api:notifications_read": {"anonymous": 401, "elder_a": 200, "elder_b": 200, "proxy_a": 200, "proxy_none": 200, "vol_a": 200, "vol_other": 200, "coordinator": 200, "staff_a": 200, "staff_street_a": 200, "staff_street_other": 200, "staff_other": 200, "city": 200},
    "POST api:volunteers_import": {"anonymous": 401, "elder_a": 401, "elder_b": 401, "proxy_a": 401, "proxy_none": 401, "vol_a": 401, "vol_other": 401, "coordinator": 401, "staff_a": 401, "staff_street_a": 401, "staff_street_other": 401, "staff_other": 401, "city": 401},
}
# fmt: on


def matrix_routes():
    """(key, route) of every non-admin URL and of the chosen admin pages."""
    routes = []
    for name, route in all_routes():
        if "/admin/" in f"/{route}" and name not in ADMIN_PAGES:
            continue
        routes.append((name or route, name, route))
    return routes


def cell(response):
    login = resolve_url(settings.LOGIN_URL)
    if response.status_code == 302 and response.url.split("?")[0].endswith(
        (login, "/admin/login/")
    ):
        return "login"
    return response.status_code


def test_every_url_of_the_site_has_a_row():
    keys = {key for key, _, _ in matrix_routes()}
    assert keys | {f"POST {key}" for key in POSTED} == set(EXPECTED)


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_gets_exactly_the_expected_answer_everywhere(client, world, persona):
    user = world["users"][persona]
    if user is not None:
        client.force_login(user)
    routes = matrix_routes()
    answers = {}
    for key, name, route in routes:
        answers[key] = cell(client.get(fill(name, route, world)))
    for key, name, route in routes:
        if name in POSTED:
            answers[f"POST {key}"] = cell(client.post(fill(name, route, world)))

    assert all(answer != 500 for answer in answers.values())
    assert answers == {key: row[persona] for key, row in EXPECTED.items()}
