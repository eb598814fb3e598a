"""PDF summary benchmark: render time, pages/s, and serving an archived PDF.

    .venv/bin/python benchmarks/pdf.py [--runs 5] [--renders 10]

Renders synthetic summaries of the shipped questionnaire in one warm process
(the first render, which loads fonts and the stylesheet, is left out) and
prints medians; then times GET of an archived PDF through the Flask test
client as a signed-in practitioner. Synthetic data only.
Targets: a 3-4 page summary under 250 ms (median, warm); serving under 20 ms.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def scenarios(definition):
    from intake.documents.samples import demo_answers, sample_summary
    from intake.screening import evaluate

    quiet = demo_answers(definition, {"medications.current": ["none"], "symptoms.fever": "no",
                                      "history.osteoporosis": "no"})
    typical = demo_answers(definition)
    flagged = demo_answers(definition, {
        "symptoms.saddle_numbness": "new", "symptoms.bladder": "new",
        "history.diabetes": "type_2", "history.epilepsy": "yes", "pregnancy.status": "no",
        "needling.fear": "severe", "history.cancer": "in_treatment",
        "history.metal_allergy": "not_sure", "medications.current": ["warfarin", "aspirin"],
    })
    for name, answers in (("quiet", quiet), ("typical", typical), ("many flags", flagged)):
        screening = evaluate(answers).to_dict()
        yield name, sample_summary(answers=answers, screening=screening,
                                   questionnaire_version=definition.version)


def bench_render(runs: int, renders: int) -> None:
    from intake.documents.render import render_pdf, warm_up
    from intake.questionnaire import load_definition

    definition = load_definition()
    warm_up()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"render: {runs} runs x {renders} renders per scenario (warm process; "
          f"{os.cpu_count()} CPUs, load {load:.2f}: wall time suffers under load, cpu less)")
    for name, data in scenarios(definition):
        render_pdf(data, definition)                       # warm this shape
        walls, cpus, pages = [], [], 0
        for _ in range(runs):
            wall, cpu = [], []
            for _ in range(renders):
                start, start_cpu = time.perf_counter(), time.process_time()
                result = render_pdf(data, definition)
                wall.append(time.perf_counter() - start)
                cpu.append(time.process_time() - start_cpu)
            walls.append(statistics.median(wall))
            cpus.append(statistics.median(cpu))
            pages = result.pages
        median, median_cpu = statistics.median(walls), statistics.median(cpus)
        flags = len(data.screening.get("flags", []))
        print(f"  {name:<10} {flags:>2} flags  {pages} pages  median {median * 1000:6.1f} ms"
              f" (cpu {median_cpu * 1000:6.1f} ms)  {pages / median:5.1f} pages/s"
              f"  ({len(result.pdf) // 1024} KiB)")


def bench_serve(requests: int) -> None:
    from intake import create_app, migrate
    from intake.config import test_config
    from intake.db import session_scope
    from intake.documents.pending import add_pending
    from intake.documents.samples import demo_answers
    from intake.models import Document, FlagRecord, ScreeningRecord
    from intake.operations.accounts import create_user
    from intake.operations.invites import create_invite, get_clinic
    from intake.questionnaire import load_definition
    from intake.screening import evaluate

    tmp = Path(tempfile.mkdtemp(prefix="intake-bench-"))
    os.environ["INTAKE_INSTANCE_PATH"] = str(tmp / "instance")
    migrate.upgrade(f"sqlite:///{tmp / 'test.sqlite3'}")
    app = create_app(test_config(tmp))
    definition = load_definition()
    answers = demo_answers(definition)
    screening = evaluate(answers)
    password = "bench-password-long-enough-42"
    with app.app_context(), session_scope(app) as session:
        clinic = get_clinic(session, create_name="Synthetic Physiotherapy")
        intake, _ = create_invite(session, clinic, name="Jordan Sample", days=14)
        intake.questionnaire_version = definition.version
        intake.mark_submitted(answers)
        record = ScreeningRecord(intake=intake, rules_version=screening.rules_version,
                                 questionnaire_version=definition.version, plan={})
        for position, flag in enumerate(screening.flags):
            data = flag.to_dict()
            record.flags.append(FlagRecord(
                position=position, rule_id=flag.rule_id, level=flag.level,
                urgency=flag.urgency, title=flag.title, action=flag.action,
                sources=list(flag.sources), evidence=data["evidence"],
                detail={k: data.get(k) for k in ("why", "site", "uncertain")}))
        session.add(record)
        create_user(session, email="bench@example.org", role="practitioner",
                    password=password, name="Bench Practitioner")
        session.flush()
        add_pending(session, intake.id, "summary")  # rendered when this commits
        intake_id = intake.id
    with app.app_context(), session_scope(app) as session:
        document = session.query(Document).filter_by(intake_id=intake_id).one()
        url = f"/staff/intakes/{intake_id}/documents/{document.id}/download"
        size = document.size
    client = app.test_client()
    page = client.get("/staff/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    client.post("/staff/login", data={"email": "bench@example.org", "password": password,
                                      "csrf_token": token})
    assert client.get(url).status_code == 200
    times = []
    for _ in range(requests):
        start = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200
    print(f"serve: GET archived PDF ({size // 1024} KiB, hash checked, audited) "
          f"median {statistics.median(times) * 1000:.1f} ms over {requests} requests")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--renders", type=int, default=10)
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()
    bench_render(args.runs, args.renders)
    bench_serve(args.requests)


if __name__ == "__main__":
    main()
