"""Rewards operations: each is one transaction and raises `RewardsError` with a safe message.

Credits move only through `credits.services`; see the design in rewards/models/__init__.py.
"""

from rewards.services.certificates import (
    certificate_services,
    issue_certificate,
    issuer_for,
    issuers_for,
    revoke_certificate,
)
from rewards.services.giving import (
    approve_grant,
    donate_credits,
    donation_made,
    gift_given,
    give_credits,
    project_totals,
    propose_grant,
    reject_grant,
)
from rewards.services.goods import (
    PICKUP_DAYS,
    add_stock,
    cancel_redemption,
    expire_redemption,
    hand_over,
    redeem_goods,
    redemption_with_key,
)
from rewards.services.refusals import RewardsError
from rewards.services.stars import (
    award_if_due,
    object_to_notice,
    open_star_notice,
    resolve_objection,
    star_level_awarded,
    star_level_in_notice,
)

__all__ = [
    "PICKUP_DAYS",
    "RewardsError",
    "add_stock",
    "approve_grant",
    "certificate_services",
    "award_if_due",
    "cancel_redemption",
    "donate_credits",
    "donation_made",
    "expire_redemption",
    "gift_given",
    "give_credits",
    "hand_over",
    "issue_certificate",
    "issuer_for",
    "issuers_for",
    "object_to_notice",
    "open_star_notice",
    "project_totals",
    "propose_grant",
    "redeem_goods",
    "redemption_with_key",
    "reject_grant",
    "resolve_objection",
    "revoke_certificate",
    "star_level_awarded",
    "star_level_in_notice",
]
