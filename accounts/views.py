"""Pages for people: onboarding, profiles, the service card, evidence and data export.

Every lookup by id goes through a `visible_to`/`actable_by` queryset, so
another person's record is a 404 before any rule is checked.
"""

import json

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from accounts import services
from accounts.forms import (
    CategoryForm,
    ElderForm,
    OrganisationForm,
    ProxyRequestForm,
    QualificationForm,
    RegisterElderForm,
    RelativeForm,
    ServedDistrictsForm,
    VolunteerForm,
    WindowFormSet,
)
from accounts.images import content_type_for
from accounts.models import (
    MAX_WINDOWS,
    ElderCategory,
    ElderProfile,
    ProxyAuthorisation,
    Qualification,
    RelativeLink,
    ServiceOrganisation,
    VerificationStatus,
    VolunteerProfile,
    served_districts,
)
from accounts.privacy import personal_data

ACTING_FOR = "acting_for_elder"
EVIDENCE_MODELS = {
    model._meta.model_name: model
    for model in [
        ElderCategory,
        VolunteerProfile,
        Qualification,
        ServiceOrganisation,
        ProxyAuthorisation,
        RelativeLink,
    ]
}


def current_elder(request):
    """The elder the person is acting for now: the one chosen, else themselves, else None.

    Re-checked on every call, so a revoked authorisation takes effect at once.
    """
    elders = ElderProfile.objects.actable_by(request.user)
    chosen = request.session.get(ACTING_FOR)
    return (chosen and elders.filter(pk=chosen).first()) or elders.filter(user=request.user).first()


def _form_page(request, form, title, intro=""):
    return render(request, "accounts/form.html", {"form": form, "title": title, "intro": intro})


def _save_or_show(request, form, save):
    """Run the service; a refusal becomes a form error, so nothing is half-saved."""
    try:
        save(form.cleaned_data)
    except services.PeopleError as error:
        form.add_error(None, str(error))
        return False
    return True


@login_required
def me(request):
    """What the person has asked for and where each thing stands."""
    user = request.user
    elders = ElderProfile.objects.actable_by(user).select_related("district", "street")
    context = {
        "volunteer": VolunteerProfile.objects.filter(user=user).first(),
        "qualifications": Qualification.objects.filter(holder=user).select_related("service_type"),
        "elders": elders,
        "acting_for": request.session.get(ACTING_FOR),
        # A request for an elder someone else registered shows once it is confirmed:
        # until then it would tell whether the number or phone asked for is an elder's.
        "authorisations": ProxyAuthorisation.objects.filter(proxy=user)
        .filter(Q(elder__registered_by=user) | Q(status=VerificationStatus.VERIFIED))
        .select_related("elder"),
        "requests": ProxyAuthorisation.objects.pending()
        .filter(elder__user=user)
        .select_related("proxy"),
        "relatives": RelativeLink.objects.owned_by(user).select_related("requester", "relative"),
        "organisations": ServiceOrganisation.objects.filter(coordinator=user),
    }
    return render(request, "accounts/me.html", context)


@login_required
def start(request):
    """After signup: what are you here for?"""
    return render(request, "accounts/start.html")


@login_required
def volunteer_form(request):
    """Become a volunteer, or edit the profile: only a new identity goes back to staff."""
    profile = VolunteerProfile.objects.filter(user=request.user).first()
    initial = {}
    if profile is not None:
        initial = {
            "real_name": profile.real_name,
            "district": profile.district,
            "street": profile.street,
            "health_declared": profile.health_declared,
            "health_notes": profile.health_notes,
            "skills": profile.skills.all(),
            "serve_districts": profile.serve_districts.all(),
        }
    form = VolunteerForm(
        request.POST or None, request.FILES or None, initial=initial, profile=profile
    )
    if form.is_valid() and _save_or_show(
        request, form, lambda data: services.save_volunteer_profile(**data, by=request.user)
    ):
        if VolunteerProfile.objects.get(user=request.user).is_verified:
            messages.success(request, gettext("Your profile is saved and stays verified."))
        else:
            messages.success(request, gettext("Thank you. Staff will verify your profile."))
        return redirect("people:me")
    if profile is None:
        title = gettext("Become a volunteer")
        intro = gettext("Staff check your identity before you can take orders.")
    else:
        title = gettext("Update my volunteer profile")
        intro = (
            gettext(
                "Staff have verified your profile. Changing your name, ID number or photo "
                "sends it back to them; any other change keeps it verified."
            )
            if profile.is_verified
            else gettext("Staff will check your profile when you save it.")
        )
    return _form_page(request, form, title, intro)


@login_required
def availability(request):
    """When and where the volunteer usually serves: their market and notices follow it."""
    profile = VolunteerProfile.objects.filter(user=request.user).first()
    if profile is None:
        messages.info(request, gettext("Fill in your volunteer profile first."))
        return redirect("people:volunteer")
    saved = profile.availability.all()
    windows = WindowFormSet(
        request.POST or None,
        initial=[{"weekday": w.weekday, "starts": w.starts, "ends": w.ends} for w in saved],
        prefix="times",
    )
    districts = ServedDistrictsForm(
        request.POST or None, initial={"serve_districts": served_districts(profile)}
    )
    if request.method == "POST" and windows.is_valid() and districts.is_valid():
        try:
            services.set_availability(
                by=request.user,
                windows=windows.windows(),
                districts=districts.cleaned_data["serve_districts"],
            )
        except services.PeopleError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, gettext("Your times and districts are saved."))
            return redirect("people:availability")
    return render(
        request,
        "accounts/availability.html",
        {
            "windows": windows,
            "districts": districts,
            "never_set": not saved,
            "max_windows": MAX_WINDOWS,
        },
    )


@login_required
def elder_form(request):
    """An elder orders for themselves: their own profile, new or edited."""
    profile = ElderProfile.objects.filter(user=request.user).first()
    initial = {}
    if profile is not None:
        initial = {
            field: getattr(profile, field)
            for field in ElderForm.base_fields
            if field not in ("id_number", "birth_date")
        }
    form = ElderForm(request.POST or None, initial=initial, profile=profile)
    if form.is_valid() and _save_or_show(
        request, form, lambda data: services.save_elder_profile(**data, by=request.user)
    ):
        if profile is None:
            messages.success(
                request,
                gettext("Your profile is saved. Now add the categories that apply to you."),
            )
        else:
            messages.success(request, gettext("Your profile is saved."))
        return redirect("people:elder", request.user.elder_profile.pk)
    if profile is None:
        return _form_page(request, form, gettext("Order services for myself"))
    verified = profile.has_verified_category()
    intro = (
        gettext(
            "Staff have verified your categories. Changing your name or ID number sends "
            "them back to staff; any other change keeps them."
        )
        if verified
        else ""
    )
    return _form_page(request, form, gettext("Update my profile"), intro)


@login_required
def register_elder(request):
    """Order for someone else, or register an elder at a station: you become their proxy."""
    form = RegisterElderForm(request.POST or None, request.FILES or None)
    if form.is_valid() and _save_or_show(
        request, form, lambda data: services.register_elder(by=request.user, **data)
    ):
        # The same words whether the elder was new or already registered (see the service).
        messages.success(
            request,
            gettext(
                "Thank you: the registration is received. You can order for the elder "
                "once your authorisation is verified."
            ),
        )
        return redirect("people:me")
    return _form_page(
        request,
        form,
        gettext("Order services for someone else"),
        gettext("Staff verify that you may act for this elder before you can order for them."),
    )


@login_required
def elder_detail(request, pk):
    elder = get_object_or_404(
        ElderProfile.objects.visible_to(request.user).select_related("district", "street"), pk=pk
    )
    services.record_elder_view(elder, by=request.user)
    context = {
        "elder": elder,
        "categories": elder.categories.all(),
        "proxies": elder.proxies.select_related("proxy"),
        "may_act": ElderProfile.objects.actable_by(request.user).filter(pk=pk).exists(),
    }
    return render(request, "accounts/elder_detail.html", context)


@login_required
def elder_card(request, pk):
    """The printable service card: masked name, QR code and confirmation code."""
    elder = get_object_or_404(ElderProfile.objects.visible_to(request.user), pk=pk)
    qr = segno.make(f"TIMEBANK:{elder.card_code}", error="m")
    return render(
        request,
        "accounts/card.html",
        {"elder": elder, "qr_svg": qr.svg_inline(scale=5, omitsize=True)},
    )


@login_required
def category_new(request, pk):
    elder = get_object_or_404(ElderProfile.objects.actable_by(request.user), pk=pk)
    form = CategoryForm(request.POST or None, request.FILES or None)
    if form.is_valid() and _save_or_show(
        request,
        form,
        lambda data: services.request_category(
            elder, data["category"], evidence=data["evidence"], by=request.user
        ),
    ):
        messages.success(request, gettext("Sent for verification."))
        return redirect("people:elder", elder.pk)
    return _form_page(request, form, gettext("Add a category"))


@login_required
def proxy_request(request):
    """A relative asks to act for an elder who registered themselves."""
    form = ProxyRequestForm(request.POST or None)
    if form.is_valid():
        services.ask_to_act_for(**form.cleaned_data, by=request.user)
        # The same words whether or not an elder was found (see the service).
        messages.success(
            request,
            gettext(
                "Thank you: the request is sent. If this is an elder's account, the elder "
                "can confirm it when they log in, or station staff can. You can order for "
                "them once it is confirmed."
            ),
        )
        return redirect("people:me")
    return _form_page(
        request,
        form,
        gettext("Act for an elder who has an account"),
        gettext("The elder confirms in their account, or station staff confirm it."),
    )


@require_POST
@login_required
def proxy_confirm(request, pk):
    """The elder confirms a relative's request; anyone else's request is a 404."""
    authorisation = get_object_or_404(
        ProxyAuthorisation.objects.filter(elder__user=request.user), pk=pk
    )
    try:
        services.confirm_proxy_request(authorisation, by=request.user)
    except services.PeopleError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            gettext("%(name)s can now act for you.") % {"name": authorisation.proxy},
        )
    return redirect("people:me")


@require_POST
@login_required
def proxy_revoke(request, pk):
    authorisation = get_object_or_404(ProxyAuthorisation.objects.visible_to(request.user), pk=pk)
    try:
        services.revoke_proxy(authorisation, by=request.user)
    except services.PeopleError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, gettext("The authorisation is revoked."))
    return redirect("people:elder", authorisation.elder_id)


@require_POST
@login_required
def act_for(request, pk):
    """A proxy switches which elder they are acting for."""
    elder = get_object_or_404(ElderProfile.objects.actable_by(request.user), pk=pk)
    request.session[ACTING_FOR] = elder.pk
    messages.success(
        request, gettext("You are now acting for %(name)s.") % {"name": elder.masked_name}
    )
    return redirect("people:me")


def _send_for_verification(request, form_class, service, title, intro=""):
    """A form whose service asks staff to verify something; done, back to the person's page."""
    form = form_class(request.POST or None, request.FILES or None)
    if form.is_valid() and _save_or_show(
        request, form, lambda data: service(**data, by=request.user)
    ):
        messages.success(request, gettext("Sent for verification."))
        return redirect("people:me")
    return _form_page(request, form, title, intro)


@login_required
def qualification_new(request):
    return _send_for_verification(
        request, QualificationForm, services.add_qualification, gettext("Add a qualification")
    )


@login_required
def relative_new(request):
    return _send_for_verification(
        request, RelativeForm, services.request_relative_link, gettext("Link a direct relative")
    )


@login_required
def organisation_new(request):
    return _send_for_verification(
        request,
        OrganisationForm,
        services.register_organisation,
        gettext("Register a service organisation"),
        gettext("Its verified members may take professional orders of these services."),
    )


@login_required
def evidence(request, kind, pk):
    """An evidence image, only to its parties and to staff of its area."""
    model = EVIDENCE_MODELS.get(kind)
    if model is None:
        raise Http404
    obj = get_object_or_404(model.objects.visible_to(request.user), pk=pk)
    if not obj.evidence:
        raise Http404
    response = FileResponse(
        obj.evidence.open("rb"), content_type=content_type_for(obj.evidence.name)
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def my_data(request):
    """Everything we hold about the person, as a JSON download (PIPL)."""
    body = json.dumps(personal_data(request.user), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="my-time-bank-data.json"'
    return response
