"""Staff pages under the admin: the dashboard, the monthly report and CSV export.

The figures come from `timebank.dashboard`; these views pick the scope,
the month and the format, and draw the bars.
"""

import csv
import io

from django.contrib import admin
from django.contrib.admin.utils import (
    display_for_field,
    display_for_value,
    label_for_field,
    lookup_field,
)
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook

from accounts.models import District, ScopeLevel, scope_of
from accounts.spreadsheets import csv_response, safe_cell, safe_row
from credits.models import current_policy
from rewards.working_days import unknown_year_ahead
from timebank import dashboard as figures
from timebank.dashboard import Period

# Bar geometry in SVG user units; the SVG scales to the width it is given.
LABEL_WIDTH = 170
BAR_WIDTH = 220
ROW_HEIGHT = 28
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def bar_chart(title, rows):
    """What `admin/staff/bar_chart.html` draws: horizontal bars, longest = full width."""
    top = max((value for _label, value in rows), default=0) or 1
    bars = [
        {
            "label": label,
            "value": value,
            "width": round(BAR_WIDTH * value / top, 1),
            "y": index * ROW_HEIGHT,
            "text_y": index * ROW_HEIGHT + 18,
        }
        for index, (label, value) in enumerate(rows)
    ]
    return {
        "title": title,
        "bars": bars,
        "height": len(bars) * ROW_HEIGHT,
        "bar_x": LABEL_WIDTH,
        "value_x": LABEL_WIDTH + BAR_WIDTH + 6,
        "view_width": LABEL_WIDTH + BAR_WIDTH + 60,
    }


def _area(request):
    """The staff member's scope, narrowed to `?district=` if they may see it; and the month."""
    scope = scope_of(request.user)
    if scope is None:
        raise PermissionDenied
    district = None
    if request.GET.get("district"):
        try:
            district = get_object_or_404(District, pk=int(request.GET["district"]))
        except ValueError as error:
            raise Http404 from error
    area = figures.area_scope(scope, district)
    if area is None:
        raise Http404
    period = Period.parse(request.GET.get("month"), Period.containing(timezone.now()))
    choices = District.objects.all() if scope.level == ScopeLevel.CITY else []
    return area, period, {"district": district, "period": period, "districts": choices}


def dashboard(request):
    area, period, context = _area(request)
    months, hours_table = figures.hours_by_month_and_district(area, period)
    monthly_totals = [
        round(sum(hours[index] for _district, hours in hours_table), 1)
        for index in range(len(months))
    ]
    average, ratings = figures.satisfaction(area, period)
    filled, unfilled, fill_percent = figures.fill_rate(area, period)
    unmet = figures.unmet_demand(area, period)
    covered, coverable, coverage_percent = figures.series_coverage(area)
    supply = figures.credits_against_supply(area, period)
    context.update(
        {
            **admin.site.each_context(request),
            "title": gettext("Staff dashboard"),
            "work": figures.work_to_do(area),
            "unknown_calendar_year": unknown_year_ahead(timezone.localdate(), current_policy()),
            "covered": covered,
            "coverable": coverable,
            "coverage_percent": coverage_percent,
            "status_chart": bar_chart(
                _("Orders by status"), figures.orders_by_status(area, period)
            ),
            "median_wait": figures.median_minutes_to_claim(area, period),
            "filled": filled,
            "unfilled": unfilled,
            "fill_percent": fill_percent,
            "active_volunteers": figures.active_volunteers(area, period),
            "unmet": unmet,
            "unmet_chart": bar_chart(
                _("Unmet demand"), [(f"{street} · {service}", n) for street, service, n in unmet]
            ),
            "months": months,
            "hours_table": hours_table,
            "hours_chart": bar_chart(
                _("Hours served by month"), list(zip(months, monthly_totals, strict=True))
            ),
            "average_rating": average,
            "rating_chart": bar_chart(
                _("Satisfaction"),
                [(gettext("%(stars)s stars") % {"stars": stars}, n) for stars, n in ratings],
            ),
            "supply": supply,
            "supply_chart": bar_chart(
                _("Credits held by people of self-pay age"),
                [(district, credits) for district, credits, *_rest in supply],
            ),
            "warning_months": figures.WARNING_MONTHS,
            "supply_months": figures.SUPPLY_MONTHS,
        }
    )
    return TemplateResponse(request, "admin/staff/dashboard.html", context)


def report(request):
    area, period, context = _area(request)
    rows = figures.monthly_report(area, period)
    district = context["district"] or (area.district if area.level != ScopeLevel.CITY else None)
    area_name = str(district) if district else gettext("Citywide")
    output = request.GET.get("format")
    filename = f"timebank-report-{district.code if district else 'city'}-{period}"
    title = [gettext("Monthly report"), area_name, str(period)]
    header = [gettext("Section"), gettext("Item"), gettext("Value")]
    if output == "csv":
        response = csv_response(f"{filename}.csv")
        writer = csv.writer(response)
        writer.writerow(safe_row(title))
        writer.writerow(safe_row(header))
        writer.writerows(safe_row(row) for row in rows)
        return response
    if output == "xlsx":
        book = Workbook()
        sheet = book.active
        sheet.title = str(period)
        sheet.append(safe_row(title))
        sheet.append(safe_row(header))
        for row in rows:
            sheet.append(safe_row(row))
        buffer = io.BytesIO()
        book.save(buffer)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
        return response
    context.update(
        {
            **admin.site.each_context(request),
            "title": gettext("Monthly report"),
            "area_name": area_name,
            "rows": rows,
            "query": request.GET.urlencode(),
        }
    )
    return TemplateResponse(request, "admin/staff/report.html", context)


@admin.action(description=_("Export selected to CSV"))
def export_selected_csv(modeladmin, request, queryset):
    """Any admin list's selected rows, with the columns the list shows."""
    names = [name for name in modeladmin.get_list_display(request) if name != "action_checkbox"]
    model = queryset.model
    response = csv_response(f"{model._meta.model_name}.csv")
    writer = csv.writer(response)
    writer.writerow(safe_row(label_for_field(name, model, modeladmin) for name in names))
    for obj in queryset:
        row = []
        for name in names:
            field, _attr, value = lookup_field(name, obj, modeladmin)
            if isinstance(value, bool):
                shown = gettext("yes") if value else gettext("no")
            elif field is not None:
                shown = display_for_field(value, field, "")
            else:
                shown = display_for_value(value, "")
            row.append(safe_cell(shown))
        writer.writerow(row)
    return response
