"""The app factory, configuration and database set-up."""

from __future__ import annotations

import pytest
from database_support import on_postgres, raw_execute
from sqlalchemy.exc import IntegrityError

from intake import create_app
from intake.config import ConfigError, load_config


def test_missing_secret_key_outside_development_is_a_startup_error(tmp_path, monkeypatch):
    monkeypatch.delenv("INTAKE_SECRET_KEY", raising=False)
    monkeypatch.setenv("INTAKE_ENV", "production")
    with pytest.raises(ConfigError, match="INTAKE_SECRET_KEY"):
        load_config(str(tmp_path))


def test_development_gets_a_random_key_kept_in_the_instance_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("INTAKE_SECRET_KEY", raising=False)
    monkeypatch.setenv("INTAKE_ENV", "development")
    first = load_config(str(tmp_path))["SECRET_KEY"]
    again = load_config(str(tmp_path))["SECRET_KEY"]
    assert first == again and len(first) >= 32
    other = tmp_path / "other"
    assert load_config(str(other))["SECRET_KEY"] != first


def test_environment_overrides_defaults(tmp_path, monkeypatch):
    monkeypatch.setenv("INTAKE_SECRET_KEY", "x" * 40)
    monkeypatch.setenv("INTAKE_AUDIT_KEY", "a" * 40)
    monkeypatch.setenv("INTAKE_DATABASE_URL", "sqlite:////tmp/elsewhere.db")
    monkeypatch.setenv("INTAKE_ARCHIVE_DIR", "/tmp/archive-x")
    monkeypatch.setenv("INTAKE_INVITE_DAYS", "3")
    cfg = load_config(str(tmp_path))
    assert cfg["DATABASE_URL"] == "sqlite:////tmp/elsewhere.db"
    assert cfg["ARCHIVE_DIR"] == "/tmp/archive-x"
    assert cfg["INVITE_DAYS"] == 3


def test_bad_number_in_environment_names_the_variable(tmp_path, monkeypatch):
    monkeypatch.setenv("INTAKE_SECRET_KEY", "x" * 40)
    monkeypatch.setenv("INTAKE_AUDIT_KEY", "a" * 40)
    monkeypatch.setenv("INTAKE_INVITE_DAYS", "two weeks")
    with pytest.raises(ConfigError, match="INTAKE_INVITE_DAYS"):
        load_config(str(tmp_path))


def test_default_database_is_sqlite_in_the_instance_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("INTAKE_SECRET_KEY", "x" * 40)
    monkeypatch.setenv("INTAKE_AUDIT_KEY", "a" * 40)
    monkeypatch.delenv("INTAKE_DATABASE_URL", raising=False)
    monkeypatch.setenv("INTAKE_INSTANCE_PATH", str(tmp_path))
    app = create_app()
    assert app.config["DATABASE_URL"] == f"sqlite:///{tmp_path / 'intake.sqlite3'}"


@pytest.mark.skipif(on_postgres(), reason="SQLite's pragmas")
def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(app):
    with app.extensions["intake_engine"].connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_submitted_answers_cannot_be_changed_in_the_database(app, make_invite, db):
    intake, _ = make_invite()
    intake.mark_submitted({"about.full_name": "Alex Example"})
    db.commit()
    with pytest.raises(IntegrityError, match="immutable"):
        raw_execute(app.config["DATABASE_URL"], "UPDATE intakes SET answers = '{}' WHERE id = :id",
                    id=intake.id)


def test_submitted_flag_requires_a_submission_time(app, make_invite):
    intake, _ = make_invite()
    with pytest.raises(IntegrityError, match="submitted_has_time"):
        raw_execute(app.config["DATABASE_URL"],
                    "UPDATE intakes SET is_submitted = true WHERE id = :id", id=intake.id)


def test_security_headers_on_every_page(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["Cache-Control"] == "no-store"


def test_an_unknown_time_zone_is_a_startup_error(tmp_path, monkeypatch):
    monkeypatch.setenv("INTAKE_SECRET_KEY", "x" * 40)
    monkeypatch.setenv("INTAKE_AUDIT_KEY", "a" * 40)
    monkeypatch.setenv("INTAKE_TIMEZONE", "Mars/Olympus_Mons")
    with pytest.raises(ConfigError, match="INTAKE_TIMEZONE"):
        load_config(str(tmp_path))
