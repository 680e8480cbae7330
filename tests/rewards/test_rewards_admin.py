import datetime

import pytest
from django.contrib.admin import helpers
from django.urls import reverse

from accounts.models import Street
from rewards.models import Goods, Grant, GrantStatus, ObjectionStatus, RedemptionStatus
from rewards.services import (
    donate_credits,
    issue_certificate,
    object_to_notice,
    open_star_notice,
    propose_grant,
    redeem_goods,
)
from tests.conftest import balance, fund, image_file, make_staff, set_policy
from tests.rewards.conftest import allow_rewards, make_goods, serve

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def staff_rights(district_staff, other_district_staff, second_staff):
    allow_rewards(district_staff, other_district_staff, second_staff)


def run_action(client, model, action, pks, **extra):
    return client.post(
        reverse(f"admin:rewards_{model}_changelist"),
        {"action": action, helpers.ACTION_CHECKBOX_NAME: pks, **extra},
        follow=True,
    )


def test_staff_see_only_goods_of_their_district(client, district_staff, yuexiu, haizhu):
    make_goods(yuexiu, name="Yuexiu rice")
    make_goods(haizhu, name="Haizhu oil")
    client.force_login(district_staff)

    page = client.get(reverse("admin:rewards_goods_changelist")).content.decode()

    assert "Yuexiu rice" in page
    assert "Haizhu oil" not in page


def test_staff_add_goods_with_a_cleaned_image(client, district_staff, yuexiu):
    client.force_login(district_staff)

    client.post(
        reverse("admin:rewards_goods_add"),
        {
            "name": "Badge",
            "price": 5,
            "stock": 10,
            "limit_per_person": 1,
            "limit_period_days": 30,
            "is_active": "on",
            "district": yuexiu.pk,
            "image": image_file(),
            "donations-TOTAL_FORMS": 0,
            "donations-INITIAL_FORMS": 0,
        },
    )

    goods = Goods.objects.get()
    assert goods.image.name.startswith("goods/")
    assert goods.image.name != "goods/photo.jpg"


def test_a_sponsor_donation_is_added_through_an_intermediate_page(client, district_staff, rice):
    client.force_login(district_staff)

    page = run_action(client, "goods", "add_stock_selected", [rice.pk])
    assert "sponsor" in page.content.decode()
    run_action(
        client,
        "goods",
        "add_stock_selected",
        [rice.pk],
        confirm="1",
        quantity=12,
        sponsor="Lucky Mart",
    )

    rice.refresh_from_db()
    assert rice.stock == 17
    assert rice.donations.get().sponsor == "Lucky Mart"


def test_staff_hand_over_from_the_admin_but_not_another_districts(
    client, district_staff, other_district_staff, volunteer, rice, station
):
    set_policy(spendable_after_hours=0)
    fund(volunteer, 10)
    redemption = redeem_goods(rice, station, by=volunteer)

    client.force_login(other_district_staff)
    run_action(client, "redemption", "hand_over_selected", [redemption.pk])
    redemption.refresh_from_db()
    assert redemption.status == RedemptionStatus.RESERVED

    client.force_login(district_staff)
    run_action(client, "redemption", "hand_over_selected", [redemption.pk])
    redemption.refresh_from_db()
    assert redemption.status == RedemptionStatus.COLLECTED


def test_a_grant_proposed_in_the_admin_is_paid_only_after_another_staff_approves(
    client, district_staff, second_staff, needy_elder, volunteer
):
    fund(volunteer, 50)
    donate_credits(50, key="pool", by=volunteer)
    client.force_login(district_staff)
    client.post(
        reverse("admin:rewards_grant_add"),
        {"elder": needy_elder.pk, "amount": 20, "reason": "Lives alone"},
    )
    proposal = Grant.objects.get()

    run_action(client, "grant", "approve_selected", [proposal.pk])
    proposal.refresh_from_db()
    assert proposal.status == GrantStatus.PROPOSED
    assert balance(needy_elder.user) == 0

    client.force_login(second_staff)
    run_action(client, "grant", "approve_selected", [proposal.pk])
    proposal.refresh_from_db()
    assert proposal.status == GrantStatus.APPROVED
    assert balance(needy_elder.user) == 20


def test_a_grant_is_rejected_with_a_reason_from_an_intermediate_page(
    client, district_staff, second_staff, needy_elder
):
    proposal = propose_grant(needy_elder, 5, reason="Lives alone", by=district_staff)
    client.force_login(second_staff)

    page = run_action(client, "grant", "reject_selected", [proposal.pk])
    assert 'name="reason"' in page.content.decode()
    run_action(client, "grant", "reject_selected", [proposal.pk], confirm="1", reason="Helped")

    proposal.refresh_from_db()
    assert (proposal.status, proposal.decision_reason) == (GrantStatus.REJECTED, "Helped")


def test_street_staff_read_only_the_grants_of_elders_of_their_street(
    client, district_staff, needy_elder, yuexiu
):
    """A grant says why the elder needs help: not for the staff of the next street."""
    proposal = propose_grant(needy_elder, 5, reason="Lives alone since March", by=district_staff)
    nonglin = Street.objects.create(district=yuexiu, name_zh="农林街", name_en="Nonglin Jie")
    own_street = make_staff("beijingjie.staff@example.org", yuexiu, street=needy_elder.street)
    next_street = make_staff("nonglin.staff@example.org", yuexiu, street=nonglin)
    allow_rewards(own_street, next_street)
    change = reverse("admin:rewards_grant_change", args=[proposal.pk])

    client.force_login(next_street)
    assert client.get(change).status_code == 302
    listed = client.get(reverse("admin:rewards_grant_changelist")).content.decode()
    assert "Lives alone" not in listed and needy_elder.masked_name not in listed

    client.force_login(own_street)
    assert "Lives alone since March" in client.get(change).content.decode()


def test_staff_dismiss_an_objection_with_a_resolution(
    client, district_staff, volunteer, volunteer_profile, other_volunteer
):
    serve(volunteer, 100)
    objection = object_to_notice(open_star_notice(volunteer), reason="Doubt", by=other_volunteer)
    client.force_login(district_staff)

    run_action(
        client,
        "objection",
        "dismiss_selected",
        [objection.pk],
        confirm="1",
        reason="Records checked",
    )

    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.DISMISSED
    assert objection.resolved_by == district_staff


def test_staff_revoke_a_certificate_in_their_district_only(
    client, district_staff, other_district_staff, volunteer, volunteer_profile
):
    serve(volunteer, 3, on=datetime.date(2026, 1, 10))
    certificate = issue_certificate(
        datetime.date(2026, 1, 1), datetime.date(2026, 1, 31), by=volunteer
    )

    client.force_login(other_district_staff)
    change = reverse("admin:rewards_certificate_change", args=[certificate.pk])
    assert client.get(change).status_code == 302  # not in their queryset: back to the index
    client.force_login(district_staff)
    run_action(
        client, "certificate", "revoke_selected", [certificate.pk], confirm="1", reason="Error"
    )

    certificate.refresh_from_db()
    assert certificate.is_revoked
