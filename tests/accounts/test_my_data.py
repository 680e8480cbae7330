"""Every kind of person downloads everything held about them, and only theirs."""

import json

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse

from accounts.models import VolunteerProfile
from accounts.privacy import (
    ACTOR_LINKS,
    APPS,
    EXPORTERS,
    KEPT_FROM,
    SUBJECT_LINKS,
    export_value,
    linked_models,
    personal_data,
    user_links,
)
from tests.site_map import PERSONAS

PEOPLE = [persona for persona in PERSONAS if persona != "anonymous"]


def my_data(client, user):
    client.force_login(user)
    response = client.get(reverse("people:my_data"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    return json.loads(response.content)


@pytest.mark.parametrize("persona", PEOPLE)
def test_every_persona_downloads_their_data(client, world, persona):
    user = world["users"][persona]

    data = my_data(client, user)

    assert data["account"]["id"] == user.pk
    assert "password" not in data["account"]


def test_an_elder_gets_their_profile_orders_and_wallet(client, world):
    data = my_data(client, world["users"]["elder_a"])

    assert data["records"]["accounts.ElderProfile"][0]["id_number"] == world["elder_a"].id_number
    assert world["order"].pk in [row["id"] for row in data["records"]["orders.Order"]]
    assert "notifications.Notification" in data["records"]


def test_a_volunteer_gets_their_profile_claims_and_service_record(client, world):
    data = my_data(client, world["users"]["vol_a"])

    profile = data["records"]["accounts.VolunteerProfile"][0]
    volunteer = VolunteerProfile.objects.get(user=world["users"]["vol_a"])
    assert profile["id_number"] == volunteer.id_number
    assert profile["skills"] == [str(skill) for skill in volunteer.skills.all()]
    assert world["order"].pk in [row["id"] for row in data["records"]["orders.Order"]]
    assert "credits.ServiceRecord" in data["records"]
    assert "rewards.Certificate" in data["records"]


def test_a_proxy_sees_the_elder_by_masked_name_without_their_id_number(client, world):
    data = my_data(client, world["users"]["proxy_a"])

    text = json.dumps(data, ensure_ascii=False)
    assert world["elder_a"].id_number not in text
    assert data["records"]["accounts.ProxyAuthorisation"][0]["elder"] == "C*********"


def test_staff_get_what_they_decided_as_references_only(client, world):
    data = my_data(client, world["users"]["staff_a"])

    assert {"record": "orders.OrderEvent", "as": "actor"} in [
        {"record": entry["record"], "as": entry["as"]} for entry in data["acted_on"]
    ]
    assert world["elder_a"].id_number not in json.dumps(data, ensure_ascii=False)
    assert "accounts.StaffScope" in data["records"]


def test_every_link_to_a_person_says_whether_it_makes_the_row_theirs():
    for model in linked_models():
        for field in user_links(model):
            known = SUBJECT_LINKS | ACTOR_LINKS | KEPT_FROM.get(model._meta.label, set())
            assert field.name in known, f"{model._meta.label}.{field.name}"


def test_an_elders_not_again_is_in_the_elders_data_and_not_the_volunteers(world):
    from orders.models import NotAgain

    users, order = world["users"], world["order"]
    NotAgain.objects.create(
        elder=order.elder, volunteer=users["vol_a"], order=order, marked_by=users["elder_a"]
    )

    assert "orders.NotAgain" in personal_data(users["elder_a"])["records"]
    assert "orders.NotAgain" not in personal_data(users["vol_a"])["records"]


def test_every_field_of_every_model_can_be_exported():
    for model in apps.get_models():
        if model._meta.app_label not in APPS:
            continue
        for field in model._meta.concrete_fields:
            if not field.is_relation:
                assert field.get_internal_type() in EXPORTERS, f"{model._meta.label}.{field.name}"


def test_a_field_of_an_unknown_kind_is_refused_not_written_badly():
    field = models.DurationField(name="spent")
    field.model = apps.get_model("accounts", "User")

    with pytest.raises(TypeError, match="cannot be exported"):
        export_value(object(), field, None)


def test_a_person_reads_which_system_was_given_their_unmasked_identity_and_why(world):
    """PIPL: who was given a person's data is part of what they may take away."""
    from api.models import DisclosedRead
    from tests.api.machine import make_api_client

    users = world["users"]
    registry, _key = make_api_client(name="City registry", may_read_id_numbers=True)
    DisclosedRead.objects.create(
        client=registry, person=users["vol_a"], fields="id_number", purpose=registry.purpose
    )

    reads = personal_data(users["vol_a"])["records"]["api.DisclosedRead"]
    assert registry.purpose in [read["purpose"] for read in reads]
    assert "City registry" in json.dumps(reads, ensure_ascii=False)
    others = personal_data(users["vol_other"])["records"].get("api.DisclosedRead", [])
    assert registry.purpose not in [read["purpose"] for read in others]
