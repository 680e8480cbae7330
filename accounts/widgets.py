from django import forms


class IsoDateInput(forms.DateInput):
    """The browser's date picker, whose value must be ISO (2026-01-01) in every
    language: it rejects the Chinese site's 2026/01/01 and shows an empty field."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class StreetSelect(forms.Select):
    """Each street names its district, so that static/js/streets.js shows only
    the streets of the district chosen in the select `district_id`."""

    def __init__(self, district_id="id_district", attrs=None):
        super().__init__({"data-district-select": district_id, **(attrs or {})})

    class Media:
        js = ["js/streets.js"]

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        street = getattr(value, "instance", None)
        if street is not None:
            option["attrs"]["data-district"] = str(street.district_id)
        return option
