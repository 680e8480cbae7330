"""Profiles whose only served district is their own lose that stored choice, so the
own-district default follows a volunteer who moves; real choices stay."""

import pytest

from tests.conftest import make_user, make_volunteer_profile
from tests.rewards.test_certificate_status_migration import migrate

BEFORE = [("accounts", "0012_city_volunteer_number")]
AFTER = [("accounts", "0013_own_district_is_no_choice")]


@pytest.fixture(autouse=True)
def latest_afterwards(transactional_db):
    """The tests after these on the same database need every table of the latest migrations."""
    yield
    migrate()


def test_the_own_district_stored_alone_becomes_no_choice(yuexiu, haizhu):
    own_only = make_volunteer_profile(make_user("+8613900001001"), yuexiu, sequence="401")
    own_only.serve_districts.set([yuexiu])
    two = make_volunteer_profile(make_user("+8613900001002"), yuexiu, sequence="402")
    two.serve_districts.set([yuexiu, haizhu])
    other_only = make_volunteer_profile(make_user("+8613900001003"), yuexiu, sequence="403")
    other_only.serve_districts.set([haizhu])
    migrate(BEFORE)

    new = migrate(AFTER)

    chosen = new.get_model("accounts", "VolunteerProfile").serve_districts.through.objects
    assert sorted(chosen.values_list("volunteerprofile_id", "district_id")) == sorted(
        [(two.pk, yuexiu.pk), (two.pk, haizhu.pk), (other_only.pk, haizhu.pk)]
    )
