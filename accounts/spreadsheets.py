"""CSV for staff exports and API clients alike: UTF-8 that Excel reads, cells never formulas."""

from decimal import Decimal

from django.http import HttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_response(filename):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # so that Excel reads the Chinese as UTF-8
    return response


def safe_cell(value):
    """A cell as a spreadsheet should show it: numbers stay numbers, text is never a formula.

    Spreadsheets read text starting with one of `FORMULA_STARTS` as a formula
    (tab and carriage return too, once trimmed); a leading quote makes it text.
    """
    if isinstance(value, int | float | Decimal):
        return value
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def safe_row(values):
    return [safe_cell(value) for value in values]
