"""Mainland China mobile numbers: what we accept and how we store them."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAINLAND_MOBILE = re.compile(r"^1[3-9]\d{9}$")
# A mainland mobile inside free text, with or without the country code and separators.
MOBILE_IN_TEXT = re.compile(r"(?<!\d)(?:\+?86[ -]?)?(1[3-9]\d)[ -]?\d{4}[ -]?(\d{4})(?!\d)")


def normalize_mobile(value):
    """Return `+86` and the 11 digits, or raise ValidationError.

    People type numbers with spaces, dashes, a `+86`/`86`/`0086` prefix or
    full-width digits; all of those mean the same phone.
    """
    digits = "".join(ch for ch in str(value) if ch.isdigit() or ch == "+")
    digits = digits.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    for prefix in ("+86", "0086", "86"):
        if digits.startswith(prefix) and len(digits) - len(prefix) == 11:
            digits = digits[len(prefix) :]
            break
    if not MAINLAND_MOBILE.match(digits):
        raise ValidationError(
            _("Enter an 11-digit mainland mobile number, for example 13800138000."),
            code="invalid_phone",
        )
    return "+86" + digits


class MobileNumberField(forms.CharField):
    default_error_messages = {
        "required": _("Enter your mobile number."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Mobile number"))
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={
                    "type": "tel",
                    "autocomplete": "tel",
                    "inputmode": "tel",
                    "placeholder": "13800138000",
                }
            ),
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return value
        return normalize_mobile(value)


def mask_mobile(number):
    """The number as others may see it: 138****8000."""
    local = number.removeprefix("+86")
    return f"{local[:3]}****{local[-4:]}"


def mask_mobiles_in(text):
    """`text` with every mainland mobile number in it masked the same way."""
    return MOBILE_IN_TEXT.sub(lambda match: f"{match[1]}****{match[2]}", text)
