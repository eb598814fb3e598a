"""What the shipped gunicorn.conf.py needs from the package.

gunicorn's access log is its own, not werkzeug's: it records the request line
and the Referer of every request, so a patient's link token (the key to their
health answers) would be written in full. `RedactingLogger` puts the same
filter that guards the app's own logs (intake.log_redaction) on gunicorn's
access and error logs, after any logging configuration is applied.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from gunicorn.glogging import Logger

from intake.config import ENV_PREFIX, ConfigError
from intake.log_redaction import RedactTokens

DEFAULT_BIND = "127.0.0.1:8000"


class RedactingLogger(Logger):
    """gunicorn's logger with link tokens replaced by /i/[token] in every line."""

    def setup(self, cfg) -> None:
        super().setup(cfg)
        for log in (self.access_log, self.error_log):
            if not any(isinstance(f, RedactTokens) for f in log.filters):
                log.addFilter(RedactTokens())


def env_positive(name: str, default: int, environ: Mapping[str, str] = os.environ) -> int:
    """A whole number of at least 1 from INTAKE_<name>, with a message that names it."""
    raw = (environ.get(ENV_PREFIX + name) or "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        raise ConfigError(f"{ENV_PREFIX}{name} must be a whole number of at least 1, got {raw!r}")
    return value


def default_workers(environ: Mapping[str, str] = os.environ) -> int:
    """INTAKE_WORKERS, else the WEB_CONCURRENCY many platforms set, else 2.

    Two processes keep a clinic serving while one restarts; threads, not more
    processes, absorb slow phones (and on SQLite more writers only queue).
    """
    if (environ.get(ENV_PREFIX + "WORKERS") or "").strip():
        return env_positive("WORKERS", 2, environ)
    concurrency = (environ.get("WEB_CONCURRENCY") or "").strip()
    if concurrency.isdigit() and int(concurrency) > 0:
        return int(concurrency)
    return 2


def check_app_config() -> None:
    """Fail at start-up, in the master, with the setting's own message.

    Workers load the app after forking (no preload), so a missing secret key
    would otherwise show as workers failing to boot, over and over."""
    from intake.config import load_config
    from intake.paths import ROOT

    load_config(os.environ.get(ENV_PREFIX + "INSTANCE_PATH") or str(ROOT / "instance"))
