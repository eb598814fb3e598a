"""How tall the health questions are on a phone (issue 12: under 6,000 px).

A page height, not a timing: the same on a busy machine. The app runs on a
fresh migrated SQLite database in a temporary folder, served by werkzeug in a
thread on 127.0.0.1 (a free port, stopped at the end); one invite whose draft
holds a patient's answers up to and including the health questions, with
three "yes" answers on them, each with its "where?" (broken skin, an
implant, a knee replacement: the browser test's patient). Debian's Chromium
opens each step whose questions are health questions (ids "history.*": the
step `history` and any step that continues it) at 390x844 and prints

    step <id> (<title>): H px at 390x844, Q questions shown

    .venv/bin/python benchmarks/page_height.py [--width 390] [--height 844] [--png DIR]

To measure another checkout, put its folder first: PYTHONPATH=/path/to/it.
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
import threading
from datetime import date
from pathlib import Path

import intake

ROOT = Path(intake.__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests")]

from answers import save_steps, valid_answers  # noqa: E402
from browser_support import CHROMIUM_ARGS, require_chromium  # noqa: E402

#: the browser test's patient (tests/browser/test_patient_flow.py)
THREE_YES = {
    "about.sex_at_birth": "female", "pregnancy.status": "no",
    "history.skin_problem": "yes", "history.skin_problem_regions": ["right_forearm_hand"],
    "history.cosmetic_implant": "yes", "history.cosmetic_implant_regions": ["left_chest"],
    "history.joint_replacement": "yes",
    "history.joint_replacement_regions": ["left_knee", "right_knee"],
}


def health_steps(definition) -> list:
    return [s for s in definition.steps if any(q.id.startswith("history.") for q in s.questions)]


def seed(app, definition) -> str:
    """An invite whose draft is filled up to the last health step."""
    from intake.operations.invites import create_invite, get_clinic, intake_for_token

    answers = valid_answers(definition, overrides=THREE_YES)
    last = health_steps(definition)[-1]
    with app.app_context():
        session = app.extensions["intake_sessionmaker"]()
        clinic = get_clinic(session, create_name="Bench Clinic")
        _, token = create_invite(session, clinic, name="Alex Example", days=14)
        save_steps(intake_for_token(session, token), definition, answers, until=last.id,
                   including=True)
        session.commit()
        session.close()
    return token


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--width", type=int, default=390)
    parser.add_argument("--height", type=int, default=844)
    parser.add_argument("--png", type=Path, help="also save a full-page screenshot of each step")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright
    from werkzeug.serving import make_server

    from intake import create_app
    from intake.config import test_config
    from intake.migrate import upgrade
    from intake.questionnaire import load_definition

    definition = load_definition()
    with tempfile.TemporaryDirectory() as folder:
        config = test_config(Path(folder))
        upgrade(config["DATABASE_URL"])
        app = create_app(config)
        token = seed(app, definition)
        logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no access log
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        base = f"http://127.0.0.1:{server.server_port}"
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=require_chromium(),
                                                     args=CHROMIUM_ARGS)
                page = browser.new_page(viewport={"width": args.width, "height": args.height})
                for step in health_steps(definition):
                    page.goto(f"{base}/i/{token}/step/{step.id}")
                    page.wait_for_load_state("load")
                    height = page.evaluate("document.documentElement.scrollHeight")
                    shown = page.locator("main .question:visible").count()
                    print(f"step {step.id} ({step.title}): {height} px at "
                          f"{args.width}x{args.height}, {shown} questions shown")
                    if args.png:
                        args.png.mkdir(parents=True, exist_ok=True)
                        page.screenshot(path=str(args.png / f"{step.id}.png"), full_page=True)
                browser.close()
        finally:
            server.shutdown()
            thread.join(timeout=5)
            app.extensions["intake_engine"].dispose()
    print(f"(today {date.today().isoformat()}; three \"yes\" answers with their \"where?\")")
    return 0


if __name__ == "__main__":
    sys.exit(main())
