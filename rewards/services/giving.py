"""Giving: gifts to relatives, donations to the pool or a project, maker-checker grants."""

import datetime

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import changed_credentials, record
from accounts.models import are_direct_relatives
from accounts.status import check_move, move
from credits.models import Transfer, TransferKind, current_policy
from credits.services import (
    give_gift,
    grant_credits,
    make_donation,
    project_account,
)
from notifications.models import NotificationKind
from notifications.services import notify
from rewards.models import (
    Grant,
    GrantStatus,
)
from rewards.services.refusals import RewardsError, _ledger, _require_staff_for


def give_credits(receiver, amount, *, by, key):
    """A gift to a verified direct relative; `key` makes a resubmitted confirmation a no-op."""
    if by.pk == receiver.pk:
        raise RewardsError(_("You cannot give credits to yourself."))
    if not are_direct_relatives(by, receiver):
        raise RewardsError(
            _(
                "Credits can only be given to a direct relative whose link staff have verified."
                " Ask a station to verify the link first."
            )
        )
    with transaction.atomic():
        given = _ledger(
            give_gift,
            by,
            receiver,
            amount,
            key=_gift_key(by, key),
        )
        notify(
            [receiver],
            NotificationKind.GIFT_RECEIVED,
            given,
            params={"amount": given.amount, "page": "credits:mine"},
        )
    return given


def _gift_key(giver, key):
    return f"gift:{giver.pk}:{key}"


def gift_given(giver, key):
    """Whether the gift confirmed with `key` went through already."""
    return Transfer.objects.filter(idempotency_key=_gift_key(giver, key)).exists()


def _donation_key(donor, key):
    return f"donation:{donor.pk}:{key}"


def donation_made(donor, key):
    """Whether the donation sent with `key` went through already."""
    return Transfer.objects.filter(idempotency_key=_donation_key(donor, key)).exists()


def donate_credits(amount, *, by, key, project=None):
    """Donate to the public pool, or to an open project; allowed whatever the hours served."""
    account = None
    if project is not None:
        if not project.is_open:
            raise RewardsError(_("This project no longer takes donations."))
        account = project_account(project.account_code, project.name)
    return _ledger(
        make_donation,
        by,
        amount,
        key=_donation_key(by, key),
        project=account,
        memo=project.name if project else "",
    )


def project_totals(project):
    """Credits a project received (donations) and granted out."""
    account = project_account(project.account_code, project.name)
    received = account.incoming.filter(kind=TransferKind.DONATE).aggregate(total=Sum("amount"))
    granted = account.outgoing.filter(kind=TransferKind.GRANT).aggregate(total=Sum("amount"))
    return {"received": received["total"] or 0, "granted": granted["total"] or 0}


@transaction.atomic
def propose_grant(elder, amount, *, reason, by, project=None):
    """Staff propose a grant; nothing moves until another staff member approves."""
    _require_staff_for(by, elder.district_id, elder.street_id)
    if not reason.strip():
        raise RewardsError(_("Say why the elder needs these credits."))
    if amount <= 0:
        raise RewardsError(_("Grant at least one credit."))
    proposal = Grant.objects.create(
        elder=elder,
        project=project,
        amount=amount,
        reason=reason.strip(),
        district_id=elder.district_id,
        proposed_by=by,
    )
    record(
        by, "grant.proposed", proposal, after={"amount": amount, "project": project and project.pk}
    )
    return proposal


@transaction.atomic
def approve_grant(proposal, *, by):
    """A second, different staff member approves: the credits move now, once."""
    locked = _open_grant(proposal, GrantStatus.APPROVED, by)
    project = locked.project
    transfer = _ledger(
        grant_credits,
        locked.elder.user,
        locked.amount,
        key=f"grant:{locked.pk}",
        by=by,
        source=project_account(project.account_code, project.name) if project else None,
        reference=f"grant:{locked.pk}",
        memo=locked.reason[:200],
    )
    notify(
        [locked.elder.user],
        NotificationKind.GRANT_RECEIVED,
        locked,
        params={"amount": locked.amount, "page": "credits:mine"},
    )
    return _decide(locked, GrantStatus.APPROVED, by=by, transfer=transfer)


@transaction.atomic
def reject_grant(proposal, *, by, reason):
    if not reason.strip():
        raise RewardsError(_("Give a reason for the rejection."))
    locked = _open_grant(proposal, GrantStatus.REJECTED, by)
    return _decide(locked, GrantStatus.REJECTED, by=by, decision_reason=reason.strip())


def _grant_decided(grant):
    return RewardsError(
        _("This grant was already %(status)s.") % {"status": grant.get_status_display()}
    )


def _open_grant(proposal, to, by):
    locked = (
        Grant.objects.select_for_update(of=("self",))
        .select_related("elder__user", "project")
        .get(pk=proposal.pk)
    )
    _require_staff_for(by, locked.district_id)
    check_move(locked, to, _grant_decided(locked))
    if locked.proposed_by_id == by.pk:
        raise RewardsError(_("A second staff member must decide on a grant you proposed."))
    window = current_policy().credential_change_days
    since = timezone.now() - datetime.timedelta(days=window)
    if window and changed_credentials(locked.proposed_by, by, since=since):
        raise RewardsError(
            _(
                "You and the proposer changed one another's login or scope recently: "
                "a staff member who did not must decide on this grant."
            )
        )
    return locked


def _decide(locked, status, *, by, **changes):
    return move(
        locked,
        status,
        by=by,
        refusal=_grant_decided(locked),
        audit={"reason": changes.get("decision_reason", "")},
        decided_by=by,
        decided_at=timezone.now(),
        **changes,
    )
