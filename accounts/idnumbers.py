"""Mainland resident identity numbers (居民身份证号码, GB 11643-1999).

Eighteen characters: a six-digit area code, the birth date as YYYYMMDD, a
three-digit sequence and a check character (0-9 or X) computed over the
first seventeen digits with the ISO 7064 MOD 11-2 weights below.
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHECK_CHARACTERS = "10X98765432"
SHAPE = re.compile(r"^\d{17}[\dX]$")


def check_character(first_seventeen):
    total = sum(int(digit) * weight for digit, weight in zip(first_seventeen, WEIGHTS, strict=True))
    return CHECK_CHARACTERS[total % 11]


def normalize_resident_id(value):
    """Return the number in upper case, or raise ValidationError saying what is wrong."""
    number = "".join(str(value).split()).upper()
    if not SHAPE.match(number):
        raise ValidationError(
            _("A resident ID number has 18 characters: 17 digits and a final digit or X."),
            code="id_shape",
        )
    if check_character(number[:17]) != number[17]:
        raise ValidationError(
            _("This resident ID number is not valid: please check every digit."),
            code="id_check_digit",
        )
    birth = birth_date_from_id(number)
    if birth is None or birth > timezone.localdate() or birth.year < 1900:
        raise ValidationError(
            _("The birth date inside this resident ID number is not a real date."),
            code="id_birth_date",
        )
    return number


def birth_date_from_id(number):
    try:
        return datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


def age_on(birth_date, day):
    """Whole years completed on `day`."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def mask_resident_id(number):
    """What everyone but verifying staff sees: 440***********123X."""
    if not number:
        return ""
    return f"{number[:3]}{'*' * 11}{number[-4:]}"


def mask_name(name):
    """陈婆婆 → 陈**: enough for a volunteer to greet the right person."""
    if not name:
        return ""
    return name[0] + "*" * (len(name) - 1)
