"""Links between people: proxies who act for elders, and direct relatives."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models.verification import Verifiable, VerificationStatus


class ProxyRelation(models.TextChoices):
    FAMILY = "family", _("Family member")
    SOCIAL_WORKER = "social_worker", _("Social worker")
    STATION_STAFF = "station_staff", _("Service station staff")
    OTHER = "other", _("Other")


class ProxyAuthorisation(Verifiable):
    """`proxy` may order, confirm and rate for `elder` once staff have verified it."""

    elder = models.ForeignKey(
        "accounts.ElderProfile",
        on_delete=models.CASCADE,
        related_name="proxies",
        verbose_name=_("elder"),
    )
    proxy = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="proxy_authorisations",
        verbose_name=_("proxy"),
    )
    relation = models.CharField(_("relation"), max_length=20, choices=ProxyRelation.choices)
    consent_note = models.CharField(
        _("how the elder consented"),
        max_length=200,
        help_text=_("For example: signed form at the station, or said yes on a call."),
    )

    # The elder, the proxy or staff may end an authorisation that is not over yet.
    TRANSITIONS = {
        VerificationStatus.PENDING: {
            VerificationStatus.VERIFIED,
            VerificationStatus.REJECTED,
            VerificationStatus.REVOKED,
        },
        VerificationStatus.VERIFIED: {VerificationStatus.REVOKED},
    }

    class Meta(Verifiable.Meta):
        verbose_name = _("proxy authorisation")
        verbose_name_plural = _("proxy authorisations")
        ordering = ["-created_at"]
        constraints = [
            *Verifiable.Meta.constraints,
            models.UniqueConstraint(
                fields=["elder", "proxy"],
                condition=Q(status__in=[VerificationStatus.PENDING, VerificationStatus.VERIFIED]),
                name="proxy_authorisation_one_open",
            ),
        ]

    def __str__(self):
        return f"{self.proxy} → {self.elder}"

    @classmethod
    def owner_q(cls, user):
        return Q(proxy=user) | Q(elder__user=user)


def may_act_for(user, elder):
    """Is `user` the elder, or a verified proxy of the elder?"""
    if not user.is_authenticated:
        return False
    if elder.user_id == user.pk:
        return True
    return elder.proxies.filter(proxy=user, status=VerificationStatus.VERIFIED).exists()


class Relation(models.TextChoices):
    SPOUSE = "spouse", _("Spouse")
    PARENT = "parent", _("Parent")
    CHILD = "child", _("Child")
    GRANDPARENT = "grandparent", _("Grandparent")
    GRANDCHILD = "grandchild", _("Grandchild")


class RelativeLink(Verifiable):
    """`relative` is the requester's `relation` (直系亲属); needed for gifts of credits."""

    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="relative_links",
        verbose_name=_("requested by"),
    )
    relative = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("relative"),
    )
    relation = models.CharField(_("relation"), max_length=20, choices=Relation.choices)

    class Meta(Verifiable.Meta):
        verbose_name = _("direct-relative link")
        verbose_name_plural = _("direct-relative links")
        ordering = ["-created_at"]
        constraints = [
            *Verifiable.Meta.constraints,
            models.CheckConstraint(
                condition=~Q(requester=models.F("relative")), name="relative_link_not_self"
            ),
        ]

    def __str__(self):
        return f"{self.requester} · {self.get_relation_display()} · {self.relative}"

    @classmethod
    def owner_q(cls, user):
        return Q(requester=user) | Q(relative=user)


def are_direct_relatives(first, second):
    """Have staff verified a direct-relative link between these two people (either way)?"""
    return (
        RelativeLink.objects.verified()
        .filter(
            Q(requester=first, relative=second) | Q(requester=second, relative=first),
        )
        .exists()
    )
