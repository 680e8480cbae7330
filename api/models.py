"""Machine clients of the API (an organisation's system) and what they read of people.

City or district staff register a client in the admin; the system gives it
a key once (`api.clients`), keeps only the key's hash, and the client sends
the key on every request (`api.auth.ApiKeyAuth`). What a client may do and
read is a short allowlist on its row: least data by default, every unmasked
identity it is given logged (`DisclosedRead`).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

KEY_PREFIX_LENGTH = 12  # hex characters of the public part of a key, for the lookup


class ApiClientQuerySet(models.QuerySet):
    def usable(self):
        return self.filter(is_active=True, revoked_at__isnull=True)


class ApiClient(models.Model):
    name = models.CharField(_("name"), max_length=100)
    organisation = models.CharField(_("organisation"), max_length=100)
    purpose = models.TextField(
        _("purpose"),
        help_text=_("Why this system needs the data: it is logged with every unmasked read."),
    )
    district = models.ForeignKey(
        "accounts.District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("district"),
        help_text=_("Leave empty for a client of the whole city."),
    )
    may_read_records = models.BooleanField(_("may read service records"), default=True)
    may_read_id_numbers = models.BooleanField(
        _("may read unmasked resident ID numbers"),
        default=False,
        help_text=_("Otherwise records carry the masked number. Every unmasked read is logged."),
    )
    may_read_phones = models.BooleanField(_("may read volunteers' mobile numbers"), default=False)
    may_import_volunteers = models.BooleanField(_("may import volunteers"), default=False)
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Untick to pause the client; its key stays.")
    )
    key_prefix = models.CharField(
        _("key prefix"), max_length=KEY_PREFIX_LENGTH, unique=True, editable=False
    )
    key_hash = models.CharField(_("key hash"), max_length=64, editable=False)
    key_issued_at = models.DateTimeField(_("key issued at"), default=timezone.now, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        editable=False,
        verbose_name=_("registered by"),
    )
    created_at = models.DateTimeField(_("registered at"), default=timezone.now, editable=False)

    objects = ApiClientQuerySet.as_manager()

    class Meta:
        verbose_name = _("API client")
        verbose_name_plural = _("API clients")
        ordering = ["name", "pk"]
        constraints = [
            # Revoking is for good: a revoked client is never active again.
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | Q(is_active=False),
                name="api_client_revoked_is_inactive",
            ),
            models.CheckConstraint(condition=~Q(key_hash=""), name="api_client_has_key"),
        ]

    def __str__(self):
        return f"{self.name} ({self.organisation})"

    @property
    def is_revoked(self):
        return self.revoked_at is not None


class Disclosed(models.TextChoices):
    """What of a person a client may be given unmasked."""

    ID_NUMBER = "id_number", _("resident ID number")
    PHONE = "phone", _("mobile number")


class DisclosedRead(models.Model):
    """A client was given a person's unmasked identity (ID number or phone). Rows are only added."""

    client = models.ForeignKey(
        ApiClient, on_delete=models.PROTECT, related_name="reads", verbose_name=_("API client")
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("person"),
    )
    fields = models.CharField(_("what was read"), max_length=100)  # `Disclosed` codes, by ","
    purpose = models.TextField(_("purpose"))
    read_at = models.DateTimeField(_("read at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("unmasked read by an API client")
        verbose_name_plural = _("unmasked reads by API clients")
        ordering = ["-read_at", "-pk"]

    def __str__(self):
        return f"{self.client} · {self.person} · {self.fields_read}"

    @property
    def fields_read(self):
        return ", ".join(str(Disclosed(code).label) for code in self.fields.split(","))
