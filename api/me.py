"""The person's own credits, passbook and notices over the API: what the pages show."""

from ninja import Router

from api import schemas
from api.errors import COMMON
from credits.models import ServiceRecord
from credits.passbook import passbook_page
from credits.services import wallet_of
from notifications.models import Notification
from notifications.services import mark_all_read

router = Router(tags=["me"])

NOTICES_SHOWN = 50


@router.get("/credits", response={200: schemas.Credits, **COMMON}, url_name="credits")
def my_credits(request):
    minutes = ServiceRecord.objects.minutes_served(request.auth)
    return {
        "balance": wallet_of(request.auth).balance,
        "hours_served": minutes // 60,
        "carried_minutes": minutes % 60,
    }


@router.get("/credits/passbook", response={200: schemas.Passbook, **COMMON}, url_name="passbook")
def passbook(request, page: int = 1):
    """The passbook in plain words, newest first, 20 transfers a page (and the lines between)."""
    shown, rows = passbook_page(wallet_of(request.auth), page)
    return {
        "lines": [
            {
                "when": row["when"],
                "amount": row["amount"],
                "text": str(row["text"]),
                "note": str(row["note"] or ""),
                "about": {"label": str(row["about"].label), "url": row["about"].url}
                if row["about"]
                else None,
            }
            for row in rows
        ],
        "page": shown.number,
        "pages": shown.paginator.num_pages,
    }


@router.get(
    "/notifications", response={200: list[schemas.Notice], **COMMON}, url_name="notifications"
)
def notifications(request):
    """Your latest 50 notices, newest first, worded in the language asked for."""
    notices = Notification.objects.filter(recipient=request.auth)[:NOTICES_SHOWN]
    return [
        {
            "id": notice.pk,
            "kind": notice.kind,
            "text": notice.text,
            "link": notice.link,
            "created_at": notice.created_at,
            "read": notice.read_at is not None,
        }
        for notice in notices.prefetch_related("subject")
    ]


@router.post(
    "/notifications/read", response={200: schemas.Marked, **COMMON}, url_name="notifications_read"
)
def notifications_read(request):
    """Mark every notice read."""
    return {"marked": mark_all_read(request.auth)}
