from datetime import datetime
from typing import NamedTuple

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.models import (
    District,
    ElderProfile,
    ServiceOrganisation,
    Street,
    may_act_for,
    name_field,
)
from catalogue.models import ServiceType
from credits.models import ServiceRecord
from orders import services
from orders.forms import (
    CardCodeForm,
    LocationForm,
    MarketFilterForm,
    OrderForm,
    RatingForm,
    ReasonForm,
)
from orders.models import OPEN_STATUSES, VOLUNTEER_ACTIVE, Funding, Order, OrderStatus
from orders.services import AlreadyDone, OrderError, OrderTaken

PAGE_SIZE = 20
# The market's note of orders a qualification would open counts to this, then says "more than".
MARKET_LOCKED_SHOWN = 99


def _elder_for(request, elder_id):
    """The elder the user may order for: themselves or someone they act for, else 404."""
    return get_object_or_404(ElderProfile.objects.actable_by(request.user), pk=elder_id)


def _after_cursor(queryset, request, *, descending=False):
    """Rows after the cursor `?after=<iso time>_<id>`; a cursor that does not parse is ignored."""
    stamp, _sep, pk = request.GET.get("after", "").rpartition("_")
    try:
        stamp, pk = datetime.fromisoformat(stamp), int(pk)
    except ValueError:
        return queryset
    if timezone.is_naive(stamp):
        stamp = timezone.make_aware(stamp)
    if descending:
        return queryset.filter(starts_at__lte=stamp).exclude(starts_at=stamp, pk__gte=pk)
    return queryset.filter(starts_at__gte=stamp).exclude(starts_at=stamp, pk__lte=pk)


def _cursor(starts_at, pk):
    return f"{starts_at.isoformat()}_{pk}"


def _keyset_page(queryset, request, *, descending=False):
    """One page of orders after the cursor; no COUNT over the table."""
    order = ["-starts_at", "-pk"] if descending else ["starts_at", "pk"]
    queryset = _after_cursor(queryset, request, descending=descending).order_by(*order)
    rows = list(queryset[: PAGE_SIZE + 1])
    if len(rows) <= PAGE_SIZE:
        return rows, None
    rows = rows[:PAGE_SIZE]
    return rows, _cursor(rows[-1].starts_at, rows[-1].pk)


# The elder's side -----------------------------------------------------------


@login_required
def start(request):
    """Where "Order a service" leads: straight to the one elder, or a choice."""
    elders = list(ElderProfile.objects.actable_by(request.user))
    if len(elders) == 1:
        return redirect("orders:elder_home", elder_id=elders[0].pk)
    return render(request, "orders/start.html", {"elders": elders, "read_aloud": True})


@login_required
def elder_home(request, elder_id):
    elder = _elder_for(request, elder_id)
    services_offered = ServiceType.objects.filter(is_active=True)
    recent = (
        Order.objects.filter(elder=elder, service_type__is_active=True)
        .select_related("service_type")
        .order_by("-starts_at")[:20]
    )
    # The latest order of each service, to make again with one tap.
    again, seen = [], set()
    for order in recent:
        if order.service_type_id not in seen:
            seen.add(order.service_type_id)
            again.append(order)
    upcoming = (
        Order.objects.filter(elder=elder, status__in=OPEN_STATUSES)
        .select_related("service_type", "volunteer")
        .order_by("starts_at")[:10]
    )
    return render(
        request,
        "orders/elder_home.html",
        {
            "elder": elder,
            "services": services_offered,
            "again": again[:3],
            "upcoming": upcoming,
            "read_aloud": True,
        },
    )


def _confirm_page(request, elder, service_type, form):
    """The one confirm screen: the order in words, the button, then what can be changed."""
    return render(
        request,
        "orders/new.html",
        {
            "elder": elder,
            "service_type": service_type,
            "form": form,
            "chosen": form.chosen(),
            "read_aloud": True,
        },
    )


@login_required
def new_order(request, elder_id, service_code):
    """A service button's one tap: the next slot, the service's hours and the elder's
    funding come prefilled, so confirming is the only other tap."""
    elder = _elder_for(request, elder_id)
    service_type = get_object_or_404(ServiceType, code=service_code, is_active=True)
    initial = {
        "booked_hours": service_type.default_hours,
        "funding": Funding.WELFARE if elder.has_verified_category() else Funding.OWN_CREDITS,
    }
    form = OrderForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            order = services.submit_order(
                elder,
                by=request.user,
                service_type=service_type,
                starts_at=form.cleaned_data["starts_at"],
                booked_hours=form.cleaned_data["booked_hours"],
                funding=form.cleaned_data["funding"],
                notes=form.cleaned_data["notes"],
            )
        except AlreadyDone as done:
            messages.info(request, str(done))
            return redirect(done.order)
        except OrderError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("Your order is placed. Staff will review it soon; we will let you know.")
            )
            return redirect(order)
    return _confirm_page(request, elder, service_type, form)


@login_required
def order_again(request, pk):
    """A past order on the same confirm screen: its service, length, funding and notes,
    at the next slot at its hour of the day. Only the elder's side's own orders."""
    past = get_object_or_404(
        Order.objects.for_elder_side(request.user).select_related("elder", "service_type"),
        pk=pk,
        service_type__is_active=True,
    )
    initial = {"booked_hours": past.booked_hours, "funding": past.funding, "notes": past.notes}
    form = OrderForm(initial=initial, prefer_time=timezone.localtime(past.starts_at).time())
    return _confirm_page(request, past.elder, past.service_type, form)


@login_required
def my_orders(request):
    orders = Order.objects.for_elder_side(request.user).select_related("service_type", "volunteer")
    rows, next_cursor = _keyset_page(orders, request, descending=True)
    return render(request, "orders/my_orders.html", {"orders": rows, "next_cursor": next_cursor})


# One order --------------------------------------------------------------------


def _visible_order(request, pk):
    """The order if this person may open it; None if another volunteer took it
    from the market since; anything else is a 404 that tells nothing."""
    order = (
        Order.objects.visible_to(request.user)
        .select_related("service_type", "elder__user", "volunteer", "district", "street")
        .filter(pk=pk)
        .first()
    )
    if order is None and not Order.objects.taken_from(request.user).filter(pk=pk).exists():
        raise Http404
    return order


def _back_to_market(request, taken):
    messages.info(request, str(taken))
    return redirect("orders:market")


@login_required
def detail(request, pk):
    order = _visible_order(request, pk)
    if order is None:
        return _back_to_market(request, OrderTaken())
    user = request.user
    elder_side = may_act_for(user, order.elder)
    is_volunteer = order.volunteer_id == user.pk
    context = {
        "order": order,
        "elder_side": elder_side,
        "is_volunteer": is_volunteer,
        "shows_contact": order.shows_contact_to(user),
        "claim_refusal": services.claim_refusal(order, user)
        if order.status == OrderStatus.PUBLISHED and not elder_side
        else None,
        "events": order.events.select_related("actor") if elder_side or user.is_staff else [],
        "pooled": ServiceRecord.objects.pooled_for(order.reference, user)
        if is_volunteer and order.status == OrderStatus.COMPLETED
        else 0,
        "rating_form": RatingForm(),
        "reason_form": ReasonForm(),
        "card_form": CardCodeForm(),
        "now": timezone.now(),
    }
    return render(request, "orders/detail.html", context)


def _act(request, pk, action, success, *, under_review=None):
    """Run one service on a visible order and come back to it with the outcome
    (`under_review` instead of `success` when the order went to staff review)."""
    order = _visible_order(request, pk)
    if order is None:
        return _back_to_market(request, OrderTaken())
    try:
        order = action(order)
    except AlreadyDone as done:
        messages.info(request, str(done))
    except OrderTaken as taken:
        return _back_to_market(request, taken)
    except OrderError as error:
        messages.error(request, str(error))
    else:
        reviewed = under_review and order.status == OrderStatus.DISPUTED
        messages.success(request, under_review if reviewed else success)
    return redirect(order)


def _invalid(request, pk, form):
    order = _visible_order(request, pk)
    if order is None:
        return _back_to_market(request, OrderTaken())
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    return redirect(order)


@require_POST
@login_required
def claim(request, pk):
    return _act(
        request,
        pk,
        lambda order: services.claim_order(order, by=request.user),
        _("You claimed this order. The address is shown below."),
    )


@require_POST
@login_required
def release(request, pk):
    return _act(
        request,
        pk,
        lambda order: services.release_claim(order, by=request.user),
        _("You released this order; it is open to other volunteers again."),
    )


@require_POST
@login_required
def check_in(request, pk):
    location = LocationForm(request.POST).location()
    return _act(
        request,
        pk,
        lambda order: services.check_in(order, location=location, by=request.user),
        _("Checked in. Check out when the service ends."),
    )


@require_POST
@login_required
def check_out(request, pk):
    location = LocationForm(request.POST).location()
    return _act(
        request,
        pk,
        lambda order: services.check_out(order, location=location, by=request.user),
        _("Checked out. The elder's side can now confirm, or enter the card code."),
    )


@require_POST
@login_required
def card_code(request, pk):
    form = CardCodeForm(request.POST)
    if not form.is_valid():
        return _invalid(request, pk, form)
    return _act(
        request,
        pk,
        lambda order: services.confirm_with_card_code(
            order, form.cleaned_data["code"], by=request.user
        ),
        _("Confirmed with the card code. Thank you for your service!"),
        under_review=_(
            "Confirmed with the card code. Staff will check the reported time "
            "before your hours are credited."
        ),
    )


@require_POST
@login_required
def confirm(request, pk):
    return _act(
        request,
        pk,
        lambda order: services.confirm_order(order, by=request.user),
        _("Thank you for confirming. The volunteer's hours are credited."),
        under_review=_(
            "Thank you for confirming. Staff will check the reported time "
            "before the volunteer's hours are credited."
        ),
    )


@require_POST
@login_required
def dispute(request, pk):
    form = ReasonForm(request.POST)
    if not form.is_valid():
        return _invalid(request, pk, form)
    return _act(
        request,
        pk,
        lambda order: services.dispute_order(
            order, by=request.user, reason=form.cleaned_data["reason"]
        ),
        _("Staff will look at the reported time and settle it."),
    )


@require_POST
@login_required
def rate(request, pk):
    form = RatingForm(request.POST)
    if not form.is_valid():
        return _invalid(request, pk, form)
    return _act(
        request,
        pk,
        lambda order: services.rate_order(
            order,
            by=request.user,
            rating=form.cleaned_data["rating"],
            comment=form.cleaned_data["comment"],
        ),
        _("Thank you for your rating."),
    )


@require_POST
@login_required
def cancel(request, pk):
    reason = request.POST.get("reason", "")[:300]
    return _act(
        request,
        pk,
        lambda order: services.cancel_order(order, by=request.user, reason=reason),
        _("The order is cancelled."),
    )


# The volunteer's side ------------------------------------------------------------


def _market_reference(street_ids):
    """Districts, offered services and the given streets, named in the page's language.

    One round trip of plain SQL: through the ORM these three small lookups
    cost more than the whole list of orders on the busiest page.
    """
    name = name_field()  # "name_zh" or "name_en", never user input
    placeholders = ", ".join(["%s"] * len(street_ids)) or "NULL"
    sql = (
        f"SELECT 'district', id, code, {name} FROM {District._meta.db_table}"  # noqa: S608 - our tables and columns  # nosec B608
        f" UNION ALL SELECT 'service', id, code, {name} FROM {ServiceType._meta.db_table}"
        " WHERE is_active"
        f" UNION ALL SELECT 'street', id, '', {name} FROM {Street._meta.db_table}"
        f" WHERE id IN ({placeholders}) ORDER BY 1, 3"
    )
    districts, service_types, streets = [], [], {}
    with connection.cursor() as cursor:
        cursor.execute(sql, list(street_ids))
        for table, pk, code, label in cursor.fetchall():
            if table == "district":
                districts.append((pk, label))
            elif table == "service":
                service_types.append((pk, code, label))
            else:
                streets[pk] = label
    return districts, service_types, streets


class MarketRow(NamedTuple):
    pk: int
    service: str
    when: str
    length: str
    place: str


@login_required
def market(request):
    """Published orders a volunteer may claim: district and street, never the address.

    Their own orders, their elders' and relatives' are left out, and so are
    professional ones they are not qualified for, with a note of how many
    a qualification would open.

    The busiest page, so it reads plain values instead of model instances: the
    orders without joins, and their labels from the small reference tables
    that the filters need anyway.
    """
    form = MarketFilterForm(request.GET or None)
    orders = (
        Order.objects.published().filter(starts_at__gt=timezone.now()).not_barred_for(request.user)
    )
    chosen = form.cleaned_data if form.is_valid() else {}
    if chosen.get("district"):
        orders = orders.filter(district=chosen["district"])
    if chosen.get("street"):
        orders = orders.filter(street=chosen["street"])
    if chosen.get("service"):
        orders = orders.filter(service_type=chosen["service"])
    if chosen.get("day"):
        orders = orders.filter(starts_at__date=chosen["day"])
    # Counted no further than the note needs: this must not become a COUNT
    # over the whole market.
    locked = orders.beyond_qualifications_of(request.user)[: MARKET_LOCKED_SHOWN + 1].count()
    orders = orders.within_qualifications_of(request.user)
    found = list(
        _after_cursor(orders, request)
        .order_by("starts_at", "pk")
        .values_list(
            "pk", "starts_at", "booked_hours", "service_type_id", "district_id", "street_id"
        )[: PAGE_SIZE + 1]
    )
    next_cursor = (
        _cursor(found[PAGE_SIZE - 1][1], found[PAGE_SIZE - 1][0])
        if len(found) > PAGE_SIZE
        else None
    )
    districts, service_types, streets = _market_reference({row[5] for row in found})
    district_names = dict(districts)
    service_names = {pk: label for pk, _code, label in service_types}
    rows = [
        MarketRow(
            pk=pk,
            service=service_names.get(service_id, ""),
            when=timezone.localtime(starts_at).strftime("%Y-%m-%d %H:%M"),
            length=ngettext("%(hours)s hour", "%(hours)s hours", hours) % {"hours": hours},
            place=f"{district_names.get(district_id, '')} {streets.get(street_id, '')}",
        )
        for pk, starts_at, hours, service_id, district_id, street_id in found[:PAGE_SIZE]
    ]
    query = request.GET.copy()
    query.pop("after", None)
    district = chosen.get("district")
    return render(
        request,
        "orders/market.html",
        {
            "form": form,
            "chosen": chosen,
            "selected_district": district.pk if district else None,
            "selected_street": chosen["street"].pk if chosen.get("street") else None,
            "selected_service": chosen["service"].pk if chosen.get("service") else None,
            "selected_day": chosen.get("day"),
            # The filters are drawn by hand: Django's select widgets cost more
            # than the whole list of orders on this busy page.
            "districts": districts,
            "streets": district.streets.values_list("pk", name_field()) if district else [],
            "service_types": service_types,
            "orders": rows,
            "locked": min(locked, MARKET_LOCKED_SHOWN),
            "more_locked": locked > MARKET_LOCKED_SHOWN,
            "next_cursor": next_cursor,
            "query": query.urlencode(),
        },
    )


@login_required
def my_claims(request):
    current = (
        Order.objects.claimed_by(request.user)
        .filter(status__in=VOLUNTEER_ACTIVE)
        .select_related("service_type", "district", "street")
        .order_by("starts_at")
    )
    history = Order.objects.claimed_by(request.user).exclude(status__in=VOLUNTEER_ACTIVE)
    rows, next_cursor = _keyset_page(
        history.select_related("service_type", "district", "street"), request, descending=True
    )
    return render(
        request,
        "orders/my_claims.html",
        {"current": current, "history": rows, "next_cursor": next_cursor},
    )


# Service organisations -------------------------------------------------------------


@login_required
def organisation_detail(request, pk):
    """The coordinator's page: licence, services, members and the members' professional orders.

    Only the coordinator sees it (staff use the admin). Orders show where and
    when, never the elder's name, address or phone (DESIGN §5).
    """
    organisation = get_object_or_404(
        ServiceOrganisation.objects.owned_by(request.user).select_related("district", "street"),
        pk=pk,
    )
    members = organisation.members.select_related("volunteer_profile").order_by("pk")
    orders = Order.objects.by_members_of(organisation).select_related(
        "service_type", "district", "street", "volunteer__volunteer_profile"
    )
    rows, next_cursor = _keyset_page(orders, request, descending=True)
    context = {
        "organisation": organisation,
        "service_types": organisation.service_types.all(),
        "members": [(m.public_name, *organisation.standing_of(m)) for m in members],
        "orders": [(order, order.volunteer.public_name) for order in rows],
        "next_cursor": next_cursor,
    }
    return render(request, "orders/organisation.html", context)
