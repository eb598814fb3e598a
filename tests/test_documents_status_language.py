"""A summary's status on staff pages in the reader's language (issue 14):
the headline and its advice are Messages, French on a French user's page,
English on an English one and wherever they are read as text (the CLI)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from documents_helpers import docs_app_fixture, store_submission  # noqa: F401

from intake.documents.status import state_of
from intake.jobs import jobs_for
from intake.models import Document, utcnow


@pytest.fixture
def unfinished(docs_app, db, make_invite):
    """unfinished(status, attempts, minutes_ago) -> the intake id of one such summary."""
    jobs_for(docs_app).huey.immediate = False    # no worker touches the row

    def _make(status: str, attempts: int = 0, minutes_ago: int = 0) -> int:
        intake_id = store_submission(db, make_invite)
        db.add(Document(intake_id=intake_id, kind="summary", version=1, status=status,
                        attempts=attempts,
                        created_at=utcnow() - timedelta(minutes=minutes_ago)))
        db.commit()
        return intake_id

    return _make


def _intake_page(db, auth, make_staff, intake_id: int, language: str | None) -> str:
    user = make_staff("practitioner")
    user.language = language
    db.commit()
    auth.login(user.email)
    response = auth._client.get(f"/staff/intakes/{intake_id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.mark.parametrize(("attempts", "french"), [
    (1, "la génération a échoué (1 tentative)"),
    (2, "la génération a échoué (2 tentatives)"),
])
def test_a_failing_summary_is_explained_in_french(unfinished, db, auth, make_staff,
                                                  attempts, french):
    page = _intake_page(db, auth, make_staff, unfinished("failed", attempts), "fr")
    assert french in page
    assert "Une nouvelle tentative est faite automatiquement" in page
    assert "rendering failed" not in page and "retried automatically" not in page


def test_a_delayed_summary_is_explained_in_french(unfinished, db, auth, make_staff):
    page = _intake_page(db, auth, make_staff, unfinished("pending", minutes_ago=11), "fr")
    assert "en retard</span>." in page
    assert "La préparation prend plus de temps que d’habitude. Une nouvelle tentative" in page
    assert ">delayed<" not in page and "Taking longer" not in page


def test_a_summary_being_prepared_says_so_in_french(unfinished, db, auth, make_staff):
    page = _intake_page(db, auth, make_staff, unfinished("pending"), "fr")
    assert "résumé en préparation" in page and "summary being prepared" not in page


def test_an_english_user_still_reads_english(unfinished, db, auth, make_staff):
    page = _intake_page(db, auth, make_staff, unfinished("failed", 2), "en")
    assert "rendering failed (2 attempts)" in page and "tentative" not in page


def test_the_download_refusal_is_in_french(unfinished, db, auth, make_staff):
    intake_id = unfinished("failed", 3)
    _intake_page(db, auth, make_staff, intake_id, "fr")
    document = db.query(Document).filter_by(intake_id=intake_id).one()
    db.commit()
    response = auth._client.get(
        f"/staff/intakes/{intake_id}/documents/{document.id}/download")
    assert response.status_code == 409
    text = response.get_data(as_text=True)
    assert "Ce résumé n’est pas prêt\u00a0: la génération a échoué (3 tentatives)." in text


def test_the_words_stay_english_as_text(docs_app):
    """The CLI and logs read a State as plain English, as before."""
    failed = Document(status="failed", attempts=1, created_at=utcnow())
    delayed = Document(status="pending", attempts=0,
                       created_at=utcnow() - timedelta(minutes=11))
    with docs_app.app_context():
        assert state_of(failed).headline == "rendering failed (1 attempt)"
        assert state_of(delayed).detail.startswith("Taking longer than usual. It is retried")


def test_a_counted_message_keeps_its_plural_when_copied():
    """NN_ picks the English form now and the reader's plural later, also after
    a copy or a pickle (a job's payload)."""
    import copy
    import pickle

    from intake.i18n.messages import NN_, translate

    one = NN_("rendering failed (%(num)d attempt)", "rendering failed (%(num)d attempts)", 1)
    zero = NN_("rendering failed (%(num)d attempt)", "rendering failed (%(num)d attempts)", 0)
    assert (one, zero) == ("rendering failed (1 attempt)", "rendering failed (0 attempts)")
    for message in (zero, copy.copy(zero), pickle.loads(pickle.dumps(zero))):  # noqa: S301
        assert translate(message, "fr") == "la génération a échoué (0 tentative)"
        assert str(message) == "rendering failed (0 attempts)"
