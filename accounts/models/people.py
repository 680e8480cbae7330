"""Elders who receive services and volunteers who give them.

One person may have both profiles: the 60+ volunteer who now orders care.
Resident ID numbers are validated by `accounts.idnumbers` and shown masked
except to the staff who verify them.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.codes import random_code
from accounts.idnumbers import (
    age_on,
    birth_date_from_id,
    mask_name,
    mask_resident_id,
    normalize_resident_id,
)
from accounts.models.links import ProxyAuthorisation, RelativeLink
from accounts.models.staff import StaffScope, is_city_staff, scoped
from accounts.models.verification import Verifiable, VerificationStatus

CARD_CODE_LENGTH = 6
MIN_VOLUNTEER_AGE = 18


def new_card_code():
    """A service card's code, read out over the phone (see `accounts.codes`)."""
    return random_code(CARD_CODE_LENGTH)


class RecipientCategory(models.TextChoices):
    """The six kinds of service recipient (服务对象) of the scheme."""

    LOW_INCOME = "low_income", _("Minimum-allowance or low-income family")
    HARDSHIP = "hardship", _("Family in difficulty: widowed, disabled or very old")
    FAMILY_PLANNING = "family_planning", _("Special family-planning family")
    ALONE = "alone", _("Living alone, empty-nest or left-behind")
    DISABLED = "disabled", _("Moderate or severe loss of ability")
    SENIOR_VOLUNTEER = "senior_volunteer", _("Volunteer aged 60 or over holding credits")


class ResidentIdentity(models.Model):
    """One resident ID number, one person: the account that first registered it.

    On PostgreSQL each elder and volunteer profile's (id_number, user) must be
    a row here (a foreign key on both columns, migration 0005), so two accounts
    can never hold one number, whichever profiles carry it. A profile's `save`
    writes the row; a number another account holds makes that save fail.
    """

    number = models.CharField(_("resident ID number"), max_length=18, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="resident_identities",
        verbose_name=_("account"),
    )
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("resident ID holder")
        verbose_name_plural = _("resident ID holders")
        constraints = [
            # The target of the profiles' two-column foreign keys.
            models.UniqueConstraint(fields=["number", "user"], name="resident_identity_of_user"),
        ]

    def __str__(self):
        return mask_resident_id(self.number)


class ClashKind(models.TextChoices):
    ELDER_FOR_OTHER = "register_elder", _("registering an elder for someone else")
    ELDER_SELF = "elder_profile", _("an elder's own profile")
    VOLUNTEER = "volunteer_profile", _("a volunteer profile")


class IdClash(models.Model):
    """Someone entered a resident ID number that another account holds.

    The stranger is not told whose it is; station staff see both records here
    and decide (a real family member, a typing mistake, or an attempt to block
    or impersonate the number's owner).
    """

    holder = models.ForeignKey(
        ResidentIdentity,
        on_delete=models.CASCADE,
        related_name="clashes",
        verbose_name=_("number held by"),
    )
    attempted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("entered by"),
    )
    kind = models.CharField(_("while"), max_length=20, choices=ClashKind.choices)
    real_name = models.CharField(_("real name entered"), max_length=60)
    district = models.ForeignKey(
        "accounts.District", on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    street = models.ForeignKey(
        "accounts.Street",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("street"),
    )
    created_at = models.DateTimeField(_("entered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("resident ID clash")
        verbose_name_plural = _("resident ID clashes")
        ordering = ["-created_at"]

    def __str__(self):
        return _("%(number)s entered by %(who)s") % {
            "number": self.holder,
            "who": self.attempted_by,
        }


def holds_resident_id(user, number):
    """Whether `number` is free or already `user`'s: registering it would succeed."""
    return not ResidentIdentity.objects.filter(number=number).exclude(user=user).exists()


class ElderProfileQuerySet(models.QuerySet):
    def actable_by(self, user):
        """Elders the user may act for: themselves and those with a verified proxy link."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            Q(user=user)
            | Q(
                pk__in=ProxyAuthorisation.objects.filter(
                    proxy=user, status=VerificationStatus.VERIFIED
                ).values("elder")
            )
        )

    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            Q(pk__in=self.actable_by(user).values("pk")) | Q(pk__in=scoped(self, user).values("pk"))
        )


class ResidentIdHolder:
    """What elder and volunteer profiles share: a resident ID number only one account holds."""

    def save(self, *args, **kwargs):
        """Save with the number's holder row, and free a number the person no longer uses."""
        with transaction.atomic():
            identity, _created = ResidentIdentity.objects.get_or_create(
                number=self.id_number, defaults={"user_id": self.user_id}
            )
            if identity.user_id != self.user_id:
                raise IntegrityError("This resident ID number is held by another account.")
            super().save(*args, **kwargs)
            in_use = [
                number
                for model in (ElderProfile, VolunteerProfile)
                for number in model.objects.filter(user_id=self.user_id).values_list(
                    "id_number", flat=True
                )
            ]
            ResidentIdentity.objects.filter(user_id=self.user_id).exclude(
                number__in=in_use
            ).delete()

    @property
    def masked_id_number(self):
        return mask_resident_id(self.id_number)

    @property
    def age(self):
        return age_on(self.birth_date, timezone.localdate())

    def clean(self):
        """A valid ID number sets the birth date; the street lies in the district."""
        try:
            self.id_number = normalize_resident_id(self.id_number)
        except ValidationError as error:
            raise ValidationError({"id_number": error.messages}) from error
        self.birth_date = birth_date_from_id(self.id_number)
        if self.street_id and self.district_id and self.street.district_id != self.district_id:
            raise ValidationError({"street": _("This street is not in the chosen district.")})


class ElderProfile(ResidentIdHolder, models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="elder_profile",
        verbose_name=_("account"),
    )
    real_name = models.CharField(_("real name"), max_length=60)
    id_number = models.CharField(_("resident ID number"), max_length=18, unique=True)
    birth_date = models.DateField(_("birth date"))
    phone = models.CharField(_("contact phone"), max_length=16, blank=True)
    district = models.ForeignKey(
        "accounts.District", on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    street = models.ForeignKey(
        "accounts.Street", on_delete=models.PROTECT, related_name="+", verbose_name=_("street")
    )
    community = models.ForeignKey(
        "accounts.Community",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("community"),
    )
    address = models.CharField(_("address"), max_length=200)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    emergency_contact_name = models.CharField(_("emergency contact"), max_length=60)
    emergency_contact_phone = models.CharField(_("emergency contact phone"), max_length=16)
    card_code = models.CharField(
        _("service card code"), max_length=CARD_CODE_LENGTH, unique=True, default=new_card_code
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registered by"),
    )
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    objects = ElderProfileQuerySet.as_manager()

    class Meta:
        verbose_name = _("elder")
        verbose_name_plural = _("elders")
        ordering = ["-created_at"]

    def __str__(self):
        return self.masked_name

    @property
    def masked_name(self):
        return mask_name(self.real_name)

    def name_shown_to(self, user):
        """The full name to the elder herself; masking keeps it from everyone else."""
        return self.real_name if self.user_id == user.pk else self.masked_name

    def has_verified_category(self):
        return self.categories.filter(status=VerificationStatus.VERIFIED).exists()


class ElderCategory(Verifiable):
    """One recipient category claimed for an elder, verified on its own evidence."""

    elder = models.ForeignKey(
        ElderProfile, on_delete=models.CASCADE, related_name="categories", verbose_name=_("elder")
    )
    category = models.CharField(_("category"), max_length=20, choices=RecipientCategory.choices)

    class Meta(Verifiable.Meta):
        verbose_name = _("elder category")
        verbose_name_plural = _("elder categories")
        ordering = ["-created_at"]
        constraints = [
            *Verifiable.Meta.constraints,
            models.UniqueConstraint(fields=["elder", "category"], name="elder_category_once"),
        ]

    def __str__(self):
        return f"{self.elder} · {self.get_category_display()}"

    @classmethod
    def owner_q(cls, user):
        return Q(elder__in=ElderProfile.objects.actable_by(user))


class VolunteerProfile(ResidentIdHolder, Verifiable):
    """A volunteer's identity, health declaration and what they offer; staff verify it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="volunteer_profile",
        verbose_name=_("account"),
    )
    real_name = models.CharField(_("real name"), max_length=60)
    id_number = models.CharField(_("resident ID number"), max_length=18, unique=True)
    birth_date = models.DateField(_("birth date"))
    health_declared = models.BooleanField(_("declared fit to volunteer"), default=False)
    health_notes = models.CharField(_("health notes"), max_length=200, blank=True)
    skills = models.ManyToManyField(
        "catalogue.ServiceType", blank=True, related_name="+", verbose_name=_("skills")
    )
    serve_districts = models.ManyToManyField(
        "accounts.District", related_name="+", verbose_name=_("districts willing to serve")
    )
    # The city registry's number for this volunteer, once a city system linked them
    # (`accounts.services.imports`); NULL until then, so that many may lack one.
    external_number = models.CharField(  # noqa: DJ001
        _("city volunteer number"), max_length=40, null=True, blank=True, unique=True
    )

    class Meta(Verifiable.Meta):
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers")
        ordering = ["-created_at"]
        constraints = [
            *Verifiable.Meta.constraints,
            models.CheckConstraint(
                condition=Q(health_declared=True), name="volunteer_declared_health"
            ),
        ]

    def __str__(self):
        return mask_name(self.real_name)

    # The only identity document the platform verifies; records and
    # certificates name it, as the national rules ask for the ID's type.
    id_type = _("Resident identity card")

    @property
    def volunteer_number(self):
        """The platform's number for this volunteer: stable, and says nothing about them."""
        return f"TBV{self.pk:08d}"

    def clean(self):
        super().clean()
        if self.age < MIN_VOLUNTEER_AGE:
            raise ValidationError({"id_number": _("Volunteers must be at least 18 years old.")})
        if not self.health_declared:
            raise ValidationError(
                {"health_declared": _("Volunteers must declare that they are fit to volunteer.")}
            )

    @classmethod
    def owner_q(cls, user):
        return Q(user=user)


def scoped_people(users, staff):
    """The people of `users` that `staff` manage; city staff manage everyone.

    A person belongs to an area through an elder or volunteer profile there
    (a profile elsewhere hides them), a proxy authorisation or relative link
    there, or a staff scope within it. An account with no tie to the area is
    not the area's to read, nor is an account with staff rights of another area.
    """
    for profile in ("elder_profile", "volunteer_profile"):
        in_area = scoped(users, staff, f"{profile}__district", f"{profile}__street")
        users = users.filter(Q(**{f"{profile}__isnull": True}) | Q(pk__in=in_area))
    if is_city_staff(staff):
        return users
    ties = [
        (ElderProfile, "user"),
        (VolunteerProfile, "user"),
        (ProxyAuthorisation, "proxy"),
        (RelativeLink, "requester"),
        (RelativeLink, "relative"),
        (StaffScope, "user"),
    ]
    tied = Q()
    for model, person in ties:
        tied |= Q(pk__in=scoped(model.objects.all(), staff).values(person))
    # An account with staff rights is the area's only through a scope in it:
    # a link to it (a relative link anyone may ask for) does not make it so.
    colleagues = scoped(StaffScope.objects.all(), staff).values("user")
    privileged = Q(is_staff=True) | Q(is_superuser=True)
    return users.filter(tied).exclude(privileged & ~Q(pk__in=colleagues))
