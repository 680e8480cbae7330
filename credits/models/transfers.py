"""Transfers and holds: the append-only postings, and escrow held for orders."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from credits.models.accounts import Account


class TransferKind(models.TextChoices):
    EARN = "earn", _("Earned for service")
    HOLD = "hold", _("Held for an order")
    RELEASE = "release", _("Hold released")
    SPEND = "spend", _("Spent on a service")
    GIFT = "gift", _("Gift")
    DONATE = "donate", _("Donation")
    REDEEM = "redeem", _("Redeemed for goods")
    REFUND = "refund", _("Refund")
    GRANT = "grant", _("Grant")
    REVERSAL = "reversal", _("Reversal")
    CARRY_IN = "carry_in", _("Carried in from another platform")


class MemoCode(models.TextChoices):
    """Memos the ledger writes itself: stored as a code, worded when read."""

    GIFT = "gift", _("gift")
    ABOVE_CAP = "above_cap", _("earned above the wallet cap")
    CARRIED_IN = "carried_in", _("hours carried in from another platform")


class TransferQuerySet(models.QuerySet):
    def involving(self, account):
        return self.filter(Q(source=account) | Q(target=account))

    def passbook(self, account):
        """Newest first, with what each row needs to name its counterpart."""
        return (
            self.involving(account)
            .select_related("source__owner", "target__owner", "hold")
            .order_by("-created_at", "-pk")
        )


class Transfer(models.Model):
    source = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="outgoing", verbose_name=_("from")
    )
    target = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="incoming", verbose_name=_("to")
    )
    amount = models.PositiveIntegerField(_("credits"))
    kind = models.CharField(_("kind"), max_length=20, choices=TransferKind.choices)
    reference = models.CharField(_("reference"), max_length=100, blank=True, db_index=True)
    idempotency_key = models.CharField(_("idempotency key"), max_length=150, unique=True)
    memo = models.CharField(_("memo"), max_length=200, blank=True)
    memo_code = models.CharField(
        _("memo kind"), max_length=20, choices=MemoCode.choices, blank=True
    )
    reverses = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
        verbose_name=_("reverses"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("posted by"),
    )
    created_at = models.DateTimeField(_("posted at"), default=timezone.now, db_index=True)

    objects = TransferQuerySet.as_manager()

    class Meta:
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        ordering = ["-created_at", "-pk"]
        get_latest_by = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="transfer_amount_positive"),
            models.CheckConstraint(
                condition=~Q(source=F("target")), name="transfer_source_is_not_target"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=TransferKind.values), name="transfer_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind=TransferKind.REVERSAL, reverses__isnull=False)
                | (~Q(kind=TransferKind.REVERSAL) & Q(reverses__isnull=True)),
                name="transfer_reversal_points_at_original",
            ),
        ]

    def __str__(self):
        return _("%(amount)s from %(source)s to %(target)s (%(kind)s)") % {
            "amount": self.amount,
            "source": self.source,
            "target": self.target,
            "kind": self.get_kind_display(),
        }

    def memo_text(self):
        """The memo in the reader's language: a coded memo is worded now, from its
        parameter (a name) or its accounts; a typed memo shows as typed."""
        if self.memo_code == MemoCode.GIFT:
            return _("Gift from %(giver)s to %(receiver)s") % {
                "giver": self.source,
                "receiver": self.target,
            }
        if self.memo_code == MemoCode.ABOVE_CAP:
            return _("Earned by %(name)s above the wallet cap") % {"name": self.memo}
        if self.memo_code == MemoCode.CARRIED_IN:
            return _("Hours carried in from %(platform)s") % {"platform": self.memo}
        return self.memo

    def counterpart(self, account):
        """The other side of this transfer, seen from `account`."""
        return self.target if self.source_id == account.pk else self.source

    def signed_amount(self, account):
        return -self.amount if self.source_id == account.pk else self.amount


class HoldStatus(models.TextChoices):
    OPEN = "open", _("Open")
    RELEASED = "released", _("Released")
    SPENT = "spent", _("Spent")


class Hold(models.Model):
    """Credits in escrow for one order; resolved (released or spent) exactly once."""

    transfer = models.OneToOneField(
        Transfer, on_delete=models.PROTECT, related_name="hold", verbose_name=_("hold transfer")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=HoldStatus.choices, default=HoldStatus.OPEN
    )
    resolution = models.OneToOneField(
        Transfer,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="resolved_hold",
        verbose_name=_("resolving transfer"),
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("hold")
        verbose_name_plural = _("holds")
        ordering = ["-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=HoldStatus.OPEN, resolution__isnull=True)
                | (
                    Q(status__in=[HoldStatus.RELEASED, HoldStatus.SPENT])
                    & Q(resolution__isnull=False)
                ),
                name="hold_resolved_iff_resolution",
            ),
        ]

    def __str__(self):
        return _("Hold of %(amount)s for %(reference)s (%(status)s)") % {
            "amount": self.transfer.amount,
            "reference": self.transfer.reference or self.transfer.idempotency_key,
            "status": self.get_status_display(),
        }

    @property
    def amount(self):
        return self.transfer.amount

    def resolution_key(self, status):
        """The idempotency key of this hold's release or spend."""
        return f"{self.transfer.idempotency_key}:{status}"
