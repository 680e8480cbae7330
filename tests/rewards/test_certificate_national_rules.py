"""Certificates carry what the national rules list (志愿服务记录与证明出具办法), and the
public check shows no more than it should."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditLog, ScopeLevel, StaffScope
from credits.models import ServiceRecord
from rewards.models import CertificateIssuer
from rewards.services import RewardsError, issue_certificate, issuer_for
from tests.conftest import make_service_type, make_staff, make_user, make_volunteer_profile
from tests.orders.conftest import give_welfare_category, place
from tests.rewards.conftest import allow_rewards, make_issuer, serve

pytestmark = pytest.mark.django_db

JANUARY = (datetime.date(2026, 1, 1), datetime.date(2026, 1, 31))


@pytest.fixture
def served_order(volunteer, volunteer_profile, elder_profile):
    """90 minutes for one of the elder's orders, in January: a service with content and place."""
    order = place(give_welfare_category(elder_profile), make_service_type("cleaning"))
    return ServiceRecord.objects.create(
        volunteer=volunteer,
        minutes=90,
        served_on=datetime.date(2026, 1, 12),
        credited=1,
        pooled=0,
        reference=order.reference,
        idempotency_key="served:order",
    )


@pytest.fixture
def certificate(volunteer, volunteer_profile, yuexiu, served_order):
    make_issuer(yuexiu, name="Yuexiu Volunteers Federation")
    serve(volunteer, 7, on=datetime.date(2026, 1, 10))
    return issue_certificate(*JANUARY, by=volunteer)


# The issuer -----------------------------------------------------------------


def test_the_districts_issuer_signs_and_the_city_signs_where_a_district_has_none(
    yuexiu, haizhu, city_issuer
):
    yuexiu_issuer = make_issuer(yuexiu, name="Yuexiu Volunteers Federation")

    assert issuer_for(yuexiu.pk) == yuexiu_issuer
    assert issuer_for(haizhu.pk) == city_issuer
    assert issuer_for(None) == city_issuer


def test_a_volunteer_of_a_district_without_an_issuer_gets_the_citys(
    volunteer, other_volunteer, volunteer_profile, haizhu, yuexiu
):
    make_volunteer_profile(other_volunteer, haizhu, sequence="131")
    make_issuer(yuexiu, name="Yuexiu Volunteers Federation")
    for person in (volunteer, other_volunteer):
        serve(person, 3, on=datetime.date(2026, 1, 10))

    mine = issue_certificate(*JANUARY, by=volunteer)
    theirs = issue_certificate(*JANUARY, by=other_volunteer)

    assert mine.issuer_name == "Yuexiu Volunteers Federation"
    assert (theirs.issuer_name, theirs.issuer_person_in_charge) == (
        "Guangzhou Volunteers Federation",
        "Head of Guangzhou Volunteers Federation",
    )
    assert theirs.issuer_handler == "Clerk of Guangzhou Volunteers Federation"
    assert theirs.issuer_contact == "020-1234 5678"


def test_no_certificate_before_staff_say_who_issues_them(volunteer, volunteer_profile):
    CertificateIssuer.objects.all().delete()
    serve(volunteer, 3, on=datetime.date(2026, 1, 10))

    with pytest.raises(RewardsError, match="who issues them"):
        issue_certificate(*JANUARY, by=volunteer)


def test_a_certificate_keeps_the_issuer_of_the_day_it_was_issued(certificate, yuexiu):
    CertificateIssuer.objects.filter(district=yuexiu).update(person_in_charge="A successor")

    certificate.refresh_from_db()

    assert certificate.issuer_person_in_charge == "Head of Yuexiu Volunteers Federation"


def test_one_issuer_per_district_and_one_for_the_city(yuexiu):
    make_issuer(yuexiu, name="First")
    for district in (yuexiu, None):  # the city's row comes from the autouse fixture
        with pytest.raises(IntegrityError), transaction.atomic():
            make_issuer(district, name="Second")


def test_a_second_issuer_for_an_area_is_refused_in_words_staff_read(yuexiu):
    from django.core.exceptions import ValidationError

    make_issuer(yuexiu, name="First")
    second = CertificateIssuer(district=yuexiu, name="Second", person_in_charge="A", handler="B")

    with pytest.raises(ValidationError, match="already has an issuer"):
        second.validate_constraints()


# The volunteer's certificate -----------------------------------------------------------


def test_the_certificate_carries_every_item_the_rules_list(client, volunteer, certificate):
    profile = volunteer.volunteer_profile
    client.force_login(volunteer)

    page = client.get(reverse("rewards:certificate_print", args=[certificate.serial]))

    text = page.content.decode()
    items = {
        "name": profile.real_name,
        "ID type": "Resident identity card",
        "ID number, printed": f'<span class="print-only">{profile.id_number}</span>',
        "ID number, on screen": f'<span class="no-print">{profile.masked_id_number}</span>',
        "volunteer number": profile.volunteer_number,
        "period": "2026-01-01 – 2026-01-31",
        "hours": "<dd>8</dd>",
        "service day, content and hours": "2026-01-12: Order ",
        "service content": "· cleaning, 1.5 h",
        "service place": "Yuexiu Beijing Jie",
        "issuer": "Yuexiu Volunteers Federation",
        "person in charge": "Head of Yuexiu Volunteers Federation",
        "handler": "Clerk of Yuexiu Volunteers Federation",
        "contact": "020-1234 5678",
        "certificate number": certificate.serial,
        "issue date": f"{timezone.localtime(certificate.issued_at):%Y-%m-%d}",
    }
    missing = [item for item, shown in items.items() if shown not in text]
    assert missing == []
    assert text.count(profile.id_number) == 1  # only where it prints


def test_another_persons_certificate_is_not_theirs_to_print(client, other_volunteer, certificate):
    client.force_login(other_volunteer)

    response = client.get(reverse("rewards:certificate_print", args=[certificate.serial]))

    assert response.status_code == 404


# The public check -----------------------------------------------------------------


def test_the_public_check_shows_only_what_the_rules_allow(client, volunteer, certificate):
    profile = volunteer.volunteer_profile

    text = client.get(reverse("rewards:certificate", args=[certificate.serial])).content.decode()

    for shown in (
        certificate.serial,
        "L***********",
        "<dd>8</dd>",
        f"{timezone.localtime(certificate.issued_at):%Y-%m-%d}",
        "Yuexiu Volunteers Federation",
    ):
        assert shown in text
    for hidden in (
        profile.real_name,
        profile.id_number,
        profile.masked_id_number,
        profile.id_number[-4:],
        profile.volunteer_number,
        "Beijing Jie",  # no place, no address
        "Head of Yuexiu",
        "Clerk of Yuexiu",
        "020-1234 5678",
    ):
        assert hidden not in text


# The issuer in the staff site ------------------------------------------------------------


@pytest.fixture
def city_officer(db):
    user = make_user(email="city.officer@example.org", name="City Officer", is_staff=True)
    StaffScope.objects.create(user=user, level=ScopeLevel.CITY)
    allow_rewards(user)
    return user


def issuer_form(district, name="Federation"):
    return {
        "district": district.pk if district else "",
        "name": name,
        "person_in_charge": "Head",
        "handler": "Clerk",
        "contact": "020-1",
    }


def test_district_staff_keep_their_districts_issuer_only(
    client, district_staff, yuexiu, haizhu, city_issuer
):
    allow_rewards(district_staff)
    haizhu_issuer = make_issuer(haizhu, name="Haizhu Federation")
    client.force_login(district_staff)
    add = reverse("admin:rewards_certificateissuer_add")

    listed = client.get(reverse("admin:rewards_certificateissuer_changelist")).content.decode()
    for_the_city = client.post(add, issuer_form(None))
    for_haizhu = client.post(add, issuer_form(haizhu))
    for_yuexiu = client.post(add, issuer_form(yuexiu, name="Yuexiu Federation"))
    a_second = client.post(add, issuer_form(yuexiu, name="Second Yuexiu Federation"))
    change_city = client.get(
        reverse("admin:rewards_certificateissuer_change", args=[city_issuer.pk])
    )
    change_haizhu = client.post(
        reverse("admin:rewards_certificateissuer_change", args=[haizhu_issuer.pk]),
        issuer_form(haizhu, name="Taken over"),
    )

    assert "Guangzhou Volunteers Federation" not in listed
    assert "Haizhu Federation" not in listed
    assert for_the_city.status_code == 200  # the form again: a district is required
    assert for_haizhu.status_code == 200
    assert for_yuexiu.status_code == 302
    assert a_second.status_code == 403  # one per district: now they change it
    assert change_city.status_code == 302  # redirected away: not theirs to see
    assert change_haizhu.status_code == 302
    assert set(CertificateIssuer.objects.values_list("name", flat=True)) == {
        "Guangzhou Volunteers Federation",
        "Haizhu Federation",
        "Yuexiu Federation",
    }
    row = AuditLog.objects.get(action="certificateissuer.added")
    assert (row.actor, row.district_id) == (district_staff, yuexiu.pk)


def test_city_staff_keep_the_citys_issuer(client, city_officer, city_issuer):
    client.force_login(city_officer)

    response = client.post(
        reverse("admin:rewards_certificateissuer_change", args=[city_issuer.pk]),
        issuer_form(None, name="Guangzhou Volunteer Service Federation"),
    )

    assert response.status_code == 302
    city_issuer.refresh_from_db()
    assert city_issuer.name == "Guangzhou Volunteer Service Federation"
    assert AuditLog.objects.filter(action="certificateissuer.changed", actor=city_officer).exists()


def test_street_staff_only_read_their_districts_issuer(client, yuexiu):
    street_staff = make_staff("street@example.org", yuexiu, street=yuexiu.streets.get())
    allow_rewards(street_staff)
    issuer = make_issuer(yuexiu, name="Yuexiu Federation")
    client.force_login(street_staff)

    added = client.post(reverse("admin:rewards_certificateissuer_add"), issuer_form(yuexiu))
    changed = client.post(
        reverse("admin:rewards_certificateissuer_change", args=[issuer.pk]),
        issuer_form(yuexiu, name="Changed"),
    )

    assert added.status_code == 403
    assert changed.status_code == 403
    issuer.refresh_from_db()
    assert issuer.name == "Yuexiu Federation"


def test_a_reprint_lists_only_what_the_certificate_counted(volunteer, certificate):
    from rewards.services.certificates import certificate_services

    counted = certificate_services(certificate)
    # Checked in within the period, settled after the certificate was issued.
    serve(volunteer, 3, on=datetime.date(2026, 1, 20))

    assert len(certificate_services(certificate)) == len(counted)
