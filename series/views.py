from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import ElderProfile, may_act_for
from orders.models import Funding, Order
from series import services, volunteers
from series.forms import ChangeTimeForm, SeriesForm, SkipForm
from series.models import Series, SeriesStatus
from series.services import SeriesError


def _elder_for(request, elder_id):
    """The elder the user may act for, else 404."""
    return get_object_or_404(ElderProfile.objects.actable_by(request.user), pk=elder_id)


def _visible(request, pk):
    return get_object_or_404(
        Series.objects.visible_to(request.user).select_related("elder", "service_type"), pk=pk
    )


@login_required
def elder_series(request, elder_id):
    elder = _elder_for(request, elder_id)
    series = Series.objects.filter(elder=elder).select_related("service_type")
    return render(request, "series/elder.html", {"elder": elder, "series_list": series})


@login_required
def new_series(request, elder_id):
    elder = _elder_for(request, elder_id)
    initial = {
        "booked_hours": 1,
        "funding": Funding.WELFARE if elder.has_verified_category() else Funding.OWN_CREDITS,
    }
    form = SeriesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            series = services.set_up_series(
                elder,
                by=request.user,
                service_type=data["service_type"],
                weekdays=form.weekdays_mask(),
                time_of_day=data["time_of_day"],
                booked_hours=data["booked_hours"],
                funding=data["funding"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                visits=data["visits"],
                notes=data["notes"],
                skips_holidays=data["skips_holidays"],
            )
        except SeriesError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("Your repeating service is set up. Staff will review it once.")
            )
            return redirect(series)
    return render(request, "series/new.html", {"elder": elder, "form": form})


@login_required
def detail(request, pk):
    series = _visible(request, pk)
    user = request.user
    elder_side = may_act_for(user, series.elder)
    visits = (
        Order.objects.filter(occurrence__series=series)
        .select_related("volunteer")
        .order_by("starts_at")
    )
    context = {
        "series": series,
        "elder_side": elder_side,
        "may_manage": elder_side or user.is_staff,
        "may_take": not elder_side
        and hasattr(user, "volunteer_profile")
        and series.status == SeriesStatus.APPROVED
        and series.volunteer_id is None,
        "visits": visits if elder_side or user.is_staff or series.volunteer_id == user.pk else [],
        "skip_form": SkipForm(),
        "followed_by": Series.objects.filter(follows=series).first(),
    }
    return render(request, "series/detail.html", context)


def _act(request, pk, action, success):
    series = _visible(request, pk)
    try:
        action(series)
    except SeriesError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success)
    return redirect(series)


@require_POST
@login_required
def skip(request, pk):
    form = SkipForm(request.POST)
    if not form.is_valid():
        series = _visible(request, pk)
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(series)
    return _act(
        request,
        pk,
        lambda series: services.skip_date(series, form.cleaned_data["date"], by=request.user),
        _("That date is skipped."),
    )


@require_POST
@login_required
def pause(request, pk):
    return _act(
        request,
        pk,
        lambda series: services.pause_series(series, by=request.user),
        _("Paused. Visits not yet started are called off."),
    )


@require_POST
@login_required
def resume(request, pk):
    return _act(
        request,
        pk,
        lambda series: services.resume_series(series, by=request.user),
        _("Resumed. The next visits will be published soon."),
    )


@require_POST
@login_required
def end(request, pk):
    return _act(
        request,
        pk,
        lambda series: services.end_series(series, by=request.user),
        _("Ended. Visits not yet started are called off."),
    )


@login_required
def change_time(request, pk):
    """The elder's side or staff of the area change the time from a day on; others get 404."""
    series = get_object_or_404(
        Series.objects.managed_by(request.user).select_related("service_type"), pk=pk
    )
    initial = {
        "weekdays": series.weekday_numbers,
        "time_of_day": series.time_of_day,
        "booked_hours": series.booked_hours,
    }
    form = ChangeTimeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            changed = services.change_time(
                series,
                by=request.user,
                from_day=data["from_day"],
                weekdays=form.weekdays_mask(),
                time_of_day=data["time_of_day"],
                booked_hours=data["booked_hours"],
            )
        except SeriesError as error:
            form.add_error(None, str(error))
        else:
            if changed.status == SeriesStatus.SUBMITTED:
                done = _(
                    "Changed from %(day)s on. More hours a week need staff review first; "
                    "visits at the new time are published once staff approve."
                )
            else:
                done = _("Changed from %(day)s on. Visits at the new time will be published soon.")
            messages.success(request, done % {"day": changed.starts_on})
            return redirect(changed)
    return render(request, "series/change.html", {"series": series, "form": form})


@require_POST
@login_required
def take(request, pk):
    series = _visible(request, pk)
    try:
        _series, refusals = volunteers.take_series(series, by=request.user)
    except SeriesError as error:
        messages.error(request, str(error))
        return redirect(series)
    messages.success(request, _("You take this repeating service. Its visits are yours."))
    for day, reason in refusals:
        messages.warning(
            request,
            _("The visit on %(date)s stays open to others: %(reason)s")
            % {"date": day, "reason": reason},
        )
    return redirect(series)
