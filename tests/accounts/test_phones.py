import pytest
from django.core.exceptions import ValidationError

from accounts.phones import normalize_mobile


@pytest.mark.parametrize(
    "typed",
    [
        "13800138000",
        "138 0013 8000",
        "138-0013-8000",
        "+86 13800138000",
        "8613800138000",
        "0086 138 0013 8000",
        "１３８００１３８０００",
    ],
)
def test_common_spellings_of_one_number_are_one_number(typed):
    assert normalize_mobile(typed) == "+8613800138000"


@pytest.mark.parametrize(
    "typed",
    ["", "1380013800", "138001380001", "12800138000", "23800138000", "+1 2025550123", "phone"],
)
def test_anything_but_a_mainland_mobile_is_refused(typed):
    with pytest.raises(ValidationError) as error:
        normalize_mobile(typed)
    assert error.value.code == "invalid_phone"
