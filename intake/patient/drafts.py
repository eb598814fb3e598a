"""The link's draft: found or refused the same way for both wizards, and, for
a step save, read and locked the way this database locks.

A step save checks the posted form against the saved draft, then writes the
merge. Where a lock holds one row (PostgreSQL, `db.locks_rows`) the save
locks its row at the first read: one SELECT ... FOR UPDATE, no second read.
On SQLite the lock is the whole database's, so the form is checked against
an unlocked read and only the merge and write take the lock (`@reads_first`):
the draft is re-read locked and, if another save (a second tab, a phone
retrying) changed it meanwhile, the form is checked again against what is
saved now, so neither save loses the other's answers. The intake wizard
(routes.step) and the follow-up re-check (follow_up.follow_up_step) both
save through `StepDraft`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from flask import abort, make_response, redirect, render_template, request, url_for

from intake.db import get_session, locks_rows
from intake.i18n.pages import use_language
from intake.models import Intake
from intake.operations.invites import get_clinic, intake_for_token
from intake.operations.submissions import save_step
from intake.patient.language import switch_requested, use_browser_language
from intake.patient.wizard import asks, process_step

#: pages that serve a first intake and a follow-up alike
ANY_KIND = {"patient.done", "patient.copy"}
#: what a step's buttons post as `action`, besides a language switch
ACTIONS = {"next", "back", "later"}

Checked = TypeVar("Checked")


def link_problem(status: int, clinic=None, *, cancelled: bool = False):
    """The friendly page for an unknown (404), expired or cancelled (410) link:
    in the intake's language when the link named one, else the browser's."""
    use_browser_language()
    if clinic is None:
        clinic = get_clinic(get_session())
    page = render_template("patient/link_problem.html", expired=status == 410 and not cancelled,
                           cancelled=cancelled, clinic=clinic)
    abort(make_response(page, status))


def link_intake(token: str, *, lock: bool = False, follow_up: bool = False) -> Intake:
    """The link's intake; a follow-up's link opens the re-check (patient/follow_up.py)
    and a first intake's the questionnaire, whichever URL was used."""
    intake = intake_for_token(get_session(), token, lock=lock)
    if intake is None:
        link_problem(404)
    use_language(intake.language)
    if intake.is_cancelled:
        link_problem(410, intake.clinic, cancelled=True)
    if intake.is_expired():
        link_problem(410, intake.clinic)
    if intake.is_follow_up != follow_up and request.endpoint not in ANY_KIND:
        where = "patient.follow_up" if intake.is_follow_up else "patient.resume"
        abort(redirect(url_for(where, token=token), 303))
    return intake


def draft(token: str, *, lock: bool = False, follow_up: bool = False) -> Intake:
    """The link's intake while it is a draft; once submitted, its done page."""
    intake = link_intake(token, lock=lock, follow_up=follow_up)
    if intake.is_submitted:
        abort(redirect(url_for("patient.done", token=token), 303))
    return intake


class StepDraft:
    """A step view's draft: read once for a page, and for a save locked the
    way this database locks (the module docstring says why)."""

    def __init__(self, token: str, *, follow_up: bool = False) -> None:
        self.token, self.follow_up = token, follow_up
        self.locked = request.method == "POST" and locks_rows()
        if self.locked:
            get_session(write=True)
        self.intake = draft(token, lock=self.locked, follow_up=follow_up)
        self.answers: Mapping[str, Any] = self.intake.answers or {}

    def checked(self, check: Callable[[Mapping[str, Any]], Checked],
                asked: Callable[[Mapping[str, Any]], bool]) -> Checked | None:
        """`check(answers)`, the posted form against the draft the save writes
        over, under the write lock: run on the first read's answers (which the
        view has already found `asked` the step), and again only if the locked
        re-read (SQLite) found them changed; None if the changed draft no
        longer asks the step. Afterwards `intake` is the locked row."""
        result = check(self.answers)
        get_session(write=True)
        if not self.locked:
            self.intake = draft(self.token, lock=True, follow_up=self.follow_up)
            self.locked = True
            if (self.intake.answers or {}) != self.answers:
                self.answers = self.intake.answers or {}
                if not asked(self.answers):
                    return None
                result = check(self.answers)
        return result

    def save(self, definition, step, today, *, next_pressed: bool):
        """The posted step checked against the draft (as `checked` does) and
        merged into it: a ``StepResult``, or None if a save meanwhile hid the
        step. Mistakes are saved too (kept, never screened); the step counts as
        completed only when it is valid and Next was pressed."""
        result = self.checked(
            lambda saved: process_step(definition, step, saved, request.form, today),
            asked=lambda saved: asks(definition, step, saved, today))
        if result is not None:
            save_step(get_session(), self.intake, step.id, result.values, result.drop,
                      completed=result.valid and next_pressed, invalid=result.invalid,
                      step_questions=frozenset(q.id for q in step.questions))
        return result


def posted_action() -> tuple[str, str | None]:
    """The step button pressed, and the language a switch button asks for
    (`action=language:<code>`: saved as "later", then shown in that language);
    anything else posted counts as Next."""
    action = request.form.get("action", "next")
    language = switch_requested(action)
    return (action if action in ACTIONS else "later" if language else "next"), language
