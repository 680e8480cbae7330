"""The elder's side: choosing a service, placing an order, the elder's orders."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import ElderProfile
from catalogue.models import ServiceType
from orders import services
from orders.forms import OrderForm
from orders.models import OPEN_STATUSES, Funding, Order, favourites_of
from orders.paging import keyset_page
from orders.services import AlreadyDone, OrderError


def _elder_for(request, elder_id):
    """The elder the user may order for: themselves or someone they act for, else 404."""
    return get_object_or_404(ElderProfile.objects.actable_by(request.user), pk=elder_id)


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
            "elder_name": elder.name_shown_to(request.user),
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
            "elder_name": elder.name_shown_to(request.user),
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
    form = OrderForm(request.POST or None, initial=initial, favourites=favourites_of(elder))
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
                favourite=form.cleaned_data.get("favourite"),
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
            if form.cleaned_data.get("favourite") and order.offered_to_id is None:
                messages.info(
                    request,
                    _(
                        "This volunteer is usually not available then, so the order goes "
                        "to every volunteer near the elder."
                    ),
                )
            return redirect(order)
    return _confirm_page(request, elder, service_type, form)


@login_required
def order_again(request, pk):
    """A past order on the same confirm screen: its service, length, funding and notes,
    at the next slot at its hour of the day. Only the elder's side's own orders.

    With `?same=1` its volunteer is chosen to come again, if they still may be.
    """
    past = get_object_or_404(
        Order.objects.for_elder_side(request.user).select_related("elder", "service_type"),
        pk=pk,
        service_type__is_active=True,
    )
    initial = {"booked_hours": past.booked_hours, "funding": past.funding, "notes": past.notes}
    favourites = favourites_of(past.elder)
    if request.GET.get("same") and favourites.filter(pk=past.volunteer_id).exists():
        initial["favourite"] = past.volunteer_id
    form = OrderForm(
        initial=initial,
        prefer_time=timezone.localtime(past.starts_at).time(),
        favourites=favourites,
    )
    return _confirm_page(request, past.elder, past.service_type, form)


@login_required
def my_orders(request):
    orders = Order.objects.for_elder_side(request.user).select_related("service_type", "volunteer")
    rows, next_cursor = keyset_page(orders, request.GET.get("after"), descending=True)
    return render(request, "orders/my_orders.html", {"orders": rows, "next_cursor": next_cursor})
