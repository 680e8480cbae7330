"""Places without coordinates: the street follows the district, the elder gives an address."""

import pytest
from django.urls import reverse

from accounts.forms import ElderForm, RegisterElderForm, VolunteerForm
from tests.conftest import client_of

pytestmark = pytest.mark.django_db


def test_every_street_option_names_its_district_for_the_street_script(elder, yuexiu, haizhu):
    page = client_of(elder).get(reverse("people:elder_self")).content.decode()

    for district in (yuexiu, haizhu):
        street = district.streets.get()
        assert f'value="{street.pk}" data-district="{district.pk}"' in page
    assert 'data-district-select="id_district"' in page
    assert "js/streets.js" in page


@pytest.mark.parametrize("form_class", [VolunteerForm, ElderForm, RegisterElderForm])
def test_a_street_outside_the_chosen_district_is_refused(form_class, yuexiu, haizhu):
    form = form_class({"district": yuexiu.pk, "street": haizhu.streets.get().pk})

    assert "This street is not in the chosen district." in form.errors["street"]


@pytest.mark.parametrize("form_class", [ElderForm, RegisterElderForm])
def test_elders_give_an_address_not_coordinates(form_class):
    assert "address" in form_class.base_fields
    assert not {"latitude", "longitude"} & set(form_class.base_fields)


def test_staff_may_still_enter_coordinates_in_the_admin(client, district_staff, elder_profile):
    client.force_login(district_staff)

    page = client.get(
        reverse("admin:accounts_elderprofile_change", args=[elder_profile.pk])
    ).content.decode()

    assert 'name="latitude"' in page and 'name="longitude"' in page


def test_an_elder_without_coordinates_is_registered_and_stays_without(proxy, yuexiu):
    client_of(proxy).post(
        reverse("people:register_elder"),
        {
            "real_name": "Station Elder",
            "id_number": "11010519491231002X",
            "district": yuexiu.pk,
            "street": yuexiu.streets.get().pk,
            "address": "2 Station Road",
            "emergency_contact_name": "Son",
            "emergency_contact_phone": "13900008888",
            "relation": "family",
            "consent_note": "She asked me to",
            "latitude": "23.1",
            "longitude": "113.2",
        },
    )

    elder = proxy.proxy_authorisations.get().elder
    assert (elder.address, elder.latitude, elder.longitude) == ("2 Station Road", None, None)
