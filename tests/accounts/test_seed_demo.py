import io

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from accounts.models import ElderProfile, StaffScope, User, VolunteerProfile, may_act_for
from timebank.management.commands.seed_demo import DEMO_PASSWORD, DEMO_TOTP_SECRET


def test_seed_demo_gives_the_personas_profiles_and_can_run_twice(db):
    call_command("seed_demo", stdout=None)
    call_command("seed_demo", stdout=None)

    elder = ElderProfile.objects.get(user__phone="+8613800000001")
    assert elder.has_verified_category()
    assert may_act_for(User.objects.get(phone="+8613800000002"), elder)
    assert VolunteerProfile.objects.verified().get().user.phone == "+8613800000003"
    assert StaffScope.objects.get().district.code == "yuexiu"


def test_seed_demo_enrols_only_the_staff_with_the_documented_secret_and_can_run_twice(db):
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())

    enrolled = Authenticator.objects.values_list("user__email", "type")
    assert sorted(enrolled) == sorted(
        (email, kind)
        for email in ["staff.yuexiu@example.org", "admin@example.org"]
        for kind in [Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES]
    )
    secrets = {a.data["secret"] for a in Authenticator.objects.filter(type="totp")}
    assert secrets == {DEMO_TOTP_SECRET}
    assert DEMO_TOTP_SECRET in (settings.BASE_DIR / "README.md").read_text()


def test_demo_staff_log_in_with_the_code_demo_totp_code_prints(client, db):
    call_command("seed_demo", stdout=io.StringIO())
    printed = io.StringIO()
    call_command("demo_totp_code", stdout=printed)

    client.post(
        reverse("account_login"), {"login": "staff.yuexiu@example.org", "password": DEMO_PASSWORD}
    )
    response = client.post(reverse("mfa_authenticate"), {"code": printed.getvalue().strip()})

    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200
