"""Configuration: safe defaults, overridden by INTAKE_* environment variables.

Every setting a clinic may need to change is read from the environment so that
no secret or site-specific value lives in the repository.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.core import Locale, UnknownLocaleError

ENV_PREFIX = "INTAKE_"
#: What `make run` serves on: links point here in development unless INTAKE_BASE_URL says.
DEVELOPMENT_BASE_URL = "http://127.0.0.1:5000"


class ConfigError(RuntimeError):
    """A setting that makes it unsafe to start (for example no secret key)."""


def _env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(ENV_PREFIX + name, default)


def _env_int(name: str, default: int) -> int:
    raw = _env(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ConfigError(f"{ENV_PREFIX}{name} must be a whole number, got {raw!r}") from exc


def _env_count(name: str, default: int) -> int:
    value = _env_int(name, default)
    if value < 0:
        raise ConfigError(f"{ENV_PREFIX}{name} must be 0 or more, got {value}")
    return value


def _env_bool(name: str, default: bool) -> bool:
    raw = _env(name)
    if raw is None or raw == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def timezone_setting() -> str:
    """INTAKE_TIMEZONE, checked: the clinic's zone (see intake.clock)."""
    timezone = _env("TIMEZONE") or "UTC"
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(
            f"INTAKE_TIMEZONE={timezone!r} is not a time zone name such as Europe/London"
        ) from exc
    return timezone


def load_config(instance_path: str, *, require_secret: bool = True) -> dict:
    """Build the app config from the environment.

    Outside development (INTAKE_ENV other than "development") a missing
    INTAKE_SECRET_KEY is a start-up error: a guessable key would let anyone
    forge sessions.
    """
    instance = Path(instance_path)
    env = _env("ENV", "production")
    secret = _env("SECRET_KEY")
    if not secret and require_secret:
        if env != "development":
            raise ConfigError(
                "INTAKE_SECRET_KEY is not set. Set it to a long random value "
                "(for example: python -c 'import secrets; print(secrets.token_hex(32))'), "
                "or set INTAKE_ENV=development for a local try-out."
            )
        secret = _development_secret(instance)
    audit_key = _env("AUDIT_KEY")
    if not audit_key and (require_secret or env == "development"):
        if env != "development":
            raise ConfigError(
                "INTAKE_AUDIT_KEY is not set. It signs the audit log; keep it outside the "
                "database and never change it (for example: python -c 'import secrets; "
                "print(secrets.token_hex(32))'), or set INTAKE_ENV=development.")
        audit_key = _development_file(instance, "audit-key")
    idle_minutes = _env_int("IDLE_TIMEOUT_MINUTES", 15)
    timezone = timezone_setting()
    locale = _env("LOCALE", "en_GB")
    try:
        Locale.parse(locale)
    except (UnknownLocaleError, ValueError) as exc:
        raise ConfigError(f"INTAKE_LOCALE={locale!r} is not a locale such as en_GB") from exc
    return {
        "ENV_NAME": env,
        "SECRET_KEY": secret,
        # The audit log's HMAC key (intake/audit.py): outside the database, never changed.
        "AUDIT_KEY": audit_key,
        "DATABASE_URL": _env("DATABASE_URL") or f"sqlite:///{instance / 'intake.sqlite3'}",
        "ARCHIVE_DIR": _env("ARCHIVE_DIR") or str(instance / "archive"),
        # s3://bucket/prefix for object storage (the `s3` extra); unset: ARCHIVE_DIR.
        "ARCHIVE_URL": _env("ARCHIVE_URL"),
        # Else boto3's own AWS_ENDPOINT_URL; credentials from boto3's usual chain.
        "S3_ENDPOINT_URL": _env("S3_ENDPOINT_URL"),
        "S3_ADDRESSING_STYLE": _env("S3_ADDRESSING_STYLE", "auto"),
        "S3_MAX_ATTEMPTS": _env_int("S3_MAX_ATTEMPTS", 5),
        "S3_TIMEOUT_SECONDS": _env_int("S3_TIMEOUT_SECONDS", 10),
        "CLINIC_NAME": _env("CLINIC_NAME", "Demo Physiotherapy Clinic"),
        # The clinic's time zone: what "today" and typed appointment times mean.
        "TIMEZONE": timezone,
        # The clinic's locale: how answers read (dates as "14 September 1968").
        "LOCALE": locale,
        "INVITE_DAYS": _env_int("INVITE_DAYS", 14),
        "START_LINK_LIMIT": _env("START_LINK_LIMIT", "20 per hour"),
        # A walk-in's resume code: per typed code, and per address (a clinic's
        # tablets share one address, so this one is looser).
        "RESUME_CODE_LIMIT": _env("RESUME_CODE_LIMIT", "5 per 15 minutes;20 per day"),
        "RESUME_ADDRESS_LIMIT": _env("RESUME_ADDRESS_LIMIT", "20 per 15 minutes;100 per day"),
        "RATELIMIT_STORAGE_URI": _env("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_ENABLED": _env_bool("RATELIMIT_ENABLED", True),
        # Count over the last minute (hour, day), not per clock minute: a fixed
        # window lets twice the limit through across a window's edge, and the
        # sign-in throttle's test failed in CI on exactly that edge.
        "RATELIMIT_STRATEGY": "moving-window",
        # A shared store (Redis) that stops answering must not turn every request
        # into a 500: count in this worker's memory until it is back.
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        # HTTPS proxies in front of the app whose X-Forwarded-For/-Proto are
        # believed (see intake/proxy.py); 0 believes none.
        "TRUSTED_PROXIES": _env_count("TRUSTED_PROXIES", 0),
        # Patients may take a long time over a step: the CSRF token must outlive
        # the intake link's working session, and an expired one is handled kindly.
        "WTF_CSRF_TIME_LIMIT": _env_int("CSRF_TIME_LIMIT_SECONDS", 12 * 3600),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _env_bool("SECURE_COOKIES", env != "development"),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "IDLE_TIMEOUT": timedelta(minutes=idle_minutes),
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=_env_int("SESSION_MAX_HOURS", 10)),
        "MAX_CONTENT_LENGTH": _env_int("MAX_CONTENT_LENGTH", 2 * 1024 * 1024),
        # A patient step is small (a drawn signature is the largest answer, at
        # most 200 kB): a public link gets a smaller body limit than staff pages.
        "PATIENT_MAX_CONTENT_LENGTH": _env_int("PATIENT_MAX_CONTENT_LENGTH", 512 * 1024),
        # Names and values per name in one posted form (request_limits.py).
        "FORM_MAX_FIELDS": _env_int("FORM_MAX_FIELDS", 300),
        "FORM_MAX_VALUES": _env_int("FORM_MAX_VALUES", 100),
        # Saving a step, per link and per address (a waiting room shares one).
        "STEP_SAVE_LINK_LIMIT": _env("STEP_SAVE_LINK_LIMIT", "60 per 10 minutes;600 per day"),
        "STEP_SAVE_ADDRESS_LIMIT": _env("STEP_SAVE_ADDRESS_LIMIT",
                                        "300 per 10 minutes;3000 per day"),
        # The patient's PDF copy of their answers (a render each): per link and address.
        "PATIENT_COPY_LINK_LIMIT": _env("PATIENT_COPY_LINK_LIMIT", "10 per 10 minutes;50 per day"),
        "PATIENT_COPY_ADDRESS_LIMIT": _env("PATIENT_COPY_ADDRESS_LIMIT",
                                           "60 per 10 minutes;600 per day"),
        "SMTP_HOST": _env("SMTP_HOST"),
        "SMTP_PORT": _env_int("SMTP_PORT", 587),
        "SMTP_USER": _env("SMTP_USER"),
        "SMTP_PASSWORD": _env("SMTP_PASSWORD"),
        "SMTP_FROM": _env("SMTP_FROM"),
        # The address patients use, for the links staff hand out and email: never the
        # request's Host header. Outside development a missing value refuses to make
        # links (intake/staff/routes_invites.py).
        "BASE_URL": _env("BASE_URL") or (DEVELOPMENT_BASE_URL if env == "development" else None),
        "SMTP_TLS": _smtp_tls(_env("SMTP_TLS", "")),
        "SMTP_CA_FILE": _env("SMTP_CA_FILE"),
        "EMAIL_RETRIES": _env_int("EMAIL_RETRIES", 8),
        "EMAIL_RETRY_SECONDS": _env_int("EMAIL_RETRY_SECONDS", 30),
        # The job queue: SQLite in the instance folder unless a redis:// URL is given.
        "QUEUE_URL": _env("QUEUE_URL") or f"sqlite:///{instance / 'queue.sqlite3'}",
        "QUEUE_IMMEDIATE": _env_bool("QUEUE_IMMEDIATE", False),
        # A failing render is retried for as long as it takes: capped exponential backoff.
        "RENDER_RETRY_BASE_SECONDS": _env_int("RENDER_RETRY_BASE_SECONDS", 10),
        "RENDER_RETRY_MAX_SECONDS": _env_int("RENDER_RETRY_MAX_SECONDS", 900),
        # Waiting longer than this is "delayed" on the staff page and a problem for verify.
        "RENDER_OVERDUE_SECONDS": _env_int("RENDER_OVERDUE_SECONDS", 600),
        "RETENTION_YEARS": _env_int("RETENTION_YEARS", 10),
        # The worker's daily retention sweep: "report" lists only, "delete" destroys.
        "RETENTION_SWEEP": _retention_sweep(_env("RETENTION_SWEEP", "report")),
        "LOGIN_RATE_LIMIT": _env("LOGIN_RATE_LIMIT", "10 per minute;50 per hour"),
    }


def _smtp_tls(raw: str) -> str:
    """"ssl" (implicit TLS, port 465), "starttls", "none", or "" (chosen by port)."""
    value = raw.strip().lower()
    if value not in {"", "ssl", "starttls", "none"}:
        raise ConfigError(f"{ENV_PREFIX}SMTP_TLS must be ssl, starttls or none, got {raw!r}")
    return value


def _retention_sweep(raw: str) -> str:
    value = raw.strip().lower()
    if value not in {"off", "report", "delete"}:
        raise ConfigError(
            f"{ENV_PREFIX}RETENTION_SWEEP must be off, report or delete, got {raw!r}")
    return value


def _development_secret(instance: Path) -> str:
    """A per-checkout random key for development, kept in the instance folder."""
    import secrets

    instance.mkdir(parents=True, exist_ok=True)
    path = instance / "dev-secret-key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def _development_file(instance: Path, name: str) -> str:
    """A random key made at first use, readable only by its owner from the start
    (created 0600, never widened), kept across restarts."""
    import secrets

    instance.mkdir(parents=True, exist_ok=True)
    path = instance / name
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_hex(32))
    return path.read_text().strip()


def test_config(tmp_path: Path) -> dict:
    """Settings for the test suite: a throwaway database and archive."""
    return {
        "TESTING": True,
        "ENV_NAME": "test",
        "SECRET_KEY": "test-secret-key-not-for-production",
        "AUDIT_KEY": "test-audit-key-not-for-production",
        "BASE_URL": "http://localhost",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'test.sqlite3'}",
        "ARCHIVE_DIR": str(tmp_path / "archive"),
        "SESSION_COOKIE_SECURE": False,
        "RATELIMIT_ENABLED": False,
        # Jobs run inside the call that enqueues them (Huey's immediate mode).
        "QUEUE_IMMEDIATE": True,
    }
