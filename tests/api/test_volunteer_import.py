"""POST /api/v1/volunteers/import: volunteers a city system verified, matched, never duplicated."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import AuditLog, User, VerificationStatus, VolunteerProfile
from tests.api.machine import KeyClient, make_api_client
from tests.conftest import make_id_number, make_user, make_volunteer_profile, run_together

ID_NUMBER = make_id_number(datetime.date(1962, 4, 5), sequence="311")


def row(**changes):
    return {
        "external_number": "GZ-0001",
        "name": "Huang Volunteer",
        "id_number": ID_NUMBER,
        "phone": "139 0000 7777",
        "district": "yuexiu",
        "street": "北京街",
        **changes,
    }


@pytest.fixture
def importer(yuexiu):
    return make_api_client(may_import_volunteers=True, may_read_records=False)[1]


def send(key, batch):
    response = KeyClient(key).post("/volunteers/import", batch)
    assert response.status_code == 200, response.content
    return response.json()


def results(report):
    return [(r["external_number"], r["result"]) for r in report["rows"]]


def test_a_new_volunteer_gets_an_account_and_a_verified_profile(importer, yuexiu):
    report = send(importer, [row()])

    profile = VolunteerProfile.objects.get(external_number="GZ-0001")
    assert results(report) == [("GZ-0001", "created")]
    assert report["rows"][0]["volunteer_number"] == profile.volunteer_number
    assert (profile.real_name, profile.id_number, profile.district) == (
        "Huang Volunteer",
        ID_NUMBER,
        yuexiu,
    )
    assert profile.street.name_zh == "北京街"
    assert profile.status == VerificationStatus.VERIFIED
    # Normalised as signup normalises it; theirs to verify when they sign up.
    assert (profile.user.phone, profile.user.phone_verified) == ("+8613900007777", False)
    assert not profile.user.has_usable_password()
    (entry,) = AuditLog.objects.filter(action="volunteerprofile.imported")
    assert entry.after == {"external_number": "GZ-0001", "result": "created"}


def test_the_same_batch_twice_changes_nothing_the_second_time(importer):
    batch = [
        row(),
        row(
            external_number="GZ-0002",
            id_number=make_id_number(datetime.date(1970, 1, 2), sequence="312"),
            phone="13900007778",
        ),
    ]
    send(importer, batch)
    users = User.objects.count()

    report = send(importer, batch)

    assert results(report) == [("GZ-0001", "unchanged"), ("GZ-0002", "unchanged")]
    assert report["counts"] == {"unchanged": 2}
    assert User.objects.count() == users


def test_a_known_phone_is_linked_not_given_a_second_account(importer, volunteer, yuexiu):
    profile = make_volunteer_profile(volunteer, yuexiu)
    users = User.objects.count()

    report = send(
        importer, [row(name=volunteer.name, id_number=profile.id_number, phone=volunteer.phone)]
    )

    profile.refresh_from_db()
    assert results(report) == [("GZ-0001", "linked")]
    assert profile.external_number == "GZ-0001"
    assert User.objects.count() == users


@pytest.mark.parametrize("verified", [True, False])
def test_an_account_found_by_its_phone_alone_is_a_conflict_and_is_left_alone(
    importer, volunteer, verified
):
    """Numbers are recycled: a phone alone never puts someone's identity on an account."""
    User.objects.filter(pk=volunteer.pk).update(phone_verified=verified)
    users = User.objects.count()

    report = send(importer, [row(phone="13900000003")])

    assert results(report) == [("GZ-0001", "conflict")]
    assert not VolunteerProfile.objects.filter(user=volunteer).exists()
    assert User.objects.count() == users


def test_a_profile_staff_rejected_stays_rejected(importer, volunteer, yuexiu):
    profile = make_volunteer_profile(volunteer, yuexiu, status=VerificationStatus.PENDING)
    VolunteerProfile.objects.filter(pk=profile.pk).update(
        status=VerificationStatus.REJECTED, decision_reason="Certificate unreadable"
    )

    report = send(importer, [row(name=profile.real_name, id_number=profile.id_number, phone=None)])

    profile.refresh_from_db()
    assert results(report) == [("GZ-0001", "conflict")]
    assert (profile.status, profile.external_number) == (VerificationStatus.REJECTED, None)


def test_a_staff_account_holding_the_id_number_is_never_linked(importer, yuexiu):
    staff = make_user("+8613900005555", name="Staff Person", is_staff=True)
    profile = make_volunteer_profile(staff, yuexiu)

    report = send(importer, [row(name=profile.real_name, id_number=profile.id_number, phone=None)])

    profile.refresh_from_db()
    assert results(report) == [("GZ-0001", "conflict")]
    assert profile.external_number is None


def test_every_conflict_says_the_same_words(importer, volunteer, elder_profile):
    """The answers must not tell a client which of a person's details are on record."""
    send(importer, [row(external_number="GZ-0005")])
    stranger = make_id_number(datetime.date(1970, 1, 2), sequence="411")
    reports = [
        send(importer, [row(phone="13900000003", id_number=stranger)]),
        send(importer, [row(id_number=elder_profile.id_number, phone=volunteer.phone)]),
        send(importer, [row(external_number="GZ-0005", name="Somebody Else")]),
        send(importer, [row(external_number="GZ-9999")]),
    ]

    messages = {report["rows"][0]["message"] for report in reports}
    assert [results(report)[0][1] for report in reports] == ["conflict"] * 4
    assert len(messages) == 1


def test_a_known_id_number_of_an_elder_gets_a_volunteer_profile_on_that_account(
    importer, elder_profile
):
    users = User.objects.count()

    report = send(importer, [row(name=elder_profile.real_name, id_number=elder_profile.id_number)])

    assert results(report) == [("GZ-0001", "linked")]
    assert VolunteerProfile.objects.get(external_number="GZ-0001").user == elder_profile.user
    assert User.objects.count() == users


def test_phone_and_id_number_of_two_people_is_a_conflict(importer, volunteer, elder_profile):
    report = send(importer, [row(id_number=elder_profile.id_number, phone=volunteer.phone)])

    assert results(report) == [("GZ-0001", "conflict")]
    assert not VolunteerProfile.objects.filter(external_number="GZ-0001").exists()


def test_a_city_number_linked_to_someone_else_is_a_conflict_and_nothing_is_overwritten(importer):
    send(importer, [row()])

    report = send(importer, [row(name="Somebody Else")])

    assert results(report) == [("GZ-0001", "conflict")]
    assert VolunteerProfile.objects.get(external_number="GZ-0001").real_name == "Huang Volunteer"


def test_a_person_linked_to_another_city_number_is_a_conflict(importer):
    send(importer, [row()])

    report = send(importer, [row(external_number="GZ-9999")])

    assert results(report) == [("GZ-9999", "conflict")]


def test_an_account_found_with_another_name_is_a_conflict(importer, volunteer, yuexiu):
    profile = make_volunteer_profile(volunteer, yuexiu)

    report = send(importer, [row(name="Not The Same", id_number=profile.id_number, phone=None)])

    assert results(report) == [("GZ-0001", "conflict")]
    profile.refresh_from_db()
    assert profile.external_number is None


@pytest.mark.parametrize(
    "changes",
    [
        {"id_number": "440104196204053110"},  # a wrong check digit
        {"phone": "12345"},
        {"district": "nowhere"},
        {"street": "No Such Jie"},
        {"name": "   "},
        {"external_number": " "},
        {"id_number": make_id_number(timezone.localdate() - datetime.timedelta(days=3650))},
    ],
)
def test_a_row_that_is_not_valid_changes_nothing_and_says_why(importer, changes):
    report = send(importer, [row(**changes)])

    assert report["rows"][0]["result"] == "invalid"
    assert report["rows"][0]["message"]
    assert not VolunteerProfile.objects.exists()


def test_a_bad_row_does_not_undo_the_good_ones(importer):
    report = send(importer, [row(), row(external_number="GZ-0002", id_number="bad")])

    assert results(report) == [("GZ-0001", "created"), ("GZ-0002", "invalid")]
    assert VolunteerProfile.objects.filter(external_number="GZ-0001").exists()


def test_a_district_client_brings_in_only_its_district(yuexiu, haizhu):
    _client, key = make_api_client(yuexiu, may_import_volunteers=True)

    report = send(key, [row(district="haizhu", street=None), row(external_number="GZ-2")])

    assert results(report) == [("GZ-0001", "refused"), ("GZ-2", "created")]


def test_a_district_client_cannot_link_a_volunteer_of_another_district(yuexiu, haizhu, volunteer):
    profile = make_volunteer_profile(volunteer, haizhu)
    _client, key = make_api_client(yuexiu, may_import_volunteers=True)

    report = send(key, [row(name=volunteer.name, id_number=profile.id_number, phone=None)])

    assert results(report) == [("GZ-0001", "conflict")]
    profile.refresh_from_db()
    assert profile.external_number is None


def test_a_client_without_the_permission_is_refused(yuexiu):
    _client, key = make_api_client()

    response = KeyClient(key).post("/volunteers/import", [row()])

    assert (response.status_code, response.json()["code"]) == (403, "not_allowed")
    assert not VolunteerProfile.objects.exists()


@pytest.mark.parametrize("body", [{"external_number": "x"}, [{"name": "x"}], "text", [row()] * 501])
def test_a_body_that_is_not_a_batch_is_invalid(importer, body):
    response = KeyClient(importer).post("/volunteers/import", body)

    assert (response.status_code, response.json()["code"]) == (422, "invalid")


@pytest.mark.django_db(transaction=True)
def test_one_volunteer_sent_twice_at_once_gets_one_account(yuexiu):
    _client, key = make_api_client(may_import_volunteers=True)

    answers = run_together(*[lambda: KeyClient(key).post("/volunteers/import", [row()])] * 2)

    found = sorted(answer.json()["rows"][0]["result"] for answer in answers)
    assert found in (["conflict", "created"], ["created", "unchanged"])
    assert User.objects.filter(phone="+8613900007777").count() == 1
    assert VolunteerProfile.objects.filter(id_number=ID_NUMBER).count() == 1
