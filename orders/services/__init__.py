"""What can happen to an order. Every change of status goes through here.

Each function is one transaction. It locks the order row first (then, if
credits move, the ledger locks accounts in primary-key order), re-checks the
rule on the locked row, moves the status through `_move`, and queues
notifications through `_queue`, so that nothing is announced that did not
happen and nothing that happened goes unannounced. Refusals raise
`OrderError`, whose message is safe to show.
"""

from orders.services.claims import (
    CLAIMS_PER_HOUR,
    claim_limit_refusal,
    claim_order,
    claim_refusal,
    release_claim,
    withdraw_claim,
)
from orders.services.completion import (
    CARD_CODE_ATTEMPTS,
    auto_complete_order,
    confirm_order,
    confirm_with_card_code,
    dispute_order,
    expire_order,
    rate_order,
    settle_dispute,
)
from orders.services.placing import (
    MAX_DAYS_AHEAD,
    Placed,
    Visit,
    approve_order,
    cancel_order,
    funding_refusal,
    publish_in_bulk,
    reject_order,
    submit_order,
)
from orders.services.preferences import mark_not_again, pass_offer, withdraw_not_again
from orders.services.steps import AlreadyDone, NotAllowed, OrderError, OrderTaken, S
from orders.services.visits import CHECK_IN_EARLY, check_in, check_out

__all__ = [
    "AlreadyDone",
    "CARD_CODE_ATTEMPTS",
    "CHECK_IN_EARLY",
    "CLAIMS_PER_HOUR",
    "MAX_DAYS_AHEAD",
    "NotAllowed",
    "OrderError",
    "funding_refusal",
    "OrderTaken",
    "Placed",
    "Visit",
    "S",
    "approve_order",
    "auto_complete_order",
    "cancel_order",
    "check_in",
    "check_out",
    "claim_limit_refusal",
    "claim_order",
    "claim_refusal",
    "confirm_order",
    "confirm_with_card_code",
    "dispute_order",
    "expire_order",
    "publish_in_bulk",
    "mark_not_again",
    "pass_offer",
    "rate_order",
    "reject_order",
    "release_claim",
    "settle_dispute",
    "submit_order",
    "withdraw_claim",
    "withdraw_not_again",
]
