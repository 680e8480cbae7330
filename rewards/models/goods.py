"""Goods, pickup stations, sponsors' stock and redemptions (design in `rewards.models`)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from credits.references import About


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
    # A reserved item ends once: handed over, or cancelled / expired (refunded).
    TRANSITIONS = {
        RedemptionStatus.RESERVED: {
            RedemptionStatus.COLLECTED,
            RedemptionStatus.CANCELLED,
            RedemptionStatus.EXPIRED,
        },
    }

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


def name_for_ledger(ids):
    """How the passbook names the redemptions its transfers are about (credits.references)."""
    return {
        redemption.pk: About(str(redemption.goods), redemption.get_absolute_url())
        for redemption in Redemption.objects.filter(pk__in=ids).select_related("goods")
    }
