"""Hostile input, property-based (issue 10): random and hostile data posted
to every patient step and every staff form, with missing, duplicated and
unknown fields, wrong types, out-of-range numbers, control characters, huge
and unicode strings, stale, missing and foreign CSRF tokens and other
patients' links. Shown: never a 500 and a message for every refusal; nothing
stored for a hidden question; free text shown escaped on every page and in
the PDF, with nothing fetched.

`make test` runs the "ci" profile (few examples, derandomized); `make fuzz`
the "fuzz" profile and prints the figures (tests/hostile.py).
"""

from __future__ import annotations

import re
from datetime import date

import hostile
import pytest
from answers import step_post
from documents_helpers import pdf_text
from hypothesis import given, settings
from hypothesis import strategies as st
from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from markupsafe import escape
from sqlalchemy import select
from staff_helpers import STAFF_PASSWORD, flagged_intake
from werkzeug.datastructures import MultiDict

from intake import plaintext
from intake.documents.render import render_html, render_pdf
from intake.documents.samples import sample_summary
from intake.models import FlagRecord, ScreeningRecord

pytest_plugins = ["patient_fixtures"]
settings.load_profile(hostile.PROFILE)

CSRF_MODES = ("valid", "valid", "valid", "missing", "garbage", "stale", "foreign")


@pytest.fixture(scope="module", autouse=True)
def _report():
    yield
    hostile.write_report()


class _LongAgo(TimestampSigner):
    def get_timestamp(self) -> int:
        return 1_000_000_000  # 2001: far beyond any CSRF time limit


def csrf_value(app, client, mode: str, other_client) -> str | None:
    """A CSRF token of the given kind for `client`'s session."""
    with client.session_transaction() as session:
        raw = session.get("csrf_token")
    if mode == "missing":
        return None
    if mode == "garbage":
        return "not-a-token"
    if mode == "foreign":  # valid, but for another browser's session
        with other_client.session_transaction() as session:
            raw = session.get("csrf_token") or "x" * 40
    serializer = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="wtf-csrf-token",
                                        signer=_LongAgo if mode == "stale" else TimestampSigner)
    return serializer.dumps(raw or "no-session-token")


def stored_answers(app, token: str) -> dict:
    from intake.operations.invites import intake_for_token

    session = app.extensions["intake_sessionmaker"]()
    try:
        intake = intake_for_token(session, token)
        return dict(intake.answers or {})
    finally:
        session.rollback()
        session.close()


def assert_nothing_hidden_stored(definition, answers: dict) -> None:
    unknown = set(answers) - set(definition.questions)
    assert not unknown, unknown
    visibility = definition.visibility(answers, date.today())
    hidden = [qid for qid in answers if not visibility[qid]]
    assert not hidden, hidden


@st.composite
def step_posts(draw, definition, answers):
    """(step id, form data, action) with the valid post as a starting point."""
    step = draw(st.sampled_from(definition.steps))
    data = step_post(definition, step.id, answers)
    out = MultiDict()
    for key, values in data.lists():
        choice = draw(st.sampled_from(["keep", "keep", "drop", "hostile", "duplicate"]))
        if choice == "keep":
            out.setlist(key, values)
        elif choice == "hostile":
            out.setlist(key, [draw(hostile.hostile_text)])
        elif choice == "duplicate":
            out.setlist(key, values + [draw(hostile.hostile_text)] + values)
    # Unknown fields, and answers to questions of other steps (often hidden there).
    for key in draw(st.lists(hostile.unicode_text, max_size=3)):
        out.add(key or "unknown", draw(hostile.hostile_text))
    for qid in draw(st.lists(st.sampled_from(sorted(definition.questions)), max_size=4)):
        out.add(qid, draw(st.sampled_from(["yes", "y", "1", "pregnant", "left_knee"])))
    action = draw(st.sampled_from(["next", "next", "back", "later", "", "submit", "x" * 300]))
    out.setlist("action", [action])
    if draw(st.booleans()):
        out.add("from", draw(st.sampled_from(["review", "elsewhere"])))
    return step.id, out


@given(data=st.data())
def test_patient_steps_survive_hostile_posts(data, app, client, make_invite, definition,
                                             answers):
    _, token = make_invite(name="Fuzz Patient")
    _, other_token = make_invite(name="Other Patient")
    other_before = stored_answers(app, other_token)
    other_client = app.test_client()
    hostile.assert_sound(other_client.get(f"/i/{other_token}/step/about"))
    for _ in range(data.draw(st.integers(1, 4), label="posts")):
        step_id, form = data.draw(step_posts(definition, answers), label="post")
        hostile.assert_sound(client.get(f"/i/{token}/step/{step_id}"))
        mode = data.draw(st.sampled_from(CSRF_MODES), label="csrf")
        csrf = csrf_value(app, client, mode, other_client)
        if csrf is not None:
            form.setlist("csrf_token", [csrf])
        target = data.draw(st.sampled_from([token, token, token, other_token + "x",
                                            other_token[:-1], "../" + token]), label="link")
        response = client.post(f"/i/{target}/step/{step_id}", data=form)
        hostile.assert_sound(response)
        if mode != "valid":
            assert response.status_code in (400, 404)
        assert_nothing_hidden_stored(definition, stored_answers(app, token))
        hostile.assert_sound(client.get(f"/i/{token}/review"))
    assert stored_answers(app, other_token) == other_before


FREE_TEXT = ("text", "textarea")


class _Page:
    """A stand-in response for checking HTML that was not served (the PDF's)."""

    def __init__(self, status_code: int) -> None:
        self.status_code = status_code


@settings(max_examples=hostile.WHOLE_INTAKE_EXAMPLES)
@given(payloads=st.lists(hostile.free_text_payload, min_size=1, max_size=4))
def test_free_text_is_shown_escaped_on_every_page_and_in_the_pdf(
        payloads, app, client, make_invite, definition, answers, make_staff):
    app.config["WTF_CSRF_ENABLED"] = False
    intake, token = make_invite(name="Escape Patient")
    texts = [q for q in definition.questions.values()
             if q.type in FREE_TEXT and q.id in answers]
    typed = dict(answers)
    for i, question in enumerate(texts):
        limit = question.max_length or (200 if question.type == "text" else 2000)
        typed[question.id] = ("Pat " + payloads[i % len(payloads)])[:limit]
    for step in definition.steps:
        if not definition.visible_questions(step, typed, date.today()):
            continue
        response = client.post(f"/i/{token}/step/{step.id}",
                               data=step_post(definition, step.id, typed))
        hostile.assert_sound(response)
        if response.status_code == 422:  # hidden characters: the patient confirms the text
            for question in step.questions:
                if question.id in typed and question.type in FREE_TEXT:
                    typed[question.id] = plaintext.clean(
                        typed[question.id], multiline=question.type == "textarea")[0]
            response = client.post(f"/i/{token}/step/{step.id}",
                                   data=step_post(definition, step.id, typed))
            assert response.status_code == 303, response.get_data(as_text=True)[:1500]
    saved = stored_answers(app, token)
    shown = [saved[q.id] for q in texts if saved.get(q.id)]
    assert shown
    review = hostile.assert_sound(client.get(f"/i/{token}/review"))
    for value in shown:
        assert str(escape(value)).replace("\n", "") in review.replace("\n", "").replace(
            "<br>", ""), value
    hostile.assert_sound(client.post(f"/i/{token}/submit"))
    staff = app.test_client()
    user = make_staff("practitioner")
    hostile.assert_sound(staff.post("/staff/login", data={"email": user.email,
                                                          "password": STAFF_PASSWORD}))
    page = hostile.assert_sound(staff.get(f"/staff/intakes/{intake.id}"))
    for value in shown:
        assert str(escape(value)).replace("\n", "") in page.replace("\n", "").replace(
            "<br>", ""), value
    hostile.assert_sound(staff.get("/staff/"))
    summary = sample_summary(answers=saved)
    hostile.assert_sound(_Page(200), html=render_html(summary, definition))
    result = render_pdf(summary, definition)
    assert result.refused == ()  # nothing fetched
    # pypdf reads the running header's text as UTF-16 (NULs between letters).
    text = pdf_text(result.pdf).replace("\x00", "")
    flat = re.sub(r"\s+", "", text)
    for value in shown:
        if re.sub(r"\s+", "", value).isascii():
            assert re.sub(r"\s+", "", value)[:40] in flat, value


# --- staff forms ------------------------------------------------------------------------

STAFF_FIELDS = {
    "/staff/login": ["email", "password"],
    "/staff/invites/new": ["name", "day", "at", "email"],
    "/staff/admin/users/new": ["email", "name", "role"],
    "/staff/admin/users/{other}/reset": [],
    "/staff/admin/users/{other}/active": ["active"],
    "/staff/account/password": ["current", "new", "repeat"],
    "/staff/intakes/{intake}/plan": ["regions", "electrical_stimulation", "targets"],
    "/staff/intakes/{intake}/flags/{flag}/decision": ["f{flag}-choice", "f{flag}-note"],
    "/staff/intakes/{intake}/sign-off": ["confirm"],
    "/staff/invites/{intake}/reissue": [],
}
STAFF_QUERIES = {
    "/staff/": ["q", "status", "level", "day", "after"],
    "/staff/admin/audit": ["intake", "before"],
    "/staff/intakes/{intake}": ["x"],
    "/staff/rules": ["x"],
}
VALUES = st.one_of(hostile.hostile_text, st.sampled_from(
    ["proceed", "refer", "y", "yes", "no", "1", "0", "admin", "practitioner", "2027-01-15",
     "9999-12-31", "0001-01-01", "09:30", "25:61", "left_knee", "a@example.org"]))


@pytest.fixture
def staff_world(app, db, clinic, make_staff):
    """An admin and a practitioner signed in, a flagged intake and a spare account."""
    intake = flagged_intake(db, clinic, [("dn_diabetes", "precaution", None)],
                            name="Staff Fuzz Patient")
    flag_id = db.scalar(select(FlagRecord.id).join(
        ScreeningRecord, FlagRecord.screening_id == ScreeningRecord.id)
        .where(ScreeningRecord.intake_id == intake.id))
    ids = {"intake": intake.id, "flag": flag_id, "other": make_staff("front_desk").id}
    clients = {}
    for role in ("admin", "practitioner", "front_desk"):
        user = make_staff(role)
        client = app.test_client()
        client.get("/staff/login")
        token = csrf_value(app, client, "valid", client)
        response = client.post("/staff/login", data={"email": user.email,
                                                      "password": STAFF_PASSWORD,
                                                      "csrf_token": token})
        assert response.status_code == 302
        clients[role] = client
    db.commit()
    return clients, ids


@given(data=st.data())
def test_staff_forms_survive_hostile_posts(data, app, staff_world):
    clients, ids = staff_world
    for _ in range(data.draw(st.integers(1, 3), label="posts")):
        role = data.draw(st.sampled_from(sorted(clients)), label="role")
        client = clients[role]
        path = data.draw(st.sampled_from(sorted(STAFF_FIELDS)), label="path")
        url = path.format(**ids)
        hostile.assert_sound(client.get(url)) if not url.endswith(
            ("reset", "active", "decision", "sign-off", "reissue")) else None
        form = MultiDict()
        for name in STAFF_FIELDS[path]:
            name = name.format(**ids)
            for _ in range(data.draw(st.integers(0, 2), label=name)):
                form.add(name, data.draw(VALUES, label=name))
        for key in data.draw(st.lists(hostile.unicode_text, max_size=2), label="unknown"):
            form.add(key or "unknown", data.draw(hostile.hostile_text, label="unknown value"))
        mode = data.draw(st.sampled_from(CSRF_MODES), label="csrf")
        csrf = csrf_value(app, client, mode, clients["admin"] if role != "admin"
                          else clients["practitioner"])
        if csrf is not None:
            form.setlist("csrf_token", [csrf])
        response = client.post(url, data=form)
        hostile.assert_sound(response)
        if mode != "valid" and response.status_code not in (403, 404):
            assert response.status_code in (302, 400), response.status_code


@given(data=st.data())
def test_staff_query_strings_survive_hostile_values(data, staff_world):
    clients, ids = staff_world
    role = data.draw(st.sampled_from(sorted(clients)), label="role")
    path = data.draw(st.sampled_from(sorted(STAFF_QUERIES)), label="path")
    query = MultiDict()
    for name in STAFF_QUERIES[path]:
        for _ in range(data.draw(st.integers(0, 2), label=name)):
            query.add(name, data.draw(st.one_of(VALUES, hostile.numbers), label=name))
    response = clients[role].get(path.format(**ids), query_string=query)
    hostile.assert_sound(response)
