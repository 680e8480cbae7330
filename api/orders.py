"""Orders over the API: the market, one order and its steps, the elder's and the volunteer's lists.

Each endpoint finds the order as the pages do (`orders.lookups.visible_order`:
someone else's order is a 404) and calls the same service; refusals are the
services' own errors (api/errors.py).
"""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from accounts.models import ElderProfile
from api import schemas
from api.errors import COMMON, REFUSALS, Refusal
from catalogue.models import ServiceType
from orders import services
from orders.forms import MarketFilterForm, OrderForm, hour_choices, next_slots
from orders.lookups import visible_order
from orders.market import asked_for, market_page, market_reference
from orders.models import VOLUNTEER_ACTIVE, Funding, Order
from orders.paging import keyset_page

router = Router(tags=["orders"])


def _form_refusal(form):
    errors = [
        {"field": field, "message": str(message)}
        for field, messages in form.errors.items()
        for message in messages
    ]
    return Refusal(400, "invalid", errors[0]["message"], errors)


@router.get("/market", response={200: schemas.MarketPage, **REFUSALS}, url_name="market")
def market(request, filters: Query[schemas.MarketFilter]):
    """Published orders you may claim, soonest first: district and street, never the address.

    The same filters as the market page, and by default the same narrowing to your
    times of the week and districts; `after` takes `next` of the page before.
    """
    query = filters.dict(exclude_none=True, exclude={"after"})
    form = MarketFilterForm(query)
    if not form.is_valid():
        raise _form_refusal(form)
    chosen = {name: value for name, value in form.cleaned_data.items() if value}
    page = market_page(request.auth, **chosen, after=filters.after)
    asked = list(asked_for(request.auth))
    districts, service_types, streets = market_reference(
        {row.street_id for row in [*page.orders, *asked]}
    )
    district_names = dict(districts)
    services_by_id = {pk: (code, label) for pk, code, label in service_types}

    def listed(order):
        service_code, service = services_by_id.get(order.service_type_id, ("", ""))
        return {
            "id": order.pk,
            "service": service,
            "service_code": service_code,
            "starts_at": order.starts_at,
            "booked_hours": order.booked_hours,
            "district": district_names.get(order.district_id, ""),
            "street": streets.get(order.street_id, ""),
        }

    return {
        "asked": [listed(order) for order in asked],
        "orders": [listed(row) for row in page.orders],
        "next": page.next_cursor,
        "locked": page.locked,
        "narrowed": page.narrowed,
    }


def _order(order, user, *, listed=False):
    """An order as `user` may see it (the order page's rule for the address and phone).

    Lists, like the pages' lists, leave the address, phone and notes out: the
    order itself (`GET /orders/{pk}`) has them for those who may see them.
    """
    contact = not listed and order.shows_contact_to(user)
    return {
        "id": order.pk,
        "number": order.number,
        "service": str(order.service_type),
        "service_code": order.service_type.code,
        "status": order.status,
        "status_text": order.get_status_display(),
        "starts_at": order.starts_at,
        "ends_at": order.ends_at,
        "booked_hours": order.booked_hours,
        "funding": order.funding,
        "district": str(order.district),
        "street": str(order.street),
        "volunteer": order.volunteer.public_name if order.volunteer_id else None,
        "address": order.address_detail if contact else None,
        "contact_phone": (order.contact_phone or None) if contact else None,
        "notes": order.notes if contact else None,
        "checked_in_at": order.checked_in_at,
        "checked_out_at": order.checked_out_at,
        "reported_minutes": order.reported_minutes,
        "credited_minutes": order.credited_minutes,
        "completed_at": order.completed_at,
        "rating": order.rating,
    }


def _orders(rows, user):
    return [_order(order, user, listed=True) for order in rows]


_LISTED = ("service_type", "district", "street", "volunteer__volunteer_profile")


@router.get("/orders/mine", response={200: schemas.OrderPage, **COMMON}, url_name="my_orders")
def my_orders(request, after: str | None = None):
    """The orders of the elders you are or act for, newest first."""
    orders = Order.objects.for_elder_side(request.auth).select_related("elder", *_LISTED)
    rows, next_cursor = keyset_page(orders, after, descending=True)
    return {"orders": _orders(rows, request.auth), "next": next_cursor}


@router.get("/claims", response={200: schemas.Claims, **COMMON}, url_name="claims")
def my_claims(request, after: str | None = None):
    """Your current claims, soonest first, and your history, newest first."""
    user = request.auth
    claimed = Order.objects.claimed_by(user).select_related("elder", *_LISTED)
    current = claimed.filter(status__in=VOLUNTEER_ACTIVE).order_by("starts_at")
    rows, next_cursor = keyset_page(
        claimed.exclude(status__in=VOLUNTEER_ACTIVE), after, descending=True
    )
    return {"current": _orders(current, user), "history": _orders(rows, user), "next": next_cursor}


@router.get("/orders/{int:pk}", response={200: schemas.Order, **REFUSALS}, url_name="order")
def order_detail(request, pk: int):
    return _order(visible_order(request.auth, pk), request.auth)


def _step(request, pk, action):
    order = action(visible_order(request.auth, pk))
    order.refresh_from_db()
    return _order(order, request.auth)


@router.post("/orders/{int:pk}/claim", response={200: schemas.Order, **REFUSALS}, url_name="claim")
def claim(request, pk: int):
    """Claim a published order; its address is in the answer."""
    return _step(request, pk, lambda order: services.claim_order(order, by=request.auth))


@router.post(
    "/orders/{int:pk}/release", response={200: schemas.Order, **REFUSALS}, url_name="release"
)
def release(request, pk: int):
    """Give a claim back before the service starts."""
    return _step(request, pk, lambda order: services.release_claim(order, by=request.auth))


@router.post("/orders/{int:pk}/pass", response={200: schemas.Order, **REFUSALS}, url_name="pass")
def pass_offer(request, pk: int):
    """Let every volunteer see an order an elder asked you for."""
    return _step(request, pk, lambda order: services.pass_offer(order, by=request.auth))


def _location(place):
    """The check-in/out place as the page stores it: "lat,lng" to five places, or ""."""
    if place is None or place.latitude is None or place.longitude is None:
        return ""
    return f"{place.latitude:.5f},{place.longitude:.5f}"


@router.post(
    "/orders/{int:pk}/check-in", response={200: schemas.Order, **REFUSALS}, url_name="check_in"
)
def check_in(request, pk: int, place: schemas.Location | None = None):
    """Arrive: from one hour before the booked time."""
    location = _location(place)
    return _step(
        request, pk, lambda order: services.check_in(order, location=location, by=request.auth)
    )


@router.post(
    "/orders/{int:pk}/check-out", response={200: schemas.Order, **REFUSALS}, url_name="check_out"
)
def check_out(request, pk: int, place: schemas.Location | None = None):
    """Leave: the minutes served are reported for the elder's side to confirm."""
    location = _location(place)
    return _step(
        request, pk, lambda order: services.check_out(order, location=location, by=request.auth)
    )


@router.post(
    "/orders/{int:pk}/card-code", response={200: schemas.Order, **REFUSALS}, url_name="card_code"
)
def card_code(request, pk: int, card: schemas.CardCode):
    """The volunteer confirms with the code on the elder's service card."""
    return _step(
        request,
        pk,
        lambda order: services.confirm_with_card_code(order, card.code, by=request.auth),
    )


@router.post(
    "/orders/{int:pk}/confirm", response={200: schemas.Order, **REFUSALS}, url_name="confirm"
)
def confirm(request, pk: int):
    """The elder's side confirms the visit: the volunteer is credited (or staff check the time)."""
    return _step(request, pk, lambda order: services.confirm_order(order, by=request.auth))


@router.post("/orders/{int:pk}/rate", response={200: schemas.Order, **REFUSALS}, url_name="rate")
def rate(request, pk: int, rating: schemas.Rating):
    """The elder's side rates a completed service, once."""
    return _step(
        request,
        pk,
        lambda order: services.rate_order(
            order, by=request.auth, rating=rating.rating, comment=rating.comment
        ),
    )


@router.get("/elders", response={200: list[schemas.Elder], **COMMON}, url_name="elders")
def elders(request):
    """The elders you may order for: yourself, if you are one, and those you act for."""
    actable = ElderProfile.objects.actable_by(request.auth).order_by("pk")
    return [{"id": elder.pk, "name": elder.real_name} for elder in actable]


@router.get("/order-choices", response={200: schemas.OrderChoices, **COMMON}, url_name="choices")
def order_choices(request):
    """What an order may be: the services offered, the next start times, lengths, funding."""
    return {
        "services": [
            {"code": s.code, "name": str(s), "default_hours": s.default_hours}
            for s in ServiceType.objects.filter(is_active=True).order_by("code")
        ],
        "slots": next_slots(),
        "hours": [hours for hours, _label in hour_choices()],
        "funding": list(Funding.values),
    }


@router.post(
    "/elders/{int:elder_id}/orders",
    response={201: schemas.Order, **REFUSALS},
    url_name="place_order",
)
def place_order(request, elder_id: int, new: schemas.NewOrder):
    """Order a service for an elder you may act for; checked as the order form checks it."""
    elder = get_object_or_404(ElderProfile.objects.actable_by(request.auth), pk=elder_id)
    service_type = ServiceType.objects.filter(code=new.service, is_active=True).first()
    if service_type is None:
        raise Refusal(400, "not_offered", _("This service is not offered at the moment."))
    starts_at = new.starts_at
    if timezone.is_naive(starts_at):
        starts_at = timezone.make_aware(starts_at)
    form = OrderForm(
        {
            "starts_at": timezone.localtime(starts_at).isoformat(),
            "booked_hours": new.booked_hours,
            "funding": new.funding,
            "notes": new.notes,
        }
    )
    if not form.is_valid():
        raise _form_refusal(form)
    order = services.submit_order(
        elder,
        by=request.auth,
        service_type=service_type,
        starts_at=form.cleaned_data["starts_at"],
        booked_hours=form.cleaned_data["booked_hours"],
        funding=form.cleaned_data["funding"],
        notes=form.cleaned_data["notes"],
    )
    return Status(201, _order(visible_order(request.auth, order.pk), request.auth))
