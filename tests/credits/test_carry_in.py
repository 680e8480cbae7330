"""Hours carried in from another platform: checked on upload, credited once on approval."""

import datetime

import pytest
from django.contrib.admin import helpers
from django.contrib.auth.models import Permission
from django.urls import reverse

from accounts.models import AuditLog
from credits.carrying import approve_statement, import_statement, reject_statement
from credits.management.commands.verify_ledger import check_ledger
from credits.models import CarriedStatement, CarriedStatus, Transfer, TransferKind
from credits.statements import StatementError, build_statement, canonical
from tests.conftest import balance, client_of, make_staff, make_volunteer_profile
from tests.credits.carry import make_platform, statement_file

pytestmark = pytest.mark.django_db

NOW = datetime.datetime.now(datetime.UTC)


@pytest.fixture
def platform():
    return make_platform()


@pytest.fixture
def uploaded(volunteer, volunteer_profile, platform):
    _platform, key = platform
    return import_statement(volunteer, statement_file(key, volunteer_profile), by=volunteer)


def allow_credits(*staff):
    for user in staff:
        user.user_permissions.add(*Permission.objects.filter(content_type__app_label="credits"))


# Upload ----------------------------------------------------------------------------


def test_a_good_statement_waits_for_staff_and_credits_nothing_yet(uploaded, volunteer, platform):
    assert uploaded.status == CarriedStatus.PENDING
    assert (uploaded.platform, uploaded.credits, uploaded.hours_served) == (platform[0], 12, 30)
    assert uploaded.district == volunteer.volunteer_profile.district
    assert balance(volunteer) == 0
    assert uploaded.document["signature"]  # kept as signed
    assert not AuditLog.objects.exists()  # a person's own upload is no staff decision


@pytest.mark.parametrize(
    ("figures", "refusal"),
    [
        ({"issued_at": NOW + datetime.timedelta(hours=1)}, "dated in the future"),
        ({"issued_at": NOW - datetime.timedelta(days=31)}, "older than 30 days"),
        ({"balance": 0}, "no credits to carry in"),
        ({"balance": -3}, "not an hours statement"),
        ({"balance": 2.5}, "not an hours statement"),
        ({"balance": True}, "not an hours statement"),
        ({"statement_id": "x" * 65}, "not an hours statement"),
    ],
    ids=["future", "expired", "nothing", "negative", "fraction", "boolean", "long id"],
)
def test_statements_that_cannot_be_used_are_refused(
    volunteer, volunteer_profile, platform, figures, refusal
):
    with pytest.raises(StatementError, match=refusal):
        import_statement(
            volunteer, statement_file(platform[1], volunteer_profile, **figures), by=volunteer
        )
    assert not CarriedStatement.objects.exists()


def test_someone_elses_statement_is_refused(
    volunteer, volunteer_profile, other_volunteer, yuexiu, platform
):
    theirs = make_volunteer_profile(other_volunteer, yuexiu, sequence="131")

    with pytest.raises(StatementError, match="about someone else"):
        import_statement(volunteer, statement_file(platform[1], theirs), by=volunteer)


@pytest.mark.parametrize(
    "data", [b"", b"not json", b"[]", b'{"statement": {}}', "中文".encode("utf-16")]
)
def test_files_that_are_not_statements_are_refused(volunteer, volunteer_profile, platform, data):
    with pytest.raises(StatementError, match="not an hours statement"):
        import_statement(volunteer, data, by=volunteer)


def test_a_tampered_statement_is_refused_on_upload(volunteer, volunteer_profile, platform):
    data = statement_file(platform[1], volunteer_profile).replace(b'"balance":12', b'"balance":99')

    with pytest.raises(StatementError, match="changed after it was signed"):
        import_statement(volunteer, data, by=volunteer)


def test_this_platforms_own_statement_is_not_carried_in(volunteer, volunteer_profile):
    data = canonical(build_statement(volunteer_profile, 5))

    with pytest.raises(StatementError, match="from this platform"):
        import_statement(volunteer, data, by=volunteer)


def test_an_unverified_volunteer_cannot_carry_hours_in(volunteer, yuexiu, platform):
    profile = make_volunteer_profile(volunteer, yuexiu, status="pending")

    with pytest.raises(StatementError, match="verified"):
        import_statement(volunteer, statement_file(platform[1], profile), by=volunteer)


def test_the_same_statement_is_uploaded_once(volunteer, volunteer_profile, platform):
    data = statement_file(platform[1], volunteer_profile)
    import_statement(volunteer, data, by=volunteer)

    with pytest.raises(StatementError, match="already uploaded"):
        import_statement(volunteer, data, by=volunteer)
    assert CarriedStatement.objects.count() == 1


def test_a_second_statement_of_the_same_platform_is_refused_until_one_is_rejected(
    uploaded, volunteer, volunteer_profile, platform, district_staff
):
    second = statement_file(platform[1], volunteer_profile)

    with pytest.raises(StatementError, match="already been carried in"):
        import_statement(volunteer, second, by=volunteer)
    reject_statement(uploaded, by=district_staff, reason="Wrong platform")
    again = import_statement(volunteer, second, by=volunteer)

    assert again.status == CarriedStatus.PENDING


def test_another_document_the_platform_signed_is_not_a_statement(
    volunteer, volunteer_profile, platform
):
    from tests.credits.carry import body_for, signed

    body = {**body_for(volunteer_profile), "format": "something-else/9"}
    with pytest.raises(StatementError, match="not an hours statement"):
        import_statement(volunteer, canonical(signed(platform[1], body)), by=volunteer)


def test_a_platform_switched_off_after_the_upload_credits_nothing(
    uploaded, platform, district_staff, volunteer
):
    platform[0].is_active = False
    platform[0].save()

    with pytest.raises(StatementError, match="no longer trusted"):
        approve_statement(uploaded, by=district_staff)
    assert balance(volunteer) == 0
    assert reject_statement(uploaded, by=district_staff, reason="Key withdrawn").status == (
        CarriedStatus.REJECTED
    )


def test_staff_upload_for_volunteers_of_their_area_only(
    volunteer, volunteer_profile, district_staff, other_district_staff, platform
):
    data = statement_file(platform[1], volunteer_profile)

    with pytest.raises(StatementError, match="outside the area"):
        import_statement(volunteer, data, by=other_district_staff)
    carried = import_statement(volunteer, data, by=district_staff)

    assert carried.uploaded_by == district_staff
    assert AuditLog.objects.filter(
        action="carriedstatement.uploaded", actor=district_staff
    ).exists()


# Decision ----------------------------------------------------------------------------------


def test_approval_credits_the_hours_once_with_a_plain_passbook_line(
    client, uploaded, volunteer, district_staff
):
    approved = approve_statement(uploaded, by=district_staff)

    assert approved.status == CarriedStatus.APPROVED
    assert balance(volunteer) == 12
    transfer = Transfer.objects.get(kind=TransferKind.CARRY_IN)
    assert (
        transfer.idempotency_key == f"carry_in:{uploaded.platform.key_id}:{uploaded.statement_id}"
    )
    assert approved.transfer == transfer
    with pytest.raises(StatementError, match="already Carried in"):
        approve_statement(uploaded, by=district_staff)
    assert balance(volunteer) == 12
    row = AuditLog.objects.get(action="carriedstatement.approved")
    assert (row.actor, row.before, row.after) == (
        district_staff,
        {"status": "pending"},
        {"status": "approved"},
    )
    assert check_ledger()[0] == []
    client.force_login(volunteer)
    page = client.get(reverse("credits:mine")).content.decode()
    assert "Hours carried in from Shenzhen Time Bank" in page


def test_staff_who_uploaded_a_statement_do_not_approve_it(
    volunteer, volunteer_profile, district_staff, yuexiu, platform
):
    second_staff = make_staff("second@example.org", yuexiu)
    carried = import_statement(
        volunteer, statement_file(platform[1], volunteer_profile), by=district_staff
    )

    with pytest.raises(StatementError, match="did not upload"):
        approve_statement(carried, by=district_staff)
    approve_statement(carried, by=second_staff)
    assert balance(volunteer) == 12


def test_staff_of_another_district_cannot_decide(uploaded, other_district_staff, volunteer):
    for decide in (
        lambda: approve_statement(uploaded, by=other_district_staff),
        lambda: reject_statement(uploaded, by=other_district_staff, reason="No"),
    ):
        with pytest.raises(StatementError, match="outside the area"):
            decide()
    assert balance(volunteer) == 0


def test_rejection_needs_a_reason_and_credits_nothing(uploaded, district_staff, volunteer):
    with pytest.raises(StatementError, match="reason"):
        reject_statement(uploaded, by=district_staff, reason="  ")

    rejected = reject_statement(uploaded, by=district_staff, reason="Hours already spent there")

    assert (rejected.status, rejected.decision_reason) == (
        CarriedStatus.REJECTED,
        "Hours already spent there",
    )
    assert balance(volunteer) == 0
    with pytest.raises(StatementError, match="already Rejected"):
        approve_statement(uploaded, by=district_staff)
    page = client_of(volunteer).get(reverse("credits:carry_in")).content.decode()
    assert "Hours already spent there" in page


# Pages -----------------------------------------------------------------------------------------


def test_a_volunteer_uploads_on_the_site_and_sees_it_wait(
    client, volunteer, volunteer_profile, platform
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(volunteer)
    upload = SimpleUploadedFile("s.json", statement_file(platform[1], volunteer_profile))

    response = client.post(reverse("credits:carry_in"), {"statement": upload}, follow=True)

    assert "Staff will confirm it" in response.content.decode()
    assert "12 credits from Shenzhen Time Bank — Waiting for staff" in response.content.decode()
    assert CarriedStatement.objects.get().volunteer == volunteer


def test_a_tampered_upload_on_the_site_says_why(client, volunteer, volunteer_profile, platform):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(volunteer)
    data = statement_file(platform[1], volunteer_profile).replace(
        b'"hours_served":30', b'"hours_served":31'
    )

    response = client.post(
        reverse("credits:carry_in"), {"statement": SimpleUploadedFile("s.json", data)}
    )

    assert response.status_code == 200
    assert "changed after it was signed" in response.content.decode()
    assert not CarriedStatement.objects.exists()


def test_staff_approve_in_the_admin(client, uploaded, district_staff, volunteer):
    allow_credits(district_staff)
    client.force_login(district_staff)

    client.post(
        reverse("admin:credits_carriedstatement_changelist"),
        {"action": "approve_selected", helpers.ACTION_CHECKBOX_NAME: [uploaded.pk]},
        follow=True,
    )

    assert balance(volunteer) == 12


def test_only_city_staff_register_platforms(client, district_staff, city_staff):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from credits.keys import key_id_of, public_key_text

    allow_credits(district_staff)
    public_key = Ed25519PrivateKey.generate().public_key()
    form = {
        "name": "Foshan Time Bank",
        "key_id": key_id_of(public_key),
        "public_key": public_key_text(public_key),
        "is_active": "on",
        "created_at_0": "2026-12-01",
        "created_at_1": "09:00:00",
    }
    add = reverse("admin:credits_trustedplatform_add")

    client.force_login(district_staff)
    assert client.post(add, form).status_code == 403
    client.force_login(city_staff)
    wrong_id = client.post(add, {**form, "key_id": "0" * 16})
    not_a_key = client.post(add, {**form, "public_key": "bm90IGEga2V5"})
    added = client.post(add, form)

    assert "not the one of this public key" in wrong_id.content.decode()
    assert "not an Ed25519 public key" in not_a_key.content.decode()
    assert added.status_code == 302
    assert AuditLog.objects.filter(action="trustedplatform.added", actor=city_staff).exists()
