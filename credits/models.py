"""The time-credit ledger: double entry, append-only, idempotent.

Accounts
    Every person has one *wallet* (`Account` of kind `wallet`, created lazily by
    `credits.services.wallet_of`, unique per owner). The platform has *system
    accounts*: `issuance` (where earned credits are minted: the only account
    whose balance is negative), `redeemed` (where spent credits go), `escrow`
    (credits held for open orders), `public_pool` (donations to the platform)
    and one `project` account per donation project.

Transfers
    A `Transfer` moves a whole number of credits (> 0) from one account to
    another (never the same one), so every entry balances by construction and
    the sum of all balances is zero. It carries a kind, a reference to the
    business object (`order:42`), who posted it, and a UNIQUE idempotency key
    (`order:42:earn`): posting the same key again returns the original
    transfer, the same key with other figures is an error. Transfers are
    never updated or deleted (on PostgreSQL a trigger refuses it); a mistake is
    undone by a reversing transfer that points at the original (`reverses`,
    unique, so a transfer is reversed at most once).

Balances, and no hot row
    A wallet keeps its balance on its row (CHECK >= 0); a posting changes the
    wallets it touches with one conditional UPDATE (`SET balance = balance + d
    WHERE balance + d >= 0`, and <= the cap where one applies) in the same
    transaction as the transfer row, so concurrent spends can never overdraw.
    That statement locks the wallets in primary-key order, so crossed
    transfers cannot deadlock. The transfer row is inserted first: a retry
    with the same key waits on the unique index and then replays the winner.

    System accounts are touched by every earn, hold and spend; a stored
    balance there would be one row that every posting locks. Their balance is
    therefore *derived* (incoming minus outgoing transfers) and their `balance`
    column stays 0. Crediting them takes no lock. Debiting one locks just that
    row and re-checks the derived balance (grants from the pool or a project,
    reversals: both rare), except escrow, whose debits are the resolutions of
    holds: a `Hold` resolves once (a conditional UPDATE on its status), so
    escrow always equals the sum of open holds.

Served time and carry-over
    Each service a volunteer is credited for is one `ServiceRecord` (minutes,
    unique key). A volunteer's served minutes are their sum: every whole 60
    minutes of the running total mints one credit, the remainder carries to the
    next service. Earnings above the wallet cap go to the public pool as a
    transfer of its own, which the volunteer sees in their passbook.

Policy
    `Policy` rows are versions: a change is a new dated row with its author,
    and `current_policy()` (the newest) is used everywhere.

`manage.py verify_ledger` re-checks all of this from the raw rows.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import (
    MaxValueValidator,
    MinValueValidator,
    validate_comma_separated_integer_list,
)
from django.db import models
from django.db.models import F, Q, Sum
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


class MemoCode(models.TextChoices):
    """Memos the ledger writes itself: stored as a code, worded when read."""

    GIFT = "gift", _("gift")
    ABOVE_CAP = "above_cap", _("earned above the wallet cap")


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


class ServiceRecordQuerySet(models.QuerySet):
    def minutes_served(self, volunteer):
        return self.filter(volunteer=volunteer).aggregate(total=Sum("minutes"))["total"] or 0

    def pooled_for(self, reference, volunteer):
        """Credits the volunteer earned for `reference` that went to the public pool
        because their wallet was at its cap."""
        return (
            self.filter(reference=reference, volunteer=volunteer).aggregate(total=Sum("pooled"))[
                "total"
            ]
            or 0
        )


class ServiceRecord(models.Model):
    """Minutes one volunteer served for one business event: the carry-over tally."""

    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="service_records",
        verbose_name=_("volunteer"),
    )
    minutes = models.PositiveIntegerField(_("minutes served"))
    served_on = models.DateField(_("served on"))
    credited = models.PositiveIntegerField(_("credits to the wallet"))
    pooled = models.PositiveIntegerField(_("credits to the public pool"))
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    idempotency_key = models.CharField(_("idempotency key"), max_length=150, unique=True)
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    objects = ServiceRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("service record")
        verbose_name_plural = _("service records")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["volunteer", "served_on"])]
        constraints = [
            models.CheckConstraint(condition=Q(minutes__gt=0), name="service_minutes_positive"),
        ]

    def __str__(self):
        return _("%(minutes)s minutes by %(volunteer)s") % {
            "minutes": self.minutes,
            "volunteer": self.volunteer,
        }


DEFAULT_STARS = "100,300,600,1000,1500"


def parse_dates(text):
    """The set of ISO dates (YYYY-MM-DD) in `text`, separated by commas or white space."""
    return {datetime.date.fromisoformat(word) for word in text.replace(",", " ").split()}


def validate_date_list(text):
    try:
        parse_dates(text)
    except ValueError:
        raise ValidationError(
            _("Enter dates as YYYY-MM-DD, separated by commas or spaces."), code="invalid"
        ) from None


class Policy(models.Model):
    """One version of the city's rules; the newest is in force."""

    spendable_after_hours = models.PositiveIntegerField(
        _("hours served before credits can be redeemed or gifted"),
        default=100,
        help_text=_("0 turns the rule off. Donating is always allowed."),
    )
    self_pay_age = models.PositiveSmallIntegerField(
        _("age from which people may pay for their own services"), default=60
    )
    wallet_cap = models.PositiveIntegerField(
        _("most credits a wallet may hold"),
        default=1500,
        help_text=_("Earnings above it go to the public pool. 0 means no cap."),
    )
    star_thresholds = models.CharField(
        _("star thresholds (hours)"),
        max_length=100,
        default=DEFAULT_STARS,
        validators=[validate_comma_separated_integer_list],
        help_text=_("Hours served for each star, ascending, separated by commas."),
    )
    auto_confirm_hours = models.PositiveSmallIntegerField(
        _("hours after which a delivered order completes by itself"), default=72
    )
    daily_hour_limit = models.PositiveSmallIntegerField(
        _("most credited hours per volunteer per day"), default=8
    )
    over_report_minutes = models.PositiveSmallIntegerField(
        _("minutes beyond the booking before staff review"), default=30
    )
    star_notice_working_days = models.PositiveSmallIntegerField(
        _("working days a new star is on public notice"), default=5
    )
    extra_holidays = models.TextField(
        _("extra holidays"),
        blank=True,
        validators=[validate_date_list],
        help_text=_(
            "Dates (YYYY-MM-DD) not worked although the official calendar says they are, "
            "or the holidays of a year it does not know yet."
        ),
    )
    extra_working_days = models.TextField(
        _("extra working days"),
        blank=True,
        validators=[validate_date_list],
        help_text=_(
            "Dates (YYYY-MM-DD) worked although the official calendar says they are not, "
            "such as the make-up working days of a year it does not know yet. In such a "
            "year Monday to Friday are working days apart from the dates entered here."
        ),
    )
    daily_gift_limit = models.PositiveSmallIntegerField(
        _("most gifts per giver per day"),
        default=3,
        help_text=_("Counted by calendar day in the city's time zone. 0 means no limit."),
    )
    credential_change_days = models.PositiveSmallIntegerField(
        _("days a login change bars a second approval"),
        default=30,
        help_text=_(
            "A grant's proposer and approver must not have changed each other's login, "
            "password or scope within these days. 0 turns the rule off."
        ),
    )
    series_horizon_days = models.PositiveSmallIntegerField(
        _("days ahead that visits of repeating services are published"),
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    created_at = models.DateTimeField(_("in force from"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )

    class Meta:
        verbose_name = _("policy")
        verbose_name_plural = _("policy versions")
        ordering = ["-created_at", "-pk"]
        get_latest_by = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(daily_hour_limit__gte=1) & Q(daily_hour_limit__lte=24),
                name="policy_daily_hour_limit_1_to_24",
            ),
        ]

    def __str__(self):
        return _("Policy of %(date)s") % {
            "date": timezone.localtime(self.created_at).strftime("%Y-%m-%d %H:%M")
        }

    @property
    def stars(self):
        return sorted(int(hours) for hours in self.star_thresholds.split(",") if hours)

    @property
    def extra_holidays_set(self):
        return parse_dates(self.extra_holidays)

    @property
    def extra_working_days_set(self):
        return parse_dates(self.extra_working_days)

    def is_spendable(self, hours_served):
        return hours_served >= self.spendable_after_hours

    def star_level(self, hours_served):
        return sum(1 for threshold in self.stars if hours_served >= threshold)

    def next_star_hours(self, hours_served):
        """Hours needed for the next star, or None at the top."""
        return next((t for t in self.stars if t > hours_served), None)

    def room_under_cap(self, balance):
        """How many more credits a wallet may take, or None when there is no cap."""
        if not self.wallet_cap:
            return None
        return max(0, self.wallet_cap - balance)


def current_policy():
    """The rules in force: the newest version, or the defaults before any exists."""
    return Policy.objects.order_by("-created_at", "-pk").first() or Policy()
