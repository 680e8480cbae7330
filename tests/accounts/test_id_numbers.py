import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts import services
from accounts.idnumbers import mask_resident_id, normalize_resident_id
from tests.conftest import image_file, make_id_number

birth_dates = st.dates(min_value=datetime.date(1920, 1, 1), max_value=datetime.date(2005, 12, 31))
areas = st.integers(min_value=110000, max_value=659999).map(str)
sequences = st.integers(min_value=0, max_value=999).map(lambda n: f"{n:03d}")


@given(birth=birth_dates, area=areas, sequence=sequences)
def test_generated_valid_numbers_pass(birth, area, sequence):
    number = make_id_number(birth, area=area, sequence=sequence)

    assert normalize_resident_id(number) == number


@given(
    birth=birth_dates,
    position=st.integers(min_value=0, max_value=16),
    delta=st.integers(min_value=1, max_value=9),
)
def test_any_single_digit_change_fails(birth, position, delta):
    number = make_id_number(birth)
    changed = str((int(number[position]) + delta) % 10)
    tampered = number[:position] + changed + number[position + 1 :]

    with pytest.raises(ValidationError):
        normalize_resident_id(tampered)


def test_lower_case_x_is_accepted_and_stored_upper_case():
    # 11010519491231002X is the standard's own example.
    assert normalize_resident_id("11010519491231002x") == "11010519491231002X"


@pytest.mark.parametrize("value", ["1234", "11010519491231002Y", "110105194912310021 0"])
def test_wrongly_shaped_numbers_are_refused(value):
    with pytest.raises(ValidationError):
        normalize_resident_id(value)


def test_masked_number_shows_only_the_ends():
    assert mask_resident_id("11010519491231002X") == "110***********002X"


# The refusal comes before any write, so one user serves every example.
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(age_days=st.integers(min_value=1, max_value=18 * 365 - 10))
def test_volunteers_under_18_are_refused(volunteer, yuexiu, age_days):
    birth = timezone.localdate() - datetime.timedelta(days=age_days)

    with pytest.raises(services.PeopleError, match="at least 18"):
        services.save_volunteer_profile(
            real_name="Young",
            id_number=make_id_number(birth),
            district=yuexiu,
            health_declared=True,
            evidence=image_file(),
            by=volunteer,
        )


def test_an_18_year_old_may_volunteer(volunteer, yuexiu):
    birth = timezone.localdate().replace(year=timezone.localdate().year - 18)

    profile = services.save_volunteer_profile(
        real_name="Adult",
        id_number=make_id_number(birth - datetime.timedelta(days=1)),
        district=yuexiu,
        health_declared=True,
        evidence=image_file(),
        by=volunteer,
    )

    assert profile.status == "pending"
