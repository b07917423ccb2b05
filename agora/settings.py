"""Django settings for Agora. Values come from `agora.config` (environment or TOML)."""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.core.management.utils import get_random_secret_key

from agora import config
from agora.i18n.languages import LANGUAGES as I18N_LANGUAGES
from agora.i18n.languages import RIGHT_TO_LEFT as I18N_RIGHT_TO_LEFT

DATA_DIR = config.data_dir()


def _secret_key() -> str:
    configured = config.get("secret_key")
    if configured:
        return configured
    # A development key that survives restarts, so sessions and signed tokens stay valid.
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(get_random_secret_key())
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = config.get_bool("debug", False)
ALLOWED_HOSTS = config.get_list("allowed_hosts", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = config.get_list("csrf_trusted_origins", [])
PUBLIC_URL = (config.get("public_url", "http://127.0.0.1:8000") or "").rstrip("/")
# Behind reverse proxies, the client address is read from X-Forwarded-For, counted from the
# right (see agora/http.py): how many proxies append to it, or which networks they are in.
# The older AGORA_TRUST_X_FORWARDED_FOR=true means one proxy.
TRUST_X_FORWARDED_FOR = config.get_bool("trust_x_forwarded_for", False)
TRUSTED_PROXY_HOPS = config.get_int("trusted_proxy_hops", 0)
TRUSTED_PROXY_NETWORKS = config.get_list("trusted_proxy_networks", [])
# Count loopback clients in rate limits even without a configured proxy (tests, the demo).
RATE_LIMIT_LOOPBACK = config.get_bool("rate_limit_loopback", False)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "agora.accounts",
    "agora.comments",
    "agora.moderation",
    "agora.importers",
    "agora.live",
    "agora.jobs",
    "agora.perspective",
    "agora.demo",
    "agora.modelops",
    "agora.dsa",
    "agora.i18n",
]

MIDDLEWARE = [
    "agora.infra.metrics.MetricsMiddleware",
    "agora.http.ClientAddressMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "agora.comments.cors.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication: a signed-in user's language setting wins over Accept-Language.
    "agora.i18n.middleware.UserLocaleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Inside the CSP middleware: sets per-response `frame-ancestors` before the header is written.
    "agora.accounts.middleware.FrameAncestorsMiddleware",
    "agora.accounts.middleware.StripNulMiddleware",
]

ROOT_URLCONF = "agora.urls"
ASGI_APPLICATION = "agora.asgi.application"
AUTH_USER_MODEL = "accounts.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]


def _database() -> dict:
    url = config.get("database_url") or f"sqlite:///{DATA_DIR / 'agora.sqlite3'}"
    database = dj_database_url.parse(url, conn_max_age=600, conn_health_checks=True)
    if database["ENGINE"] == "django.db.backends.sqlite3":
        database["CONN_MAX_AGE"] = 0 if DEBUG else 600
        database["OPTIONS"] = {
            # IMMEDIATE avoids "database is locked" upgrades from read to write locks;
            # WAL lets readers proceed while one writer commits.
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                "PRAGMA busy_timeout=20000; PRAGMA cache_size=-20000;"
            ),
        }
    return database


DATABASES = {"default": _database()}
# Read replicas (AGORA_DATABASE_REPLICA_URLS, comma-separated): reads there, writes on default.
for _index, _url in enumerate(config.get_list("database_replica_urls", [])):
    DATABASES[f"replica{_index + 1}"] = {**dj_database_url.parse(_url, conn_max_age=600,
                                                                conn_health_checks=True),
                                         "TEST": {"MIRROR": "default"}}
if len(DATABASES) > 1:
    DATABASE_ROUTERS = ["agora.infra.routers.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = config.get("redis_url") or None
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's RedisCache that falls back to process memory while Redis is down.
            "BACKEND": "agora.infra.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "agora",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = I18N_LANGUAGES
LANGUAGES_BIDI = sorted(I18N_RIGHT_TO_LEFT)
LOCALE_PATHS = [Path(__file__).parent / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"

# Who may read /metrics: these networks (loopback by default), or a scraper that sends
# `Authorization: Bearer <AGORA_METRICS_TOKEN>` (see docs/scaling.md).
METRICS_TOKEN = config.get("metrics_token", "") or ""
METRICS_ALLOWED_NETWORKS = config.get_list("metrics_allowed_networks", ["127.0.0.0/8", "::1/128"])

# Reply notifications (double opt-in): e-mails per address and day, subscriptions per reader
# token or account and day.
REPLY_MAILS_PER_ADDRESS_PER_DAY = config.get_int("reply_mails_per_address_per_day", 20)
CONFIRMATIONS_PER_ADDRESS_PER_DAY = config.get_int("confirmations_per_address_per_day", 3)
SUBSCRIPTIONS_PER_READER_PER_DAY = config.get_int("subscriptions_per_reader_per_day", 20)

# Requests per minute and API key on the Perspective-compatible endpoint.
PERSPECTIVE_REQUESTS_PER_MINUTE = config.get_int("perspective_requests_per_minute", 600)

# A comment body is at most AGORA_MAX_COMMENT_LENGTH characters (per site, this is the ceiling);
# the request limit leaves room for JSON escaping of that many characters.
MAX_COMMENT_LENGTH = config.get_int("max_comment_length", 10_000)
DATA_UPLOAD_MAX_MEMORY_SIZE = config.get_int("max_request_bytes", 256 * 1024)

SESSION_COOKIE_HTTPONLY = True
if PUBLIC_URL.startswith("https://"):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_SAMESITE = "None"
    CSRF_COOKIE_SAMESITE = "None"
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Browsers that once reached Agora over HTTPS never try plain HTTP again (SecurityMiddleware
    # sends the header on secure responses). AGORA_HSTS_SECONDS=0 turns it off.
    SECURE_HSTS_SECONDS = config.get_int("hsts_seconds", 365 * 24 * 3600)

LOGIN_URL = "accounts-login"
AUTHENTICATION_BACKENDS = ["agora.accounts.backends.ThrottledModelBackend"]

# ---- identity, privacy, e-mail (see docs/identity.md) ----
# Salt of the hashed IP addresses kept with comments; separate from SECRET_KEY so rotating
# one does not silently change the other.
IP_HASH_SALT = config.get("ip_hash_salt") or SECRET_KEY
IP_RETENTION_DAYS = config.get_int("ip_retention_days", 90)
READER_TOKEN_MAX_AGE = config.get_int("reader_token_max_age", 30 * 24 * 3600)
# Identities that cost something (docs/moderation.md): new anonymous tokens per network and
# hour; how many of them in an hour make a flood moderators see; the age that gives a token
# standing (its flags and votes then count fully).
READER_TOKENS_PER_NETWORK_PER_HOUR = config.get_int("reader_tokens_per_network_per_hour", 30)
READER_TOKEN_FLOOD_PER_HOUR = config.get_int("reader_token_flood_per_hour", 10)
READER_STANDING_SECONDS = config.get_int("reader_standing_seconds", 24 * 3600)
ACCOUNT_DELETION_GRACE_DAYS = config.get_int("account_deletion_grace_days", 14)
EMAIL_VERIFICATION_MAX_AGE = 3 * 24 * 3600
PASSWORD_RESET_TIMEOUT = 2 * 3600
LOGIN_FAILURES_PER_ACCOUNT = config.get_int("login_failures_per_account", 5)
LOGIN_FAILURES_PER_ADDRESS = config.get_int("login_failures_per_address", 20)
LOGIN_FAILURE_WINDOW_SECONDS = 15 * 60

DEFAULT_FROM_EMAIL = config.get("email_from", "Agora <agora@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if config.get("email_url"):
    from agora.infra.email import from_url as _email_from_url

    globals().update(_email_from_url(config.get("email_url")))
elif config.get("smtp_host"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = config.get("smtp_host")
    EMAIL_PORT = config.get_int("smtp_port", 25)
    EMAIL_HOST_USER = config.get("smtp_user", "")
    EMAIL_HOST_PASSWORD = config.get("smtp_password", "")
    EMAIL_USE_TLS = config.get_bool("smtp_starttls", False)
    EMAIL_USE_SSL = config.get_bool("smtp_ssl", False)
    EMAIL_TIMEOUT = 10
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# Strict policy for Agora's own pages. The demo newspaper and the admin use inline styles
# (never inline script), hence 'unsafe-inline' for styles only. `frame-ancestors` is set per
# response by FrameAncestorsMiddleware (sites' origins for embeddable pages, none for admin).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    },
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_AGE = 14 * 24 * 3600

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # AGORA_LOG_FORMAT=json: one JSON object per line, for log collectors.
    "formatters": {"json": {"()": "agora.infra.logs.JsonFormatter"}},
    # A refused flood is not news: one warning line per 429 would cost more than the refusal.
    "filters": {"not_rate_limited": {"()": "django.utils.log.CallbackFilter",
                                     "callback": lambda record: getattr(record, "status_code", None) != 429}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["not_rate_limited"],
                             **({"formatter": "json"} if config.get("log_format") == "json" else {})}},
    "root": {"handlers": ["console"], "level": config.get("log_level", "WARNING")},
}

# ---- live updates, background jobs, webhooks, notifications (see docs/scaling.md) ----
# Events kept per thread for `Last-Event-ID` catch-up, and how long a thread's log lives.
LIVE_LOG_SIZE = config.get_int("live_log_size", 500)
LIVE_LOG_TTL_SECONDS = config.get_int("live_log_ttl_seconds", 2 * 24 * 3600)
LIVE_HEARTBEAT_SECONDS = config.get_float("live_heartbeat_seconds", 15.0)
# A stream ends after about this long and the browser reconnects with Last-Event-ID: it
# spreads readers over new servers after a scale-out and bounds a graceful shutdown.
LIVE_MAX_STREAM_SECONDS = config.get_float("live_max_stream_seconds", 300.0)
# Threads without a new comment for this many days stop streaming (0: never).
LIVE_IDLE_DAYS = config.get_int("live_idle_days", 14)
WEBHOOK_RETRY_BASE_SECONDS = config.get_float("webhook_retry_base_seconds", 30.0)
WEBHOOK_MAX_ATTEMPTS = config.get_int("webhook_max_attempts", 6)
WEBHOOK_TIMEOUT_SECONDS = config.get_float("webhook_timeout_seconds", 5.0)
# A worker silent for this long is dead: its unacknowledged jobs go back to the queue.
TASK_HEARTBEAT_TIMEOUT_MS = config.get_int("task_heartbeat_timeout_ms", 60_000)
# Out of a million queue commands, how many also requeue the jobs of dead workers.
TASK_MAINTENANCE_CHANCE = config.get_int("task_maintenance_chance", 1000)
MODERATOR_DIGEST_SECONDS = config.get_int("moderator_digest_seconds", 600)
