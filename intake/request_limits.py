"""Bounds on what one request may make the app do.

Anything proportional to attacker-supplied input must be bounded: a patient
link is public (the clinic's start page hands one out), so a single step POST
with 40,000 values must be refused before any form code loops over it. The
limits live in the request class, so every reader of ``request.form`` (CSRF
protection runs first) sees them:

- patient pages accept a smaller body (PATIENT_MAX_CONTENT_LENGTH) than the
  rest of the app (MAX_CONTENT_LENGTH);
- a form may hold at most FORM_MAX_FIELDS names and FORM_MAX_VALUES values
  per name; more is a 413 with a friendly page (errors.py).

``<int:>`` in a URL is bounded to what the database's BIGINT holds, so a
20-digit id is a 404 like any unknown id, not an overflow deep in a query.

Rate limits counted in a worker's memory (``memory://``, the default) use
`SweptMemoryStorage`: limits' own memory storage starts a timer thread for
nearly every hit (one per step save under load), which cost a step save more
than its database work. Redis and the other storages are limits' own.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
import time

from flask import Flask, Request, current_app, request
from limits.storage import MemoryStorage
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.routing import IntegerConverter, ValidationError

#: The largest signed 64-bit integer: SQLite's and PostgreSQL's BIGINT.
INT_MAX = 2**63 - 1


class BoundedIntConverter(IntegerConverter):
    """``<int:...>`` that matches only ids a database column can hold."""

    def __init__(self, map, fixed_digits=0, min=None, max=INT_MAX, signed=False) -> None:  # noqa: A002
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)

    def to_python(self, value: str):
        if len(value) > len(str(INT_MAX)) + 1:
            # Python refuses to parse very long digit strings (ValueError, not 404).
            raise ValidationError()
        return super().to_python(value)


class TooManyFields(RequestEntityTooLarge):
    description = "The form sent more answers than any page of ours has."


class BoundedRequest(Request):
    """A request whose form is refused past the configured sizes."""

    @property
    def max_content_length(self) -> int | None:  # type: ignore[override]
        limit = super().max_content_length
        if self._max_content_length is None and current_app and self.blueprint == "patient":
            patient = current_app.config.get("PATIENT_MAX_CONTENT_LENGTH")
            if patient is not None:
                limit = patient if limit is None else min(limit, patient)
        return limit

    @max_content_length.setter
    def max_content_length(self, value: int | None) -> None:
        self._max_content_length = value

    def _load_form_data(self) -> None:
        super()._load_form_data()
        check_form_size(self.form)


def check_form_size(form) -> None:
    """Refuse a form with too many names or too many values for one name.

    Linear in the number of values; runs before any field sees the data."""
    config = current_app.config
    max_fields = config.get("FORM_MAX_FIELDS")
    max_values = config.get("FORM_MAX_VALUES")
    if max_fields is not None and len(form) > max_fields:
        raise TooManyFields()
    if max_values is not None:
        for values in form.listvalues():
            if len(values) > max_values:
                raise TooManyFields()


def bounded_int(raw: str) -> int:
    """For ``request.args.get(name, type=bounded_int)``: an id a column can hold,
    else ValueError (the argument then counts as absent, like any non-number)."""
    if not (raw.isascii() and raw.isdigit()) or len(raw) > len(str(INT_MAX)):
        raise ValueError(raw)
    value = int(raw)
    if value > INT_MAX:
        raise ValueError(raw)
    return value


def link_key() -> str:
    """The rate-limit key of a patient link: a keyed hash, never the token itself
    (limit storage such as Redis is not meant to hold working links)."""
    token = (request.view_args or {}).get("token", "")
    secret = str(current_app.config.get("SECRET_KEY") or "").encode()
    digest = hmac.new(secret, token.encode(), hashlib.sha256).hexdigest()
    return "link:" + digest[:32]


class SweptMemoryStorage(MemoryStorage):
    """limits' memory storage, its expired entries swept in the caller's thread.

    The parent keeps counters that expire lazily on read anyway; its timer only
    drops stale keys so memory stays bounded, and it starts a new
    ``threading.Timer`` whenever the last one has finished (10 ms), so nearly
    every hit started a thread. Here a hit sweeps at most once per
    `SWEEP_SECONDS`, and only one thread sweeps at a time; counting is the
    parent's, unchanged.
    """

    STORAGE_SCHEME = ["intake+memory"]
    SWEEP_SECONDS = 1.0

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self._next_sweep = 0.0
        self._sweeping = threading.Lock()

    def _MemoryStorage__schedule_expiry(self) -> None:  # the parent's per-hit hook
        now = time.monotonic()
        if now < self._next_sweep or not self._sweeping.acquire(blocking=False):
            return
        try:
            self._next_sweep = now + self.SWEEP_SECONDS
            self._MemoryStorage__expire_events()
        finally:
            self._sweeping.release()


def storage_uri(configured: str) -> str:
    """The limits storage for a configured URI: memory:// counts without threads."""
    scheme, sep, rest = configured.partition("://")
    return f"intake+memory://{rest}" if sep and scheme == "memory" else configured


def init_app(app: Flask) -> None:
    """Call before any blueprint is registered: routes bind their converters then.

    Also before the limiter's init_app: it reads the storage URI set here."""
    app.request_class = BoundedRequest
    app.url_map.converters["int"] = BoundedIntConverter
    configured = app.config.get("RATELIMIT_STORAGE_URI")
    if configured:
        app.config["RATELIMIT_STORAGE_URI"] = storage_uri(configured)
