"""`POST /api/v1/volunteers/import`: volunteers a city system verified, for clients allowed to.

Each row is matched and saved on its own (`accounts.services.imports`): the
answer reports every row (created, linked, unchanged, conflict, invalid or
refused) and a bad row never undoes the good ones. Sending the same batch
again changes nothing: every row comes back `unchanged`.
"""

from typing import Annotated

import annotated_types
from django.utils.translation import gettext as _
from ninja import Body, Field, Router, Schema

from accounts.services.imports import import_volunteer
from api.auth import MACHINE
from api.errors import COMMON, Refusal

router = Router(tags=["volunteers"], auth=MACHINE)

BATCH_SIZE = 500


class VolunteerIn(Schema):
    external_number: str = Field(max_length=40, description="The city registry's number.")
    name: str = Field(max_length=60, description="The real name, as on the ID card.")
    id_number: str = Field(max_length=30, description="The resident ID number (18 characters).")
    phone: str | None = Field(None, max_length=20, description="A mainland mobile number.")
    district: str = Field(max_length=30, description="The district's code, e.g. yuexiu.")
    street: str | None = Field(None, max_length=60, description="The street's name, if known.")


Batch = Body[Annotated[list[VolunteerIn], annotated_types.MaxLen(BATCH_SIZE)]]


class RowOut(Schema):
    external_number: str
    result: str = Field(
        description="created, linked, unchanged, conflict, invalid or refused; "
        "the last three changed nothing."
    )
    message: str
    volunteer_number: str | None = Field(description="The platform's number, once saved.")


class ImportReport(Schema):
    rows: list[RowOut]
    counts: dict[str, int]


@router.post(
    "/volunteers/import", response={200: ImportReport, **COMMON}, url_name="volunteers_import"
)
def import_volunteers(request, batch: Batch):
    """Bring in volunteers the city system verified, keyed by their city number."""
    client = request.auth
    if not client.may_import_volunteers:
        raise Refusal(403, "not_allowed", _("This API client may not import volunteers."))
    source = f"{client} #{client.pk}"
    reports = [
        import_volunteer(row.dict(), source=source, district=client.district) for row in batch
    ]
    counts = {}
    for report in reports:
        counts[report.result] = counts.get(report.result, 0) + 1
    return {"rows": [vars(report) for report in reports], "counts": counts}
