from django.core.management import call_command

from accounts.models import ElderProfile, StaffScope, User, VolunteerProfile, may_act_for


def test_seed_demo_gives_the_personas_profiles_and_can_run_twice(db):
    call_command("seed_demo", stdout=None)
    call_command("seed_demo", stdout=None)

    elder = ElderProfile.objects.get(user__phone="+8613800000001")
    assert elder.has_verified_category()
    assert may_act_for(User.objects.get(phone="+8613800000002"), elder)
    assert VolunteerProfile.objects.verified().get().user.phone == "+8613800000003"
    assert StaffScope.objects.get().district.code == "yuexiu"
