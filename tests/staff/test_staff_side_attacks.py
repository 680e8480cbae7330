"""The attacks that a district staff login once got through the admin, each refused.

Each test replays one attack as it was done, through the admin's own forms
and pages, and checks that the harm did not happen.
"""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone, translation

from accounts.models import (
    AuditLog,
    ElderCategory,
    ElderProfile,
    ProxyAuthorisation,
    RelativeLink,
    VerificationStatus,
)
from accounts.services import request_relative_link
from catalogue.models import ServiceKind, ServiceType
from rewards import services as rewards
from rewards.models import GrantStatus
from tests.conftest import DEMO_PASSWORD, admin_url, client_of, fund, image_file, make_staff


def test_a_tie_to_the_area_never_lets_district_staff_set_the_city_administrators_password(world):
    staff, admin_user = world["users"]["staff_a"], world["users"]["city"]
    admin_user.phone = "+8613911112222"
    admin_user.save(update_fields=["phone"])
    client = client_of(staff)
    # The attack's first step through the admin: a relative link to the administrator.
    response = client.post(
        admin_url("accounts_relativelink_add"),
        {
            "requester": world["users"]["vol_a"].pk,
            "relative": admin_user.pk,
            "relation": "child",
        },
    )
    assert response.status_code == 200
    assert not RelativeLink.objects.filter(relative=admin_user).exists()
    # The same tie made from the public site by an accomplice of the area.
    request_relative_link(
        relative_phone=admin_user.phone,
        relation="child",
        evidence=image_file(),
        by=world["users"]["vol_a"],
    )
    password_url = admin_url("auth_user_password_change", admin_user.pk)

    answer = client.post(
        password_url, {"password1": "taken-over-2026!", "password2": "taken-over-2026!"}
    )

    assert answer.status_code in (302, 403, 404)
    admin_user.refresh_from_db()
    assert admin_user.check_password(DEMO_PASSWORD)
    assert client.get(password_url).status_code in (302, 403, 404)
    # The tie does not even let them read the administrator's account.
    assert client.get(admin_url("accounts_user_change", admin_user.pk)).status_code == 302


@pytest.mark.parametrize(
    "model_name, fields",
    [
        ("proxyauthorisation", {"relation": "family", "consent_note": "Said yes"}),
        ("eldercategory", {"category": "alone"}),
    ],
)
def test_district_staff_cannot_grant_rights_over_an_elder_of_another_district(
    world, model_name, fields
):
    staff = world["users"]["staff_a"]
    elder_b = ElderProfile.objects.get(user=world["users"]["elder_b"])
    client = client_of(staff)
    before = AuditLog.objects.count()

    response = client.post(
        admin_url(f"accounts_{model_name}_add"),
        {
            "elder": elder_b.pk,
            "proxy": world["users"]["proxy_none"].pk,
            "district": staff.staff_scope.district_id,
            "street": "",
            **fields,
        },
    )

    assert response.status_code == 200
    assert b"errorlist" in response.content
    assert not ProxyAuthorisation.objects.filter(elder=elder_b).exists()
    assert not ElderCategory.objects.filter(elder=elder_b).exists()
    assert AuditLog.objects.count() == before


def test_district_staff_cannot_link_relatives_of_another_district(world):
    staff = world["users"]["staff_a"]
    client = client_of(staff)

    response = client.post(
        admin_url("accounts_relativelink_add"),
        {
            "requester": world["users"]["elder_b"].pk,
            "relative": world["users"]["elder_a"].pk,
            "relation": "spouse",
            "district": staff.staff_scope.district_id,
        },
    )

    assert response.status_code == 200
    assert not RelativeLink.objects.filter(requester=world["users"]["elder_b"]).exists()


def test_a_row_posted_with_another_district_is_filed_under_its_elders_district(world):
    """The district field of the form is not taken: the row goes where the elder lives."""
    staff = world["users"]["staff_a"]
    elder_a = world["elder_a"]
    haizhu = ElderProfile.objects.get(user=world["users"]["elder_b"]).district

    client_of(staff).post(
        admin_url("accounts_eldercategory_add"),
        {"elder": elder_a.pk, "category": "disabled", "district": haizhu.pk},
    )

    category = ElderCategory.objects.get(elder=elder_a, category="disabled")
    assert (category.district_id, category.street_id) == (elder_a.district_id, elder_a.street_id)


def give_accounts_permissions(user):
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="accounts"))


def fill_pool(world):
    fund(world["users"]["vol_a"], 5)
    rewards.donate_credits(5, key="pool", by=world["users"]["vol_a"])


def test_a_grant_is_not_approved_by_a_colleague_whose_password_the_maker_set(world):
    """Maker-checker with one person behind both logins is no check at all."""
    maker = world["users"]["city"]
    colleague = make_staff("colleague@example.org", world["elder_a"].district)
    fill_pool(world)
    client = client_of(maker)
    client.post(
        admin_url("auth_user_password_change", colleague.pk),
        {"password1": "known-to-maker-2026", "password2": "known-to-maker-2026"},
    )
    colleague.refresh_from_db()
    assert colleague.check_password("known-to-maker-2026")
    grant = rewards.propose_grant(world["elder_a"], 2, reason="Alone", by=maker)

    with translation.override("en"), pytest.raises(rewards.RewardsError, match="one another"):
        rewards.approve_grant(grant, by=colleague)

    grant.refresh_from_db()
    assert grant.status == GrantStatus.PROPOSED


def test_a_grant_is_not_approved_by_the_one_who_set_the_makers_password(world):
    approver = world["users"]["city"]
    maker = make_staff("maker@example.org", world["elder_a"].district)
    client_of(approver).post(
        admin_url("auth_user_password_change", maker.pk),
        {"password1": "known-to-approver-26", "password2": "known-to-approver-26"},
    )
    grant = rewards.propose_grant(world["elder_a"], 2, reason="Alone", by=maker)

    with pytest.raises(rewards.RewardsError):
        rewards.approve_grant(grant, by=approver)


def test_a_password_set_before_the_policy_window_no_longer_bars_the_approval(world):
    maker = world["users"]["city"]
    colleague = make_staff("colleague@example.org", world["elder_a"].district)
    AuditLog.objects.create(
        actor=maker,
        action="user.password_changed",
        target_type="accounts.user",
        target_id=str(colleague.pk),
        created_at=timezone.now() - datetime.timedelta(days=31),
    )
    fill_pool(world)
    grant = rewards.propose_grant(world["elder_a"], 1, reason="Alone", by=maker)

    rewards.approve_grant(grant, by=colleague)

    grant.refresh_from_db()
    assert grant.status == GrantStatus.APPROVED


@pytest.mark.parametrize("persona", ["staff_a", "staff_street_a"])
def test_district_and_street_staff_cannot_change_a_service_type_or_a_district(world, persona):
    client = client_of(world["users"][persona])
    bathing = ServiceType.objects.get(code="bathing")
    district = world["elder_a"].district

    kind = client.post(
        admin_url("catalogue_servicetype_change", bathing.pk),
        {"code": "bathing", "kind": ServiceKind.GENERAL, "name_zh": "x", "name_en": "x"},
    )
    name = client.post(
        admin_url("accounts_district_change", district.pk),
        {"code": district.code, "name_zh": "改名区", "name_en": "Renamed"},
    )

    assert (kind.status_code, name.status_code) == (403, 403)
    bathing.refresh_from_db()
    district.refresh_from_db()
    assert bathing.kind == ServiceKind.PROFESSIONAL
    assert district.name_en == "Yuexiu"
    assert client.get(admin_url("catalogue_servicetype_change", bathing.pk)).status_code == 200


def test_staff_cannot_verify_a_request_of_their_own(world):
    """A staff member who is also a proxy does not approve their own authorisation."""
    staff = world["users"]["staff_a"]
    own = ProxyAuthorisation.objects.create(
        elder=world["elder_a"],
        proxy=staff,
        relation="social_worker",
        consent_note="Signed form",
        district=world["elder_a"].district,
        street=world["elder_a"].street,
    )

    client_of(staff).post(
        admin_url("accounts_proxyauthorisation_changelist"),
        {"action": "approve_selected", "_selected_action": [own.pk]},
    )

    own.refresh_from_db()
    assert own.status == VerificationStatus.PENDING
