"""Every form that takes credits refuses what no wallet could hold, before the database."""

import pytest
from django.urls import reverse

from credits.models import Transfer
from rewards.admin import GoodsForm, GrantForm, ProjectForm
from rewards.forms import DonationForm, GiftForm
from rewards.models import Goods, Grant, Project
from tests.conftest import fund, set_policy
from tests.rewards.conftest import allow_rewards, link

pytestmark = pytest.mark.django_db

OUT_OF_RANGE = ["0", "-1", "2147483648", "1e20"]
KEY = "?key=" + "c" * 32


@pytest.fixture(autouse=True)
def open_policy(db):
    return set_policy(spendable_after_hours=0)


@pytest.mark.parametrize("amount", OUT_OF_RANGE)
def test_a_gift_of_an_impossible_amount_is_a_form_error(client, volunteer, elder, yuexiu, amount):
    link(volunteer, elder, yuexiu)
    fund(volunteer, 30)
    client.force_login(volunteer)

    response = client.get(reverse("rewards:gift"), {"receiver": elder.pk, "amount": amount})

    assert response.status_code == 200
    assert "amount" in response.context["form"].errors
    assert not Transfer.objects.filter(kind="gift").exists()


@pytest.mark.parametrize("amount", OUT_OF_RANGE)
def test_a_donation_of_an_impossible_amount_is_a_form_error(client, volunteer, amount):
    fund(volunteer, 30)
    client.force_login(volunteer)

    response = client.post(reverse("rewards:donate") + KEY, {"amount": amount})

    assert response.status_code == 200
    assert "amount" in response.context["form"].errors
    assert not Transfer.objects.filter(kind="donate").exists()


@pytest.mark.parametrize("amount", OUT_OF_RANGE)
def test_a_grant_of_an_impossible_amount_is_a_form_error(
    client, district_staff, needy_elder, amount
):
    allow_rewards(district_staff)
    client.force_login(district_staff)

    response = client.post(
        reverse("admin:rewards_grant_add"),
        {"elder": needy_elder.pk, "amount": amount, "reason": "Lives alone"},
    )

    assert response.status_code == 200
    assert "amount" in response.context["adminform"].form.errors
    assert not Grant.objects.exists()


@pytest.mark.parametrize("amount", OUT_OF_RANGE)
def test_goods_at_an_impossible_price_are_a_form_error(client, district_staff, yuexiu, amount):
    allow_rewards(district_staff)
    client.force_login(district_staff)

    response = client.post(
        reverse("admin:rewards_goods_add"),
        {
            "name": "Badge",
            "price": amount,
            "stock": 10,
            "limit_per_person": 1,
            "limit_period_days": 30,
            "district": yuexiu.pk,
            "donations-TOTAL_FORMS": 0,
            "donations-INITIAL_FORMS": 0,
        },
    )

    assert response.status_code == 200
    assert "price" in response.context["adminform"].form.errors
    assert not Goods.objects.exists()


@pytest.mark.parametrize("amount", OUT_OF_RANGE)
def test_a_project_with_an_impossible_target_is_a_form_error(client, city_staff, yuexiu, amount):
    """Projects are city data: city staff set their targets."""
    client.force_login(city_staff)

    response = client.post(
        reverse("admin:rewards_project_add"),
        {
            "code": "warm",
            "name": "Warm winter",
            "purpose": "Heaters",
            "district": yuexiu.pk,
            "target": amount,
            "created_at_0": "2026-01-05",
            "created_at_1": "10:00:00",
        },
    )

    assert response.status_code == 200
    assert "target" in response.context["adminform"].form.errors
    assert not Project.objects.exists()


@pytest.mark.parametrize("form_class", [GiftForm, DonationForm, GrantForm, GoodsForm])
def test_no_credits_amount_may_pass_the_wallet_cap(form_class, volunteer):
    set_policy(spendable_after_hours=0, wallet_cap=200)
    kwargs = {"giver": volunteer} if form_class is GiftForm else {}
    field = {"GoodsForm": "price"}.get(form_class.__name__, "amount")

    form = form_class({field: "201"}, **kwargs)

    assert form.errors[field] == ["Enter at most 200 credits."]


def test_a_project_target_may_pass_the_wallet_cap():
    set_policy(spendable_after_hours=0, wallet_cap=200)

    form = ProjectForm({"target": "5000"})

    assert "target" not in form.errors
