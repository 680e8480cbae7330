"""Personas, builders and the rules for what may be skipped.

Outside CI, tests that need PostgreSQL (races, triggers) or a browser are
skipped when those are missing, and the run says so at the start and the
end. In CI (CI=true) a missing PostgreSQL or browser is a failure instead.
"""

import datetime
import io
import itertools
import os
import shutil
import threading

import chinese_calendar
import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import generate_totp_secret
from allauth.mfa.utils import decrypt
from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from PIL import Image

from accounts.idnumbers import check_character
from accounts.models import (
    District,
    ElderProfile,
    ProxyAuthorisation,
    ScopeLevel,
    ServiceOrganisation,
    StaffScope,
    Street,
    User,
    VerificationStatus,
    VolunteerProfile,
)
from accounts.twofactor import current_code, enrol_authenticator
from catalogue.models import ServiceKind, ServiceType
from credits.models import AccountKind, Policy
from credits.services import post_transfer, system_account, wallet_of
from tests.migrated_template import migrated_template

CHROMIUM = "/usr/bin/chromium"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
DEMO_PASSWORD = "a-long-test-password-1"


# Hypothesis never times an example: on a busy machine a deadline fails good
# code. CI runs the same fixed examples every time; elsewhere each run
# explores new ones. HYPOTHESIS_PROFILE=ci reproduces CI's run.
hypothesis_settings.register_profile(
    "ci",
    deadline=None,
    max_examples=100,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
hypothesis_settings.register_profile(
    "dev", deadline=None, max_examples=100, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if IN_CI else "dev"))


def on_postgres():
    """Django's PostgreSQL backend, or ours built on it (`tests.postgresql`)."""
    return settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """Test databases commit without waiting for the disk.

    A commit is seen by every other connection the moment it returns either
    way; only a crash of the server could lose the last ones, and a test
    database is thrown away. Browser and race tests commit each write, and
    each of them empties every table after it, so waiting for the disk at
    each commit was most of their time.

    They start as copies of a database already migrated (tests/migrated_template.py).
    """
    if on_postgres():
        database = settings.DATABASES["default"]
        database.setdefault("OPTIONS", {})["options"] = "-c synchronous_commit=off"
        database.setdefault("TEST", {})["TEMPLATE"] = migrated_template(database)


def has_browser():
    return os.path.exists(CHROMIUM) or shutil.which("chromium") is not None


SKIP_REASONS = {
    "postgres": "needs PostgreSQL (set DATABASE_URL or start it on 127.0.0.1:5432)",
    "e2e": f"needs Chromium at {CHROMIUM}",
}
_skipped = {"postgres": [], "e2e": []}


def pytest_report_header(config):
    lines = [f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}"]
    if not on_postgres():
        lines.append("!!! Not on PostgreSQL: tests marked 'postgres' will be SKIPPED !!!")
    if not has_browser():
        lines.append(f"!!! No Chromium at {CHROMIUM}: browser tests will be SKIPPED !!!")
    return lines


def missing_services():
    return {"postgres": not on_postgres(), "e2e": not has_browser()}


def pytest_sessionstart(session):
    """In CI a missing service fails the run before any test (and before xdist's workers)."""
    if IN_CI:
        missing = [SKIP_REASONS[marker] for marker, absent in missing_services().items() if absent]
        if missing:
            raise pytest.UsageError(f"CI cannot run the suite: {'; '.join(missing)}")


def pytest_collection_modifyitems(config, items):
    # xdist splits the tests in this order and a worker with none left takes
    # half of another's queue from its end: a long test left there would keep
    # one worker busy while the other has nothing left to do.
    items.sort(key=lambda item: item.get_closest_marker("long") is None)
    missing = missing_services()
    for item in items:
        if "e2e" in item.nodeid.split("::")[0].split("/"):
            item.add_marker(pytest.mark.e2e)
        for marker, is_missing in missing.items():
            if is_missing and item.get_closest_marker(marker):
                item.add_marker(pytest.mark.skip(reason=SKIP_REASONS[marker]))


def pytest_runtest_logreport(report):
    """Gathered from the reports, which reach the main process also from xdist's workers."""
    if report.skipped and report.when == "setup" and isinstance(report.longrepr, tuple):
        for marker, reason in SKIP_REASONS.items():
            if report.longrepr[2] == f"Skipped: {reason}":
                _skipped[marker].append(report.nodeid)


def pytest_terminal_summary(terminalreporter):
    for marker, nodeids in _skipped.items():
        if nodeids:
            terminalreporter.section(f"SKIPPED: {len(nodeids)} tests need {marker}", sep="!")
            for nodeid in nodeids:
                terminalreporter.line(f"  {nodeid}")


# Races ------------------------------------------------------------------


def run_together(*calls):
    """Start every call at once in its own thread; return what each returned or raised.

    Each thread speaks the test's language: a new thread starts in the site's.
    """
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)
    language = translation.get_language()

    def run(index, call):
        try:
            barrier.wait()
            with translation.override(language):
                results[index] = call()
        except Exception as error:  # noqa: BLE001 - reported back to the test
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


# Staff pages ------------------------------------------------------------


def admin_url(name, *args):
    """The address of the staff site's page `name` (without "admin:"), on the Chinese site."""
    with translation.override("zh-hans"):
        return reverse(f"admin:{name}", args=args)


def client_of(user):
    """A test client logged in as `user`."""
    client = Client()
    client.force_login(user)
    return client


# Personas ---------------------------------------------------------------


def make_user(phone=None, *, email=None, name="", password=DEMO_PASSWORD, **extra):
    """A user; staff come with an authenticator app, as the staff site requires."""
    user = User.objects.create_user(
        email=email,
        phone=phone,
        password=password,
        name=name,
        phone_verified=phone is not None,
        **extra,
    )
    if user.is_staff:
        enrol_authenticator(user, generate_totp_secret())
    return user


@pytest.fixture
def admin_user(admin_user):
    """pytest-django's superuser (behind `admin_client`), enrolled like all staff."""
    enrol_authenticator(admin_user, generate_totp_secret())
    return admin_user


def totp_code(user):
    """The code `user`'s authenticator app shows now."""
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    return current_code(decrypt(authenticator.data["secret"]))


@pytest.fixture
def elder(db):
    return make_user("+8613900000001", name="Chen Elder")


@pytest.fixture
def proxy(db):
    return make_user("+8613900000002", name="Chen Proxy")


@pytest.fixture
def volunteer(db):
    return make_user("+8613900000003", name="Li Volunteer")


@pytest.fixture
def other_volunteer(db):
    return make_user("+8613900000004", name="Wang Volunteer")


@pytest.fixture
def district_staff(db, yuexiu):
    """Staff of Yuexiu, where the elder lives."""
    return make_staff("staff@example.org", yuexiu)


@pytest.fixture
def other_district_staff(db, haizhu):
    return make_staff("haizhu.staff@example.org", haizhu)


@pytest.fixture
def city_staff(db):
    return make_user(email="city@example.org", name="City Staff", is_staff=True, is_superuser=True)


@pytest.fixture
def other_elder(db):
    return make_user("+8613900000005", name="Zhou Elder")


@pytest.fixture
def other_proxy(db):
    return make_user("+8613900000006", name="Zhou Proxy")


# Places, profiles and links ---------------------------------------------


@pytest.fixture(autouse=True)
def site_language():
    """Each test starts in the site's default language.

    Django's LocaleMiddleware activates a request's language on the thread and
    leaves it there, so after a test that opened an /en/ page, `reverse` in the
    next test on the same worker would build English addresses.
    """
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploads go to a fresh folder per test, never into var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def next_year_counts_weekdays(monkeypatch):
    """The suite must not depend on the day it runs on.

    `chinese-calendar` learns each year's holidays a release at a time, so
    from late December a notice opened "today" can close in a year it does
    not know yet, which production reports as an error until staff enter
    that year. Tests count Monday to Friday there instead; the years far
    beyond (2099, 2100) keep the real error for the tests that prove it.
    """
    known = chinese_calendar.is_workday
    next_year = timezone.localdate().year + 1

    def is_workday(day):
        try:
            return known(day)
        except NotImplementedError:
            if day.year <= next_year:
                return day.weekday() < 5
            raise

    monkeypatch.setattr(chinese_calendar, "is_workday", is_workday)


def make_district(code, name_zh, name_en, street_zh, street_en):
    district = District.objects.create(code=code, name_zh=name_zh, name_en=name_en)
    Street.objects.create(district=district, name_zh=street_zh, name_en=street_en)
    return district


@pytest.fixture
def yuexiu(db):
    return make_district("yuexiu", "越秀区", "Yuexiu", "北京街", "Beijing Jie")


@pytest.fixture
def haizhu(db):
    return make_district("haizhu", "海珠区", "Haizhu", "滨江街", "Binjiang")


def make_staff(email, district, *, street=None):
    user = make_user(email=email, name=f"Staff {district.name_en}", is_staff=True)
    StaffScope.objects.create(
        user=user,
        level=ScopeLevel.STREET if street else ScopeLevel.DISTRICT,
        district=district,
        street=street,
    )
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="accounts"))
    return user


def make_id_number(birth_date, *, area="440104", sequence="123"):
    first = f"{area}{birth_date:%Y%m%d}{sequence}"
    return first + check_character(first)


def make_elder_profile(user, district, *, born=datetime.date(1948, 5, 17), sequence="124"):
    return ElderProfile.objects.create(
        user=user,
        real_name=user.name,
        id_number=make_id_number(born, sequence=sequence),
        birth_date=born,
        phone=user.phone or "",
        district=district,
        street=district.streets.first(),
        address="1 Example Road",
        emergency_contact_name="Family",
        emergency_contact_phone="+8613900009999",
        registered_by=user,
    )


def elder_fields(district, **overrides):
    """What a station form hands to `services.register_elder`."""
    return {
        "real_name": "Station Elder",
        "id_number": make_id_number(datetime.date(1940, 2, 3), sequence="777"),
        "phone": "",
        "district": district,
        "street": district.streets.first(),
        "community": None,
        "address": "2 Station Road",
        "latitude": None,
        "longitude": None,
        "emergency_contact_name": "Son",
        "emergency_contact_phone": "+8613900008888",
        **overrides,
    }


def make_proxy_authorisation(elder_profile, proxy, status=VerificationStatus.VERIFIED):
    return ProxyAuthorisation.objects.create(
        elder=elder_profile,
        proxy=proxy,
        relation="family",
        consent_note="Said yes at the station",
        district=elder_profile.district,
        street=elder_profile.street,
        status=status,
    )


def make_volunteer_profile(user, district, *, status=VerificationStatus.VERIFIED, sequence="125"):
    return VolunteerProfile.objects.create(
        user=user,
        real_name=user.name,
        id_number=make_id_number(datetime.date(1990, 3, 1), sequence=sequence),
        birth_date=datetime.date(1990, 3, 1),
        health_declared=True,
        district=district,
        street=district.streets.first(),
        status=status,
    )


@pytest.fixture
def elder_profile(elder, yuexiu):
    return make_elder_profile(elder, yuexiu)


@pytest.fixture
def other_elder_profile(other_elder, haizhu):
    return make_elder_profile(other_elder, haizhu, sequence="134")


@pytest.fixture
def proxy_authorisation(elder_profile, proxy):
    return make_proxy_authorisation(elder_profile, proxy)


@pytest.fixture
def other_proxy_authorisation(other_elder_profile, other_proxy):
    return make_proxy_authorisation(other_elder_profile, other_proxy)


@pytest.fixture
def volunteer_profile(volunteer, yuexiu):
    return make_volunteer_profile(volunteer, yuexiu)


def make_service_type(code="bathing", kind=ServiceKind.PROFESSIONAL):
    return ServiceType.objects.create(code=code, kind=kind, name_zh=code, name_en=code)


def make_organisation(coordinator, members, service_types, district, **fields):
    """A service organisation, verified unless `status` says otherwise."""
    fields = {
        "name": "Yuexiu Care Centre",
        "licence_number": "52440104MJ0000001",
        "status": VerificationStatus.VERIFIED,
    } | fields
    organisation = ServiceOrganisation.objects.create(
        coordinator=coordinator, district=district, **fields
    )
    organisation.service_types.set(service_types)
    organisation.members.set(members)
    return organisation


@pytest.fixture
def bathing(db):
    return make_service_type("bathing")


@pytest.fixture
def world(db):
    """The site map's world: every persona, and a row of each kind in elder A's area."""
    # Imported here: the site map builds on this module's builders.
    from tests.site_map import build_world

    return build_world()


def image_file(name="photo.jpg", *, fmt="JPEG", size=(40, 30), **save_options):
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 80, 40)).save(buffer, format=fmt, **save_options)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")


# The ledger -------------------------------------------------------------------

_keys = itertools.count()


def next_key(prefix="test"):
    return f"{prefix}:{next(_keys)}"


def fund(user, credits):
    """Fund a wallet the way credits arrive: a posting from issuance, through the ledger."""
    return post_transfer(
        system_account(AccountKind.ISSUANCE),
        wallet_of(user),
        credits,
        kind="grant",
        key=next_key("fund"),
    )


def set_policy(**figures):
    return Policy.objects.create(**figures)


def balance(user):
    return wallet_of(user).balance


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]
