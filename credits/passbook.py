"""The passbook in plain words: what each line means to the person reading it.

Lines are the wallet's transfers, said as what happened to the person
("set aside for a service you ordered", "gift from …"), with the order or
goods they are about (`credits.references`), plus lines that move nothing
in the wallet but that its owner should see: credits earned above the cap
that went to the public pool, minutes served that are not a whole credit
yet, and the moment credits set aside for a service paid for it.

`period` holds `created_at` lookups (`created_at__gte`, …) that choose which
of those extra lines belong on the page.
"""

from operator import itemgetter

from django.core.paginator import Paginator
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from credits.models import Hold, HoldStatus, ServiceRecord, Transfer, TransferKind
from credits.references import name_references

PASSBOOK_PAGE_SIZE = 20


def passbook_page(wallet, number):
    """Page `number` of the wallet's passbook, newest first: (the page of transfers, its rows).

    Lines that move nothing in the wallet fall between this page's transfers:
    after the newest one of the next page, up to this page's newest (any time
    on page 1). A number that is not a page gives the first or the last.
    """
    transfers = Transfer.objects.passbook(wallet)
    page = Paginator(transfers, PASSBOOK_PAGE_SIZE).get_page(number)
    period = {}
    if page.has_previous():
        period["created_at__lte"] = page[0].created_at
    if page.has_next():
        period["created_at__gt"] = transfers[page.end_index()].created_at
    rows = sorted(passbook_rows(wallet, page, **period), key=itemgetter("when"), reverse=True)
    return page, rows


def passbook_rows(wallet, transfers, **period):
    """Rows for `transfers` of `wallet` and the extra lines of `period`, unsorted."""
    transfers = list(transfers)
    earn_keys = [t.idempotency_key for t in transfers if t.kind == TransferKind.EARN]
    records = ServiceRecord.objects.filter(volunteer_id=wallet.owner_id)
    minutes = dict(
        records.filter(idempotency_key__in=earn_keys).values_list("idempotency_key", "minutes")
    )
    # Earnings that put nothing in the wallet: above the cap, or not a whole credit yet.
    unpaid = records.filter(Q(pooled__gt=0) | Q(credited=0), **period)
    spent = Hold.objects.filter(
        transfer__source=wallet,
        status=HoldStatus.SPENT,
        **{key.replace("created_at", "resolved_at"): value for key, value in period.items()},
    ).select_related("transfer")
    rows = [_transfer_row(transfer, wallet, minutes) for transfer in transfers]
    rows += [_record_row(record) for record in unpaid]
    rows += [_spent_row(hold) for hold in spent]
    named = name_references({row["reference"] for row in rows})
    for row in rows:
        row["about"] = named.get(row["reference"])
    return rows


def _row(when, amount, text, reference, note=""):
    return {"when": when, "amount": amount, "text": text, "reference": reference, "note": note}


def _day(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d")


def _transfer_row(transfer, wallet, minutes):
    amount = transfer.signed_amount(wallet)
    counterpart = transfer.counterpart(wallet)
    note = ""
    match transfer.kind:
        case TransferKind.EARN:
            served = minutes.get(transfer.idempotency_key)
            text = (
                ngettext(
                    "Earned for %(minutes)s minute of service",
                    "Earned for %(minutes)s minutes of service",
                    served,
                )
                % {"minutes": served}
                if served
                else _("Earned for your service")
            )
        case TransferKind.HOLD:
            text = _("Set aside for a service you ordered")
            note = _hold_state(transfer.hold)
        case TransferKind.RELEASE:
            text = _("Returned to you: the service did not take place")
        case TransferKind.GIFT if amount > 0:
            text = _("Gift from %(name)s") % {"name": counterpart}
        case TransferKind.GIFT:
            text = _("Given to %(name)s") % {"name": counterpart}
        case TransferKind.DONATE:
            text = _("Donated to %(name)s") % {"name": counterpart}
        case TransferKind.REDEEM:
            text = _("Exchanged for goods")
        case TransferKind.REFUND:
            text = _("Returned to you: the goods were not collected or the exchange was cancelled")
        case TransferKind.GRANT:
            text, note = _("Granted to you"), transfer.memo
        case TransferKind.CARRY_IN:
            text = transfer.memo_text()
        case TransferKind.REVERSAL if amount > 0:
            text, note = _("Correction in your favour"), transfer.memo
        case TransferKind.REVERSAL:
            text, note = _("Correction"), transfer.memo
        case _:
            text = transfer.get_kind_display()
    return _row(transfer.created_at, amount, text, transfer.reference, note)


def _hold_state(hold):
    if hold.status == HoldStatus.SPENT:
        return _("Paid for the service on %(date)s.") % {"date": _day(hold.resolved_at)}
    if hold.status == HoldStatus.RELEASED:
        return _("Returned to you on %(date)s.") % {"date": _day(hold.resolved_at)}
    return _("Still set aside: paid when the service is done, returned if it does not take place.")


def _record_row(record):
    if record.pooled:
        text = ngettext(
            "%(credits)s credit you earned went to the public pool: your wallet was at its cap.",
            "%(credits)s credits you earned went to the public pool: your wallet was at its cap.",
            record.pooled,
        ) % {"credits": record.pooled}
    else:
        text = ngettext(
            "%(minutes)s minute of service, carried to your next service: not a whole credit yet.",
            "%(minutes)s minutes of service, carried to your next service: not a whole credit yet.",
            record.minutes,
        ) % {"minutes": record.minutes}
    return _row(record.created_at, 0, text, record.reference)


def _spent_row(hold):
    text = ngettext(
        "The %(credits)s credit set aside paid for the service.",
        "The %(credits)s credits set aside paid for the service.",
        hold.amount,
    ) % {"credits": hold.amount}
    return _row(hold.resolved_at, 0, text, hold.transfer.reference)
