"""One app for the request tests whose configuration is the same, re-bound per test.

Building an app costs tens of milliseconds and, worse, a fresh app compiles
every template it renders again: about a third of a request test's time went
to Jinja. The `app` fixture (conftest.py) therefore hands most tests one
session-wide app and gives each test what a fresh app would have had:

- its own database (an engine on the test's URL; the sessionmaker is re-bound,
  so the job outbox listening on it stays in place) and its own archive and
  queue folders (the config keys in FOLDER_KEYS, the queue's SQLite file);
- the configuration a fresh app would get from the environment at that moment,
  restored after the test, so `app.config[...] = ...` in a test does not leak;
- an empty in-memory job queue, a reset rate limiter, no cached archive client.

A test gets an app of its own when sharing could change what it sees:
- the environment gives a different configuration (a fixture that sets an
  INTAKE_* variable before the app is made), or rate limits are enabled;
- it is marked `@pytest.mark.fresh_app` (views, hooks or handlers added to the
  app: Flask refuses those once an app has served a request);
- INTAKE_TEST_FRESH_APPS=1 is set (every test: the old behaviour, to compare).

A test that changes the shared app's structure without the mark fails in its
teardown (and the app is rebuilt, so the tests after it are not affected).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from intake import create_app
from intake.config import ConfigError, load_config, test_config
from intake.db import _READ_OPTION, make_engine

#: Settings that name the test's own folders or database.
FOLDER_KEYS = ("DATABASE_URL", "ARCHIVE_DIR", "QUEUE_URL")
FRESH_ENV = "INTAKE_TEST_FRESH_APPS"


def app_config(tmp_path: Path, database_url: str) -> dict[str, Any]:
    """What the `app` fixture passes to create_app."""
    return {**test_config(tmp_path), "DATABASE_URL": database_url}


def environment_config(instance: Path, overrides: dict[str, Any]) -> dict[str, Any]:
    """The settings create_app would take from the environment and `overrides`."""
    return {**load_config(str(instance), require_secret=False), **overrides}


PARTS = ("view functions", "url rules", "before_request", "after_request", "teardown_request",
         "teardown_appcontext", "url_value_preprocessors", "url_defaults",
         "context processors", "error handlers", "extensions", "blueprints", "converters",
         "template filters", "template globals", "template tests", "finalize", "wsgi_app",
         "request class", "response class")


def fingerprint(app: Flask) -> tuple:
    """What a test must not change on a shared app: views, hooks, handlers, globals."""
    env = app.jinja_env

    def funcs(spec: dict | list) -> tuple:
        if isinstance(spec, list):
            return tuple(map(id, spec))
        # defaultdicts: a lookup leaves an empty entry behind, which is no change
        return tuple(sorted((str(k), tuple(map(id, v))) for k, v in spec.items() if v))

    def handlers(spec: dict) -> tuple:  # blueprint -> code -> class -> handler
        return tuple(sorted(
            (str(bp), str(code), cls.__qualname__, id(handler))
            for bp, codes in spec.items() for code, classes in codes.items()
            for cls, handler in classes.items()))

    return (
        tuple(sorted((k, id(v)) for k, v in app.view_functions.items())),
        tuple(sorted(str(rule) for rule in app.url_map.iter_rules())),
        funcs(app.before_request_funcs), funcs(app.after_request_funcs),
        funcs(app.teardown_request_funcs), funcs(app.teardown_appcontext_funcs),
        funcs(app.url_value_preprocessors), funcs(app.url_default_functions),
        funcs(app.template_context_processors),
        handlers(app.error_handler_spec),
        tuple(sorted(app.extensions)), tuple(sorted(app.blueprints)),
        tuple(sorted(app.url_map.converters.items(), key=lambda kv: kv[0])),
        tuple(sorted(env.filters)), tuple(sorted(env.globals)), tuple(sorted(env.tests)),
        id(env.finalize), id(getattr(app.wsgi_app, "__func__", app.wsgi_app)),
        app.request_class, app.response_class,
    )


@dataclass
class SharedApp:
    app: Flask
    folder: Path
    #: the environment's settings when it was built, without FOLDER_KEYS
    environment: dict[str, Any]
    #: app.config as built (restored after every test)
    config: dict[str, Any]
    shape: tuple

    @classmethod
    def build(cls, folder: Path) -> SharedApp:
        instance = folder / "instance"
        overrides = app_config(folder, f"sqlite:///{folder / 'unused.sqlite3'}")
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("INTAKE_INSTANCE_PATH", str(instance))
            app = create_app(overrides)
            environment = _without_folders(environment_config(instance, overrides))
        # The placeholder engine never connects: every test binds its own.
        app.extensions["intake_engine"].dispose()
        return cls(app, folder, environment, dict(app.config), fingerprint(app))

    def fits(self, tmp_path: Path, database_url: str) -> bool:
        """Would a fresh app for this test be configured like the shared one?"""
        if os.environ.get(FRESH_ENV, "") not in ("", "0"):
            return False
        try:
            wanted = environment_config(tmp_path / "instance", app_config(tmp_path, database_url))
        except ConfigError:
            return False  # a fresh app reports it
        return (_without_folders(wanted) == self.environment
                and not wanted.get("RATELIMIT_ENABLED"))

    def bind(self, tmp_path: Path, database_url: str) -> Flask:
        """Give the app this test's database, folders and a clean state."""
        from intake.extensions import limiter
        from intake.jobs import jobs_for

        app = self.app
        wanted = environment_config(tmp_path / "instance", app_config(tmp_path, database_url))
        app.config.clear()
        app.config.update(self.config)
        app.config.update({key: wanted[key] for key in FOLDER_KEYS})
        engine = make_engine(database_url)
        app.extensions["intake_engine"] = engine
        app.extensions["intake_read_engine"] = engine.execution_options(**{_READ_OPTION: True})
        app.extensions["intake_sessionmaker"].configure(bind=engine)
        app.extensions.pop("intake_archive", None)
        _fresh_queue(jobs_for(app).huey, app.config)
        limiter.init_app(app)  # rate limits off, as this app was built (see fits)
        return app

    def release(self) -> list[str]:
        """After the test: drop its engine; what it changed that cannot be undone."""
        app = self.app
        app.extensions["intake_engine"].dispose()
        app.extensions.pop("intake_archive", None)  # made on first use, for this test's folder
        app.config.clear()
        app.config.update(self.config)
        now = fingerprint(app)
        changed = [
            f"{part}: {sorted(set(map(str, was)) ^ set(map(str, is_)))}"
            if isinstance(was, tuple) else part
            for part, was, is_ in zip(PARTS, self.shape, now, strict=True) if was != is_]
        if changed:
            return [f"the test changed the shared app ({', '.join(changed)}); "
                    "mark it @pytest.mark.fresh_app"]
        return []


def _without_folders(config: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in config.items() if k not in FOLDER_KEYS}


def _fresh_queue(huey, config) -> None:
    """An empty queue, immediate as configured, on the test's own queue file when not."""
    url = config["QUEUE_URL"]
    if "filename" in huey.storage_kwargs and url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        huey.storage_kwargs["filename"] = str(path)
    huey.immediate = bool(config.get("QUEUE_IMMEDIATE"))
    huey.storage = huey.create_storage()  # memory when immediate: nothing left from before
