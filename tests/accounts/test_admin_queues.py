import datetime

import pytest
from django.contrib.admin import helpers
from django.urls import reverse

from accounts.models import (
    AuditLog,
    ElderCategory,
    ProxyAuthorisation,
    VerificationStatus,
    VolunteerProfile,
)
from accounts.services import register_elder
from tests.conftest import elder_fields, make_id_number

CHANGELIST = "admin:accounts_eldercategory_changelist"


def make_category(elder_profile, category="alone"):
    return ElderCategory.objects.create(
        elder=elder_profile,
        category=category,
        district=elder_profile.district,
        street=elder_profile.street,
    )


@pytest.fixture
def own_category(elder_profile):
    return make_category(elder_profile)


@pytest.fixture
def foreign_category(other_elder_profile):
    return make_category(other_elder_profile)


def test_queue_lists_only_rows_of_the_staff_members_district(
    client, district_staff, own_category, foreign_category
):
    client.force_login(district_staff)

    response = client.get(reverse(CHANGELIST))

    assert list(response.context["cl"].queryset) == [own_category]


def test_row_of_another_district_cannot_be_opened_in_admin(
    client, district_staff, foreign_category
):
    client.force_login(district_staff)

    url = reverse("admin:accounts_eldercategory_change", args=[foreign_category.pk])
    response = client.get(url)

    assert response.status_code == 302
    assert response.url == reverse("admin:index")


def test_city_admin_sees_every_district(client, city_staff, own_category, foreign_category):
    client.force_login(city_staff)

    response = client.get(reverse(CHANGELIST))

    assert set(response.context["cl"].queryset) == {own_category, foreign_category}


def test_approve_action_verifies_and_audits(client, district_staff, own_category):
    client.force_login(district_staff)

    client.post(
        reverse(CHANGELIST),
        {"action": "approve_selected", helpers.ACTION_CHECKBOX_NAME: [own_category.pk]},
    )

    own_category.refresh_from_db()
    assert own_category.status == VerificationStatus.VERIFIED
    assert AuditLog.objects.get().actor == district_staff


def test_approve_action_cannot_reach_another_district_by_posting_its_id(
    client, district_staff, foreign_category
):
    client.force_login(district_staff)

    client.post(
        reverse(CHANGELIST),
        {"action": "approve_selected", helpers.ACTION_CHECKBOX_NAME: [foreign_category.pk]},
    )

    foreign_category.refresh_from_db()
    assert foreign_category.status == VerificationStatus.PENDING


def test_reject_action_asks_for_a_reason_first(client, district_staff, own_category):
    client.force_login(district_staff)
    data = {"action": "reject_selected", helpers.ACTION_CHECKBOX_NAME: [own_category.pk]}

    response = client.post(reverse(CHANGELIST), data)

    assert response.status_code == 200
    assert "form" in response.context and "reason" in response.context["form"].fields
    own_category.refresh_from_db()
    assert own_category.status == VerificationStatus.PENDING


def test_reject_action_with_empty_reason_shows_the_form_again(client, district_staff, own_category):
    client.force_login(district_staff)
    data = {
        "action": "reject_selected",
        helpers.ACTION_CHECKBOX_NAME: [own_category.pk],
        "confirm": "1",
        "reason": "",
    }

    response = client.post(reverse(CHANGELIST), data)

    assert response.context["form"].errors["reason"]
    assert not AuditLog.objects.exists()


def test_reject_action_with_reason_rejects_and_audits(client, district_staff, own_category):
    client.force_login(district_staff)
    data = {
        "action": "reject_selected",
        helpers.ACTION_CHECKBOX_NAME: [own_category.pk],
        "confirm": "1",
        "reason": "Evidence is for another person",
    }

    response = client.post(reverse(CHANGELIST), data)

    assert response.status_code == 302
    own_category.refresh_from_db()
    assert own_category.status == VerificationStatus.REJECTED
    assert AuditLog.objects.get().reason == "Evidence is for another person"


def test_audit_log_is_readable_but_never_editable_in_admin(client, district_staff, own_category):
    AuditLog.objects.create(actor=district_staff, action="x", target_type="t", target_id="1")
    client.force_login(district_staff)
    entry = AuditLog.objects.get()

    assert client.get(reverse("admin:accounts_auditlog_changelist")).status_code == 200
    assert client.get(reverse("admin:accounts_auditlog_add")).status_code == 403
    url = reverse("admin:accounts_auditlog_delete", args=[entry.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert AuditLog.objects.count() == 1


def test_opening_an_elder_in_admin_is_logged(client, district_staff, elder_profile):
    client.force_login(district_staff)

    client.get(reverse("admin:accounts_elderprofile_change", args=[elder_profile.pk]))

    entry = AuditLog.objects.get()
    assert (entry.action, entry.actor, entry.target_id) == (
        "elderprofile.viewed",
        district_staff,
        str(elder_profile.pk),
    )


def test_staff_scopes_are_managed_by_city_admins_only(client, district_staff):
    client.force_login(district_staff)

    assert client.get(reverse("admin:accounts_staffscope_changelist")).status_code == 403


@pytest.mark.parametrize(
    "model",
    [
        "elderprofile",
        "eldercategory",
        "volunteerprofile",
        "qualification",
        "serviceorganisation",
        "proxyauthorisation",
        "relativelink",
        "auditlog",
        "community",
    ],
)
def test_every_staff_page_renders_for_district_staff(
    client, district_staff, proxy_authorisation, volunteer_profile, own_category, model
):
    client.force_login(district_staff)

    assert client.get(reverse(f"admin:accounts_{model}_changelist")).status_code == 200


def test_change_pages_render_with_full_id_number_for_verifying_staff(
    client, district_staff, volunteer_profile
):
    client.force_login(district_staff)

    url = reverse("admin:accounts_volunteerprofile_change", args=[volunteer_profile.pk])
    response = client.get(url)

    assert volunteer_profile.id_number in response.content.decode()


@pytest.mark.parametrize(
    ("model", "status"),
    [
        ("elderprofile", 403),
        ("eldercategory", 200),
        ("volunteerprofile", 200),
        ("qualification", 200),
        ("serviceorganisation", 200),
        ("proxyauthorisation", 200),
        ("relativelink", 200),
    ],
)
def test_add_pages_render_or_are_refused(client, district_staff, model, status):
    client.force_login(district_staff)

    assert client.get(reverse(f"admin:accounts_{model}_add")).status_code == status


def test_volunteer_added_in_admin_needs_a_valid_adult_id_and_health_declaration(
    client, district_staff, volunteer, yuexiu
):
    client.force_login(district_staff)
    data = {
        "user": volunteer.pk,
        "real_name": "Li",
        "id_number": "11010519491231002Y",
        "district": yuexiu.pk,
        "serve_districts": [yuexiu.pk],
    }

    url = reverse("admin:accounts_volunteerprofile_add")

    bad_id = client.post(url, data).context["adminform"].form.errors
    no_health = client.post(url, {**data, "id_number": make_id_number(datetime.date(1990, 1, 1))})

    assert "id_number" in bad_id
    assert "health_declared" in no_health.context["adminform"].form.errors
    assert not VolunteerProfile.objects.exists()


def test_district_staff_cannot_grant_themselves_superuser(client, district_staff):
    client.force_login(district_staff)

    response = client.get(reverse("admin:accounts_user_change", args=[district_staff.pk]))

    assert "is_superuser" not in response.context["adminform"].form.fields


def test_station_registered_elder_gets_a_login_before_a_password(client, city_staff, yuexiu):
    elder = register_elder(
        by=city_staff, relation="station_staff", consent_note="Signed", **elder_fields(yuexiu)
    )
    client.force_login(city_staff)
    url = reverse("admin:auth_user_password_change", args=[elder.user.pk])
    data = {
        "usable_password": "true",
        "password1": "Quiet-River-2026",
        "password2": "Quiet-River-2026",
    }

    response = client.post(url, data)

    assert response.url == reverse("admin:accounts_user_change", args=[elder.user.pk])
    elder.user.refresh_from_db()
    assert not elder.user.has_usable_password()


def test_a_second_open_proxy_authorisation_added_in_admin_is_a_form_error(
    client, district_staff, proxy_authorisation
):
    client.force_login(district_staff)
    data = {
        "elder": proxy_authorisation.elder_id,
        "proxy": proxy_authorisation.proxy_id,
        "relation": "family",
        "consent_note": "Again",
        "district": proxy_authorisation.district_id,
        "street": proxy_authorisation.street_id,
    }

    response = client.post("/en/admin/accounts/proxyauthorisation/add/", data)

    assert response.status_code == 200
    assert "An open request for the same people already exists" in str(
        response.context["adminform"].form.non_field_errors()
    )
    assert ProxyAuthorisation.objects.count() == 1
