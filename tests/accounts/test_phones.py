import pytest
from django.core.exceptions import ValidationError

from accounts.phones import mask_mobiles_in, normalize_mobile


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


@pytest.mark.parametrize(
    "text",
    [
        "Call 13800138000 now",
        "Call +8613800138000 now",
        "Call +86 138 0013 8000 now",
        "Call 138-0013-8000 now",
    ],
)
def test_a_mobile_number_in_a_text_is_masked(text):
    assert mask_mobiles_in(text) == "Call 138****8000 now"


def test_masking_leaves_codes_and_other_digits_alone():
    text = "Code 654321, order 2030060312345678, number 12800138000."

    assert mask_mobiles_in(text) == text
