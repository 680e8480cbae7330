from django import forms


class IsoDateInput(forms.DateInput):
    """The browser's date picker, whose value must be ISO (2026-01-01) in every
    language: it rejects the Chinese site's 2026/01/01 and shows an empty field."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")
