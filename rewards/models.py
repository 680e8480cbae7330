"""What credits are for: goods, donation projects and grants, stars, certificates.

Every credit movement goes through `credits.services`; this app keeps the
business objects and their states. The rules that matter:

Redemption
    One transaction takes one item with a conditional UPDATE
    (`stock = stock - 1 WHERE stock >= 1`) and debits the wallet through
    `credits.services.redeem_credits`; if either fails, neither happens. A reserved
    redemption ends once: collected (核销), or cancelled / expired, which
    refunds (key `redemption:<pk>:refund`) and restocks in the same
    transaction as the status change. Locks: the wallet, then the
    redemption, then the goods row.

Grants (maker-checker)
    A proposal moves nothing. A second, different staff member's approval
    posts the grant (key `grant:<pk>`); a CHECK makes the checker differ
    from the maker.

Stars (公示)
    A level newly reached by hours served opens a `StarNotice` that runs for
    a number of working days; an open objection holds it; once closed with
    no open objection the star is awarded. One notice per volunteer and level.

Certificates
    A serial number that cannot be guessed; the public page shows only the
    masked name, hours, period and issue date, and says when it is revoked.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def new_code(length):
    """Upper-case letters and digits without look-alikes (no 0/O, 1/I/L)."""
    alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
    return "".join(secrets.choice(alphabet) for _ in range(length))


# Goods and pickup ---------------------------------------------------------


class PickupStation(models.Model):
    """A community service station where redeemed goods are handed over."""

    name = models.CharField(_("name"), max_length=100)
    district = models.ForeignKey(
        "accounts.District", on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    street = models.ForeignKey(
        "accounts.Street", on_delete=models.PROTECT, related_name="+", verbose_name=_("street")
    )
    address = models.CharField(_("address"), max_length=200)
    opening_hours = models.CharField(_("opening hours"), max_length=100, blank=True)
    is_active = models.BooleanField(_("open"), default=True)

    class Meta:
        verbose_name = _("pickup station")
        verbose_name_plural = _("pickup stations")
        ordering = ["district__code", "name"]

    def __str__(self):
        return self.name


class GoodsQuerySet(models.QuerySet):
    def on_shelf(self):
        return self.filter(is_active=True)


class Goods(models.Model):
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    image = models.ImageField(_("image"), upload_to="goods/", blank=True)
    price = models.PositiveIntegerField(_("price in credits"))
    stock = models.PositiveIntegerField(_("in stock"), default=0)
    limit_per_person = models.PositiveSmallIntegerField(
        _("most per person in a period"), default=1, help_text=_("0 means no limit.")
    )
    limit_period_days = models.PositiveSmallIntegerField(_("limit period (days)"), default=30)
    is_active = models.BooleanField(_("on the shelf"), default=True)
    sponsor = models.CharField(_("sponsor"), max_length=100, blank=True)
    district = models.ForeignKey(
        "accounts.District",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("district that manages it"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = GoodsQuerySet.as_manager()

    class Meta:
        verbose_name = _("goods")
        verbose_name_plural = _("goods")
        ordering = ["price", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(price__gt=0), name="goods_price_positive"),
            models.CheckConstraint(condition=Q(stock__gte=0), name="goods_stock_not_negative"),
            models.CheckConstraint(
                condition=Q(limit_period_days__gt=0), name="goods_limit_period_positive"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("rewards:goods", args=[self.pk])


class StockDonation(models.Model):
    """Goods a sponsor gave in kind: the record behind added stock."""

    goods = models.ForeignKey(
        Goods, on_delete=models.PROTECT, related_name="donations", verbose_name=_("goods")
    )
    sponsor = models.CharField(_("sponsor"), max_length=100)
    quantity = models.PositiveIntegerField(_("quantity"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("received by"),
    )
    received_at = models.DateTimeField(_("received at"), default=timezone.now)

    class Meta:
        verbose_name = _("in-kind donation")
        verbose_name_plural = _("in-kind donations")
        ordering = ["-received_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="stock_donation_quantity_positive"
            ),
        ]

    def __str__(self):
        return _("%(quantity)s × %(goods)s from %(sponsor)s") % {
            "quantity": self.quantity,
            "goods": self.goods,
            "sponsor": self.sponsor,
        }


class RedemptionStatus(models.TextChoices):
    RESERVED = "reserved", _("Waiting for pickup")
    COLLECTED = "collected", _("Handed over")
    CANCELLED = "cancelled", _("Cancelled")
    EXPIRED = "expired", _("Not collected in time")


REDEMPTION_TRANSITIONS = {
    RedemptionStatus.RESERVED: {
        RedemptionStatus.COLLECTED,
        RedemptionStatus.CANCELLED,
        RedemptionStatus.EXPIRED,
    },
}
REFUNDED_STATUSES = {RedemptionStatus.CANCELLED, RedemptionStatus.EXPIRED}


class RedemptionQuerySet(models.QuerySet):
    def of(self, user):
        return self.filter(user=user)

    def due(self, now=None):
        return self.filter(status=RedemptionStatus.RESERVED, deadline__lt=now or timezone.now())


class Redemption(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="redemptions",
        verbose_name=_("volunteer"),
    )
    goods = models.ForeignKey(
        Goods, on_delete=models.PROTECT, related_name="redemptions", verbose_name=_("goods")
    )
    station = models.ForeignKey(
        PickupStation,
        on_delete=models.PROTECT,
        related_name="redemptions",
        verbose_name=_("pickup station"),
    )
    price = models.PositiveIntegerField(_("credits paid"))
    code = models.CharField(_("pickup code"), max_length=12, unique=True)
    request_key = models.CharField(_("request key"), max_length=40, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=RedemptionStatus.choices,
        default=RedemptionStatus.RESERVED,
        db_index=True,
    )
    deadline = models.DateTimeField(_("collect before"))
    created_at = models.DateTimeField(_("redeemed at"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    debit = models.OneToOneField(
        "credits.Transfer",
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("debit"),
    )
    refund = models.OneToOneField(
        "credits.Transfer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("refund"),
    )

    objects = RedemptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("redemption")
        verbose_name_plural = _("redemptions")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=RedemptionStatus.values), name="redemption_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(refund__isnull=True)
                | Q(status__in=[RedemptionStatus.CANCELLED, RedemptionStatus.EXPIRED]),
                name="redemption_refund_only_when_refunded",
            ),
            models.UniqueConstraint(
                fields=["user", "request_key"],
                condition=~Q(request_key=""),
                name="redemption_request_once",
            ),
        ]

    def __str__(self):
        return _("%(goods)s for %(user)s (%(code)s)") % {
            "goods": self.goods,
            "user": self.user,
            "code": self.code,
        }

    def get_absolute_url(self):
        return reverse("rewards:redemption", args=[self.pk])

    @property
    def is_open(self):
        return self.status == RedemptionStatus.RESERVED

    @property
    def reference(self):
        return f"redemption:{self.pk}"


# Donation projects and grants ------------------------------------------------


class Project(models.Model):
    """A donation project (公益项目) whose credits go to elders in difficulty."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=100)
    purpose = models.TextField(_("purpose"))
    district = models.ForeignKey(
        "accounts.District", on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    target = models.PositiveIntegerField(_("target in credits"))
    is_open = models.BooleanField(_("taking donations"), default=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("donation project")
        verbose_name_plural = _("donation projects")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(target__gt=0), name="project_target_positive"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("rewards:project", args=[self.code])

    @property
    def account_code(self):
        return f"project-{self.code}"


class GrantStatus(models.TextChoices):
    PROPOSED = "proposed", _("Waiting for approval")
    APPROVED = "approved", _("Approved and paid")
    REJECTED = "rejected", _("Rejected")


class Grant(models.Model):
    """Pool or project credits for an elder in need; moves only when a second staff approves."""

    elder = models.ForeignKey(
        "accounts.ElderProfile",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("elder"),
    )
    project = models.ForeignKey(
        Project,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="grants",
        verbose_name=_("from project"),
        help_text=_("Leave empty to grant from the public pool."),
    )
    amount = models.PositiveIntegerField(_("credits"))
    reason = models.TextField(_("why the elder needs it"))
    district = models.ForeignKey(
        "accounts.District", on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=GrantStatus.choices, default=GrantStatus.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    proposed_at = models.DateTimeField(_("proposed at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    transfer = models.OneToOneField(
        "credits.Transfer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("transfer"),
    )

    class Meta:
        verbose_name = _("grant")
        verbose_name_plural = _("grants")
        ordering = ["status", "-proposed_at"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="grant_amount_positive"),
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=F("proposed_by")),
                name="grant_checker_is_not_maker",
            ),
            models.CheckConstraint(
                condition=Q(status=GrantStatus.APPROVED, transfer__isnull=False)
                | (~Q(status=GrantStatus.APPROVED) & Q(transfer__isnull=True)),
                name="grant_paid_iff_approved",
            ),
        ]

    def __str__(self):
        return _("%(amount)s credits for %(elder)s") % {"amount": self.amount, "elder": self.elder}


# Stars and honours ----------------------------------------------------------


class NoticeStatus(models.TextChoices):
    OPEN = "open", _("Public notice running")
    AWARDED = "awarded", _("Awarded")
    WITHHELD = "withheld", _("Withheld after an objection")


class StarNoticeQuerySet(models.QuerySet):
    def running(self):
        return self.filter(status=NoticeStatus.OPEN)

    def awarded(self):
        return self.filter(status=NoticeStatus.AWARDED)


class StarNotice(models.Model):
    """The public notice (公示) of a star level a volunteer reached."""

    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="star_notices",
        verbose_name=_("volunteer"),
    )
    level = models.PositiveSmallIntegerField(_("star level"))
    hours = models.PositiveIntegerField(_("hours served when opened"))
    public_name = models.CharField(_("public name"), max_length=60)
    district = models.ForeignKey(
        "accounts.District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("district"),
    )
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    closes_on = models.DateField(_("objections until (inclusive)"))
    status = models.CharField(
        _("status"), max_length=10, choices=NoticeStatus.choices, default=NoticeStatus.OPEN
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    objects = StarNoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("star notice")
        verbose_name_plural = _("star notices")
        ordering = ["-opened_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["volunteer", "level"], name="star_notice_once"),
            models.CheckConstraint(condition=Q(level__gt=0), name="star_notice_level_positive"),
        ]

    def __str__(self):
        return _("%(name)s: %(level)s stars") % {"name": self.public_name, "level": self.level}

    def get_absolute_url(self):
        return reverse("rewards:notice", args=[self.pk])

    def takes_objections(self, today=None):
        """Open to objections until the end of `closes_on`, not while it waits for a decision."""
        return self.status == NoticeStatus.OPEN and self.closes_on >= (
            today or timezone.localdate()
        )


class ObjectionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    UPHELD = "upheld", _("Upheld: the star is withheld")
    DISMISSED = "dismissed", _("Dismissed")


class Objection(models.Model):
    notice = models.ForeignKey(
        StarNotice, on_delete=models.PROTECT, related_name="objections", verbose_name=_("notice")
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("raised by"),
    )
    reason = models.TextField(_("reason"))
    raised_at = models.DateTimeField(_("raised at"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=10, choices=ObjectionStatus.choices, default=ObjectionStatus.OPEN
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolution = models.TextField(_("resolution"), blank=True)

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["status", "-raised_at"]

    def __str__(self):
        return _("Objection to %(notice)s") % {"notice": self.notice}


class HonourPreference(models.Model):
    """A volunteer's consent to appear (masked) on the public honours board."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="honour_preference",
        verbose_name=_("volunteer"),
    )
    show_on_board = models.BooleanField(_("show me on the honours board"), default=False)

    class Meta:
        verbose_name = _("honours board consent")
        verbose_name_plural = _("honours board consents")

    def __str__(self):
        return str(self.user)


# Certificates -------------------------------------------------------------


class Certificate(models.Model):
    """A printable record of hours served in a period, publicly verifiable by serial."""

    serial = models.CharField(_("serial number"), max_length=20, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=_("volunteer"),
    )
    public_name = models.CharField(_("public name"), max_length=60)
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    hours = models.PositiveIntegerField(_("hours served"))
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )
    revoke_reason = models.TextField(_("why it was revoked"), blank=True)

    class Meta:
        verbose_name = _("service certificate")
        verbose_name_plural = _("service certificates")
        ordering = ["-issued_at"]
        constraints = [
            models.CheckConstraint(condition=Q(start__lte=F("end")), name="certificate_period"),
        ]

    def __str__(self):
        return self.serial

    def get_absolute_url(self):
        return reverse("rewards:certificate", args=[self.serial])

    @property
    def is_revoked(self):
        return self.revoked_at is not None
