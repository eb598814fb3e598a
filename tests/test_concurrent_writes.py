"""Writes that stay correct when requests, threads and processes overlap.

These run on whichever database the `app` fixture gives (SQLite in `make
test`, PostgreSQL in `make test-postgres`). Interleavings are driven with
tests/concurrency.py: the first writer is paused while it holds its lock
and resumed only once the second is seen waiting for it, or seen to have
read without waiting (which the assertions then reject).
"""

from __future__ import annotations

import multiprocessing
import threading

import pytest
from answers import step_post
from concurrency import StatementWatch, append_audit_events, run_in_thread
from patient_helpers import fill_steps, stored
from sqlalchemy import func, select, update

from intake import audit
from intake.cli import main
from intake.models import AuditEvent, Clinic, StaffUser
from intake.operations import accounts

pytest_plugins = ["patient_fixtures"]


@pytest.fixture
def watch(app):
    found = StatementWatch(app.extensions["intake_engine"])
    yield found
    found.close()


def _warm_up(app) -> None:
    """The first request does the documents retry housekeeping: get it done."""
    app.config["WTF_CSRF_ENABLED"] = False
    app.test_client().get("/")


def test_two_interleaved_step_saves_keep_every_answer(app, token, definition, answers,
                                                      watch, monkeypatch):
    intake = _interleaved_saves(app, watch, monkeypatch, f"/i/{token}/step",
                                definition, answers, ("about", "pain"))
    assert intake.answers["about.full_name"] == answers["about.full_name"]
    assert intake.answers["pain.regions"] == answers["pain.regions"]


def test_two_interleaved_follow_up_saves_keep_every_answer(app, db, clinic, watch,
                                                           monkeypatch):
    from staff_helpers import submitted_intake
    from visits_support import first_intake, follow_up_answers

    from intake.operations.invites import create_invite
    from intake.questionnaire.follow_up import load_follow_up

    first = submitted_intake(db, clinic, answers=first_intake())
    _, token = create_invite(db, clinic, name="x", days=14, follows=first)
    db.commit()
    answers = follow_up_answers()
    intake = _interleaved_saves(app, watch, monkeypatch, f"/i/{token}/recheck/step",
                                load_follow_up(), answers, ("changes", "today"))
    assert intake.answers["changes.anything_changed"] == "no"
    assert intake.answers["pain.back_now"] == answers["pain.back_now"]


def _interleaved_saves(app, watch, monkeypatch, url, definition, answers, steps):
    """Two step saves of one draft: the first holds its lock until the second
    is seen waiting (or reading); both steps' answers must be kept."""
    _warm_up(app)
    import intake.patient.drafts as module  # both wizards save through StepDraft.save

    real_save = module.save_step
    first_saved = threading.Event()
    second = {}
    seen = {}

    def pausing_save(session, intake, step_id, *args, **kwargs):
        real_save(session, intake, step_id, *args, **kwargs)
        if step_id == steps[0]:  # the first save: hold its lock until the second is due
            first_saved.set()
            seen["second"] = watch.wait_blocked_or_read(lambda: second.get("ident"),
                                                        "intakes")

    monkeypatch.setattr(module, "save_step", pausing_save)

    def post(step_id: str):
        return app.test_client().post(f"{url}/{step_id}",
                                      data=step_post(definition, step_id, answers))

    first, first_out = run_in_thread(post, steps[0])
    assert first_saved.wait(60)
    thread, second_out = run_in_thread(post, steps[1])
    with watch.cond:
        second["ident"] = thread.ident
        watch.cond.notify_all()
    first.join(60)
    thread.join(60)
    assert "error" not in first_out and "error" not in second_out, (first_out, second_out)
    assert first_out["result"].status_code == 303
    assert second_out["result"].status_code == 303
    # The second save may read and check its form without waiting for the
    # first's lock (only its merge and write wait: @reads_first; which of its
    # statements the watch catches depends on timing); either way it kept the
    # first's answers, because it re-read the draft under the lock.
    assert seen["second"] in {"waiting", "read without waiting"}
    token = url.split("/")[2]
    intake = stored(app.extensions["intake_sessionmaker"](), token)
    for step_id in steps:
        for question in definition.step(step_id).questions:
            if question.id in answers and question.id in intake.answers:
                assert intake.answers[question.id] == answers[question.id], question.id
    assert set(intake.completed_steps) == set(steps)
    return intake


def test_a_step_save_during_a_submit_waits_and_then_finds_it_submitted(
        app, token, definition, answers, watch, monkeypatch):
    """A second tab saves a step while the first submits: the save must not
    change answers that were just frozen (nor fail on the immutability rule)."""
    import intake.patient.routes as routes

    _warm_up(app)
    fill_steps(app.test_client(), token, definition, answers)
    late = {**answers, "about.full_name": "Changed Too Late"}
    _save_during_submit(app, watch, monkeypatch, (routes, "submit_intake"),
                        f"/i/{token}/submit",
                        (f"/i/{token}/step/about", step_post(definition, "about", late)))
    intake = stored(app.extensions["intake_sessionmaker"](), token)
    assert intake.is_submitted
    assert intake.answers["about.full_name"] == answers["about.full_name"]


def test_a_follow_up_save_during_its_submit_waits_and_then_finds_it_submitted(
        app, db, clinic, watch, monkeypatch):
    """The re-check's save is refused under the lock as the intake's is."""
    from staff_helpers import submitted_intake
    from visits_support import first_intake, follow_up_answers

    import intake.patient.follow_up as follow_up
    from intake.operations.follow_ups import definition_for
    from intake.operations.invites import create_invite

    first = submitted_intake(db, clinic, answers=first_intake())
    _, token = create_invite(db, clinic, name="x", days=14, follows=first)
    db.commit()
    _warm_up(app)
    with app.test_request_context():
        definition = definition_for(stored(db, token))
    db.commit()
    answers, client = follow_up_answers(), app.test_client()
    for step in definition.steps:
        response = client.post(f"/i/{token}/recheck/step/{step.id}",
                               data=step_post(definition, step.id, answers))
        assert response.status_code == 303, step.id
    late = {**answers, "pain.back_now": 9}
    _save_during_submit(app, watch, monkeypatch, (follow_up, "submit_follow_up"),
                        f"/i/{token}/recheck/submit",
                        (f"/i/{token}/recheck/step/today", step_post(definition, "today", late)))
    intake = stored(app.extensions["intake_sessionmaker"](), token)
    assert intake.is_submitted
    assert intake.answers["pain.back_now"] == answers["pain.back_now"] != 9


def _save_during_submit(app, watch, monkeypatch, submitter, submit_url, save_post):
    """The submit holds its lock until the step save is seen waiting for it (or
    reading); both end on the done page."""
    module, name = submitter
    real_submit = getattr(module, name)
    submitting = threading.Event()
    saver = {}
    seen = {}

    def pausing_submit(*args, **kwargs):
        record = real_submit(*args, **kwargs)
        submitting.set()
        seen["save"] = watch.wait_blocked_or_read(lambda: saver.get("ident"), "intakes")
        return record

    monkeypatch.setattr(module, name, pausing_submit)
    submit, submit_out = run_in_thread(lambda: app.test_client().post(submit_url))
    assert submitting.wait(60)
    save, save_out = run_in_thread(lambda: app.test_client().post(*save_post[:1],
                                                                  data=save_post[1]))
    with watch.cond:
        saver["ident"] = save.ident
        watch.cond.notify_all()
    submit.join(60)
    save.join(60)
    assert "error" not in submit_out and "error" not in save_out, (submit_out, save_out)
    assert submit_out["result"].location.endswith("/done")
    assert save_out["result"].status_code == 303
    assert save_out["result"].location.endswith("/done")
    # The save may read and check its form while the submit holds the lock
    # (@reads_first; SQLite's readers never wait); its write waited, re-read the
    # row and found it submitted, so the frozen answers stayed as they were.
    assert seen["save"] in {"waiting", "read without waiting"}
    if app.extensions["intake_engine"].dialect.name != "sqlite":
        assert seen["save"] == "waiting"  # its one read is the locked one


def test_a_submit_during_a_step_save_checks_the_answers_as_saved(
        app, token, definition, answers, watch, monkeypatch):
    """A tab adds an unanswered question (an interpreter, which language?) while
    another submits: the submit waits for the save and sends the patient to
    the step, never a 500 from finding the answers incomplete too late."""

    _warm_up(app)
    fill_steps(app.test_client(), token, definition, answers)
    import intake.patient.drafts as drafts

    real_save = drafts.save_step
    saving = threading.Event()
    submitter = {}
    seen = {}

    def pausing_save(session, intake, step_id, *args, **kwargs):
        real_save(session, intake, step_id, *args, **kwargs)
        saving.set()
        seen["submit"] = watch.wait_blocked_or_read(lambda: submitter.get("ident"),
                                                    "intakes")

    monkeypatch.setattr(drafts, "save_step", pausing_save)
    cleared = step_post(definition, "about", answers)
    cleared["about.needs_interpreter"] = "yes"  # its language question is left empty
    cleared["action"] = "later"
    save, save_out = run_in_thread(lambda: app.test_client().post(
        f"/i/{token}/step/about", data=cleared))
    assert saving.wait(60)
    submit, submit_out = run_in_thread(
        lambda: app.test_client().post(f"/i/{token}/submit"))
    with watch.cond:
        submitter["ident"] = submit.ident
        watch.cond.notify_all()
    save.join(60)
    submit.join(60)
    assert "error" not in save_out and "error" not in submit_out, (save_out, submit_out)
    assert seen["submit"] == "waiting"
    assert submit_out["result"].status_code == 303
    assert submit_out["result"].location.endswith("/step/about?check=1")
    intake = stored(app.extensions["intake_sessionmaker"](), token)
    assert not intake.is_submitted and intake.answers["about.needs_interpreter"] == "yes"


def test_a_read_request_does_not_wait_for_a_writer(app, token, db):
    """A writer holds its lock (and an uncommitted change); a page still loads."""
    _warm_up(app)
    writer = app.extensions["intake_sessionmaker"]()
    writer.execute(update(Clinic).values(phone="555-0000"))  # holds the write lock
    try:
        response = app.test_client().get(f"/i/{token}/step/about")
        assert response.status_code == 200
    finally:
        writer.rollback()
        writer.close()


def test_a_writer_does_not_wait_for_a_read_request(app, token, monkeypatch):
    """A page is mid-render (its read transaction open); a write commits meanwhile."""
    import intake.patient.routes as routes

    _warm_up(app)
    real_render = routes.render_step
    reading, written = threading.Event(), threading.Event()

    def pausing_render(*args, **kwargs):
        reading.set()
        assert written.wait(60), "the writer was held up by a reading request"
        return real_render(*args, **kwargs)

    monkeypatch.setattr(routes, "render_step", pausing_render)
    page, out = run_in_thread(lambda: app.test_client().get(f"/i/{token}/step/about"))
    assert reading.wait(60)
    writer = app.extensions["intake_sessionmaker"]()
    try:
        writer.execute(update(Clinic).values(phone="555-0001"))
        writer.commit()
    finally:
        written.set()
        writer.close()
    page.join(60)
    assert "error" not in out, out
    assert out["result"].status_code == 200


def test_failed_attempts_are_counted_in_sql_not_from_a_stale_copy(app, make_staff):
    """Two sign-ins that loaded the account before either counted: both count."""
    make_staff(email="p@example.org")
    maker = app.extensions["intake_sessionmaker"]
    first, second = maker(), maker()
    # Both load the account before either counts (kept referenced: the session's
    # identity map is weak), as two parallel requests do.
    copies = [accounts.find_user(first, "p@example.org")]
    first.commit()
    copies.append(accounts.find_user(second, "p@example.org"))
    second.commit()
    assert accounts.sign_in(first, "p@example.org", "wrong").reason == "wrong_password"
    first.commit()
    assert accounts.sign_in(second, "p@example.org", "wrong").reason == "wrong_password"
    second.commit()
    check = maker()
    assert check.scalar(select(StaffUser.failed_attempts)) == 2
    assert len(copies) == 2
    check.close()
    first.close()
    second.close()


def test_exactly_one_failure_asks_to_tell_the_holder_when_counted_in_sql(app, make_staff, db):
    make_staff(email="p@example.org")
    notices = []
    for attempt in range(accounts.NOTICE_AFTER + 3):  # another address each: no throttle
        result = accounts.sign_in(db, "p@example.org", "wrong", ip=f"192.0.2.{attempt}")
        assert result.reason == "wrong_password"
        notices.append(result.notify_user_id is not None)
        db.commit()
    user = accounts.find_user(db, "p@example.org")
    assert user.failed_attempts == accounts.NOTICE_AFTER + 3
    assert notices.count(True) == 1 and notices.index(True) == accounts.NOTICE_AFTER - 1
    db.commit()


def test_two_processes_appending_to_the_audit_log_keep_one_chain(app, runner, tmp_path):
    per_process = 25
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(2)
    url = app.config["DATABASE_URL"]
    workers = [ctx.Process(target=append_audit_events,
                           args=(url, str(tmp_path / f"instance-{tag}"), tag, per_process,
                                 barrier))
               for tag in ("a", "b")]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(300)
    assert [w.exitcode for w in workers] == [0, 0]
    session = app.extensions["intake_sessionmaker"]()
    counts = dict(session.execute(
        select(AuditEvent.action, func.count()).group_by(AuditEvent.action)).all())
    assert counts == {"test.a": per_process, "test.b": per_process}
    assert audit.verify(session) == []
    session.close()
    result = runner.invoke(main, ["audit", "verify"])
    assert result.exit_code == 0, result.output
