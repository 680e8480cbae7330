import datetime
import io
import json
import re

from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from PIL import Image

from accounts import services
from accounts.models import (
    AuditLog,
    ElderProfile,
    Qualification,
    ServiceOrganisation,
    VolunteerProfile,
)
from accounts.views import current_elder
from tests.conftest import (
    image_file,
    make_elder_profile,
    make_id_number,
    make_proxy_authorisation,
    make_user,
)

ADULT_ID = make_id_number(datetime.date(1985, 6, 1))


def volunteer_data(yuexiu, **overrides):
    return {
        "real_name": "Li Si",
        "id_number": ADULT_ID,
        "district": yuexiu.pk,
        "street": yuexiu.streets.first().pk,
        "health_declared": "on",
        "serve_districts": [yuexiu.pk],
        "evidence": image_file("id-card.jpg"),
        **overrides,
    }


def test_signup_leads_to_the_what_brings_you_here_page(client, db):
    client.post(
        reverse("account_signup"),
        {
            "email": "new@example.org",
            "password1": "Quiet-River-2026",
            "password2": "Quiet-River-2026",
        },
    )
    link = re.search(r"https?://\S+/confirm-email/\S+/", mail.outbox[-1].body).group()

    response = client.post(link)

    assert response.url == reverse("people:start")


def test_volunteer_form_creates_pending_profile_with_clean_image(client, volunteer, yuexiu):
    client.force_login(volunteer)

    response = client.post(reverse("people:volunteer"), volunteer_data(yuexiu))

    assert response.url == reverse("people:me")
    profile = VolunteerProfile.objects.get(user=volunteer)
    assert profile.status == "pending"
    assert profile.birth_date == datetime.date(1985, 6, 1)
    assert profile.evidence.name.startswith("evidence/volunteerprofile/")
    assert "id-card" not in profile.evidence.name


def test_volunteer_form_with_bad_id_number_says_so_and_saves_nothing(client, volunteer, yuexiu):
    client.force_login(volunteer)
    bad = ADULT_ID[:-1] + ("0" if ADULT_ID[-1] != "0" else "1")

    response = client.post(reverse("people:volunteer"), volunteer_data(yuexiu, id_number=bad))

    assert response.status_code == 200
    assert "check every digit" in str(response.context["form"].errors["id_number"])
    assert not VolunteerProfile.objects.exists()


def test_volunteer_form_refuses_a_renamed_non_image(client, volunteer, yuexiu):
    client.force_login(volunteer)
    fake = io.BytesIO(b"not an image")
    fake.name = "photo.jpg"

    response = client.post(reverse("people:volunteer"), volunteer_data(yuexiu, evidence=fake))

    assert "not an image" in str(response.context["form"].errors["evidence"])
    assert not VolunteerProfile.objects.exists()


def test_elder_orders_for_themselves_and_adds_a_category(client, elder, yuexiu):
    client.force_login(elder)
    data = {
        "real_name": "Chen Po",
        "id_number": make_id_number(datetime.date(1950, 1, 2)),
        "district": yuexiu.pk,
        "street": yuexiu.streets.first().pk,
        "address": "3 Beijing Road",
        "emergency_contact_name": "Son",
        "emergency_contact_phone": "13900001111",
    }

    response = client.post(reverse("people:elder_self"), data)

    profile = ElderProfile.objects.get(user=elder)
    assert response.url == reverse("people:elder", args=[profile.pk])
    response = client.post(
        reverse("people:category_new", args=[profile.pk]),
        {"category": "alone", "evidence": image_file("letter.png", fmt="PNG")},
    )
    assert profile.categories.get().status == "pending"


def test_volunteer_uploads_qualification_and_sees_it_pending(client, volunteer_profile, bathing):
    client.force_login(volunteer_profile.user)
    expires = timezone.localdate() + datetime.timedelta(days=365)

    client.post(
        reverse("people:qualification_new"),
        {
            "service_type": bathing.pk,
            "certificate_number": "NURSE-42",
            "expires_on": expires.isoformat(),
            "evidence": image_file("cert.jpg"),
        },
    )

    assert Qualification.objects.get().status == "pending"
    page = client.get(reverse("people:me"))
    assert "NURSE-42" in page.content.decode()


def test_evidence_is_served_back_re_encoded_to_its_owner(client, volunteer_profile, bathing):
    client.force_login(volunteer_profile.user)
    client.post(
        reverse("people:qualification_new"),
        {
            "service_type": bathing.pk,
            "certificate_number": "N-1",
            "expires_on": (timezone.localdate() + datetime.timedelta(days=9)).isoformat(),
            "evidence": image_file("cert.jpg"),
        },
    )
    qualification = Qualification.objects.get()

    response = client.get(reverse("people:evidence", args=["qualification", qualification.pk]))

    assert response["Content-Type"] == "image/jpeg"
    assert Image.open(io.BytesIO(b"".join(response.streaming_content))).format == "JPEG"


def test_elder_page_view_is_logged(client, proxy, proxy_authorisation, elder_profile):
    client.force_login(proxy)

    client.get(reverse("people:elder", args=[elder_profile.pk]))

    assert AuditLog.objects.get().action == "elderprofile.viewed"


def test_service_card_shows_masked_name_qr_and_code(client, proxy, proxy_authorisation):
    elder_profile = proxy_authorisation.elder
    client.force_login(proxy)

    response = client.get(reverse("people:card", args=[elder_profile.pk]))

    body = response.content.decode()
    assert "<svg" in body and elder_profile.card_code in body
    assert elder_profile.masked_name in body and elder_profile.real_name not in body


def test_proxy_switches_to_an_elder_they_act_for(client, proxy, proxy_authorisation):
    client.force_login(proxy)

    client.post(reverse("people:act_for", args=[proxy_authorisation.elder_id]))

    assert client.session["acting_for_elder"] == proxy_authorisation.elder_id


def test_proxy_cannot_switch_to_an_elder_they_do_not_act_for(
    client, proxy, proxy_authorisation, other_elder_profile
):
    client.force_login(proxy)

    response = client.post(reverse("people:act_for", args=[other_elder_profile.pk]))

    assert response.status_code == 404


def test_download_my_data_returns_my_records_as_json(client, elder, elder_profile):
    client.force_login(elder)

    response = client.get(reverse("people:my_data"))

    data = json.loads(response.content)
    assert response["Content-Disposition"].startswith("attachment")
    assert data["account"]["phone"] == elder.phone
    assert data["records"]["accounts.ElderProfile"][0]["id_number"] == elder_profile.id_number


def test_profile_page_masks_the_id_number(client, volunteer_profile):
    client.force_login(volunteer_profile.user)

    body = client.get(reverse("people:me")).content.decode()

    assert volunteer_profile.id_number not in body
    assert volunteer_profile.masked_id_number in body


def test_coordinator_registers_organisation_for_staff_to_verify(client, volunteer, yuexiu, bathing):
    client.force_login(volunteer)

    client.post(
        reverse("people:organisation_new"),
        {
            "name": "Dongshan Care Centre",
            "licence_number": "GZ-2026-7",
            "district": yuexiu.pk,
            "service_types": [bathing.pk],
            "evidence": image_file("licence.jpg"),
        },
    )

    organisation = ServiceOrganisation.objects.get()
    assert (organisation.coordinator, organisation.status) == (volunteer, "pending")
    assert list(organisation.service_types.all()) == [bathing]
    assert "Dongshan Care Centre" in client.get(reverse("people:me")).content.decode()


def test_profile_page_queries_do_not_grow_with_the_number_of_elders(
    client, proxy, proxy_authorisation, yuexiu
):
    client.force_login(proxy)

    def count():
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("people:me"))
        return len(queries)

    before = count()
    for n in range(3):
        other = make_user(f"+861370000000{n}", name=f"Elder {n}")
        make_proxy_authorisation(make_elder_profile(other, yuexiu, sequence=f"2{n}1"), proxy)

    assert count() == before


def test_current_elder_follows_the_switch_and_forgets_revoked_authorisations(
    rf, proxy, proxy_authorisation, elder
):
    request = rf.get("/")
    request.user = proxy
    request.session = {"acting_for_elder": proxy_authorisation.elder_id}

    assert current_elder(request) == proxy_authorisation.elder
    services.revoke_proxy(proxy_authorisation, by=elder)
    assert current_elder(request) is None


def test_form_errors_speak_chinese_on_chinese_pages(client, volunteer, yuexiu):
    client.force_login(volunteer)
    bad = ADULT_ID[:-1] + ("0" if ADULT_ID[-1] != "0" else "1")

    with translation.override("zh-hans"):
        url = reverse("people:volunteer")
    response = client.post(url, volunteer_data(yuexiu, id_number=bad))

    assert url.startswith("/zh-hans/")
    assert "请逐位核对" in response.content.decode()
