from accounts.codes import ALPHABET, random_code
from accounts.models.people import CARD_CODE_LENGTH, new_card_code


def test_codes_have_the_length_asked_for_and_no_look_alike_characters():
    codes = [random_code(12) for _ in range(200)]

    assert {len(code) for code in codes} == {12}
    assert set("".join(codes)) <= set(ALPHABET)
    assert not set("01OIL") & set(ALPHABET)


def test_service_card_codes_come_from_the_one_generator():
    assert len(new_card_code()) == CARD_CODE_LENGTH
    assert set(new_card_code()) <= set(ALPHABET)
