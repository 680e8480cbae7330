"""Settings for the Time Bank, read from the environment.

Everything that differs between a laptop, CI and production comes from an
environment variable; the defaults are safe for `make run` on one machine.
"""

import os
import sys
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_HASHES
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", default=False)
TESTING = "pytest" in sys.modules or env_bool("TESTING")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG or TESTING else "")

# A site that serves a host must have its own key. Without allowed hosts
# nothing is served, so management commands (migrations, checks) may run
# with the development key.
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if ALLOWED_HOSTS and not (DEBUG or TESTING):
        raise RuntimeError("SECRET_KEY must be set when DEBUG is off and ALLOWED_HOSTS is set.")
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"  # noqa: S105
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "timebank.admin_site.StaffAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # With FORM_RENDERER, widgets' templates come from the template engine, so
    # that the project's templates can correct the admin's (admin/widgets).
    "django.forms",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_q",
    "csp",
    # For its Swagger UI's templates and static files (served here, not from a CDN).
    "ninja",
    "catalogue",
    "accounts",
    "credits",
    "notifications",
    "orders",
    "rewards",
    "series",
    "api",
    "timebank",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "timebank.middleware.no_store_when_logged_in",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "timebank.middleware.refuse_nul_characters",
]

ROOT_URLCONF = "timebank.urls"
WSGI_APPLICATION = "timebank.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "notifications.context_processors.unread_notifications",
                "timebank.context_processors.elder_mode",
            ],
        },
    },
]
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# Database: PostgreSQL in production and CI; an embedded SQLite file otherwise.
# On PostgreSQL each process keeps a pool of connections (psycopg's pool):
# a request borrows one and gives it back, so a process never holds more than
# DB_POOL_MAX_SIZE, however many threads it serves (the development server
# serves each browser connection in a thread of its own, and with persistent
# connections each such thread held one as long as the browser stayed).
# Pooling and CONN_MAX_AGE exclude each other; with DB_POOL=0 connections
# persist for CONN_MAX_AGE seconds, except under the development server.
DEVELOPMENT_SERVER = sys.argv[1:2] in (["runserver"], ["demo_server"])
if not os.environ.get("DATABASE_URL"):
    VAR_DIR.mkdir(parents=True, exist_ok=True)  # a fresh checkout has no var/ for the file
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'timebank.sqlite3'}",
        conn_max_age=0 if DEVELOPMENT_SERVER else int(os.environ.get("CONN_MAX_AGE", "600")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite serialises writers; wait for the lock instead of failing at once.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif env_bool("DB_POOL", default=True):
    # With CONN_HEALTH_CHECKS the pool checks each connection it lends.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": int(os.environ.get("DB_POOL_MIN_SIZE", "1")),
        "max_size": int(os.environ.get("DB_POOL_MAX_SIZE", "4")),
        "timeout": float(os.environ.get("DB_POOL_TIMEOUT", "10")),
    }
if TESTING and DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The same PostgreSQL, with a quicker way to empty it between tests.
    DATABASES["default"]["ENGINE"] = "tests.postgresql"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis when REDIS_URL is set; otherwise the database, so that rate
# limits hold across every gunicorn worker.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "timebank_cache",
        }
    }

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "landing"
LOGOUT_REDIRECT_URL = "home"

# django-allauth: sign up and log in with a mainland mobile number or an email.
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"phone", "email"}
# Either field may be left empty, but not both: accounts.forms.SignupForm says
# so. allauth's W001 wants one of them required, hence the silencing.
ACCOUNT_SIGNUP_FIELDS = ["phone", "email", "password1*", "password2*"]
SILENCED_SYSTEM_CHECKS = ["account.W001"]
# Email is optional to verify (a link is sent); phones must be verified by code.
ACCOUNT_EMAIL_VERIFICATION = "optional"
# An email-only signup logs in when its link is confirmed in the same browser
# (accounts.stages.EmailSignupStage).
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_PHONE_VERIFICATION_ENABLED = True
ACCOUNT_PHONE_VERIFICATION_SUPPORTS_RESEND = True
# Six digits are easy to read out over the phone to an elder.
ACCOUNT_PHONE_VERIFICATION_CODE_FORMAT = {"length": 6, "numeric": True, "dashed": False}
# Five wrong passwords for one login lock it for five minutes; the admin
# login goes through the same view (timebank/urls.py).
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/300s/key"}
# Requests one machine client (api.ApiClient) may make, per its key.
API_CLIENT_RATE_LIMIT = os.environ.get("API_CLIENT_RATE_LIMIT", "600/m/key")
# Behind N proxies that append to X-Forwarded-For, the client's address is the
# Nth from the right; without it every login and text would share the proxy's.
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = None
# Signup by phone and password reset answer alike whether or not an account exists;
# the owner gets a text or an email instead.
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_FORMS = {"signup": "accounts.forms.SignupForm"}
# An account that verified neither a number nor an email and holds nothing
# (no profile, link, order or wallet) is removed after this many days unused.
UNVERIFIED_ACCOUNT_DAYS = int(os.environ.get("UNVERIFIED_ACCOUNT_DAYS", "14"))

# Staff log in with a second factor (MLPS 2.0 level 3 asks two for the
# administrators of such personal data): an authenticator app, with recovery
# codes for a lost phone. The staff site sends staff without one to enrol
# (timebank/admin_site.py). One step of tolerance: a code typed just as the
# app moves on to the next one still works.
MFA_ADAPTER = "accounts.adapter.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Time Bank"
MFA_TOTP_TOLERANCE = 1

# Text messages: the outbox backend keeps every message in the database, where
# staff and testers can read codes without a phone.
SMS_BACKEND = os.environ.get("SMS_BACKEND", "accounts.sms.OutboxBackend")
# At most this many texts (codes, notices) go out; the outbox records the refused ones.
SMS_LIMIT_NUMBER_HOUR = int(os.environ.get("SMS_LIMIT_NUMBER_HOUR", "10"))
SMS_LIMIT_NUMBER_DAY = int(os.environ.get("SMS_LIMIT_NUMBER_DAY", "100"))
SMS_LIMIT_ACCOUNT_DAY = int(os.environ.get("SMS_LIMIT_ACCOUNT_DAY", "20"))
SMS_LIMIT_IP_HOUR = int(os.environ.get("SMS_LIMIT_IP_HOUR", "30"))
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
if TESTING:
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "timebank@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background tasks: django-q2 on the ORM broker, Redis when configured.
# `retry` must exceed `timeout`, or a running task is handed out twice.
Q_CLUSTER = {
    "name": "timebank",
    "workers": int(os.environ.get("Q_WORKERS", "2")),
    "timeout": 60,
    "retry": 120,
    "max_attempts": 5,
    "catch_up": False,
    "label": _("Tasks"),
}
if REDIS_URL:
    Q_CLUSTER["redis"] = REDIS_URL
else:
    Q_CLUSTER["orm"] = "default"
if TESTING or env_bool("Q_SYNC"):
    Q_CLUSTER["sync"] = True

# Language and time.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# Static and uploaded files.
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not (DEBUG or TESTING)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_AUTOREFRESH = DEBUG or TESTING

# Security. Production sits behind a TLS-terminating proxy.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not (DEBUG or TESTING))
SESSION_COOKIE_SECURE = SECURE_SSL_REDIRECT
CSRF_COOKIE_SECURE = SECURE_SSL_REDIRECT
SECURE_HSTS_SECONDS = int(
    os.environ.get("SECURE_HSTS_SECONDS", "31536000" if SECURE_SSL_REDIRECT else "0")
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "timebank.views.csrf_failure"
# Scripts and styles come only from our own static files: no inline script,
# no inline event handler, no other site. One inline style is allowed by its
# hash: allauth's phone-change page hides its "re-send code" form with
# style="display: none" (CSP hashes of style attributes need 'unsafe-hashes').
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_HASHES, "'sha256-ZdHxw9eWtnxUb3mk6tBS+gIiVUPE3pGM470keHPDFlE='"],
        "img-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Phones are shared in families and at stations: sessions end after a day
# and with the browser.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(12 * 3600)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# Signed hours statements (credits.statements): the platform's Ed25519 private
# key, its 32 raw bytes in base64. Required in production; while developing
# and testing a key is made once under VAR_DIR. The platform id names this
# time bank in every statement it signs.
STATEMENT_SIGNING_KEY = os.environ.get("STATEMENT_SIGNING_KEY", "")
STATEMENT_PLATFORM_ID = os.environ.get("STATEMENT_PLATFORM_ID", "timebank")
