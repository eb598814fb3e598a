"""Invalid answers are kept (issue 12): what the patient typed with a mistake
comes back with its message when the step is reopened, beside the draft and
never in the answers; a valid answer or hiding the question clears it, and a
submitted intake holds none (a CHECK on SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from answers import step_post
from patient_helpers import fill_steps, post_step, stored

pytest_plugins = ["patient_fixtures"]

NEXT_YEAR = str(date.today().year + 1)


def test_an_invalid_birth_date_comes_back_with_its_message(client_nocsrf, token, definition,
                                                           answers, db):
    data = step_post(definition, "about", answers,
                     extra={"about.date_of_birth-year": NEXT_YEAR})
    assert post_step(client_nocsrf, token, "about", {**data, "action": "later"}).status_code == 303
    intake = stored(db, token)
    assert "about.date_of_birth" not in intake.answers  # answers stay valid
    assert intake.draft_invalid["about.date_of_birth"]["about.date_of_birth-year"] == [NEXT_YEAR]
    html = client_nocsrf.get(f"/i/{token}/step/about").get_data(as_text=True)
    assert f'value="{NEXT_YEAR}"' in html
    assert "cannot be in the future" in html and 'id="error-summary"' in html
    assert 'value="Alex Example"' in html  # the valid answers are there too


def test_an_over_long_note_is_kept_and_a_valid_one_clears_it(client_nocsrf, token, definition,
                                                             answers, db):
    fill_steps(client_nocsrf, token, definition, answers, until="medications")
    note = "ibuprofen " * 250  # 2,500 characters, over the 2,000 allowed
    data = step_post(definition, "medications", {**answers, "medications.other": note})
    assert post_step(client_nocsrf, token, "medications", data).status_code == 422
    assert stored(db, token).answers.get("medications.other") != note
    html = client_nocsrf.get(f"/i/{token}/step/medications").get_data(as_text=True)
    assert note.strip() in html and "2000 characters or fewer" in html.replace(",", "")
    data = step_post(definition, "medications", {**answers, "medications.other": "ibuprofen"})
    assert post_step(client_nocsrf, token, "medications", data).status_code == 303
    assert stored(db, token).draft_invalid is None
    html = client_nocsrf.get(f"/i/{token}/step/medications").get_data(as_text=True)
    assert 'id="error-summary"' not in html


def test_kept_input_is_bounded(client_nocsrf, token, definition, answers, db):
    fill_steps(client_nocsrf, token, definition, answers, until="medications")
    data = step_post(definition, "medications", {**answers, "medications.other": "x" * 100_000})
    post_step(client_nocsrf, token, "medications", data)
    kept = stored(db, token).draft_invalid["medications.other"]["medications.other"]
    assert len(kept) == 1 and len(kept[0]) == 5000


def test_hiding_the_question_drops_its_kept_input(client_nocsrf, token, definition, answers, db):
    data = step_post(definition, "about", {**answers, "about.needs_interpreter": "yes"},
                     extra={"about.interpreter_language": "x" * 500})
    assert post_step(client_nocsrf, token, "about", data).status_code == 422
    assert "about.interpreter_language" in stored(db, token).draft_invalid
    data = step_post(definition, "about", {**answers, "about.needs_interpreter": "no"})
    assert post_step(client_nocsrf, token, "about", data).status_code == 303
    assert stored(db, token).draft_invalid is None


def test_submission_clears_kept_input_and_the_database_refuses_it_after(
        client_nocsrf, token, definition, answers, db):
    fill_steps(client_nocsrf, token, definition, answers)
    intake = stored(db, token)
    intake.draft_invalid = {"about.phone": {"about.phone": ["call me maybe"]}}
    db.commit()
    assert client_nocsrf.post(f"/i/{token}/submit").status_code == 303
    intake = stored(db, token)
    assert intake.is_submitted and intake.draft_invalid is None
    with pytest.raises(sa.exc.IntegrityError):
        db.execute(sa.text("UPDATE intakes SET draft_invalid = '{}' WHERE id = :id"),
                   {"id": intake.id})
        db.flush()
    db.rollback()
