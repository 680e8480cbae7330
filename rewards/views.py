import segno
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.images import content_type_for
from accounts.models import District, scoped
from accounts.once import page_key, redirect_with_key
from rewards import services
from rewards.forms import (
    CertificateForm,
    DonationForm,
    GiftForm,
    HonourForm,
    ObjectionForm,
    PickupForm,
    RedeemForm,
)
from rewards.models import (
    Certificate,
    Goods,
    HonourPreference,
    Project,
    Redemption,
    RedemptionStatus,
    StarNotice,
)


def _qr_svg(content):
    return segno.make(content, error="m").svg_inline(scale=5, omitsize=True)


# Goods and redemption -------------------------------------------------------


def shelf(request):
    goods = Goods.objects.on_shelf()
    return render(request, "rewards/shelf.html", {"goods": goods})


def goods_detail(request, pk):
    """The goods, and for a logged-in person a redeem form keyed by the page's address."""
    goods = get_object_or_404(Goods.objects.on_shelf(), pk=pk)
    if not request.user.is_authenticated:
        if request.method == "POST":
            return redirect(f"{reverse('account_login')}?next={request.path}")
        return render(request, "rewards/goods.html", {"goods": goods})
    key = page_key(request)
    if not key:
        return redirect_with_key(request)
    earlier = services.redemption_with_key(request.user, key)
    if earlier and request.method == "POST":
        messages.info(request, _("This was already redeemed; nothing more was taken."))
        return redirect(earlier)
    form = RedeemForm(request.POST or None)
    if form.is_valid():
        try:
            redemption = services.redeem_goods(
                goods, form.cleaned_data["station"], key=key, by=request.user
            )
        except services.RewardsError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Redeemed. Show this code at the station."))
            return redirect(redemption)
    return render(request, "rewards/goods.html", {"goods": goods, "form": form, "earlier": earlier})


def goods_image(request, pk):
    """Goods photos are public: served here because uploads have no public URL."""
    goods = get_object_or_404(Goods.objects.on_shelf().exclude(image=""), pk=pk)
    response = FileResponse(goods.image.open("rb"), content_type=content_type_for(goods.image.name))
    response["Cache-Control"] = "public, max-age=3600"
    return response


@login_required
def redemption_detail(request, pk):
    redemption = get_object_or_404(
        Redemption.objects.of(request.user).select_related("goods", "station", "refund"), pk=pk
    )
    pickup_url = request.build_absolute_uri(f"{reverse('rewards:pickup')}?code={redemption.code}")
    return render(
        request,
        "rewards/redemption.html",
        {"redemption": redemption, "qr_svg": _qr_svg(pickup_url) if redemption.is_open else ""},
    )


@require_POST
@login_required
def redemption_cancel(request, pk):
    redemption = get_object_or_404(Redemption.objects.of(request.user), pk=pk)
    try:
        services.cancel_redemption(redemption, by=request.user)
    except services.RewardsError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Cancelled; the credits are back in your wallet."))
    return redirect(redemption)


@staff_member_required
def pickup(request):
    """Station staff hand goods over (核销): the QR opens this page with the code filled in."""
    form = PickupForm(request.POST or None, initial={"code": request.GET.get("code", "")})
    if form.is_valid():
        try:
            redemption = services.hand_over(form.cleaned_data["code"], by=request.user)
        except services.RewardsError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("Handed over: %(goods)s (code %(code)s).")
                % {"goods": redemption.goods, "code": redemption.code},
            )
            return redirect("rewards:pickup")
    waiting = scoped(
        Redemption.objects.filter(status=RedemptionStatus.RESERVED),
        request.user,
        district_field="station__district",
        street_field="station__street",
    ).select_related("goods", "station")
    return render(
        request, "rewards/pickup.html", {"form": form, "waiting": waiting.order_by("deadline")[:50]}
    )


# My rewards ---------------------------------------------------------------


@login_required
def mine(request):
    preference = HonourPreference.objects.filter(user=request.user).first()
    return render(
        request,
        "rewards/mine.html",
        {
            "redemptions": Redemption.objects.of(request.user).select_related("goods", "station")[
                :20
            ],
            "stars_awarded": services.star_level_awarded(request.user),
            "stars_in_notice": services.star_level_in_notice(request.user),
            "notices": StarNotice.objects.filter(volunteer=request.user),
            "certificates": request.user.certificates.all(),
            "honour_form": HonourForm(
                initial={"show_on_board": bool(preference and preference.show_on_board)}
            ),
        },
    )


@require_POST
@login_required
def honour_preference(request):
    form = HonourForm(request.POST)
    if form.is_valid():
        HonourPreference.objects.update_or_create(
            user=request.user, defaults={"show_on_board": form.cleaned_data["show_on_board"]}
        )
        messages.success(request, _("Saved."))
    return redirect("rewards:mine")


# Gifts and donations --------------------------------------------------------


@login_required
def gift(request):
    """Choose, then confirm on a page whose address holds the key: sent twice, it gives once."""
    form = GiftForm(request.GET or None, giver=request.user)
    if not form.is_valid():
        return render(request, "rewards/gift.html", {"form": form})
    key = page_key(request)
    if not key:
        return redirect_with_key(request)
    data = form.cleaned_data
    given = services.gift_given(request.user, key)
    if request.method == "POST":
        if given:
            messages.info(request, _("This gift was already given; nothing more was taken."))
            return redirect("credits:mine")
        try:
            services.give_credits(data["receiver"], data["amount"], key=key, by=request.user)
        except services.RewardsError as error:
            messages.error(request, str(error))
            return redirect("rewards:gift")
        messages.success(
            request,
            _("You gave %(amount)s credits to %(receiver)s.")
            % {"amount": data["amount"], "receiver": data["receiver"]},
        )
        return redirect("credits:mine")
    return render(request, "rewards/gift_confirm.html", {"data": data, "given": given})


@login_required
def donate(request):
    key = page_key(request)
    if not key:
        return redirect_with_key(request)
    done = services.donation_made(request.user, key)
    form = DonationForm(
        request.POST or None, initial={"project": request.GET.get("project") or None}
    )
    if form.is_valid():
        if done:
            messages.info(request, _("This donation was already made; nothing more was taken."))
            return redirect("credits:mine")
        data = form.cleaned_data
        try:
            services.donate_credits(
                data["amount"], key=key, project=data["project"], by=request.user
            )
        except services.RewardsError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Thank you for your donation."))
            return redirect("credits:mine")
    return render(request, "rewards/donate.html", {"form": form, "done": done})


def projects(request):
    return render(
        request, "rewards/projects.html", {"projects": Project.objects.select_related("district")}
    )


def project_detail(request, code):
    project = get_object_or_404(Project.objects.select_related("district"), code=code)
    totals = services.project_totals(project)
    return render(request, "rewards/project.html", {"project": project, **totals})


# Stars: public notice (公示) and honours ----------------------------------------


def notices(request):
    running = StarNotice.objects.running().select_related("district")
    return render(request, "rewards/notices.html", {"notices": running})


def notice_detail(request, pk):
    notice = get_object_or_404(StarNotice.objects.select_related("district"), pk=pk)
    form = ObjectionForm(request.POST or None)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{reverse('account_login')}?next={request.path}")
        if form.is_valid():
            try:
                services.object_to_notice(
                    notice, reason=form.cleaned_data["reason"], by=request.user
                )
            except services.RewardsError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("Your objection was sent to staff."))
                return redirect(notice)
    return render(
        request,
        "rewards/notice.html",
        {"notice": notice, "form": form, "takes_objections": notice.takes_objections()},
    )


def _whole_number(text):
    """A number typed into a filter, or None: Python also counts `²` and `١` as digits."""
    return int(text) if text.isascii() and text.isdigit() else None


def honours(request):
    """Awarded stars of volunteers who opted in, by district and year (names masked)."""
    awarded = StarNotice.objects.awarded().filter(volunteer__honour_preference__show_on_board=True)
    district = request.GET.get("district", "")
    year = request.GET.get("year", "")
    district_id, year_number = _whole_number(district), _whole_number(year)
    if district_id is not None:
        awarded = awarded.filter(district_id=district_id)
    if year_number is not None and 2000 <= year_number <= 2100:
        awarded = awarded.filter(decided_at__year=year_number)
    years = StarNotice.objects.awarded().dates("decided_at", "year", order="DESC")
    return render(
        request,
        "rewards/honours.html",
        {
            "awarded": awarded.select_related("district").order_by("-level", "-decided_at")[:100],
            "districts": District.objects.all(),
            "years": [day.year for day in years],
            "district": district,
            "year": year,
        },
    )


# Certificates -------------------------------------------------------------


@login_required
def certificate_new(request):
    form = CertificateForm(request.POST or None)
    if form.is_valid():
        try:
            certificate = services.issue_certificate(
                form.cleaned_data["start"], form.cleaned_data["end"], by=request.user
            )
        except services.RewardsError as error:
            messages.error(request, str(error))
        else:
            return redirect("rewards:certificate_print", certificate.serial)
    return render(request, "rewards/certificate_new.html", {"form": form})


@login_required
def certificate_print(request, serial):
    """The volunteer's own certificate, with every item the national rules list."""
    certificate = get_object_or_404(request.user.certificates, serial=serial)
    verify_url = request.build_absolute_uri(certificate.get_absolute_url())
    return render(
        request,
        "rewards/certificate_print.html",
        {
            "certificate": certificate,
            "profile": getattr(request.user, "volunteer_profile", None),
            "services": services.certificate_services(certificate),
            "qr_svg": _qr_svg(verify_url),
            "verify_url": verify_url,
        },
    )


def certificate_verify(request, serial):
    """Public: the masked name, hours, period, issue date and issuer, and whether it was
    revoked; never an ID number or an address."""
    certificate = get_object_or_404(
        Certificate.objects.only(
            "serial",
            "public_name",
            "hours",
            "start",
            "end",
            "issued_at",
            "revoked_at",
            "issuer_name",
        ),
        serial=serial,
    )
    return render(request, "rewards/certificate_verify.html", {"certificate": certificate})
