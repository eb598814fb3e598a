"""Bounds on one request (issue 10, High): linear de-duplication of checkbox
values, a cap on form names and values, a smaller body for patient steps, and
rate limits on step saves per link and per address."""

from __future__ import annotations

import shutil
from contextlib import contextmanager

import pytest
from answers import step_post
from patient_helpers import post_step, stored
from werkzeug.datastructures import MultiDict
from wtforms import Form
from wtforms.fields.choices import SelectChoice

from intake import create_app
from intake.config import test_config as config_for_tests
from intake.extensions import limiter
from intake.questionnaire.types.fields import MultiCheckboxField

pytest_plugins = ["patient_fixtures"]


class Counted(str):
    """A posted value that counts how often it is compared."""

    comparisons = 0

    def strip(self):  # keep the subclass through the field's filter
        return self

    def __eq__(self, other):
        Counted.comparisons += 1
        return str.__eq__(self, other)

    __hash__ = str.__hash__


class OneField(Form):
    regions = MultiCheckboxField(choices=[SelectChoice("a", "A")])


def test_checkbox_values_are_deduplicated_in_linear_time():
    values = [Counted(f"v{i}") for i in range(3000)] + [Counted("v1"), Counted("v2")]
    Counted.comparisons = 0
    form = OneField(formdata=MultiDict([("regions", v) for v in values]))
    assert len(form.regions.data) == 3000
    assert form.regions.data[:3] == ["v0", "v1", "v2"]  # first-seen order kept
    # A list with `in` compares about n*n/2 = 4.5 million times here.
    assert Counted.comparisons < 10 * len(values)


def test_forty_thousand_values_in_one_step_are_refused_and_nothing_is_saved(
        client_nocsrf, token, db, definition, answers):
    assert post_step(client_nocsrf, token, "pain",
                     step_post(definition, "pain", answers)).status_code == 303
    before = dict(stored(db, token).answers)
    data = MultiDict(step_post(definition, "pain", answers))
    for i in range(40_000):
        data.add("pain.regions", "left_knee" if i % 2 else f"x{i}")
    response = post_step(client_nocsrf, token, "pain", data)
    assert response.status_code == 413
    html = response.get_data(as_text=True)
    assert "nothing from it was saved" in html and "What you saved before is safe" in html
    assert stored(db, token).answers == before


def test_too_many_field_names_are_refused(client_nocsrf, token, db):
    data = {f"junk{i}": "1" for i in range(301)}
    assert post_step(client_nocsrf, token, "about", data).status_code == 413
    assert not stored(db, token).answers


def test_the_field_bounds_are_settings(app, client_nocsrf, token):
    app.config["FORM_MAX_VALUES"] = 3
    data = MultiDict([("pain.regions", r) for r in ("left_knee", "right_knee", "left_hip",
                                                    "right_hip")])
    assert post_step(client_nocsrf, token, "pain", data).status_code == 413
    app.config["FORM_MAX_VALUES"] = 100
    assert post_step(client_nocsrf, token, "pain", data).status_code in (303, 422)


def test_staff_forms_are_bounded_too(client, make_staff, auth):
    data = {f"junk{i}": "1" for i in range(400)}
    assert client.post("/staff/login", data=data).status_code == 413


def test_patient_steps_have_a_smaller_body_limit_than_the_app(app, client_nocsrf, token, db):
    big = "x" * (600 * 1024)
    response = post_step(client_nocsrf, token, "pain", {"pain.notes": big})
    assert response.status_code == 413
    assert "nothing from it was saved" in response.get_data(as_text=True)
    assert not stored(db, token).answers
    # The same body is accepted by size on a staff page (refused there for other reasons).
    assert client_nocsrf.post("/staff/login", data={"email": big}).status_code != 413
    app.config["PATIENT_MAX_CONTENT_LENGTH"] = 2 * 1024 * 1024
    assert post_step(client_nocsrf, token, "pain", {"pain.notes": big}).status_code != 413


def test_the_body_limits_come_from_the_environment(monkeypatch, tmp_path):
    from intake.config import load_config

    monkeypatch.setenv("INTAKE_PATIENT_MAX_CONTENT_LENGTH", "1000")
    monkeypatch.setenv("INTAKE_MAX_CONTENT_LENGTH", "5000")
    monkeypatch.setenv("INTAKE_STEP_SAVE_LINK_LIMIT", "7 per minute")
    config = load_config(str(tmp_path), require_secret=False)
    assert config["PATIENT_MAX_CONTENT_LENGTH"] == 1000
    assert config["MAX_CONTENT_LENGTH"] == 5000
    assert config["STEP_SAVE_LINK_LIMIT"] == "7 per minute"


@contextmanager
def limited_app(tmp_path, migrated_template, monkeypatch, **limits):
    monkeypatch.setenv("INTAKE_INSTANCE_PATH", str(tmp_path / "limited"))
    folder = tmp_path / "limited-db"
    folder.mkdir()
    shutil.copy(migrated_template, folder / "test.sqlite3")
    app = create_app({**config_for_tests(folder), "RATELIMIT_ENABLED": True,
                      "WTF_CSRF_ENABLED": False, **limits})
    try:
        yield app
    finally:
        app.extensions["intake_engine"].dispose()


def _invite(app, name):
    from intake.operations.invites import create_invite, get_clinic

    session = app.extensions["intake_sessionmaker"]()
    try:
        _, token = create_invite(session, get_clinic(session, create_name="Limited"),
                                 name=name, days=14)
        session.commit()
        return token
    finally:
        session.close()


def test_step_saves_are_limited_per_link_with_a_hashed_key(tmp_path, migrated_template,
                                                           monkeypatch, definition, answers):
    with limited_app(tmp_path, migrated_template, monkeypatch,
                     STEP_SAVE_LINK_LIMIT="3 per minute",
                     STEP_SAVE_ADDRESS_LIMIT="100 per minute") as app:
        first, second = _invite(app, "First Patient"), _invite(app, "Second Patient")
        client = app.test_client()
        data = step_post(definition, "pain", answers)
        for _ in range(3):
            assert post_step(client, first, "pain", data).status_code == 303
        refused = post_step(client, first, "pain", data)
        assert refused.status_code == 429
        assert "Please wait a moment" in refused.get_data(as_text=True)
        assert client.get(f"/i/{first}/step/pain").status_code == 200  # reading is not limited
        assert post_step(client, second, "pain", data).status_code == 303  # another link
        store = limiter.storage  # moving-window events, or fixed-window counters
        keys = " ".join(str(k) for k in [*store.events, *store.storage])
        assert "link:" in keys
        assert first not in keys and second not in keys


def test_step_saves_are_limited_per_address(tmp_path, migrated_template, monkeypatch,
                                            definition, answers):
    with limited_app(tmp_path, migrated_template, monkeypatch,
                     STEP_SAVE_LINK_LIMIT="100 per minute",
                     STEP_SAVE_ADDRESS_LIMIT="4 per minute") as app:
        tokens = [_invite(app, f"Patient {i}") for i in range(5)]
        client = app.test_client()
        data = step_post(definition, "pain", answers)
        statuses = [post_step(client, t, "pain", data).status_code for t in tokens]
        assert statuses == [303, 303, 303, 303, 429]
        other = app.test_client()
        response = other.post(f"/i/{tokens[4]}/step/pain", data=data,
                              environ_base={"REMOTE_ADDR": "192.0.2.9"})
        assert response.status_code == 303


def test_memory_limits_count_without_a_thread_per_hit(tmp_path, migrated_template,
                                                     monkeypatch, definition, answers):
    import limits.storage.memory as memory

    from intake.request_limits import SweptMemoryStorage

    with limited_app(tmp_path, migrated_template, monkeypatch,
                     STEP_SAVE_LINK_LIMIT="3 per minute",
                     STEP_SAVE_ADDRESS_LIMIT="100 per minute") as app:
        assert app.config["RATELIMIT_STORAGE_URI"] == "intake+memory://"
        assert isinstance(limiter.storage, SweptMemoryStorage)
        token = _invite(app, "Threadless Patient")
        client = app.test_client()
        data = step_post(definition, "pain", answers)

        def no_timer(*_args, **_kwargs):
            raise AssertionError("a rate-limit hit started a timer thread")
        monkeypatch.setattr(memory.threading, "Timer", no_timer)
        statuses = [post_step(client, token, "pain", data).status_code for _ in range(4)]
        assert statuses == [303, 303, 303, 429]  # still counted, still refused


def test_memory_limits_still_forget_expired_keys():
    from intake.request_limits import SweptMemoryStorage

    storage = SweptMemoryStorage("intake+memory://")
    storage.incr("old", expiry=-1)   # already expired, never read again
    storage._next_sweep = 0.0        # the sweep is due
    storage.incr("new", expiry=60)
    assert "old" not in storage.storage
    assert storage.storage["new"] == 1


@pytest.mark.parametrize(("configured", "used"), [
    ("memory://", "intake+memory://"),
    ("redis://127.0.0.1:6379/0", "redis://127.0.0.1:6379/0"),
    ("memcached://127.0.0.1:11211", "memcached://127.0.0.1:11211"),
])
def test_only_the_memory_storage_is_replaced(configured, used):
    from intake.request_limits import storage_uri

    assert storage_uri(configured) == used


def test_default_limits_let_a_patient_go_back_and_forth(app):
    from limits import parse_many

    per_link = parse_many(app.config["STEP_SAVE_LINK_LIMIT"])
    # At least one save every 20 seconds for the shortest window, sustained.
    shortest = min(per_link, key=lambda item: item.get_expiry())
    assert shortest.amount / shortest.get_expiry() >= 1 / 20


@pytest.mark.parametrize(("method", "url"), [
    ("get", "/staff/intakes/100000000000000000000"),
    ("get", "/staff/intakes/9223372036854775808"),
    ("get", "/staff/invites/100000000000000000000"),
    ("post", "/staff/intakes/1/flags/100000000000000000000/decision"),
    ("post", "/staff/admin/users/100000000000000000000/reset"),
    ("get", "/staff/intakes/1/documents/100000000000000000000/download"),
    ("get", "/staff/intakes/" + "9" * 5000),
])
def test_a_huge_number_in_a_url_is_a_404(client, make_staff, auth, method, url):
    make_staff("admin", email="admin@example.org")
    auth.login("admin@example.org")
    response = getattr(client, method)(url)
    assert response.status_code == 404
    assert "We could not find that page" in response.get_data(as_text=True)


def test_every_int_url_is_bounded(app):
    from intake.request_limits import INT_MAX, BoundedIntConverter

    for rule in app.url_map.iter_rules():
        for converter in rule._converters.values():
            if isinstance(converter, type(app.url_map.converters["int"])):
                assert isinstance(converter, BoundedIntConverter)
                assert converter.max == INT_MAX


def test_follow_up_step_saves_are_limited_per_link(tmp_path, migrated_template, monkeypatch):
    from visits_support import first_intake, follow_up_answers

    from intake.models import utcnow
    from intake.operations.invites import create_invite, get_clinic
    from intake.questionnaire.follow_up import load_follow_up

    with limited_app(tmp_path, migrated_template, monkeypatch,
                     STEP_SAVE_LINK_LIMIT="2 per minute",
                     STEP_SAVE_ADDRESS_LIMIT="100 per minute") as app:
        session = app.extensions["intake_sessionmaker"]()
        first, _ = create_invite(session, get_clinic(session, create_name="Limited"),
                                 name="Follow Patient", days=14)
        first.mark_submitted(first_intake(), utcnow())
        _, token = create_invite(session, first.clinic, name="x", days=14, follows=first)
        session.commit()
        session.close()
        client = app.test_client()
        data = step_post(load_follow_up(), "changes", follow_up_answers())
        for _ in range(2):
            assert client.post(f"/i/{token}/recheck/step/changes", data=data).status_code == 303
        assert client.post(f"/i/{token}/recheck/step/changes", data=data).status_code == 429
        assert client.get(f"/i/{token}/recheck/step/changes").status_code == 200


def test_language_choices_share_the_step_saves_limit_per_link(tmp_path, migrated_template,
                                                              monkeypatch):
    with limited_app(tmp_path, migrated_template, monkeypatch,
                     STEP_SAVE_LINK_LIMIT="2 per minute",
                     STEP_SAVE_ADDRESS_LIMIT="100 per minute") as app:
        token = _invite(app, "First Patient")
        client = app.test_client()
        for language in ("fr", "en"):
            response = client.post(f"/i/{token}/language", data={"language": language})
            assert response.status_code == 303
        refused = client.post(f"/i/{token}/language", data={"language": "fr"},
                              headers={"Accept-Language": "fr"})
        assert refused.status_code == 429
        assert "Veuillez patienter un instant" in refused.get_data(as_text=True)
