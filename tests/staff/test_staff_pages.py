"""The dashboard, report and export pages: who sees what, and the same figures everywhere."""

import csv
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from orders.models import Order, OrderStatus
from tests.staff.conftest import make_order

DASHBOARD = "/en/admin/dashboard/"
REPORT = "/en/admin/reports/"


def test_admin_index_links_to_the_dashboard(client, city, district_staff):
    client.force_login(district_staff)
    response = client.get("/en/admin/")
    assert b'href="/en/admin/dashboard/"' in response.content


def test_the_admin_scripts_words_are_kept_a_day_and_are_the_same_for_all_staff(
    client, district_staff, city_staff
):
    """Every list and change form loads them: built once a day, not for every page."""
    catalogues = []
    for staff in (district_staff, city_staff):
        client.force_login(staff)
        response = client.get("/zh-hans/admin/jsi18n/")
        assert response.status_code == 200
        assert set(response["Cache-Control"].split(", ")) == {"max-age=86400", "private"}
        catalogues.append(response.content)

    assert catalogues[0] == catalogues[1]
    assert json.dumps("四月").encode() in catalogues[0]  # "April", as the script spells it
    assert client.get("/en/admin/jsi18n/").content != catalogues[0]
    assert "no-store" in client.get("/zh-hans/admin/").get("Cache-Control")


def test_people_who_are_not_staff_are_sent_to_log_in(client, city, elder):
    client.force_login(elder)
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert "/admin/login/" in response.url


def test_staff_without_a_scope_are_refused(client, city):
    from tests.conftest import make_user

    client.force_login(make_user(email="loose@example.org", is_staff=True))
    assert client.get(DASHBOARD).status_code == 403


def test_district_staff_see_only_their_district(client, city, district_staff):
    client.force_login(district_staff)
    response = client.get(DASHBOARD, {"month": "2030-06"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Yuexiu" in page
    assert "Haizhu" not in page
    assert page.count("<svg") >= 5
    assert "Redeeming them would take 20.0 months" in page


def test_district_staff_cannot_ask_for_another_district(client, city, district_staff, haizhu):
    client.force_login(district_staff)
    assert client.get(DASHBOARD, {"district": haizhu.pk}).status_code == 404
    assert client.get(REPORT, {"district": haizhu.pk}).status_code == 404


@pytest.mark.parametrize("district", ["abc", "²", "1.5", " "])
def test_a_district_that_is_not_an_id_is_not_found(client, city, city_staff, district):
    client.force_login(city_staff)
    assert client.get(DASHBOARD, {"district": district}).status_code == 404
    assert client.get(REPORT, {"district": district}).status_code == 404


def test_city_staff_see_every_district(client, city, city_staff):
    client.force_login(city_staff)
    page = client.get(DASHBOARD, {"month": "2030-06"}).content.decode()
    for name in ("Yuexiu", "Haizhu", "Tianhe"):
        assert name in page


def test_city_staff_may_narrow_to_one_district(client, city, city_staff, haizhu):
    client.force_login(city_staff)
    response = client.get(REPORT, {"month": "2030-06", "district": haizhu.pk})
    assert response.context["area_name"] == "Haizhu"
    rows = {(str(s), str(i)): v for s, i, v in response.context["rows"]}
    assert rows[("Hours", "Hours served")] == 3.0


def test_dashboard_queries_do_not_grow_with_the_orders(client, city, city_staff, elder):
    client.force_login(city_staff)
    client.get(DASHBOARD, {"month": "2030-06"})
    with CaptureQueriesContext(connection) as few:
        client.get(DASHBOARD, {"month": "2030-06"})
    some = Order.objects.filter(status=OrderStatus.COMPLETED).first()
    for day in range(40):
        make_order(
            some.elder,
            some.service_type,
            OrderStatus.COMPLETED,
            day=day % 15,
            waited=day,
            minutes=60,
            rating=1 + day % 5,
            volunteer=some.volunteer,
        )
    with CaptureQueriesContext(connection) as many:
        client.get(DASHBOARD, {"month": "2030-06"})
    assert len(many) == len(few)
    assert len(few) <= 32


def report_rows(client, **params):
    response = client.get(REPORT, {"month": "2030-06", **params})
    return [
        [str(section), str(item), str(value)] for section, item, value in response.context["rows"]
    ]


def as_text(value):
    """Excel keeps 4.0 as the number 4: compare numbers as numbers."""
    return str(float(value)) if isinstance(value, int | float) else str(value)


def test_report_csv_holds_the_figures_of_the_page(client, city, district_staff):
    client.force_login(district_staff)
    shown = report_rows(client)
    response = client.get(REPORT, {"month": "2030-06", "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert lines[0] == ["Monthly report", "Yuexiu", "2030-06"]
    assert lines[2:] == shown
    assert ["Hours", "Hours served", "4.5"] in lines
    assert ["Credits", "Grant", "30"] in lines


def test_report_excel_holds_the_figures_of_the_page(client, city, city_staff):
    client.force_login(city_staff)
    shown = report_rows(client)
    response = client.get(REPORT, {"month": "2030-06", "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [[as_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    assert cells[0] == ["Monthly report", "Citywide", "2030-06"]
    assert cells[2:] == [[section, item, as_text(_number(value))] for section, item, value in shown]
    assert ["Satisfaction", "Average rating", "4.0"] in cells


def _number(text):
    try:
        return float(text)
    except ValueError:
        return text


def test_report_of_a_month_with_no_data_shows_zeros(client, city, city_staff):
    client.force_login(city_staff)
    rows = {(s, i): v for s, i, v in report_rows(client, month="2030-05")}
    assert rows[("Hours", "Hours served")] == "0.0"
    assert rows[("Satisfaction", "Average rating")] == "—"
    assert rows[("Orders", "Fill rate (%)")] == "—"


def test_report_page_is_in_chinese_by_default(client, city, city_staff):
    client.force_login(city_staff)
    response = client.get("/zh-hans/admin/reports/", {"month": "2030-06"})
    assert "下载" in response.content.decode()


def export(client, url, pks):
    return client.post(url, {"action": "export_selected_csv", "_selected_action": pks})


def test_orders_export_selected_rows_as_csv(client, city, order_staff):
    client.force_login(order_staff)
    mine = list(Order.objects.filter(district__code="yuexiu").values_list("pk", flat=True)[:2])
    response = export(client, "/en/admin/orders/order/", mine)
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert lines[0][0] == "number"
    assert sorted(line[0] for line in lines[1:]) == sorted(f"{pk:06d}" for pk in mine)


def test_export_never_includes_rows_outside_the_district(client, city, order_staff):
    client.force_login(order_staff)
    theirs = list(Order.objects.filter(district__code="haizhu").values_list("pk", flat=True))
    response = export(client, "/en/admin/orders/order/", theirs)
    assert len(response.content.decode("utf-8-sig").strip().splitlines()) == 1  # the header


def test_elders_export_shows_masked_names(client, city, district_staff):
    from accounts.models import ElderProfile

    client.force_login(district_staff)
    pks = list(ElderProfile.objects.values_list("pk", flat=True))
    response = export(client, "/en/admin/accounts/elderprofile/", pks)
    text = response.content.decode("utf-8-sig")
    assert "Chen Elder" not in text
    assert len(text.strip().splitlines()) == 2  # the header and the Yuexiu elder


@pytest.mark.parametrize("value", ["=1+2", "+86", "-5", "@cmd"])
def test_exported_text_cannot_start_a_formula(value):
    from accounts.spreadsheets import safe_cell

    assert safe_cell(value) == "'" + value


def test_audit_log_filters_by_who_kind_district_and_date(client, city, district_staff, elder):
    from accounts.audit import record
    from accounts.models import ElderProfile

    record(district_staff, "elderprofile.viewed", ElderProfile.objects.get(user=elder))
    client.force_login(district_staff)
    response = client.get("/en/admin/accounts/auditlog/", {"actor": district_staff.pk})
    assert response.status_code == 200
    assert response.context["cl"].result_count == 1
    filters = [spec.title for spec in response.context["cl"].filter_specs]
    assert [str(title) for title in filters] == ["who", "action", "kind of record", "district"]
    assert response.context["cl"].date_hierarchy == "created_at"


def test_every_to_do_card_opens_its_filtered_admin_list(client, city, city_staff):
    client.force_login(city_staff)
    response = client.get(DASHBOARD, {"month": "2030-06"})
    for label, count, url in response.context["work"]:
        listing = client.get(url)
        assert listing.status_code == 200, (label, url)
        assert listing.context["cl"].result_count == count, label


@pytest.mark.parametrize("selected", ["abc", "1.5", "-9223372036854775809null"])
def test_an_admin_action_on_ids_that_are_not_ids_is_a_bad_request(
    client, city, order_staff, selected
):
    client.force_login(order_staff)

    response = client.post(
        "/en/admin/orders/order/", {"action": "approve", "_selected_action": [selected]}
    )

    assert response.status_code == 400


def test_an_admin_list_asked_for_a_year_no_date_can_have_is_a_bad_request(client, city, city_staff):
    client.force_login(city_staff)

    response = client.get("/en/admin/orders/order/", {"starts_at__year": "1102132175647"})

    assert response.status_code == 400
