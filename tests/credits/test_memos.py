"""Memos the ledger writes are stored as a code and worded in the reader's language."""

import pytest
from django.utils import translation

from accounts.models import RelativeLink, VerificationStatus
from credits.models import AccountKind, MemoCode, Transfer
from credits.services import earn_for_service, system_account, transfer, wallet_of
from rewards.services import give_credits
from tests.credits.conftest import fund, set_policy
from tests.rewards.conftest import serve

pytestmark = pytest.mark.django_db


def worded(transfer, language):
    with translation.override(language):
        return transfer.memo_text()


def test_a_gift_reads_in_each_readers_language(volunteer, elder, yuexiu):
    serve(volunteer, 100)
    fund(volunteer, 50)
    RelativeLink.objects.create(
        requester=volunteer,
        relative=elder,
        relation="parent",
        district=yuexiu,
        status=VerificationStatus.VERIFIED,
    )

    posted = give_credits(volunteer, elder, 5, key="form-1")

    assert (posted.memo, posted.memo_code) == ("", MemoCode.GIFT)
    assert worded(posted, "en") == "Gift from Li Volunteer to Chen Elder"
    assert worded(posted, "zh-hans") == "Li Volunteer 赠送给 Chen Elder"


def test_credits_above_the_cap_keep_the_name_and_read_in_each_language(volunteer):
    set_policy(wallet_cap=10)
    fund(volunteer, 9)

    earn_for_service(volunteer, 180, key="order:1:earn")

    pooled = Transfer.objects.get(target=system_account(AccountKind.PUBLIC_POOL))
    assert (pooled.memo, pooled.memo_code) == ("Li Volunteer", MemoCode.ABOVE_CAP)
    assert worded(pooled, "en") == "Earned by Li Volunteer above the wallet cap"
    assert "Li Volunteer" in worded(pooled, "zh-hans")
    assert "Earned" not in worded(pooled, "zh-hans")


def test_a_typed_or_old_memo_reads_as_stored(volunteer):
    posted = transfer(
        system_account(AccountKind.ISSUANCE),
        wallet_of(volunteer),
        3,
        kind="grant",
        key="typed-memo",
        memo="长者互助基金",
    )

    assert worded(posted, "en") == "长者互助基金"
