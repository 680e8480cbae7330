"""The orders pages by area: the elder's side, one order, the volunteer's side, organisations."""

from orders.paging import PAGE_SIZE
from orders.views.elders import elder_home, my_orders, new_order, order_again, start
from orders.views.order import (
    cancel,
    card_code,
    check_in,
    check_out,
    claim,
    confirm,
    detail,
    dispute,
    not_again,
    pass_offer,
    rate,
    release,
    welcome_again,
)
from orders.views.organisations import organisation_detail
from orders.views.volunteers import MarketRow, market, my_claims

__all__ = [
    "MarketRow",
    "PAGE_SIZE",
    "cancel",
    "card_code",
    "check_in",
    "check_out",
    "claim",
    "confirm",
    "detail",
    "dispute",
    "elder_home",
    "market",
    "my_claims",
    "my_orders",
    "new_order",
    "not_again",
    "order_again",
    "organisation_detail",
    "pass_offer",
    "rate",
    "release",
    "start",
    "welcome_again",
]
