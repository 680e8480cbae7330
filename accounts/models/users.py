"""People on the platform.

A person signs up with a mainland mobile number, an email address, or both;
either one (with the password) logs them in. Phone numbers are stored in
E.164 form (`+8613800138000`) so that one verified number is one account.
"""

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.idnumbers import mask_name
from accounts.phones import mask_mobile


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, phone, password, **extra_fields):
        email = self.normalize_email(email) or None
        user = self.model(email=email, phone=phone or None, **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email=None, password=None, *, phone=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, phone, password, **extra_fields)

    def create_superuser(self, email=None, password=None, *, phone=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, phone, password, **extra_fields)


class Role(models.TextChoices):
    """What a person does here; `accounts.roles.roles_of` says which they hold."""

    ELDER = "elder", _("Elder")
    PROXY = "proxy", _("Acting for elders")
    VOLUNTEER = "volunteer", _("Volunteer")
    COORDINATOR = "coordinator", _("Service organisation")
    STAFF = "staff", _("Staff")


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("email address"), unique=True, null=True, blank=True)
    # NULL is no number. Unique once verified: until then a number is nobody's,
    # and the first account to verify it takes it (`accounts.services.verify_phone`).
    phone = models.CharField(  # noqa: DJ001
        _("mobile number"), max_length=16, null=True, blank=True, db_index=True
    )
    phone_verified = models.BooleanField(_("mobile number verified"), default=False)
    name = models.CharField(_("name"), max_length=60, blank=True)
    is_staff = models.BooleanField(
        _("staff status"),
        default=False,
        help_text=_("Whether the person can log into the staff site."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    # Chosen once by a person who holds several roles; empty until then.
    landing_role = models.CharField(_("lands as"), max_length=20, choices=Role.choices, blank=True)
    elder_mode = models.BooleanField(
        _("elder mode"),
        default=False,
        help_text=_("Large type, high contrast and only the elder's tasks."),
    )

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=Q(email__isnull=False)
                | Q(phone__isnull=False)
                | Q(is_active=False)
                | Q(password__startswith="!"),  # noqa: S106 - "!" marks an unusable password
                name="user_has_login_or_cannot_log_in",
            ),
            # An absent email or number is NULL: '' would be one more unique value.
            models.CheckConstraint(condition=~Q(email=""), name="user_email_null_not_empty"),
            models.CheckConstraint(condition=~Q(phone=""), name="user_phone_null_not_empty"),
            models.UniqueConstraint(
                fields=["phone"],
                condition=Q(phone_verified=True),
                name="user_verified_phone_unique",
                violation_error_message=_("A user is already registered with this mobile number."),
            ),
        ]

    def __str__(self):
        return self.name or self.masked_phone or self.email or _("user %(id)s") % {"id": self.pk}

    @property
    def public_name(self):
        """How others see this person: the masked real name on record, else the masked name."""
        profile = getattr(self, "volunteer_profile", None)
        return mask_name(profile.real_name if profile else self.name or str(self))

    @property
    def masked_phone(self):
        """The number as others may see it: 138****8000."""
        return mask_mobile(self.phone) if self.phone else ""

    def save(self, *args, **kwargs):
        # allauth and the admin hand over '' for a field left empty.
        self.email = self.email or None
        self.phone = self.phone or None
        super().save(*args, **kwargs)

    def get_short_name(self):
        return str(self)

    def get_full_name(self):
        return str(self)


class TextStatus(models.TextChoices):
    SENT = "sent", _("sent")
    REFUSED = "refused", _("refused: over a limit")


class TextLimit(models.TextChoices):
    """The limits on texts (settings `SMS_LIMIT_*`), in the order they are checked."""

    NUMBER_HOUR = "number_hour", _("to one number in an hour")
    NUMBER_DAY = "number_day", _("to one number in a day")
    ACCOUNT_DAY = "account_day", _("for one account in a day")
    IP_HOUR = "ip_hour", _("from one internet address in an hour")


class TextMessage(models.Model):
    """One text message, sent or refused, kept so that staff can read codes without a phone.

    The limits on texts count these rows, so they hold across every worker.
    """

    recipient = models.CharField(_("recipient"), max_length=16, db_index=True)
    body = models.TextField(_("text"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now, db_index=True)
    status = models.CharField(
        _("status"), max_length=10, choices=TextStatus.choices, default=TextStatus.SENT
    )
    refused_by = models.CharField(
        _("limit reached"), max_length=20, choices=TextLimit.choices, blank=True
    )
    account = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("for account"),
    )
    ip = models.GenericIPAddressField(_("requested from"), null=True, blank=True)

    class Meta:
        verbose_name = _("text message")
        verbose_name_plural = _("text message outbox")
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=TextStatus.SENT, refused_by="")
                | (Q(status=TextStatus.REFUSED) & ~Q(refused_by="")),
                name="text_refused_names_its_limit",
            ),
        ]

    def __str__(self):
        return _("To %(recipient)s at %(sent_at)s") % {
            "recipient": self.masked_recipient,
            "sent_at": timezone.localtime(self.sent_at).strftime("%Y-%m-%d %H:%M"),
        }

    @property
    def masked_recipient(self):
        return mask_mobile(self.recipient)
