"""A small city with hand-countable figures for June 2030 (and nothing in May).

Yuexiu (the elder of the personas, welfare, born 1948; two verified
volunteers; one pending): seven orders starting in June —

    1 completed  waited 30 min  90 min credited  rated 5  volunteer
    2 completed  waited 60 min 120 min credited  rated 4  other_volunteer
    3 completed  waited 10 min  60 min credited  rated 5  volunteer
    4 expired    published, never claimed        cleaning
    5 expired    published, never claimed        meals
    6 submitted  awaiting review
    7 disputed   waited 20 min                   other_volunteer

Haizhu (the other elder, no category; one volunteer born 1990):

    8 completed  waited 240 min 180 min credited rated 2
    9 published  flagged unclaimed

Tianhe has no one and nothing. Wallets: the Yuexiu elder holds 30 credits
(granted in June), the Haizhu elder 6; the volunteer earned 4 for order 1
and donated 2 (and is too young to count as self-pay).
"""

import datetime
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from accounts.models import District, ElderCategory, RecipientCategory, Street, VerificationStatus
from catalogue.models import ServiceKind, ServiceType
from credits.models import Account, AccountKind, Transfer, TransferKind
from credits.services import system_account, wallet_of
from orders.models import Funding, Order, OrderStatus
from tests.conftest import make_elder_profile, make_user, make_volunteer_profile

JUNE = timezone.make_aware(datetime.datetime(2030, 6, 10, 9, 0))


@pytest.fixture
def order_staff(district_staff):
    """Yuexiu staff who may also work on orders."""
    district_staff.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="orders")
    )
    return district_staff


@pytest.fixture
def tianhe(db):
    district = District.objects.create(code="tianhe", name_zh="天河区", name_en="Tianhe")
    Street.objects.create(district=district, name_zh="石牌街", name_en="Shipai")
    return district


def make_order(
    elder_profile,
    service,
    status,
    *,
    day,
    waited=None,
    minutes=None,
    rating=None,
    volunteer=None,
    published=True,
    **extra,
):
    starts_at = JUNE + timedelta(days=day)
    published_at = starts_at - timedelta(days=3) if published else None
    return Order.objects.create(
        elder=elder_profile,
        placed_by=elder_profile.user,
        service_type=service,
        starts_at=starts_at,
        booked_hours=2,
        district=elder_profile.district,
        street=elder_profile.street,
        address_detail="1 Example Road",
        funding=Funding.WELFARE,
        status=status,
        volunteer=volunteer,
        published_at=published_at,
        claimed_at=published_at + timedelta(minutes=waited) if waited is not None else None,
        credited_minutes=minutes,
        rating=rating,
        **extra,
    )


def post(source, target, amount, kind, key, reference=""):
    Transfer.objects.create(
        source=source,
        target=target,
        amount=amount,
        kind=kind,
        reference=reference,
        idempotency_key=key,
        created_at=JUNE,
    )
    for account, change in ((source, -amount), (target, amount)):
        if account.kind == AccountKind.WALLET:
            Account.objects.filter(pk=account.pk).update(balance=account.balance + change)
            account.refresh_from_db()


@pytest.fixture
def city(elder, other_elder, volunteer, other_volunteer, yuexiu, haizhu, tianhe):
    elder_profile = make_elder_profile(elder, yuexiu)
    other_profile = make_elder_profile(other_elder, haizhu, sequence="144")
    ElderCategory.objects.create(
        elder=elder_profile,
        category=RecipientCategory.LOW_INCOME,
        status=VerificationStatus.VERIFIED,
        district=yuexiu,
        street=elder_profile.street,
    )
    make_volunteer_profile(volunteer, yuexiu)
    make_volunteer_profile(other_volunteer, yuexiu, sequence="126")
    haizhu_volunteer = make_user("+8613900000007", name="Haizhu Volunteer")
    make_volunteer_profile(haizhu_volunteer, haizhu, sequence="127")
    newcomer = make_user("+8613900000008", name="New Volunteer")
    make_volunteer_profile(newcomer, yuexiu, status=VerificationStatus.PENDING, sequence="128")
    cleaning = ServiceType.objects.create(
        code="cleaning", kind=ServiceKind.GENERAL, name_zh="助洁服务", name_en="Cleaning"
    )
    meals = ServiceType.objects.create(
        code="meals", kind=ServiceKind.GENERAL, name_zh="助餐服务", name_en="Meals"
    )
    done = OrderStatus.COMPLETED
    first = make_order(
        elder_profile, cleaning, done, day=0, waited=30, minutes=90, rating=5, volunteer=volunteer
    )
    make_order(
        elder_profile,
        cleaning,
        done,
        day=1,
        waited=60,
        minutes=120,
        rating=4,
        volunteer=other_volunteer,
    )
    make_order(
        elder_profile, meals, done, day=2, waited=10, minutes=60, rating=5, volunteer=volunteer
    )
    make_order(elder_profile, cleaning, OrderStatus.EXPIRED, day=3)
    make_order(elder_profile, meals, OrderStatus.EXPIRED, day=4)
    make_order(elder_profile, cleaning, OrderStatus.SUBMITTED, day=5, published=False)
    make_order(
        elder_profile, cleaning, OrderStatus.DISPUTED, day=6, waited=20, volunteer=other_volunteer
    )
    make_order(
        other_profile,
        cleaning,
        done,
        day=1,
        waited=240,
        minutes=180,
        rating=2,
        volunteer=haizhu_volunteer,
    )
    make_order(other_profile, meals, OrderStatus.PUBLISHED, day=7, flagged_unclaimed_at=JUNE)
    issuance = system_account(AccountKind.ISSUANCE)
    pool = system_account(AccountKind.PUBLIC_POOL)
    volunteer_wallet = wallet_of(volunteer)
    post(issuance, wallet_of(elder), 30, TransferKind.GRANT, "t:grant:1")
    post(issuance, wallet_of(other_elder), 6, TransferKind.GRANT, "t:grant:2")
    post(issuance, volunteer_wallet, 4, TransferKind.EARN, "t:earn:1", first.reference)
    post(volunteer_wallet, pool, 2, TransferKind.DONATE, "t:donate:1")
    return {"cleaning": cleaning, "meals": meals}
