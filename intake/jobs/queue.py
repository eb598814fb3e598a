"""Which Huey: SQLite in the instance folder by default, Redis for several machines.

`INTAKE_QUEUE_URL` picks the storage: `sqlite:///path` (the default is
instance/queue.sqlite3, no server needed) or `redis://host:port/db`, which
every web process and `intake worker` of a clinic chain share. Results are
not stored: every job's outcome is on its database row, where staff see it.
"""

from __future__ import annotations

from pathlib import Path

from huey import Huey, RedisHuey, SqliteHuey

from intake.config import ConfigError

NAME = "intake"


def make_huey(config) -> Huey:
    url = config["QUEUE_URL"]
    immediate = bool(config.get("QUEUE_IMMEDIATE"))
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisHuey(NAME, url=url, results=False, immediate=immediate)
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        return SqliteHuey(NAME, filename=str(path), results=False, immediate=immediate,
                          timeout=30, strict_fifo=True)
    raise ConfigError(
        "INTAKE_QUEUE_URL must be sqlite:///path/to/queue.sqlite3 or redis://host:port/0, "
        f"got a value starting {url[:10]!r}")
