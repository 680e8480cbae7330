"""The fault bench's world: staff, elders and volunteers, givers, redeemers, goods, sessions."""

import datetime
import itertools
import os
from dataclasses import dataclass, field

JOURNEYS = 4  # threads walking orders from placing to confirming
VOLUNTEERS_PER_JOURNEY = 12  # each claims at most CLAIMS_PER_HOUR an hour
GIFTS = 2
REDEEMERS = 2


@dataclass
class World:
    staff: object
    journeys: list  # (elder profile, [volunteers])
    gifts: list  # (giver, receiver)
    redeemers: list
    goods: object
    prober: object
    sessions: dict = field(default_factory=dict)  # user pk -> session key


def seed():
    """The demo catalogue and staff, plus the people and goods the load needs."""
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command

    from accounts.models import (
        District,
        ElderCategory,
        ElderProfile,
        RelativeLink,
        User,
        VerificationStatus,
        VolunteerProfile,
    )
    from catalogue.models import ServiceKind, ServiceType
    from credits.models import AccountKind, Policy
    from credits.services import post_transfer, system_account, wallet_of
    from rewards.models import Goods, PickupStation
    from timebank.management.commands.seed_demo import demo_id_number

    quiet = open(os.devnull, "w")  # noqa: SIM115
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("seed_demo", verbosity=0, stdout=quiet)
    # Credits usable at once, and room for a day of bench visits.
    Policy.objects.create(spendable_after_hours=0, daily_hour_limit=24, daily_gift_limit=0)
    yuexiu = District.objects.get(code="yuexiu")
    street = yuexiu.streets.first()
    staff = User.objects.get(email="staff.yuexiu@example.org")
    general = list(ServiceType.objects.filter(kind=ServiceKind.GENERAL))
    verified = {"status": VerificationStatus.VERIFIED, "decided_by": staff}
    place = {"district": yuexiu, "street": street}
    issuance = system_account(AccountKind.ISSUANCE)
    phones = (f"+86139{n:08d}" for n in itertools.count(10000))
    sequences = (f"{n:03d}" for n in itertools.count(100))

    def person(name):
        return User.objects.create_user(
            phone=next(phones), password=None, name=name, phone_verified=True
        )

    def fund(user, credits):
        post_transfer(issuance, wallet_of(user), credits, kind="grant", key=f"bench:fund:{user.pk}")

    def volunteer(name):
        user = person(name)
        born = datetime.date(1980, 1, 1)
        profile = VolunteerProfile.objects.create(
            user=user,
            real_name=name,
            id_number=demo_id_number(born, next(sequences)),
            birth_date=born,
            health_declared=True,
            **verified,
            **place,
        )
        profile.serve_districts.set([yuexiu])
        profile.skills.set(general)
        return user

    journeys = []
    for number in range(JOURNEYS):
        user = person(f"faults elder {number}")
        born = datetime.date(1944, 1, 1)
        elder = ElderProfile.objects.create(
            user=user,
            real_name=user.name,
            id_number=demo_id_number(born, next(sequences)),
            birth_date=born,
            phone=user.phone,
            address="faults address",
            emergency_contact_name="family",
            emergency_contact_phone="+8613900000000",
            registered_by=staff,
            **place,
        )
        ElderCategory.objects.create(elder=elder, category="alone", **verified, **place)
        fund(user, 500)
        volunteers = [
            volunteer(f"faults volunteer {number}.{n}") for n in range(VOLUNTEERS_PER_JOURNEY)
        ]
        journeys.append((elder, volunteers))
    gifts = []
    for number in range(GIFTS):
        giver, receiver = person(f"faults giver {number}"), person(f"faults receiver {number}")
        RelativeLink.objects.create(
            requester=giver, relative=receiver, relation="child", **verified, **place
        )
        fund(giver, 1000)
        gifts.append((giver, receiver))
    redeemers = [person(f"faults redeemer {number}") for number in range(REDEEMERS)]
    for user in redeemers:
        fund(user, 1000)
    goods = Goods.objects.create(
        name="faults soap", price=1, stock=100_000, limit_per_person=0, district=yuexiu
    )
    assert PickupStation.objects.filter(is_active=True).exists()
    world = World(
        staff=staff,
        journeys=journeys,
        gifts=gifts,
        redeemers=redeemers,
        goods=goods,
        prober=volunteer("faults prober"),
    )
    everyone = [staff, world.prober, *redeemers, *itertools.chain(*gifts)]
    for elder, volunteers in journeys:
        everyone += [elder.user, *volunteers]
    for user in everyone:  # logged in already: a login costs a slow password hash
        session = SessionStore()
        session["_auth_user_id"] = str(user.pk)
        session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
        session["_auth_user_hash"] = user.get_session_auth_hash()
        session.save()
        world.sessions[user.pk] = session.session_key
    return world
