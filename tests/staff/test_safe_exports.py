"""No exported text becomes a live formula: the report (CSV, Excel) and the admin CSV export."""

import csv
import io

import pytest
from django.utils import translation
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook

from accounts.models import District, ElderProfile
from accounts.spreadsheets import FORMULA_STARTS, safe_cell, safe_row

REPORT = "/en/admin/reports/"
FORMULAS = [start + 'HYPERLINK("http://example.com","x")' for start in FORMULA_STARTS]


def name_district(code, name):
    District.objects.filter(code=code).update(name_en=name)


def csv_lines(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def assert_no_formula(cells):
    for cell in cells:
        assert not (isinstance(cell, str) and cell.startswith(FORMULA_STARTS)), cell


@pytest.mark.parametrize("text", FORMULAS)
def test_text_that_starts_a_formula_gets_a_leading_quote(text):
    assert safe_cell(text) == "'" + text


def test_numbers_and_plain_text_are_kept_as_they_are():
    with translation.override("en"):
        row = safe_row([4, 4.5, "Hours", "—", gettext_lazy("Orders")])

    assert row == [
        4,
        4.5,
        "Hours",
        "—",
        "Orders",
    ]


@pytest.mark.parametrize("name", FORMULAS)
def test_a_district_name_in_the_csv_report_is_text(client, city, district_staff, name):
    name_district("yuexiu", name)
    client.force_login(district_staff)

    lines = csv_lines(client.get(REPORT, {"month": "2030-06", "format": "csv"}))

    assert lines[0][1] == "'" + name
    assert_no_formula(cell for line in lines for cell in line)


@pytest.mark.parametrize("name", FORMULAS)
def test_a_district_name_in_the_excel_report_is_text(client, city, district_staff, name):
    name_district("yuexiu", name)
    client.force_login(district_staff)

    response = client.get(REPORT, {"month": "2030-06", "format": "xlsx"})

    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    # Excel files are XML, which reads a carriage return back as a newline.
    assert sheet["B1"].value == "'" + name.replace("\r", "\n")
    assert all(cell.data_type != "f" for cell in cells)
    assert_no_formula(cell.value for cell in cells)


@pytest.mark.parametrize("name", FORMULAS)
def test_a_district_name_in_an_admin_csv_export_is_text(client, city, district_staff, name):
    name_district("yuexiu", name)
    client.force_login(district_staff)
    pks = list(ElderProfile.objects.values_list("pk", flat=True))

    response = client.post(
        "/en/admin/accounts/elderprofile/",
        {"action": "export_selected_csv", "_selected_action": pks},
    )

    lines = csv_lines(response)
    assert "'" + name in lines[1]
    assert_no_formula(cell for line in lines for cell in line)
