"""The database: engine, one session per request, and SQLite pragmas.

One commit per request (`commit_on_success`)
    Write-side operations take the session, flush and never commit. The
    request's session is committed once, after the view has returned, in an
    `after_request` hook, when all of these hold:

    - the request was a writing one (see "Write intent" below),
    - no exception escaped the view (an exception rolls back),
    - the response status is below 400, or the view called `keep_writes()`
      and the status is below 500 (a 4xx that must still record something:
      a refused download's audit entry, a step with mistakes whose draft is
      kept).

    Anything else is rolled back, so an error page never leaves half a change
    behind. A failing commit is not swallowed: the exception propagates and
    the client gets the 500 page instead of the success it was about to get,
    so a write is never silently lost. Callbacks registered with
    `after_commit` (the "submitted" signal, say) run once the commit has
    succeeded, and only then. CLI and background code use `session_scope`.

Write intent, and SQLite's write lock
    Under WAL a deferred transaction that reads and then writes fails with
    "database is locked" if another writer committed in between, whatever the
    busy timeout; so writing transactions begin with BEGIN IMMEDIATE. Reading
    ones begin deferred and never wait for, or hold up, a writer.

    A request's intent comes from its method: POST, PUT, PATCH and DELETE
    write (a view marked `@reads_first` starts reading and asks for the
    write intent just before its write); GET, HEAD and OPTIONS read, unless
    the view is marked `@writes`
    (the few GET views that write, such as those that audit a page view or a
    download). Code that discovers late that it must write (a before_request
    hook that signs an idle user out and audits it) calls
    `get_session(write=True)`, which turns a read session that has written
    nothing into a writing one (its read transaction ends and loaded objects
    reload under the write lock). A read session refuses to flush or execute
    an INSERT, UPDATE or DELETE (`ReadOnlySession`), so a forgotten `@writes`
    fails at once in every test of the view rather than now and then under
    load. Sessions made outside a request (`session_scope`, the test
    fixtures) write.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask, Response, current_app, g, has_request_context, request
from sqlalchemy import MetaData, create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

#: Methods whose requests write; any other writes only through `@writes`.
WRITING_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
#: Execution option on the engine a reading session is bound to.
_READ_OPTION = "intake_read_only"
_READ_INFO = "read_only"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class ReadOnlySession(RuntimeError):
    """A reading request tried to write: mark the view `@writes`."""


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30})
        _configure_sqlite(engine)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        # Let SQLAlchemy, not the driver, decide when transactions begin.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        if conn.get_execution_options().get(_READ_OPTION):
            conn.exec_driver_sql("BEGIN")  # deferred: a reader takes no write lock
        else:
            conn.exec_driver_sql("BEGIN IMMEDIATE")


def init_app(app: Flask) -> None:
    engine = make_engine(app.config["DATABASE_URL"])
    app.extensions["intake_engine"] = engine
    app.extensions["intake_read_engine"] = engine.execution_options(**{_READ_OPTION: True})
    app.extensions["intake_sessionmaker"] = sessionmaker(bind=engine, expire_on_commit=False)
    app.after_request(_commit_on_success)
    app.teardown_appcontext(_close_session)


@event.listens_for(Session, "before_flush")
def _refuse_flush(session: Session, _context, _instances) -> None:
    if session.info.get(_READ_INFO) and (session.new or session.dirty or session.deleted):
        raise ReadOnlySession(_refusal())


@event.listens_for(Session, "do_orm_execute")
def _refuse_dml(state) -> None:
    if state.session.info.get(_READ_INFO) and (state.is_insert or state.is_update
                                               or state.is_delete):
        raise ReadOnlySession(_refusal())


def _refusal() -> str:
    where = request.endpoint if has_request_context() else "?"
    return (f"the {where!r} view writes in a reading request: mark it @writes "
            "(or call get_session(write=True) before reading)")


def writes(view: Callable) -> Callable:
    """Mark a GET view that writes: its request takes the write intent."""
    view.writes_db = True
    return view


def reads_first(view: Callable) -> Callable:
    """Mark a writing view that reads and computes before it writes.

    Its session starts as a reader; the view calls `get_session(write=True)`
    just before the write, re-reads what it changes (locked), and writes. On
    SQLite the database's one write lock is then held for the merge and the
    write, not for the whole request: a patient's step save spends most of
    its time checking the posted form, and with the lock taken at the first
    query every save in every worker queued behind that work. Where locks are
    per row (`locks_rows`) the view may lock at its first read instead.
    """
    view.reads_first = True
    return view


def locks_rows() -> bool:
    """Whether a write lock holds one row (PostgreSQL's FOR UPDATE) rather than
    the whole database (SQLite's one write lock).

    A `@reads_first` view may then lock what it changes at its first read: the
    lock keeps out only writers of that row, so nothing is gained by reading
    unlocked, re-reading locked and checking again.
    """
    return current_app.extensions["intake_engine"].dialect.name != "sqlite"


def _request_writes() -> bool:
    if not has_request_context():
        return True
    view = current_app.view_functions.get(request.endpoint or "")
    if request.method in WRITING_METHODS:
        return not getattr(view, "reads_first", False)
    return bool(getattr(view, "writes_db", False))


def get_session(write: bool = False) -> Session:
    """The session of the current request (or app context).

    `write=True` asks for the write intent even in a reading request; see the
    module docstring for what that costs.
    """
    session = g.get("db_session")
    if session is None:
        maker = current_app.extensions["intake_sessionmaker"]
        if write or _request_writes():
            session = maker()
        else:
            session = maker(bind=current_app.extensions["intake_read_engine"],
                            info={_READ_INFO: True})
        g.db_session = session
    elif write and session.info.get(_READ_INFO):
        _make_writing(session)
    return session


def _make_writing(session: Session) -> None:
    if session.new or session.dirty or session.deleted:
        raise ReadOnlySession(_refusal())
    session.rollback()  # end the read snapshot; objects reload under the write lock
    session.bind = current_app.extensions["intake_engine"]
    session.info.pop(_READ_INFO, None)


def keep_writes(*, status_below: int = 500) -> None:
    """Commit this request's writes even though its response is a 4xx (or, with
    `status_below=600`, a 5xx the view chose, such as a 503 "not available")."""
    g.db_keep_writes = status_below


def after_commit(callback: Callable[[], Any]) -> None:
    """Run `callback` once this request's transaction has committed.

    Never run when it rolls back. A failing callback is logged, not raised:
    the write it follows is already committed and the client is told so.
    Only for requests: code outside one commits itself and can act after it.
    """
    if not has_request_context():
        raise RuntimeError("after_commit is for requests; outside one, act after committing")
    g.setdefault("db_after_commit", []).append(callback)


def _commit_on_success(response: Response) -> Response:
    session: Session | None = g.pop("db_session", None)
    callbacks = g.pop("db_after_commit", [])
    if session is None:
        return response
    limit = g.pop("db_keep_writes", None) or 400
    try:
        if not session.info.get(_READ_INFO) and response.status_code < limit:
            session.commit()
        else:
            callbacks = []
            session.rollback()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
    for callback in callbacks:
        try:
            callback()
        except Exception:
            current_app.logger.exception("an after-commit callback failed (%s)",
                                         getattr(callback, "__qualname__", "callback"))
    return response


def _close_session(exc: BaseException | None) -> None:
    """The safety net: a request that raised, or app-context use outside requests."""
    g.pop("db_after_commit", None)
    session = g.pop("db_session", None)
    if session is None:
        return
    session.rollback()
    session.close()


@contextmanager
def session_scope(app: Flask | None = None) -> Iterator[Session]:
    """A session outside a request (CLI, background work): commit or roll back."""
    app = app or current_app
    session = app.extensions["intake_sessionmaker"]()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
