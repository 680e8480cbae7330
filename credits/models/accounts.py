"""Ledger accounts: wallets, projects and the system accounts (design in `credits.models`)."""

from django.conf import settings
from django.db import models
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AccountKind(models.TextChoices):
    WALLET = "wallet", _("Wallet")
    ISSUANCE = "issuance", _("Issuance")
    REDEEMED = "redeemed", _("Redeemed")
    ESCROW = "escrow", _("Escrow")
    PUBLIC_POOL = "public_pool", _("Public pool")
    PROJECT = "project", _("Donation project")


# One account each, created on first use; wallets and projects are many.
SINGLE_SYSTEM_KINDS = [
    AccountKind.ISSUANCE,
    AccountKind.REDEEMED,
    AccountKind.ESCROW,
    AccountKind.PUBLIC_POOL,
]


class AccountQuerySet(models.QuerySet):
    def system(self):
        return self.exclude(kind=AccountKind.WALLET)


class Account(models.Model):
    kind = models.CharField(_("kind"), max_length=20, choices=AccountKind.choices)
    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="wallet",
        verbose_name=_("owner"),
    )
    code = models.SlugField(_("project code"), max_length=40, unique=True, null=True, blank=True)
    name = models.CharField(_("name"), max_length=100, blank=True)
    balance = models.IntegerField(
        _("stored balance"),
        default=0,
        help_text=_("Wallets only; a system account's balance is derived from its transfers."),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = AccountQuerySet.as_manager()

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=AccountKind.values), name="account_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind=AccountKind.WALLET, owner__isnull=False)
                | (~Q(kind=AccountKind.WALLET) & Q(owner__isnull=True)),
                name="account_wallet_has_owner",
            ),
            models.CheckConstraint(
                condition=Q(kind=AccountKind.PROJECT, code__isnull=False)
                | (~Q(kind=AccountKind.PROJECT) & Q(code__isnull=True)),
                name="account_project_has_code",
            ),
            models.CheckConstraint(
                condition=Q(kind=AccountKind.WALLET, balance__gte=0) | Q(balance=0),
                name="account_balance_not_negative",
            ),
            models.UniqueConstraint(
                fields=["kind"],
                condition=Q(kind__in=SINGLE_SYSTEM_KINDS),
                name="account_one_per_system_kind",
            ),
        ]

    def __str__(self):
        if self.kind == AccountKind.WALLET:
            return str(self.owner)
        if self.kind == AccountKind.PROJECT:
            return self.name or self.code
        return self.get_kind_display()

    @property
    def is_system(self):
        return self.kind != AccountKind.WALLET

    @property
    def current_balance(self):
        """The stored balance of a wallet, the derived one of a system account."""
        return self.derived_balance() if self.is_system else self.balance

    def derived_balance(self):
        """Incoming minus outgoing transfers: the ledger's own answer."""
        incoming = self.incoming.aggregate(total=Sum("amount"))["total"] or 0
        outgoing = self.outgoing.aggregate(total=Sum("amount"))["total"] or 0
        return incoming - outgoing
