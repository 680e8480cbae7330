"""API clients: keys made once and kept as hashes, refused when unknown, paused or revoked."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpRequest

from accounts.models import AuditLog
from api.clients import ClientError, hash_key, reissue_key, revoke_client
from api.models import ApiClient
from tests.api.conftest import ApiClient as PersonalClient
from tests.api.machine import KeyClient, make_api_client
from tests.conftest import admin_url, client_of


@pytest.fixture
def key(db):
    return make_api_client()[1]


def refusal(response):
    return response.status_code, response.json()["code"]


def test_a_key_opens_the_records(key):
    assert KeyClient(key).get("/records").status_code == 200


def test_the_database_keeps_only_the_keys_hash(db):
    client, key = make_api_client()

    stored = ApiClient.objects.filter(pk=client.pk).values().get()
    assert key.startswith("tbk_" + client.key_prefix + "_")
    assert stored["key_hash"] == hash_key(key)
    assert key not in str(stored)
    assert key[16:] not in str(list(AuditLog.objects.values()))


@pytest.mark.parametrize(
    "header",
    [
        None,
        "Bearer",
        "Bearer tbk_",
        "Bearer tbk_000000000000_" + "A" * 43,
        "Basic dXNlcjpwYXNz",
        "tbk_000000000000_x",
    ],
)
def test_no_key_or_an_unknown_key_is_401_in_the_usual_shape(key, header):
    response = KeyClient(authorization=header).get("/records")

    assert response.status_code == 401
    assert set(response.json()) == {"code", "message", "errors"}


def test_an_unknown_key_says_invalid_api_key(key):
    wrong = key[:-4] + ("AAAA" if not key.endswith("AAAA") else "BBBB")

    assert refusal(KeyClient(wrong).get("/records")) == (401, "invalid_api_key")


def test_a_paused_client_is_refused(db):
    client, key = make_api_client()
    ApiClient.objects.filter(pk=client.pk).update(is_active=False)

    assert refusal(KeyClient(key).get("/records")) == (401, "invalid_api_key")


def test_a_revoked_client_is_refused_and_gets_no_new_key(db, city_staff):
    client, key = make_api_client()
    revoke_client(client, by=city_staff, reason="Contract ended")

    assert refusal(KeyClient(key).get("/records")) == (401, "invalid_api_key")
    with pytest.raises(ClientError):
        reissue_key(client, by=city_staff)
    with pytest.raises(ClientError):
        revoke_client(client, by=city_staff)


def test_a_new_key_replaces_the_old_one_at_once(db, city_staff):
    client, old = make_api_client()

    new = reissue_key(client, by=city_staff)

    assert refusal(KeyClient(old).get("/records")) == (401, "invalid_api_key")
    assert KeyClient(new).get("/records").status_code == 200


def test_registering_reissuing_and_revoking_are_audited(db, city_staff):
    client, _key = make_api_client(by=city_staff)
    reissue_key(client, by=city_staff)
    revoke_client(client, by=city_staff, reason="Contract ended")

    rows = AuditLog.objects.filter(target_type="api.apiclient", target_id=str(client.pk))
    assert sorted(rows.values_list("action", flat=True)) == [
        "apiclient.key_reissued",
        "apiclient.key_revoked",
        "apiclient.registered",
    ]
    assert rows.get(action="apiclient.key_revoked").reason == "Contract ended"
    assert {row.actor for row in rows} == {city_staff}


def test_a_personal_token_or_session_does_not_open_client_endpoints(key, verified_volunteer):
    for kind in ("token", "session"):
        response = PersonalClient(verified_volunteer, kind=kind).get("/records")
        assert refusal(response) == (401, "not_authenticated")


def test_a_key_does_not_open_personal_endpoints(key):
    assert refusal(KeyClient(key).get("/credits")) == (401, "not_authenticated")


def test_each_client_has_its_own_request_limit(db, settings):
    settings.API_CLIENT_RATE_LIMIT = "2/m/key"
    _client, key = make_api_client()
    _other, other_key = make_api_client(name="Other")

    answers = [KeyClient(key).get("/records").status_code for _ in range(3)]

    assert answers == [200, 200, 429]
    assert refusal(KeyClient(key).get("/records")) == (429, "too_many_requests")
    assert KeyClient(other_key).get("/records").status_code == 200


# The admin --------------------------------------------------------------


@pytest.fixture
def district_staff_for_clients(district_staff):
    district_staff.user_permissions.add(*Permission.objects.filter(content_type__app_label="api"))
    return district_staff


def keys_shown(response):
    return re.findall(r"tbk_[0-9a-f]{12}_[\w-]+", str(list(response.context["messages"])))


NEW_CLIENT = {
    "name": "Yuexiu registry",
    "organisation": "Yuexiu Civil Affairs",
    "purpose": "Records for the district registry",
    "may_read_records": "on",
    "is_active": "on",
}


def test_staff_see_the_key_once_after_registering_a_client(district_staff_for_clients, yuexiu):
    browser = client_of(district_staff_for_clients)

    response = browser.post(
        admin_url("api_apiclient_add"), {**NEW_CLIENT, "district": yuexiu.pk}, follow=True
    )
    again = browser.get(admin_url("api_apiclient_changelist"))

    client = ApiClient.objects.get()
    (key,) = keys_shown(response)
    assert hash_key(key) == client.key_hash
    assert key not in again.content.decode()
    assert (client.district, client.created_by) == (yuexiu, district_staff_for_clients)
    assert AuditLog.objects.filter(action="apiclient.registered").count() == 1
    assert not AuditLog.objects.filter(action="apiclient.added").exists()
    assert KeyClient(key).get("/records").status_code == 200


def test_district_staff_cannot_register_a_city_wide_client(district_staff_for_clients):
    browser = client_of(district_staff_for_clients)

    response = browser.post(admin_url("api_apiclient_add"), NEW_CLIENT)

    assert response.status_code == 200  # the form again, with its error
    assert not ApiClient.objects.exists()


def test_district_staff_cannot_register_a_client_of_another_district(
    district_staff_for_clients, haizhu
):
    browser = client_of(district_staff_for_clients)

    browser.post(admin_url("api_apiclient_add"), {**NEW_CLIENT, "district": haizhu.pk})

    assert not ApiClient.objects.exists()


def test_district_staff_see_only_their_districts_clients(
    district_staff_for_clients, yuexiu, haizhu
):
    own, _key = make_api_client(yuexiu, name="Own")
    other, _key = make_api_client(haizhu, name="Other")
    city, _key = make_api_client(name="City")
    browser = client_of(district_staff_for_clients)

    listed = browser.get(admin_url("api_apiclient_changelist")).content.decode()

    assert "Own" in listed and "Other" not in listed and "City (" not in listed
    for hidden in (other, city):
        answer = browser.get(admin_url("api_apiclient_change", hidden.pk))
        assert answer.status_code == 302  # Django: "does not exist", to the index


def test_city_staff_register_a_city_wide_client_and_revoke_it_with_a_reason(city_staff):
    city_staff.user_permissions.add(*Permission.objects.filter(content_type__app_label="api"))
    browser = client_of(city_staff)
    browser.post(admin_url("api_apiclient_add"), NEW_CLIENT)
    client = ApiClient.objects.get(district=None)

    browser.post(
        admin_url("api_apiclient_changelist"),
        {
            "action": "revoke_selected",
            "_selected_action": [client.pk],
            "confirm": "1",
            "reason": "Ended",
        },
    )

    client.refresh_from_db()
    assert client.is_revoked and not client.is_active
    assert AuditLog.objects.get(action="apiclient.key_revoked").reason == "Ended"


def test_a_new_key_from_the_admin_is_shown_once_and_the_old_one_stops(
    district_staff_for_clients, yuexiu
):
    client, old = make_api_client(yuexiu)
    browser = client_of(district_staff_for_clients)

    response = browser.post(
        admin_url("api_apiclient_changelist"),
        {"action": "issue_new_key", "_selected_action": [client.pk]},
        follow=True,
    )

    (new,) = keys_shown(response)
    assert KeyClient(new).get("/records").status_code == 200
    assert KeyClient(old).get("/records").status_code == 401


def test_the_log_of_unmasked_reads_is_for_city_staff_only(district_staff_for_clients, city_staff):
    city_staff.user_permissions.add(*Permission.objects.filter(content_type__app_label="api"))
    url = admin_url("api_disclosedread_changelist")

    assert client_of(city_staff).get(url).status_code == 200
    assert client_of(district_staff_for_clients).get(url).status_code == 403


@pytest.mark.parametrize(
    "flag", ["may_read_id_numbers", "may_read_phones", "may_import_volunteers"]
)
def test_only_city_staff_let_a_client_read_unmasked_data_or_bring_in_volunteers(
    district_staff_for_clients, city_staff, yuexiu, flag
):
    browser = client_of(district_staff_for_clients)
    browser.post(admin_url("api_apiclient_add"), {**NEW_CLIENT, "district": yuexiu.pk, flag: "on"})
    client = ApiClient.objects.get()
    browser.post(
        admin_url("api_apiclient_change", client.pk),
        {**NEW_CLIENT, "district": yuexiu.pk, flag: "on"},
    )

    client.refresh_from_db()
    assert getattr(client, flag) is False
    client_of(city_staff).post(
        admin_url("api_apiclient_change", client.pk),
        {**NEW_CLIENT, "district": yuexiu.pk, flag: "on"},
    )
    client.refresh_from_db()
    assert getattr(client, flag) is True


def test_a_new_key_never_waits_in_a_cookie(district_staff_for_clients, yuexiu):
    """Shown on a page that is drawn, not carried by a redirect: a form saved before
    the key was shown leaves it waiting on the server for the next page."""
    browser = client_of(district_staff_for_clients)
    browser.post(admin_url("api_apiclient_add"), {**NEW_CLIENT, "district": yuexiu.pk})
    client = ApiClient.objects.get()

    saved = browser.post(
        admin_url("api_apiclient_change", client.pk), {**NEW_CLIENT, "district": yuexiu.pk}
    )
    shown = browser.get(saved.url)

    assert saved.status_code == 302
    carried = saved.cookies.get("messages")
    carried = CookieStorage(HttpRequest())._decode(carried.value) if carried else []
    assert "tbk_" not in " ".join(str(message) for message in carried)
    assert len(keys_shown(shown)) == 1
