import datetime
from operator import itemgetter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q, Sum
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from accounts.idnumbers import age_on
from accounts.models import ElderProfile, VerificationStatus, VolunteerProfile
from credits import carrying, statements
from credits.forms import CarryInForm, StatementForm
from credits.models import ServiceRecord, Transfer, current_policy
from credits.passbook import passbook_page, passbook_rows
from credits.services import wallet_of


@login_required
def my_credits(request):
    """Balance, what the person can do with it now, served time, stars and the passbook.

    What is said depends on who reads it: stars and the hours before goods and
    gifts open speak to people who serve, paying for one's own care to people
    old enough. Stars are shown as awarded after their public notice (rewards'
    `awarded_stars` tag), never as reached.
    """
    wallet = wallet_of(request.user)
    policy = current_policy()
    minutes = ServiceRecord.objects.minutes_served(request.user)
    hours = minutes // 60
    next_star = policy.next_star_hours(hours)
    elder = ElderProfile.objects.filter(user=request.user).first()
    volunteer = VolunteerProfile.objects.filter(user=request.user).first()
    person = elder or volunteer
    age = age_on(person.birth_date, timezone.localdate()) if person else None
    page, rows = passbook_page(wallet, request.GET.get("page"))
    return render(
        request,
        "credits/my_credits.html",
        {
            "wallet": wallet,
            "policy": policy,
            "serves": volunteer is not None or minutes > 0,
            "volunteer_verified": volunteer is not None
            and volunteer.status == VerificationStatus.VERIFIED,
            "elder": elder,
            "may_pay_own_care": age is not None and age >= policy.self_pay_age,
            "years_to_own_care": policy.self_pay_age - age if age is not None else None,
            "hours_served": hours,
            "carried_minutes": minutes % 60,
            "spendable": policy.is_spendable(hours),
            "hours_to_spendable": max(0, policy.spendable_after_hours - hours),
            "next_star": next_star,
            "hours_to_next_star": next_star - hours if next_star else None,
            "page": page,
            "rows": rows,
        },
    )


@login_required
def statement(request):
    """A printable passbook (存折) for one period, oldest first, with running balance."""
    wallet = wallet_of(request.user)
    form = StatementForm(request.GET or None)
    start, end = form.period()
    period = {
        "created_at__gte": _local_midnight(start),
        "created_at__lt": _local_midnight(end + datetime.timedelta(days=1)),
    }
    opening = _balance_before(wallet, period["created_at__gte"])
    transfers = Transfer.objects.passbook(wallet).filter(**period).reverse()
    rows, balance = [], opening
    for row in sorted(passbook_rows(wallet, transfers, **period), key=itemgetter("when")):
        balance += row["amount"]
        rows.append({**row, "balance": balance})
    return render(
        request,
        "credits/statement.html",
        {
            "form": form,
            "start": start,
            "end": end,
            "opening": opening,
            "closing": balance,
            "rows": rows,
            "printed_at": timezone.now(),
        },
    )


def _local_midnight(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _balance_before(wallet, moment):
    totals = (
        Transfer.objects.involving(wallet)
        .filter(created_at__lt=moment)
        .aggregate(
            incoming=Sum("amount", filter=Q(target=wallet)),
            outgoing=Sum("amount", filter=Q(source=wallet)),
        )
    )
    return (totals["incoming"] or 0) - (totals["outgoing"] or 0)


def statement_key(request):
    """Public: the key other platforms check this platform's hours statements with."""
    return JsonResponse(statements.published_key())


@never_cache
@login_required
def hours_statement(request):
    """The volunteer's signed statement of hours, to take to another platform."""
    profile = VolunteerProfile.objects.filter(
        user=request.user, status=VerificationStatus.VERIFIED
    ).first()
    if profile is None:
        raise Http404("Only a verified volunteer has a statement of hours.")
    document = statements.build_statement(profile, wallet_of(request.user).balance)
    response = HttpResponse(
        statements.canonical(document), content_type="application/json; charset=utf-8"
    )
    day = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="hours-statement-{day}.json"'
    return response


@login_required
def carry_in(request):
    """Upload a statement from another platform; staff decide before anything is credited."""
    form = CarryInForm(request.POST or None, request.FILES or None)
    if form.is_valid():
        try:
            carrying.import_statement(request.user, form.cleaned_data["statement"], by=request.user)
        except statements.StatementError as error:
            form.add_error("statement", str(error))
        else:
            messages.success(
                request, _("The statement checks out. Staff will confirm it before it is credited.")
            )
            return redirect("credits:carry_in")
    return render(
        request,
        "credits/carry_in.html",
        {
            "form": form,
            "carried": request.user.carried_statements.select_related("platform"),
            "verified": VolunteerProfile.objects.filter(
                user=request.user, status=VerificationStatus.VERIFIED
            ).exists(),
        },
    )
