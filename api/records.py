"""`GET /api/v1/records`: completed services as volunteer service records, for API clients.

A record carries what the national rules (《志愿服务记录与证明出具办法（试行）》)
ask of one: the volunteer's name, ID type and number, volunteer number, the
service's content, place, start and end and hours, and who vouches for it
(the area's certificate issuer, `rewards.issuer_for`). The place is the
district and street, never the elder's address.

Records come in the order of the feed (`orders.records`): `after` is the
position of the last record read, and the feed guarantees that nothing is
ever added behind it, so reading page after page gives every record once.
The ID number is masked unless the client may read it; every unmasked
number or phone given out is logged (`DisclosedRead`) with the client's purpose.
"""

import csv
from datetime import datetime
from typing import Literal

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from accounts.idnumbers import mask_resident_id
from accounts.models import VolunteerProfile
from accounts.spreadsheets import csv_response, safe_row
from api.auth import MACHINE
from api.errors import COMMON, Refusal
from api.models import Disclosed, DisclosedRead
from orders.models import RecordEntry
from rewards.services import issuers_for

router = Router(tags=["records"], auth=MACHINE)

LARGEST_POSITION = 2**63 - 1  # a bigint: anything larger is not a position


class Issuer(Schema):
    name: str
    person_in_charge: str
    handler: str
    contact: str


class Record(Schema):
    position: int = Field(description="The record's place in the feed.")
    record_number: str = Field(description="The order's number on the platform.")
    volunteer_name: str
    id_type: str
    id_number: str = Field(description="Masked (440***********123X) unless the client may read it.")
    id_number_masked: bool
    volunteer_number: str
    city_volunteer_number: str | None = Field(description="The city registry's number, if linked.")
    phone: str | None = Field(description="Null unless the client may read phones.")
    service: str = Field(description="The service's content: its type in the catalogue.")
    service_code: str
    district: str
    street: str
    started_at: datetime
    ended_at: datetime
    hours: float = Field(description="Hours credited, to two decimal places.")
    completed_at: datetime
    issuer: Issuer | None


class RecordPage(Schema):
    records: list[Record]
    next: int = Field(description="Pass as `after` next time: the last position read.")
    has_more: bool = Field(description="True when more records wait now: ask again at once.")


class RecordQuery(Schema):
    after: int | None = Field(None, ge=0, le=LARGEST_POSITION)
    updated_since: datetime | None = Field(
        None, description="Records completed since then; ignored when `after` is given."
    )
    limit: int = Field(100, ge=1, le=500)
    format: Literal["json", "csv"] = "json"


CSV_FIELDS = [name for name in Record.model_fields if name != "issuer"] + [
    "issuer_name",
    "issuer_person_in_charge",
    "issuer_handler",
    "issuer_contact",
]


def _in_scope(client):
    entries = RecordEntry.objects.all()
    if client.district_id is not None:
        entries = entries.filter(order__district_id=client.district_id)
    return entries


def _entries(client, query):
    """The page's entries (one more, to tell whether more wait), and where to go on from
    if it is empty: where the client was, or the feed's end when it started from a date.

    From a date, the feed's end is read first and the page stops there: a record
    committed between the two reads comes on the next page, not never.
    """
    entries = (
        _in_scope(client)
        .select_related(
            "order__service_type",
            "order__district",
            "order__street",
            "order__volunteer__volunteer_profile",
        )
        .order_by("id")
    )
    if query.after is not None:
        return list(entries.filter(id__gt=query.after)[: query.limit + 1]), query.after
    if query.updated_since is None:
        return list(entries[: query.limit + 1]), 0
    since = query.updated_since
    if timezone.is_naive(since):
        since = timezone.make_aware(since)
    end = _in_scope(client).aggregate(last=Max("id"))["last"] or 0
    entries = entries.filter(entered_at__gte=since, id__lte=end)
    return list(entries[: query.limit + 1]), end


def _record(entry, client, issuers):
    order = entry.order
    profile = getattr(order.volunteer, "volunteer_profile", None)
    id_number = profile.id_number if profile else ""
    issuer = issuers.get(order.district_id)
    return {
        "position": entry.pk,
        "record_number": order.number,
        "volunteer_name": profile.real_name if profile else order.volunteer.name,
        "id_type": str(VolunteerProfile.id_type),
        "id_number": id_number if client.may_read_id_numbers else mask_resident_id(id_number),
        "id_number_masked": not client.may_read_id_numbers,
        "volunteer_number": profile.volunteer_number if profile else "",
        "city_volunteer_number": profile.external_number if profile else None,
        "phone": order.volunteer.phone if client.may_read_phones else None,
        "service": str(order.service_type),
        "service_code": order.service_type.code,
        "district": str(order.district),
        "street": str(order.street),
        "started_at": order.checked_in_at or order.starts_at,
        "ended_at": order.checked_out_at or order.ends_at,
        "hours": round((order.credited_minutes or 0) / 60, 2),
        "completed_at": order.completed_at,
        "issuer": None
        if issuer is None
        else {
            "name": issuer.name,
            "person_in_charge": issuer.person_in_charge,
            "handler": issuer.handler,
            "contact": issuer.contact,
        },
    }


def _log_disclosures(client, entries):
    """One row per person whose unmasked number or phone this page gives the client."""
    fields = [
        code
        for code, allowed in (
            (Disclosed.ID_NUMBER, client.may_read_id_numbers),
            (Disclosed.PHONE, client.may_read_phones),
        )
        if allowed
    ]
    if not fields:
        return
    people = dict.fromkeys(entry.order.volunteer_id for entry in entries)
    DisclosedRead.objects.bulk_create(
        DisclosedRead(
            client=client, person_id=person, fields=",".join(fields), purpose=client.purpose
        )
        for person in people
    )


def _csv(page):
    response = csv_response("records.csv")
    response["X-Next"] = str(page["next"])
    response["X-Has-More"] = "true" if page["has_more"] else "false"
    writer = csv.writer(response)
    writer.writerow(CSV_FIELDS)
    for record in page["records"]:
        issuer = record["issuer"] or {}
        row = {**record, **{f"issuer_{name}": value for name, value in issuer.items()}}
        writer.writerow(safe_row(_text(row.get(name)) for name in CSV_FIELDS))
    return response


def _text(value):
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, datetime) else value


@router.get("/records", response={200: RecordPage, **COMMON}, url_name="records")
def records(request, query: Query[RecordQuery]):
    """Completed services as service records, in the feed's order (`after` = `next` of before).

    `format=csv` gives the same page as CSV, with English field names in the
    header row and the cursor in the `X-Next` and `X-Has-More` headers.
    """
    client = request.auth
    if not client.may_read_records:
        raise Refusal(403, "not_allowed", _("This API client may not read service records."))
    entries, where_it_was = _entries(client, query)
    has_more = len(entries) > query.limit
    entries = entries[: query.limit]
    issuers = issuers_for({entry.order.district_id for entry in entries})
    page = {
        "records": [_record(entry, client, issuers) for entry in entries],
        "next": entries[-1].pk if entries else where_it_was,
        "has_more": has_more,
    }
    _log_disclosures(client, entries)
    return _csv(page) if query.format == "csv" else page
