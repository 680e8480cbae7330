"""Orders for the services of the catalogue (`catalogue`).

An order moves through a fixed set of statuses (`TRANSITIONS`); the only
code that changes `Order.status` is `orders.services._move`, which also
writes an `OrderEvent` (who, acting for whom, from, to, note). Everything
that must be true of an order at rest is a database constraint:

- a claimed, in-service, delivered, disputed or completed order has a volunteer,
- nobody volunteers for their own order,
- booked hours are whole hours from 1 to 8, ratings 1 to 5.

Money-like state lives in `credits`: an order paid with the elder's own
credits holds its booked hours in escrow (`order:<id>:hold`) when it is
submitted; completion spends the hold and pays the volunteer
(`order:<id>:earn`), every other ending releases it. The idempotency keys
make each of those happen at most once however often a step is retried.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import (
    ElderProfile,
    Qualification,
    RelativeLink,
    ServiceOrganisation,
    User,
    VerificationStatus,
    covers,
    may_act_for,
    scoped,
    within_availability,
)
from catalogue.models import ServiceKind, ServiceType
from credits.references import About


class OrderStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Awaiting review")
    PUBLISHED = "published", _("Open for volunteers")
    CLAIMED = "claimed", _("Volunteer on the way")
    IN_SERVICE = "in_service", _("In service")
    DELIVERED = "delivered", _("Served, awaiting confirmation")
    COMPLETED = "completed", _("Completed")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")
    EXPIRED = "expired", _("Expired")
    DISPUTED = "disputed", _("Under staff review")


S = OrderStatus
TRANSITIONS = {
    S.SUBMITTED: {S.PUBLISHED, S.REJECTED, S.CANCELLED, S.EXPIRED},
    S.PUBLISHED: {S.CLAIMED, S.CANCELLED, S.EXPIRED},
    S.CLAIMED: {S.PUBLISHED, S.IN_SERVICE, S.CANCELLED},
    S.IN_SERVICE: {S.DELIVERED},
    S.DELIVERED: {S.COMPLETED, S.DISPUTED},
    S.DISPUTED: {S.COMPLETED},
}
OPEN_STATUSES = {S.SUBMITTED, S.PUBLISHED, S.CLAIMED, S.IN_SERVICE, S.DELIVERED, S.DISPUTED}
WITH_VOLUNTEER = {S.CLAIMED, S.IN_SERVICE, S.DELIVERED, S.DISPUTED, S.COMPLETED}
# A volunteer's current work, as opposed to their history.
VOLUNTEER_ACTIVE = {S.CLAIMED, S.IN_SERVICE, S.DELIVERED, S.DISPUTED}
# Statuses that keep a volunteer busy for the booked slot.
BUSY_STATUSES = {S.CLAIMED, S.IN_SERVICE}


class Funding(models.TextChoices):
    WELFARE = "welfare", _("Welfare (free to the elder)")
    OWN_CREDITS = "own_credits", _("Paid with the elder's own credits")


class Confirmation(models.TextChoices):
    ONLINE = "online", _("Confirmed online by the elder's side")
    CARD_CODE = "card_code", _("Confirmed with the service card code")
    AUTOMATIC = "automatic", _("Completed automatically")
    STAFF = "staff", _("Settled by staff")


def _qualified(volunteer):
    certificate = Qualification.objects.verified().filter(
        holder=volunteer,
        service_type=OuterRef("service_type"),
        expires_on__gte=OuterRef("starts_at__date"),
    )
    organisation = ServiceOrganisation.objects.verified().filter(
        members=volunteer, service_types=OuterRef("service_type")
    )
    # A subquery, not a join: the market reads orders without joins.
    general = ServiceType.objects.filter(kind=ServiceKind.GENERAL)
    return Q(service_type__in=general) | Exists(certificate) | Exists(organisation)


def _unwelcoming(volunteer):
    """The elders whose side asked that this volunteer not come again."""
    return ElderProfile.objects.filter(
        pk__in=NotAgain.objects.filter(volunteer=volunteer).values("elder")
    )


def _offered_to_another(volunteer, now):
    """Orders an elder asked another volunteer for, while that volunteer's window lasts."""
    return Q(offered_until__gt=now) & ~Q(offered_to=volunteer)


class OrderQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=OrderStatus.PUBLISHED)

    def for_elder_side(self, user):
        """Orders of the user as elder, and of every elder they may act for."""
        return self.filter(elder__in=ElderProfile.objects.actable_by(user))

    def claimed_by(self, volunteer):
        return self.filter(volunteer=volunteer)

    def visible_to(self, user):
        """What a person may open at all: their side's orders, their claims, and open
        ones, unless the elder asked that they not come again or the order is still
        offered to someone else."""
        if not user.is_authenticated:
            return self.none()
        if user.is_staff:
            return self.in_scope_of(user)
        return self.filter(
            Q(elder__in=ElderProfile.objects.actable_by(user))
            | Q(volunteer=user)
            | (
                Q(status=OrderStatus.PUBLISHED)
                & ~Q(elder__in=_unwelcoming(user))
                & ~_offered_to_another(user, timezone.now())
            )
        )

    def taken_from(self, volunteer):
        """Orders that were open in the market and that another volunteer has taken since.

        Every volunteer could see them while they were open, so being told that
        one is taken tells them nothing new; any other order they may not open
        stays a plain 404.
        """
        if getattr(volunteer, "volunteer_profile", None) is None:
            return self.none()
        return (
            self.filter(published_at__isnull=False, status__in=WITH_VOLUNTEER)
            .exclude(volunteer=volunteer)
            .exclude(elder__in=_unwelcoming(volunteer))
            # Taken by the favourite within their window: nobody else ever saw it.
            .exclude(volunteer=F("offered_to"), claimed_at__lt=F("offered_until"))
        )

    def not_barred_for(self, volunteer):
        """Without the orders a volunteer may never claim (`claim_refusal`): their own,
        those of elders they act for, of their verified direct relatives, and of
        elders who asked that they not come again."""
        links = RelativeLink.objects.verified()
        barred = (
            ElderProfile.objects.actable_by(volunteer)
            | ElderProfile.objects.filter(
                Q(user__in=links.filter(requester=volunteer).values("relative"))
                | Q(user__in=links.filter(relative=volunteer).values("requester"))
            )
            | _unwelcoming(volunteer)
        )
        return self.exclude(elder__in=barred)

    def in_market(self, now):
        """Without the orders still waiting for the volunteer their elder asked for."""
        return self.exclude(offered_until__gt=now)

    def offered_to(self, volunteer, now):
        """Orders whose elder asked for this volunteer, while their window lasts."""
        return self.filter(offered_to=volunteer, offered_until__gt=now)

    def within_availability_of(self, profile):
        """Orders starting in the volunteer's times of the week and districts
        (`accounts.models.availability`); a preference, not a claim rule."""
        return within_availability(self, profile)

    def within_qualifications_of(self, volunteer):
        """General services, and professional ones the volunteer is qualified for on the
        order's day: `is_qualified_for`'s certificate or organisation, as one query."""
        return self.filter(_qualified(volunteer))

    def beyond_qualifications_of(self, volunteer):
        """Professional orders a qualification would open to the volunteer."""
        return self.exclude(_qualified(volunteer))

    def in_scope_of(self, user):
        """What a staff member manages: their city, district or street."""
        return scoped(self, user)

    def by_members_of(self, organisation):
        """The professional orders its members took for its services, none unless it is verified.

        The organisation answers for these orders only while staff recognise it:
        membership qualifies nobody while it is pending, rejected or revoked
        (`is_qualified_for`), and a revoked organisation must stop following the
        work of the people it no longer vouches for.
        """
        if not organisation.is_verified:
            return self.none()
        return self.filter(
            service_type__in=organisation.service_types.all(),
            volunteer__in=organisation.members.all(),
        )

    def overlapping(self, starts_at, ends_at):
        return self.filter(starts_at__lt=ends_at, ends_at__gt=starts_at)


class Order(models.Model):
    elder = models.ForeignKey(
        "accounts.ElderProfile",
        on_delete=models.PROTECT,
        related_name="orders",
        verbose_name=_("elder"),
    )
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="orders_placed",
        verbose_name=_("placed by"),
    )
    service_type = models.ForeignKey(
        ServiceType, on_delete=models.PROTECT, related_name="orders", verbose_name=_("service")
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"), editable=False)
    booked_hours = models.PositiveSmallIntegerField(_("booked hours"))
    district = models.ForeignKey(
        "accounts.District", on_delete=models.PROTECT, verbose_name=_("district")
    )
    street = models.ForeignKey(
        "accounts.Street", on_delete=models.PROTECT, verbose_name=_("street")
    )
    address_detail = models.CharField(_("address"), max_length=200)
    contact_phone = models.CharField(_("contact phone"), max_length=16, blank=True)
    notes = models.TextField(_("notes for the volunteer"), blank=True, max_length=500)
    funding = models.CharField(_("funding"), max_length=20, choices=Funding.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=OrderStatus.choices, default=OrderStatus.SUBMITTED
    )
    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="orders_claimed",
        verbose_name=_("volunteer"),
    )
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    check_in_location = models.CharField(_("check-in location"), max_length=40, blank=True)
    checked_out_at = models.DateTimeField(_("checked out at"), null=True, blank=True)
    check_out_location = models.CharField(_("check-out location"), max_length=40, blank=True)
    reported_minutes = models.PositiveIntegerField(_("reported minutes"), null=True, blank=True)
    credited_minutes = models.PositiveIntegerField(_("credited minutes"), null=True, blank=True)
    needs_review = models.CharField(_("needs staff review because"), max_length=200, blank=True)
    confirmation = models.CharField(
        _("confirmation"), max_length=20, choices=Confirmation.choices, blank=True
    )
    card_code_failures = models.PositiveSmallIntegerField(
        _("wrong card codes entered"), default=0, editable=False
    )
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    rating = models.PositiveSmallIntegerField(_("satisfaction"), null=True, blank=True)
    rating_comment = models.CharField(_("comment"), max_length=300, blank=True)
    offered_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="orders_offered",
        verbose_name=_("asked for volunteer"),
        help_text=_("The volunteer the elder's side asked for again: offered to them first."),
    )
    offered_until = models.DateTimeField(
        _("offered to them until"),
        null=True,
        blank=True,
        help_text=_("Set when the order is published; after it every volunteer sees the order."),
    )
    flagged_unclaimed_at = models.DateTimeField(_("flagged unclaimed at"), null=True, blank=True)
    flagged_no_show_at = models.DateTimeField(_("flagged no-show at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = OrderQuerySet.as_manager()
    TRANSITIONS = TRANSITIONS  # the steps `accounts.status.move` allows

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-starts_at", "-pk"]
        indexes = [
            # The market: published orders by start time, optionally per district.
            models.Index(fields=["status", "starts_at", "id"], name="order_status_start"),
            models.Index(
                fields=["district", "status", "starts_at", "id"], name="order_district_status_start"
            ),
            models.Index(fields=["elder", "-starts_at"], name="order_elder_start"),
            models.Index(fields=["volunteer", "-starts_at"], name="order_volunteer_start"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(booked_hours__gte=1) & Q(booked_hours__lte=8),
                name="order_booked_hours_1_to_8",
            ),
            models.CheckConstraint(
                condition=Q(status__in=OrderStatus.values), name="order_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status__in=sorted(WITH_VOLUNTEER)) | Q(volunteer__isnull=False),
                name="order_with_volunteer_has_one",
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | (Q(rating__gte=1) & Q(rating__lte=5)),
                name="order_rating_1_to_5",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="order_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(offered_until__isnull=True) | Q(offered_to__isnull=False),
                name="order_offered_until_has_volunteer",
            ),
        ]

    def __str__(self):
        return _("Order %(number)s") % {"number": self.number}

    def save(self, *args, **kwargs):
        self.set_end()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("orders:detail", args=[self.pk])

    def set_end(self):
        """The end of the booked slot; orders created in bulk skip `save` and call this."""
        self.ends_at = self.starts_at + timedelta(hours=self.booked_hours)

    @property
    def number(self):
        return f"{self.pk:06d}" if self.pk else "-"

    @property
    def reference(self):
        """How the ledger names this order."""
        return f"order:{self.pk}"

    def shows_contact_to(self, user, now=None):
        """The address and phone (DESIGN §5): the elder's side, staff of the area, and
        the claiming volunteer from the claim until 24 h after completion."""
        if may_act_for(user, self.elder) or covers(user, self.district_id, self.street_id):
            return True
        if self.volunteer_id is None or self.volunteer_id != user.pk:
            return False
        if self.status == OrderStatus.COMPLETED and self.completed_at:
            return (now or timezone.now()) < self.completed_at + timedelta(hours=24)
        return self.status in VOLUNTEER_ACTIVE


class NotAgain(models.Model):
    """The elder's side asked, after a visit, that this volunteer not come again.

    Private: the volunteer is never told, they simply no longer see or get the
    elder's orders; staff see only how many such marks a volunteer has. Made
    from an order the volunteer completed for the elder; withdrawn by deleting it.
    """

    elder = models.ForeignKey(
        "accounts.ElderProfile",
        on_delete=models.CASCADE,
        related_name="not_again",
        verbose_name=_("elder"),
    )
    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="not_again_marks",
        verbose_name=_("volunteer"),
    )
    order = models.ForeignKey(
        Order, on_delete=models.PROTECT, related_name="+", verbose_name=_("after order")
    )
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("marked by"),
    )
    created_at = models.DateTimeField(_("marked at"), default=timezone.now)

    class Meta:
        verbose_name = _("volunteer not to come again")
        verbose_name_plural = _("volunteers not to come again")
        constraints = [
            models.UniqueConstraint(fields=["elder", "volunteer"], name="not_again_once"),
        ]

    def __str__(self):
        return _("%(volunteer)s not again for %(elder)s") % {
            "volunteer": self.volunteer,
            "elder": self.elder,
        }


def favourites_of(elder):
    """Volunteers the elder's side may ask for again: who completed a visit for the
    elder rated 4 or 5, are verified still, and are not marked "not again"."""
    return (
        User.objects.filter(
            pk__in=Order.objects.filter(
                elder=elder, status=OrderStatus.COMPLETED, rating__gte=4
            ).values("volunteer"),
            volunteer_profile__status=VerificationStatus.VERIFIED,
        )
        .exclude(pk__in=NotAgain.objects.filter(elder=elder).values("volunteer"))
        .order_by("name", "pk")
    )


class OrderEvent(models.Model):
    """One status change of an order; never changed afterwards."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
        help_text=_("Empty when the platform itself acted (expiry, auto-completion)."),
    )
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("acting for"),
    )
    from_status = models.CharField(
        _("from"), max_length=20, choices=OrderStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=20, choices=OrderStatus.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    standing = models.BooleanField(
        _("for a regular volunteer"),
        default=False,
        help_text=_(
            "A claim made for the regular volunteer of a repeating service, which "
            "does not count against the claims allowed per hour."
        ),
    )
    created_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("order event")
        verbose_name_plural = _("order events")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.order} {self.get_from_status_display()} → {self.get_to_status_display()}"


def name_for_ledger(ids):
    """How the passbook names the orders its transfers are about (credits.references)."""
    return {
        order.pk: About(
            _("Order %(number)s · %(service)s")
            % {"number": order.number, "service": order.service_type},
            order.get_absolute_url(),
            place=f"{order.district} {order.street}",
        )
        for order in Order.objects.filter(pk__in=ids).select_related(
            "service_type", "district", "street"
        )
    }


# Models defined beside the order, in their own modules (Django finds them through this import).
from orders.records import RecordEntry  # noqa: E402, F401
