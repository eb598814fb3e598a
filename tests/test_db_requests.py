"""One commit per request (intake.db.commit_on_success) and the write intent.

Each test adds small views of its own to a fresh app, so the rules are
checked directly: what is committed, what is rolled back, when callbacks
run, and that a reading request cannot write.
"""

from __future__ import annotations

import pytest
from flask import abort
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from intake import db as dbmod
from intake.db import ReadOnlySession, after_commit, get_session, keep_writes, writes
from intake.models import Clinic

# The views are added to the app: a shared app has served requests and refuses them.
pytestmark = pytest.mark.fresh_app


def names(session) -> list[str]:
    found = list(session.scalars(select(Clinic.name).order_by(Clinic.id)))
    session.commit()
    return found


def add_clinic(name: str) -> None:
    get_session().add(Clinic(name=name))
    get_session().flush()


@pytest.fixture
def views(app):
    """Register test views: views(rule, func, methods=...)."""
    app.config["WTF_CSRF_ENABLED"] = False

    def _add(rule: str, func, methods=("POST",)):
        app.add_url_rule(rule, func.__name__, func, methods=list(methods))

    return _add


def test_a_successful_writing_request_commits_once_at_its_end(app, client, views, db):
    commits = []

    def make():
        add_clinic("Committed")
        assert commits == []  # nothing is committed while the view runs
        return "ok"

    views("/t/make", make)
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    def count(_session):
        commits.append(1)

    client.get("/")  # the first request's own housekeeping (documents retry) is done
    event.listen(Session, "after_commit", count)
    try:
        assert client.post("/t/make").status_code == 200
    finally:
        event.remove(Session, "after_commit", count)
    assert names(db) == ["Committed"]
    assert len(commits) == 1


@pytest.mark.parametrize("status", [302, 303])
def test_a_redirect_commits(app, client, views, db, status):
    def make():
        add_clinic("Redirected")
        return "", status, {"Location": "/"}

    views("/t/make", make)
    assert client.post("/t/make").status_code == status
    assert names(db) == ["Redirected"]


@pytest.mark.parametrize("status", [400, 404, 409, 422])
def test_an_error_response_rolls_back(app, client, views, db, status):
    def make():
        add_clinic("Refused")
        return "no", status

    views("/t/make", make)
    assert client.post("/t/make").status_code == status
    assert names(db) == []


def test_an_abort_rolls_back(app, client, views, db):
    def make():
        add_clinic("Aborted")
        abort(404)

    views("/t/make", make)
    assert client.post("/t/make").status_code == 404
    assert names(db) == []


def test_keep_writes_commits_a_4xx_but_never_a_5xx(app, client, views, db):
    def kept():
        add_clinic("Kept")
        keep_writes()
        return "recorded, refused", 409

    def broken():
        add_clinic("Broken")
        keep_writes()
        return "server error", 500

    views("/t/kept", kept)
    views("/t/broken", broken)
    assert client.post("/t/kept").status_code == 409
    assert client.post("/t/broken").status_code == 500
    assert names(db) == ["Kept"]


def test_an_exception_rolls_back_and_shows_the_error_page(app, client, views, db):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    def make():
        add_clinic("Half done")
        raise RuntimeError("boom")

    views("/t/make", make)
    response = client.post("/t/make")
    assert response.status_code == 500
    assert "Something went wrong" in response.get_data(as_text=True)
    assert names(db) == []


def test_a_failing_commit_is_an_error_not_a_silent_success(app, client, views, db,
                                                           monkeypatch):
    """The view said "saved" (a redirect); the commit failing must replace that."""
    app.config["PROPAGATE_EXCEPTIONS"] = False
    ran = []

    def make():
        add_clinic("Lost?")
        after_commit(lambda: ran.append("callback"))
        return "", 303, {"Location": "/"}

    views("/t/make", make)
    from sqlalchemy.orm import Session

    real_commit = Session.commit

    def failing_commit(self):
        if self.info.get("fail"):
            raise OperationalError("COMMIT", {}, Exception("disk I/O error"))
        return real_commit(self)

    monkeypatch.setattr(Session, "commit", failing_commit)

    @app.before_request
    def _mark():
        get_session().info["fail"] = True

    response = client.post("/t/make")
    assert response.status_code == 500
    assert "Something went wrong" in response.get_data(as_text=True)
    assert ran == []
    monkeypatch.undo()
    assert names(db) == []


def test_a_failing_commit_raises_under_testing(app, client, views, monkeypatch):
    def make():
        add_clinic("Lost?")
        return "", 303, {"Location": "/"}

    views("/t/make", make)
    from sqlalchemy.orm import Session

    def failing_commit(self):
        raise OperationalError("COMMIT", {}, Exception("database is locked"))

    monkeypatch.setattr(Session, "commit", failing_commit)
    with pytest.raises(OperationalError):
        client.post("/t/make")


def test_after_commit_callbacks_run_after_the_commit_and_only_then(app, client, views):
    seen = []

    def check():
        other = app.extensions["intake_sessionmaker"]()
        seen.append(names(other))
        other.close()

    def good():
        add_clinic("Visible")
        after_commit(check)
        return "", 303, {"Location": "/"}

    def bad():
        add_clinic("Never")
        after_commit(lambda: seen.append("ran for a rollback"))
        return "no", 400

    views("/t/good", good)
    views("/t/bad", bad)
    client.post("/t/bad")
    client.post("/t/good")
    assert seen == [["Visible"]]


def test_a_failing_callback_is_logged_and_the_write_stands(app, client, views, db, caplog):
    def boom():
        raise RuntimeError("listener broke")

    def make():
        add_clinic("Stands")
        after_commit(boom)
        return "", 303, {"Location": "/"}

    views("/t/make", make)
    assert client.post("/t/make").status_code == 303
    assert names(db) == ["Stands"]
    assert "after-commit callback failed" in caplog.text


def test_after_commit_outside_a_request_is_refused(app):
    with app.app_context(), pytest.raises(RuntimeError):
        after_commit(lambda: None)


def test_a_reading_request_cannot_write(app, client, views, db):
    """A GET view that writes without saying so fails at once, in every test."""

    def sneaky():
        add_clinic("Sneaky")
        return "ok"

    views("/t/sneaky", sneaky, methods=("GET",))
    with pytest.raises(ReadOnlySession, match="sneaky"):
        client.get("/t/sneaky")
    assert names(db) == []


def test_a_reading_request_cannot_run_dml_either(app, client, views, db):
    from sqlalchemy import insert

    def sneaky_sql():
        get_session().execute(insert(Clinic).values(name="Sneaky SQL"))
        return "ok"

    views("/t/sneaky-sql", sneaky_sql, methods=("GET",))
    with pytest.raises(ReadOnlySession):
        client.get("/t/sneaky-sql")
    assert names(db) == []


def test_a_get_view_marked_writes_commits(app, client, views, db):
    @writes
    def audited():
        add_clinic("Audited view")
        return "ok"

    views("/t/audited", audited, methods=("GET",))
    assert client.get("/t/audited").status_code == 200
    assert names(db) == ["Audited view"]


def test_a_reading_request_can_ask_to_write_before_it_has_written(app, client, views, db):
    db.add(Clinic(name="Before"))
    db.commit()

    def late():
        session = get_session()
        clinic = session.scalars(select(Clinic)).one()  # read in the read transaction
        session = get_session(write=True)
        clinic.name = "After"  # the object reloads under the write transaction
        session.flush()
        return "ok"

    views("/t/late", late, methods=("GET",))
    assert client.get("/t/late").status_code == 200
    assert names(db) == ["After"]


def test_a_reading_request_reads_in_a_deferred_transaction_and_a_post_writes(
        app, client, views):
    """The intent follows the method; a reading request is never committed."""
    seen = {}

    def probe():
        session = get_session()
        seen[dbmod.request.method] = session.info.get("read_only", False)
        return "ok"

    views("/t/probe", probe, methods=("GET", "POST"))
    client.get("/t/probe")
    client.post("/t/probe")
    assert seen == {"GET": True, "POST": False}
