"""Hours carried in from other platforms (通存通兑): who we trust, and what was brought.

Another time bank signs a statement of a volunteer's hours with its Ed25519
key (`credits.statements`). City staff register the keys of the platforms
the city trusts; a volunteer uploads a statement, which is kept pending until
staff approve it, and only then are its credits posted (once: the ledger key
is the platform's key id and the statement's id).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from credits.keys import key_id_of, load_public_key


class TrustedPlatform(models.Model):
    """Another platform whose signed hours statements the city accepts."""

    name = models.CharField(_("name"), max_length=100)
    key_id = models.CharField(_("key id"), max_length=64, unique=True)
    public_key = models.CharField(
        _("public key"),
        max_length=64,
        help_text=_("The platform's Ed25519 public key: 32 bytes in base64, as it publishes it."),
        validators=[load_public_key],
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("registered at"), default=timezone.now)

    class Meta:
        verbose_name = _("trusted platform")
        verbose_name_plural = _("trusted platforms")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        """The key id is the one computed from the key: no key under another's id."""
        try:
            key = load_public_key(self.public_key)
        except ValidationError:
            return  # the field's validator says what is wrong
        if self.key_id != key_id_of(key):
            raise ValidationError(
                {
                    "key_id": _("This key id is not the one of this public key (%(id)s).")
                    % {"id": key_id_of(key)}
                }
            )


class CarriedStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for staff")
    APPROVED = "approved", _("Carried in")
    REJECTED = "rejected", _("Rejected")


class CarriedStatement(models.Model):
    """A verified statement a volunteer brought from another platform, and its decision."""

    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="carried_statements",
        verbose_name=_("volunteer"),
    )
    platform = models.ForeignKey(
        TrustedPlatform, on_delete=models.PROTECT, related_name="+", verbose_name=_("platform")
    )
    statement_id = models.CharField(_("statement id"), max_length=64)
    issued_at = models.DateTimeField(_("issued at"))
    hours_served = models.PositiveIntegerField(_("hours served there"))
    credits = models.PositiveIntegerField(_("credits to carry in"))
    document = models.JSONField(_("signed statement"))
    district = models.ForeignKey(
        "accounts.District", on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=CarriedStatus.choices, default=CarriedStatus.PENDING
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
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

    # Staff decide once (maker-checker: never on a statement they uploaded).
    TRANSITIONS = {CarriedStatus.PENDING: {CarriedStatus.APPROVED, CarriedStatus.REJECTED}}

    class Meta:
        verbose_name = _("carried-in statement")
        verbose_name_plural = _("carried-in statements")
        ordering = ["-uploaded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "statement_id"], name="carried_statement_once"
            ),
            # One balance per platform: rejected ones aside, a second statement from
            # the same platform would carry the same hours in again.
            models.UniqueConstraint(
                fields=["volunteer", "platform"],
                condition=~Q(status=CarriedStatus.REJECTED),
                name="carried_statement_one_per_platform",
            ),
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True)
                | (~Q(decided_by=F("uploaded_by")) & ~Q(decided_by=F("volunteer"))),
                name="carried_statement_checker_not_maker",
            ),
            models.CheckConstraint(
                condition=Q(status=CarriedStatus.APPROVED, transfer__isnull=False)
                | (~Q(status=CarriedStatus.APPROVED) & Q(transfer__isnull=True)),
                name="carried_statement_approved_iff_posted",
            ),
        ]

    def __str__(self):
        return _("%(hours)s credits from %(platform)s for %(volunteer)s") % {
            "hours": self.credits,
            "platform": self.platform,
            "volunteer": self.volunteer,
        }

    @property
    def ledger_key(self):
        """The same statement posts once, whoever uploads or approves it, however often."""
        return f"carry_in:{self.platform.key_id}:{self.statement_id}"
