"""What credits are for: goods, donation projects and grants, stars, certificates.

Every credit movement goes through `credits.services`; this app keeps the
business objects and their states. The rules that matter:

Redemption
    One transaction takes one item with a conditional UPDATE
    (`stock = stock - 1 WHERE stock >= 1`) and debits the wallet through
    `credits.services.redeem_credits`; if either fails, neither happens. A reserved
    redemption ends once: collected (核销), or cancelled / expired, which
    refunds (key `redemption:<pk>:refund`) and restocks in the same
    transaction as the status change. Locks: the wallet, then the
    redemption, then the goods row.

Grants (maker-checker)
    A proposal moves nothing. A second, different staff member's approval
    posts the grant (key `grant:<pk>`); a CHECK makes the checker differ
    from the maker.

Stars (公示)
    A level newly reached by hours served opens a `StarNotice` that runs for
    a number of working days; an open objection holds it; once closed with
    no open objection the star is awarded. One notice per volunteer and level.

Certificates
    A serial number that cannot be guessed; the public page shows only the
    masked name, hours, period, issue date and issuer, and says when it is
    revoked. The issuer's details (national rules) are copied from the
    district's `CertificateIssuer`, else the city's, when it is issued.
"""

from rewards.models.certificates import Certificate, CertificateIssuer, CertificateStatus
from rewards.models.giving import Grant, GrantStatus, Project
from rewards.models.goods import (
    REFUNDED_STATUSES,
    Goods,
    GoodsQuerySet,
    PickupStation,
    Redemption,
    RedemptionQuerySet,
    RedemptionStatus,
    StockDonation,
    name_for_ledger,
)
from rewards.models.stars import (
    HonourPreference,
    NoticeStatus,
    Objection,
    ObjectionStatus,
    StarNotice,
    StarNoticeQuerySet,
)

__all__ = [
    "Certificate",
    "CertificateIssuer",
    "CertificateStatus",
    "Goods",
    "GoodsQuerySet",
    "Grant",
    "GrantStatus",
    "HonourPreference",
    "NoticeStatus",
    "Objection",
    "ObjectionStatus",
    "PickupStation",
    "Project",
    "REFUNDED_STATUSES",
    "Redemption",
    "RedemptionQuerySet",
    "RedemptionStatus",
    "StarNotice",
    "StarNoticeQuerySet",
    "StockDonation",
    "name_for_ledger",
]
