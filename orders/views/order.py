"""One order: its page, and each step on it as a POST that calls one service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import may_act_for
from credits.models import ServiceRecord
from orders import services
from orders.forms import CardCodeForm, LocationForm, RatingForm, ReasonForm
from orders.lookups import visible_order
from orders.models import NotAgain, Order, OrderStatus, favourites_of
from orders.services import AlreadyDone, OrderError, OrderTaken


def _back_to_market(request, taken):
    messages.info(request, str(taken))
    return redirect("orders:market")


@login_required
def detail(request, pk):
    try:
        order = visible_order(request.user, pk)
    except OrderTaken as taken:
        return _back_to_market(request, taken)
    user = request.user
    elder_side = may_act_for(user, order.elder)
    is_volunteer = order.volunteer_id == user.pk
    now = timezone.now()
    served = elder_side and order.status == OrderStatus.COMPLETED and order.volunteer_id
    context = {
        "order": order,
        "elder_name": order.elder.name_shown_to(user),
        "elder_side": elder_side,
        "is_volunteer": is_volunteer,
        "asked_for_me": order.status == OrderStatus.PUBLISHED
        and order.offered_to_id == user.pk
        and order.offered_until is not None
        and order.offered_until > now,
        "not_again": served
        and NotAgain.objects.filter(elder=order.elder, volunteer=order.volunteer_id).exists(),
        "may_ask_again": served
        and (order.rating or 0) >= 4
        and favourites_of(order.elder).filter(pk=order.volunteer_id).exists(),
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
        "now": now,
    }
    return render(request, "orders/detail.html", context)


def _act(request, pk, action, success, *, under_review=None):
    """Run one service on a visible order and come back to it with the outcome
    (`under_review` instead of `success` when the order went to staff review)."""
    try:
        order = visible_order(request.user, pk)
    except OrderTaken as taken:
        return _back_to_market(request, taken)
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
    try:
        order = visible_order(request.user, pk)
    except OrderTaken as taken:
        return _back_to_market(request, taken)
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


def _act_for_elder(request, pk, action, success):
    """Like `_act`, for the elder's side's own orders only: any other id is a 404."""
    order = get_object_or_404(
        Order.objects.for_elder_side(request.user).select_related("elder", "volunteer"), pk=pk
    )
    try:
        action(order)
    except AlreadyDone as done:
        messages.info(request, str(done))
    except OrderError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success)
    return redirect(order)


@require_POST
@login_required
def not_again(request, pk):
    return _act_for_elder(
        request,
        pk,
        lambda order: services.mark_not_again(order, by=request.user),
        _("Noted. This volunteer will not be sent to this elder again; they are not told."),
    )


@require_POST
@login_required
def welcome_again(request, pk):
    return _act_for_elder(
        request,
        pk,
        lambda order: services.withdraw_not_again(order, by=request.user),
        _("This volunteer may come again."),
    )


@require_POST
@login_required
def pass_offer(request, pk):
    return _act(
        request,
        pk,
        lambda order: services.pass_offer(order, by=request.user),
        _("Thank you. The order is open to every volunteer now."),
    )
