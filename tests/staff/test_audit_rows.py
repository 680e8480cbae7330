"""Every staff decision writes exactly one audit row: who, what, on what, and why.

Each kind of decision is made here the way staff make it (a service the
admin's actions call, or the admin's own forms), and the rows it adds to the
audit log are counted.
"""

from datetime import timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from accounts import services as people
from accounts.models import (
    AuditLog,
    ElderCategory,
    RecipientCategory,
    ScopeLevel,
    VerificationStatus,
)
from api.clients import hash_key
from api.models import ApiClient
from catalogue.models import ServiceType
from credits.carrying import approve_statement, reject_statement
from credits.keys import key_id_of, public_key_text
from credits.models import CarriedStatement
from credits.services import reverse_transfer
from orders import services as orders
from rewards import services as rewards
from rewards.models import CertificateIssuer
from tests.conftest import admin_url, client_of, fund, make_staff
from tests.orders.conftest import START, place


def new_order(world, hours_later):
    return place(
        world["elder_a"],
        ServiceType.objects.get(code="cleaning"),
        starts_at=START + timedelta(hours=hours_later),
    )


def approve_order(world):
    orders.approve_order(new_order(world, 30), by=world["users"]["staff_a"])


def reject_order(world):
    orders.reject_order(new_order(world, 31), by=world["users"]["staff_a"], reason="No one free")


def settle_order(world):
    order, volunteer = world["order"], world["users"]["vol_a"]
    orders.check_in(order, now=START, by=volunteer)
    orders.check_out(order, now=START + timedelta(hours=5), by=volunteer)
    orders.dispute_order(order, by=world["users"]["elder_a"], reason="Was here two hours")
    orders.settle_dispute(order, by=world["users"]["staff_a"], minutes=120, note="Phoned both")


def reverse_a_transfer(world):
    reverse_transfer(
        fund(world["users"]["vol_a"], 5),
        reason="Posted twice",
        by=world["users"]["city"],
    )


def change_policy(world):
    client_of(world["users"]["city"]).post(
        admin_url("credits_policy_add"),
        {
            "spendable_after_hours": 50,
            "self_pay_age": 60,
            "wallet_cap": 1500,
            "star_thresholds": "100,300,600,1000,1500",
            "auto_confirm_hours": 72,
            "daily_hour_limit": 8,
            "over_report_minutes": 30,
            "star_notice_working_days": 5,
            "daily_gift_limit": 3,
            "credential_change_days": 30,
            "series_horizon_days": 14,
            "series_misses_allowed": 2,
            "favourite_window_hours": 12,
        },
    )


def service_form(service, **changes):
    return {
        "code": service.code,
        "kind": service.kind,
        "name_zh": service.name_zh,
        "name_en": service.name_en,
        "default_hours": service.default_hours,
        "position": service.position,
        "is_active": "on",
        **changes,
    }


def change_catalogue(world):
    service = ServiceType.objects.get(code="cleaning")
    client_of(world["users"]["city"]).post(
        admin_url("catalogue_servicetype_change", service.pk),
        service_form(service, name_en="Home cleaning"),
    )


def change_region(world):
    district = world["elder_a"].district
    client_of(world["users"]["city"]).post(
        admin_url("accounts_district_change", district.pk),
        {
            "code": district.code,
            "name_zh": district.name_zh,
            "name_en": "Yuexiu District",
            "streets-TOTAL_FORMS": 0,
            "streets-INITIAL_FORMS": 0,
        },
    )


def change_staff_account(world):
    staff = world["users"]["staff_other"]
    client_of(world["users"]["city"]).post(
        admin_url("accounts_user_change", staff.pk),
        {
            "name": "Haizhu Officer",
            "email": staff.email,
            "is_active": "on",
            "is_staff": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
        },
    )


def change_staff_scope(world):
    scope = world["users"]["staff_street_other"].staff_scope
    client_of(world["users"]["city"]).post(
        admin_url("accounts_staffscope_change", scope.pk),
        {"user": scope.user_id, "level": ScopeLevel.DISTRICT, "district": scope.district_id},
    )


def set_password(world):
    client_of(world["users"]["city"]).post(
        admin_url("auth_user_password_change", world["users"]["staff_other"].pk),
        {"password1": "another-new-password-7", "password2": "another-new-password-7"},
    )


def decide_grant(verdict):
    def decide(world):
        fund(world["users"]["vol_a"], 3)
        rewards.donate_credits(3, key="pool", by=world["users"]["vol_a"])
        second = make_staff("second@example.org", world["elder_a"].district)
        grant = rewards.propose_grant(world["elder_a"], 2, reason="Alone", by=second)
        if verdict == "approved":
            rewards.approve_grant(grant, by=world["users"]["staff_a"])
        else:
            rewards.reject_grant(grant, by=world["users"]["staff_a"], reason="Has family help")

    return decide


def verify(verdict):
    def decide(world):
        category = ElderCategory.objects.create(
            elder=world["elder_a"],
            category=RecipientCategory.DISABLED,
            district=world["elder_a"].district,
            street=world["elder_a"].street,
        )
        if verdict == "verified":
            people.approve_request(category, by=world["users"]["staff_a"])
        else:
            people.reject_request(category, by=world["users"]["staff_a"], reason="No certificate")

    return decide


def decide_carried_hours(verdict):
    def decide(world):
        carried = world["objects"][CarriedStatement]
        if verdict == "approved":
            approve_statement(carried, by=world["users"]["staff_a"])
        else:
            reject_statement(carried, by=world["users"]["staff_a"], reason="Spent there already")

    return decide


def change_issuer(world):
    issuer = world["objects"][CertificateIssuer]
    client_of(world["users"]["staff_a"]).post(
        admin_url("rewards_certificateissuer_change", issuer.pk),
        {
            "district": issuer.district_id,
            "name": issuer.name,
            "person_in_charge": "A new director",
            "handler": issuer.handler,
            "contact": issuer.contact,
        },
    )


def register_platform(world):
    key = Ed25519PrivateKey.generate().public_key()
    client_of(world["users"]["city"]).post(
        admin_url("credits_trustedplatform_add"),
        {
            "name": "Foshan Time Bank",
            "key_id": key_id_of(key),
            "public_key": public_key_text(key),
            "is_active": "on",
            "created_at_0": "2026-12-01",
            "created_at_1": "09:00:00",
        },
    )


API_CLIENT = {
    "name": "City registry",
    "organisation": "Civil Affairs Bureau",
    "purpose": "Service records for the registry",
    "may_read_records": "on",
    "is_active": "on",
}


def register_api_client(world):
    client_of(world["users"]["city"]).post(admin_url("api_apiclient_add"), API_CLIENT)


def an_api_client(world):
    """A client as rows, so that its registration adds no audit row of its own."""
    values = {**API_CLIENT, "may_read_records": True, "is_active": True}
    return ApiClient.objects.create(**values, key_prefix="0" * 12, key_hash=hash_key("tbk_0"))


def pause_api_client(world):
    client = an_api_client(world)
    client_of(world["users"]["city"]).post(
        admin_url("api_apiclient_change", client.pk), {**API_CLIENT, "is_active": ""}
    )


def api_client_action(action, **answers):
    def decide(world):
        client = an_api_client(world)
        client_of(world["users"]["city"]).post(
            admin_url("api_apiclient_changelist"),
            {"action": action, "_selected_action": [client.pk], **answers},
        )

    return decide


DECISIONS = {
    "order.approved": approve_order,
    "order.rejected": reject_order,
    "order.settled": settle_order,
    "transfer.reversed": reverse_a_transfer,
    "policy.added": change_policy,
    "servicetype.changed": change_catalogue,
    "district.changed": change_region,
    "user.changed": change_staff_account,
    "staffscope.changed": change_staff_scope,
    "user.password_changed": set_password,
    "grant.approved": decide_grant("approved"),
    "grant.rejected": decide_grant("rejected"),
    "eldercategory.verified": verify(VerificationStatus.VERIFIED),
    "eldercategory.rejected": verify(VerificationStatus.REJECTED),
    "carriedstatement.approved": decide_carried_hours("approved"),
    "carriedstatement.rejected": decide_carried_hours("rejected"),
    "certificateissuer.changed": change_issuer,
    "trustedplatform.added": register_platform,
    "apiclient.registered": register_api_client,
    "apiclient.changed": pause_api_client,
    "apiclient.key_reissued": api_client_action("issue_new_key"),
    "apiclient.key_revoked": api_client_action("revoke_selected", confirm="1", reason="Ended"),
}


@pytest.mark.parametrize("action", DECISIONS)
def test_each_staff_decision_writes_exactly_one_audit_row(world, action):
    before = set(AuditLog.objects.values_list("pk", flat=True))

    DECISIONS[action](world)

    new = AuditLog.objects.exclude(pk__in=before).exclude(action="grant.proposed")
    assert [row.action for row in new] == [action]
    assert new.get().actor is not None


def test_an_audit_row_of_an_admin_edit_says_what_changed(world):
    change_catalogue(world)

    row = AuditLog.objects.get(action="servicetype.changed")
    assert row.before == {"name_en": "Cleaning"}
    assert row.after == {"name_en": "Home cleaning"}


def test_saving_an_admin_form_unchanged_writes_no_audit_row(world):
    before = AuditLog.objects.count()
    service = ServiceType.objects.get(code="cleaning")

    client_of(world["users"]["city"]).post(
        admin_url("catalogue_servicetype_change", service.pk), service_form(service)
    )

    assert AuditLog.objects.count() == before


def test_the_audit_list_filters_by_who_what_and_which_record(world):
    approve_order(world)
    reject_order(world)
    rejected = AuditLog.objects.get(action="order.rejected")
    client = client_of(world["users"]["staff_a"])
    changelist = admin_url("accounts_auditlog_changelist")

    def shown(**query):
        page = client.get(changelist, query)
        assert page.status_code == 200
        return {row.pk for row in page.context["cl"].result_list}

    assert shown(action="order.rejected") == {rejected.pk}
    assert shown(target_type="orders.order", target_id=rejected.target_id) == {rejected.pk}
    assert rejected.pk in shown(actor=world["users"]["staff_a"].pk)
    assert shown(actor=world["users"]["vol_a"].pk) == set()
