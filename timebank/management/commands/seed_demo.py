"""Demo data: Guangzhou's districts, the service catalogue and one of each persona.

Safe to run again: every row is looked up by its natural key first. It lives
in the project (`timebank`), above every app, since it fills them all.
"""

import datetime

from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.idnumbers import check_character
from accounts.models import (
    Community,
    District,
    ElderCategory,
    ElderProfile,
    ProxyAuthorisation,
    ScopeLevel,
    StaffScope,
    Street,
    User,
    VerificationStatus,
    VolunteerProfile,
)
from accounts.roles import set_elder_mode
from accounts.twofactor import enrol_authenticator
from catalogue.models import ServiceKind, ServiceType
from orders import services
from orders.models import OPEN_STATUSES, Funding
from rewards.models import CertificateIssuer, Goods, PickupStation

DEMO_PASSWORD = "timebank-demo-2026"  # noqa: S105 (printed by `make run` on purpose)
# The demo staff's authenticator app secret, published in the README so that
# anyone trying the demo can add it to an app (or run `demo_totp_code`).
DEMO_TOTP_SECRET = "TIMEBANKDEMOSTAFFSECRETTWOFACTOR"  # noqa: S105

DISTRICTS = [
    (
        "yuexiu",
        "越秀区",
        "Yuexiu",
        [
            ("北京街", "Beijing Jie"),
            ("东山街", "Dongshan"),
            ("农林街", "Nonglin"),
            ("华乐街", "Huale"),
        ],
    ),
    (
        "haizhu",
        "海珠区",
        "Haizhu",
        [
            ("江南中街", "Jiangnanzhong"),
            ("滨江街", "Binjiang"),
            ("赤岗街", "Chigang"),
            ("琶洲街", "Pazhou"),
        ],
    ),
    (
        "liwan",
        "荔湾区",
        "Liwan",
        [("沙面街", "Shamian"), ("逢源街", "Fengyuan"), ("多宝街", "Duobao"), ("华林街", "Hualin")],
    ),
    (
        "tianhe",
        "天河区",
        "Tianhe",
        [
            ("石牌街", "Shipai"),
            ("天河南街", "Tianhe South"),
            ("林和街", "Linhe"),
            ("五山街", "Wushan"),
        ],
    ),
    (
        "baiyun",
        "白云区",
        "Baiyun",
        [
            ("三元里街", "Sanyuanli"),
            ("景泰街", "Jingtai"),
            ("同和街", "Tonghe"),
            ("京溪街", "Jingxi"),
        ],
    ),
    (
        "huangpu",
        "黄埔区",
        "Huangpu",
        [("黄埔街", "Huangpu"), ("鱼珠街", "Yuzhu"), ("大沙街", "Dasha"), ("萝岗街", "Luogang")],
    ),
    (
        "panyu",
        "番禺区",
        "Panyu",
        [
            ("市桥街", "Shiqiao"),
            ("大石街", "Dashi"),
            ("洛浦街", "Luopu"),
            ("小谷围街", "Xiaoguwei"),
        ],
    ),
    (
        "huadu",
        "花都区",
        "Huadu",
        [("新华街", "Xinhua"), ("秀全街", "Xiuquan"), ("花城街", "Huacheng"), ("新雅街", "Xinya")],
    ),
    (
        "nansha",
        "南沙区",
        "Nansha",
        [
            ("南沙街", "Nansha"),
            ("珠江街", "Zhujiang"),
            ("龙穴街", "Longxue"),
            ("黄阁镇", "Huangge Town"),
        ],
    ),
    (
        "conghua",
        "从化区",
        "Conghua",
        [
            ("街口街", "Jiekou"),
            ("江埔街", "Jiangpu"),
            ("城郊街", "Chengjiao"),
            ("温泉镇", "Wenquan Town"),
        ],
    ),
    (
        "zengcheng",
        "增城区",
        "Zengcheng",
        [
            ("荔城街", "Licheng"),
            ("增江街", "Zengjiang"),
            ("朱村街", "Zhucun"),
            ("新塘镇", "Xintang Town"),
        ],
    ),
]

# A few communities (社区) for the demo streets; the rest are added by staff.
COMMUNITIES = {
    "北京街": [("都府社区", "Dufu"), ("北京社区", "Beijing")],
    "东山街": [("庙前社区", "Miaoqian"), ("新河浦社区", "Xinhepu")],
}

G, P = ServiceKind.GENERAL, ServiceKind.PROFESSIONAL
SERVICE_TYPES = [
    ("accompany", G, "陪同外出", "Accompanying outings", 2),
    ("errands", G, "代办服务", "Errands", 1),
    ("cleaning", G, "助洁服务", "Cleaning", 2),
    ("companionship", G, "精神慰藉", "Companionship", 1),
    ("learning", G, "助学服务", "Learning help", 1),
    ("recreation", G, "助乐服务", "Recreation", 1),
    ("meals", G, "送餐服务", "Meal delivery", 1),
    ("bathing", P, "助浴服务", "Bathing", 1),
    ("personal-care", P, "个人护理", "Personal care", 1),
    ("safety", P, "安全援助", "Safety assistance", 1),
    ("health-care", P, "医疗保健", "Health care", 1),
    ("rehabilitation", P, "康复护理", "Rehabilitation nursing", 1),
    ("counselling", P, "心理咨询", "Counselling", 1),
    ("legal-advice", P, "法律咨询", "Legal advice", 1),
]

# (login, name, staff, superuser)
DEMO_USERS = [
    ("13800000001", "陈婆婆", False, False),
    ("13800000002", "陈小明", False, False),
    ("13800000003", "李志愿", False, False),
    ("13800000004", "王志愿", False, False),
    ("staff.yuexiu@example.org", "越秀区工作人员", True, False),
    ("admin@example.org", "市级管理员", True, True),
]
DEMO_ROLES = ["elder", "proxy", "volunteer", "volunteer", "district staff", "city admin"]

DEMO_GOODS = [
    ("大米 5 公斤", 10, 20, "越秀区爱心企业"),
    ("食用油 2 升", 8, 15, "越秀区爱心企业"),
    ("时间银行纪念徽章", 5, 50, "市民政局"),
]

STAFF_GROUP = "District staff"
STAFF_APPS = [
    "catalogue",
    "accounts",
    "credits",
    "notifications",
    "orders",
    "rewards",
    "series",
    "api",
]


class Command(BaseCommand):
    help = "Create the demo districts, service catalogue and personas (safe to run again)."

    @transaction.atomic
    def handle(self, *args, **options):
        for code, name_zh, name_en, streets in DISTRICTS:
            district, _ = District.objects.update_or_create(
                code=code, defaults={"name_zh": name_zh, "name_en": name_en}
            )
            for street_zh, street_en in streets:
                street, _ = Street.objects.update_or_create(
                    district=district, name_zh=street_zh, defaults={"name_en": street_en}
                )
                for community_zh, community_en in COMMUNITIES.get(street_zh, []):
                    Community.objects.update_or_create(
                        street=street, name_zh=community_zh, defaults={"name_en": community_en}
                    )
        for position, (code, kind, name_zh, name_en, hours) in enumerate(SERVICE_TYPES):
            ServiceType.objects.update_or_create(
                code=code,
                defaults={
                    "kind": kind,
                    "name_zh": name_zh,
                    "name_en": name_en,
                    "default_hours": hours,
                    "position": position,
                },
            )
        # Certificates name their issuer (national rules); staff set the real one.
        CertificateIssuer.objects.get_or_create(
            district=None,
            defaults={
                "name": "广州市时间银行志愿服务中心（演示）",
                "person_in_charge": "陈主任",
                "handler": "李经办",
                "contact": "020-0000 0000",
            },
        )
        staff_group, _ = Group.objects.get_or_create(name=STAFF_GROUP)
        staff_group.permissions.set(
            Permission.objects.filter(content_type__app_label__in=STAFF_APPS)
        )
        users = []
        for (login, name, is_staff, is_superuser), role in zip(DEMO_USERS, DEMO_ROLES, strict=True):
            user = self.demo_user(login, name, is_staff=is_staff, is_superuser=is_superuser)
            if is_staff:
                enrol_authenticator(user, DEMO_TOTP_SECRET)
            if is_staff and not is_superuser:
                user.groups.add(staff_group)
            users.append(user)
            self.stdout.write(f"  {role:<15} {login:<26} {DEMO_PASSWORD}")
        self.stdout.write(
            f"Staff also give an authenticator code: add the secret {DEMO_TOTP_SECRET} "
            "to an authenticator app, or run `manage.py demo_totp_code`."
        )
        elder_profile = self.demo_profiles(*users)
        # The elder's pages in large type, as an elder would set them once.
        set_elder_mode(users[0], True)
        self.demo_orders(elder_profile, staff=users[4])
        self.demo_shelf(elder_profile.street)
        self.stdout.write(self.style.SUCCESS("Demo data is ready."))

    def demo_shelf(self, street):
        """A pickup station and a few sponsored goods, so the shelf is not empty."""
        PickupStation.objects.get_or_create(
            name="北京街长者服务站",
            defaults={
                "district": street.district,
                "street": street,
                "address": "北京路 100 号",
                "opening_hours": "周一至周五 9:00–17:00",
            },
        )
        for name, price, stock, sponsor in DEMO_GOODS:
            Goods.objects.get_or_create(
                name=name,
                defaults={
                    "price": price,
                    "stock": stock,
                    "sponsor": sponsor,
                    "district": street.district,
                },
            )

    def demo_orders(self, elder_profile, *, staff):
        """Two days ahead: one order open for volunteers, one awaiting review."""
        if elder_profile.orders.filter(status__in=OPEN_STATUSES).exists():
            return
        day = timezone.localdate() + datetime.timedelta(days=2)
        for code, hour, approve in [("companionship", 9, True), ("cleaning", 14, False)]:
            order = services.submit_order(
                elder_profile,
                by=elder_profile.user,
                service_type=ServiceType.objects.get(code=code),
                starts_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour))),
                booked_hours=1,
                funding=Funding.WELFARE,
            )
            if approve:
                services.approve_order(order, by=staff)

    def demo_profiles(self, elder, proxy, volunteer, other_volunteer, staff, city_admin):
        """The elder with a verified category and card, her proxy, two volunteers, staff scope."""
        yuexiu = District.objects.get(code="yuexiu")
        street = yuexiu.streets.get(name_zh="北京街")
        StaffScope.objects.update_or_create(
            user=staff, defaults={"level": ScopeLevel.DISTRICT, "district": yuexiu}
        )
        born = datetime.date(1946, 3, 8)
        elder_profile, _ = ElderProfile.objects.update_or_create(
            user=elder,
            defaults={
                "real_name": elder.name,
                "id_number": demo_id_number(born, "028"),
                "birth_date": born,
                "phone": elder.phone,
                "district": yuexiu,
                "street": street,
                "community": street.communities.first(),
                "address": "北京路 88 号 3 楼",
                "emergency_contact_name": proxy.name,
                "emergency_contact_phone": proxy.phone,
                "registered_by": staff,
            },
        )
        decided = {"status": VerificationStatus.VERIFIED, "decided_by": staff}
        place = {"district": yuexiu, "street": street}
        ElderCategory.objects.update_or_create(
            elder=elder_profile, category="alone", defaults={**decided, **place}
        )
        ProxyAuthorisation.objects.update_or_create(
            elder=elder_profile,
            proxy=proxy,
            defaults={
                "relation": "family",
                "consent_note": "在街道服务站签署委托书",
                **decided,
                **place,
            },
        )
        for person, sequence, birth, status in [
            (volunteer, "031", datetime.date(1958, 9, 1), VerificationStatus.VERIFIED),
            (other_volunteer, "053", datetime.date(1995, 4, 20), VerificationStatus.PENDING),
        ]:
            profile, _ = VolunteerProfile.objects.update_or_create(
                user=person,
                defaults={
                    "real_name": person.name,
                    "id_number": demo_id_number(birth, sequence),
                    "birth_date": birth,
                    "health_declared": True,
                    "status": status,
                    "decided_by": staff if status == VerificationStatus.VERIFIED else None,
                    **place,
                },
            )
            profile.serve_districts.set([yuexiu])
            profile.skills.set(ServiceType.objects.filter(kind=ServiceKind.GENERAL))
        return elder_profile

    def demo_user(self, login, name, *, is_staff, is_superuser):
        lookup = {"email": login} if "@" in login else {"phone": "+86" + login}
        user = User.objects.filter(**lookup).first()
        if user is None:
            user = User(**lookup)
            user.set_password(DEMO_PASSWORD)
        user.name = name
        user.is_staff = is_staff
        user.is_superuser = is_superuser
        user.phone_verified = "phone" in lookup
        user.save()
        if "email" in lookup:
            from allauth.account.models import EmailAddress

            EmailAddress.objects.update_or_create(
                user=user, email=login, defaults={"verified": True, "primary": True}
            )
        return user


def demo_id_number(birth, sequence):
    first = f"440104{birth:%Y%m%d}{sequence}"
    return first + check_character(first)
