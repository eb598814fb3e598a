"""One patient, many visits: the date of birth, finding a patient, follow-up
invites (CLI) and linking a returning patient."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import func, select
from staff_helpers import baseline_answers, submitted_intake
from visit_helpers import visit, walk_in

from intake.cli import main
from intake.models import Intake, IntakeKind, Patient
from intake.operations import patients
from intake.operations.invites import create_invite, get_clinic
from intake.operations.submissions import submit_intake

LINK = re.compile(r"/i/([A-Za-z0-9_-]{40,})")


def test_submitting_records_the_patients_date_of_birth(app, db, clinic, make_invite):
    intake, _ = make_invite(name="Robin Synthetic")
    intake.answers = baseline_answers(**{"about.date_of_birth": "1975-11-30"})
    db.commit()
    with app.app_context():
        submit_intake(db, intake)
    db.commit()
    assert intake.patient.date_of_birth == date(1975, 11, 30)


def test_a_later_visit_does_not_overwrite_the_date_of_birth(db, clinic):
    first = visit(db, clinic, born="1980-04-02")
    again = submitted_intake(db, clinic, answers=baseline_answers(
        **{"about.date_of_birth": "1981-01-01"}))
    again.patient = first.patient
    patients.record_date_of_birth(again)
    assert first.patient.date_of_birth == date(1980, 4, 2)


def test_find_by_name_and_date_of_birth(db, clinic):
    robin = visit(db, clinic, name="Robin Synthetic", born="1980-04-02")
    visit(db, clinic, name="Robin Synthetic", born="1990-07-07")
    visit(db, clinic, name="Kim Other", born="1980-04-02")
    found = patients.find_patients(db, clinic, name="robin synth",
                                   date_of_birth=date(1980, 4, 2))
    assert [f.patient.id for f in found] == [robin.patient_id]
    assert found[0].visits == 1
    assert len(patients.find_patients(db, clinic, name="Robin")) == 2
    assert len(patients.find_patients(db, clinic, name="Ro")) == 2  # below trigram length
    assert len(patients.find_patients(db, clinic, date_of_birth=date(1980, 4, 2))) == 2
    assert patients.find_patients(db, clinic) == []
    assert patients.find_patients(db, clinic, name="Nobody") == []


def test_a_returning_patient_invited_again_is_linked_not_duplicated(db, clinic):
    first = visit(db, clinic)
    again, _ = create_invite(db, clinic, name="ignored", days=14, patient=first.patient)
    db.commit()
    assert again.patient_id == first.patient_id
    assert again.kind == IntakeKind.FIRST and again.follows_id is None
    assert db.scalar(select(func.count()).select_from(Patient)) == 1
    assert [i.id for i in patients.visits(db, first.patient)] == [again.id, first.id]


def test_cli_follow_up_of_a_submitted_intake(runner, db, clinic):
    first = visit(db, clinic)
    result = runner.invoke(main, ["invite", "--follow-up-of", str(first.id)])
    assert result.exit_code == 0, result.output
    assert LINK.search(result.output)
    follow = db.scalars(select(Intake).where(Intake.id != first.id)).one()
    assert follow.kind == IntakeKind.FOLLOW_UP and follow.is_follow_up
    assert follow.follows_id == first.id
    assert follow.patient_id == first.patient_id
    assert db.scalar(select(func.count()).select_from(Patient)) == 1


def test_cli_follow_up_refuses_an_unsubmitted_intake(runner, db, clinic, make_invite):
    open_intake, _ = make_invite()
    result = runner.invoke(main, ["invite", "--follow-up-of", str(open_intake.id)])
    assert result.exit_code == 1
    assert "not submitted" in result.output
    assert db.scalar(select(func.count()).select_from(Intake)) == 1


def test_cli_follow_up_refuses_another_clinics_and_unknown_intakes(runner, db, clinic):
    from intake.models import Clinic

    other = Clinic(name="Other Clinic")
    db.add(other)
    db.flush()
    theirs = visit(db, other)
    assert get_clinic(db).id == clinic.id
    db.commit()
    for intake_id in (theirs.id, 9999):
        result = runner.invoke(main, ["invite", "--follow-up-of", str(intake_id)])
        assert result.exit_code == 1
        assert f"no intake {intake_id} in this clinic" in result.output
    assert db.scalar(select(func.count()).select_from(Intake)) == 1


def test_cli_follow_up_refuses_a_name(runner, db, clinic):
    first = visit(db, clinic)
    result = runner.invoke(main, ["invite", "--follow-up-of", str(first.id), "--name", "X"])
    assert result.exit_code == 2
    assert db.scalar(select(func.count()).select_from(Intake)) == 1


def test_a_walk_in_matching_name_and_birth_date_is_offered(db, clinic):
    known = visit(db, clinic, name="Robin Synthetic")
    visit(db, clinic, name="Robin Synthetic", born="1999-09-09")
    arrived = walk_in(db, clinic, name="  robin  SYNTHETIC ")
    match = patients.possible_match(db, arrived)
    assert match is not None and match.patient.id == known.patient_id and match.visits == 1
    assert patients.possible_match(db, walk_in(db, clinic, name="Robin Other")) is None
    assert patients.possible_match(db, walk_in(db, clinic, born="1970-01-01")) is None
    # the known patient's own intake is not a match for itself
    assert patients.possible_match(db, known) is None


def test_confirming_moves_the_visit_and_audits_ids_only(db, clinic):
    from intake.models import AuditEvent

    known = visit(db, clinic)
    arrived = walk_in(db, clinic)
    stray = arrived.patient_id
    patients.confirm_match(db, arrived, known.patient_id, actor_id=None)
    db.commit()
    assert arrived.patient_id == known.patient_id
    assert db.get(Patient, stray) is None
    assert len(patients.visits(db, known.patient)) == 2
    event = db.scalars(select(AuditEvent).where(AuditEvent.action == "patient.link")).one()
    assert event.intake_id == arrived.id
    assert event.detail == {"patient_id": known.patient_id, "replaced_patient_id": stray}
    assert "Robin" not in str(event.detail) and "1980" not in str(event.detail)
    assert patients.possible_match(db, arrived) is None


def test_confirming_another_patient_than_the_match_is_refused(db, clinic):
    import pytest

    visit(db, clinic)
    other = visit(db, clinic, name="Kim Other")
    arrived = walk_in(db, clinic)
    with pytest.raises(patients.NoMatch):
        patients.confirm_match(db, arrived, other.patient_id, actor_id=None)


def test_a_dismissed_match_is_not_offered_again(db, clinic):
    known = visit(db, clinic)
    arrived = walk_in(db, clinic)
    patients.dismiss_match(db, arrived, known.patient_id, actor_id=None)
    db.commit()
    assert patients.possible_match(db, arrived) is None
    assert arrived.patient_id != known.patient_id


def nameless_walk_in(db, clinic, name="Robin Synthetic"):
    """A walk-in submitted before any patient record was made for them."""
    from staff_helpers import baseline_answers

    from intake.models import utcnow
    from intake.operations.invites import start_intake

    intake, _ = start_intake(db, clinic, days=1)
    intake.mark_submitted(baseline_answers(**{"about.full_name": name}), utcnow())
    db.commit()
    return intake


def test_a_walk_in_without_a_record_is_matched_by_the_typed_answers(db, clinic):
    known = visit(db, clinic, born="1980-04-02")
    arrived = nameless_walk_in(db, clinic)
    assert patients.possible_match(db, arrived).patient.id == known.patient_id
    patients.confirm_match(db, arrived, known.patient_id, actor_id=None)
    db.commit()
    assert arrived.patient_id == known.patient_id
    assert db.scalar(select(func.count()).select_from(Patient)) == 1


def test_dismissing_a_walk_in_without_a_record_gives_them_one(db, clinic):
    known = visit(db, clinic, born="1980-04-02")
    arrived = nameless_walk_in(db, clinic)
    patients.dismiss_match(db, arrived, known.patient_id, actor_id=None)
    db.commit()
    assert arrived.patient.display_name == "Robin Synthetic"
    assert arrived.patient.date_of_birth == date(1980, 4, 2)
    assert patients.possible_match(db, arrived) is None


def test_db_upgrade_fills_in_the_dates_of_birth_submitted_before(runner, db, clinic):
    old = submitted_intake(db, clinic, answers=baseline_answers(
        **{"about.date_of_birth": "1966-06-06"}))
    patient_id = old.patient_id
    db.commit()
    result = runner.invoke(main, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert "1 patient record(s) now have their date of birth" in result.output
    db.expire_all()
    assert db.get(Patient, patient_id).date_of_birth == date(1966, 6, 6)
    db.rollback()
    again = runner.invoke(main, ["db", "upgrade"])
    assert "date of birth" not in again.output
