"""Staff read the wallets, transfers and service records of people of their area only.

Before this scoping, staff of any district could open any volunteer's
wallet, transfers and served hours in the ledger admin (DESIGN §7).
"""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import translation

from credits.holds import hold_credits
from credits.models import AccountKind
from credits.services import system_account, wallet_of
from tests.conftest import fund
from tests.rewards.conftest import serve


def may_read_the_ledger(*staff):
    ledger = Permission.objects.filter(content_type__app_label="credits")
    for member in staff:
        member.user_permissions.add(*ledger)


def change_page(obj):
    with translation.override("zh-hans"):
        return reverse(f"admin:credits_{obj._meta.model_name}_change", args=[obj.pk])


@pytest.fixture
def ledger_rows(volunteer_profile, district_staff, other_district_staff):
    """A Yuexiu volunteer's wallet, a transfer into it, a hold and served hours."""
    may_read_the_ledger(district_staff, other_district_staff)
    volunteer = volunteer_profile.user
    funding = fund(volunteer, 5)
    return {
        "wallet": wallet_of(volunteer),
        "transfer": funding,
        "hold": hold_credits(volunteer, 2, reference="order:1", key="order:1:hold"),
        "served": serve(volunteer, 2),
    }


@pytest.mark.parametrize("row", ["wallet", "transfer", "hold", "served"])
def test_staff_of_another_district_cannot_open_a_volunteers_ledger_rows(
    client, ledger_rows, other_district_staff, row
):
    client.force_login(other_district_staff)

    assert client.get(change_page(ledger_rows[row])).status_code == 302


@pytest.mark.parametrize("row", ["wallet", "transfer", "hold", "served"])
def test_staff_of_the_district_and_the_city_open_them(
    client, ledger_rows, district_staff, city_staff, row
):
    for staff in (district_staff, city_staff):
        client.force_login(staff)
        assert client.get(change_page(ledger_rows[row])).status_code == 200


def test_staff_of_another_district_do_not_find_the_volunteer_in_the_lists(
    client, ledger_rows, other_district_staff, volunteer_profile
):
    client.force_login(other_district_staff)
    name = volunteer_profile.user.name

    for model in ("account", "transfer", "servicerecord"):
        with translation.override("zh-hans"):
            url = reverse(f"admin:credits_{model}_changelist")
        response = client.get(url)
        assert response.status_code == 200
        assert name not in response.content.decode(), model


def test_system_accounts_stay_open_to_all_staff(client, ledger_rows, other_district_staff):
    client.force_login(other_district_staff)

    issuance = system_account(AccountKind.ISSUANCE)
    assert client.get(change_page(issuance)).status_code == 200
