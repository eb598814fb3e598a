"""PDF summary benchmark: WeasyPrint against warm Chromium, memory, serving.

    .venv/bin/python benchmarks/pdf.py [--quick] [--rounds 15] [--rss 50 300]

For each synthetic scenario (quiet, typical, many flags, and the typical one
reviewed: a practitioner's plan, a decision per flag, the plan history),
renders the very same summary HTML (the
project's `summary_source`) with the project's `render_pdf` and with warm
headless Chromium (Debian's /usr/bin/chromium through Playwright,
`page.pdf()`), interleaved one for one so that load on a shared machine hits
both alike, and prints the medians:

    pdf <scenario>: weasyprint W ms, chromium C ms, ratio R

Then renders the typical summary again and again in a fresh process (so
Playwright's own memory is not counted) and prints its RSS after 50 and
after 300 renders; then times GET of an archived PDF through the Flask
test client as a signed-in practitioner. Synthetic data only.
Targets: ratio at most 2.0 for "typical" and "many flags"; RSS growth from
50 to 300 renders under 10 MiB. Needs Debian's chromium (`make browser`).
Under heavy load, read the cpu line: wall time then favours Chromium, whose
several processes each get a share of the CPUs.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
MEMORY_SCENARIO = "typical"


def scenarios(definition):
    from intake.documents.samples import demo_answers, sample_summary
    from intake.screening import evaluate

    quiet = demo_answers(definition, today=date.today(), overrides={
        "medications.current": ["none"], "symptoms.fever": "no", "history.osteoporosis": "no"})
    typical = demo_answers(definition, today=date.today())
    flagged = demo_answers(definition, today=date.today(), overrides={
        "symptoms.saddle_numbness": "new", "symptoms.bladder": "new",
        "history.diabetes": "type_2", "history.epilepsy": "yes", "pregnancy.status": "no",
        "needling.fear": "severe", "history.cancer": "in_treatment",
        "history.metal_allergy": "not_sure", "medications.current": ["warfarin", "aspirin"],
    })
    for name, answers in (("quiet", quiet), ("typical", typical), ("many flags", flagged)):
        screening = evaluate(answers, today=date.today()).to_dict()
        yield name, sample_summary(answers=answers, screening=screening,
                                   questionnaire_version=definition.version)
    yield "reviewed", reviewed(typical, evaluate, definition)


def reviewed(answers, evaluate, definition):
    """The typical summary after sign-off: a practitioner's plan, screened
    again, a decision per flag and the plan history."""
    from intake.documents.samples import sample_summary
    from intake.screening.plan import TARGET_LABELS

    plan = {"regions": ["left_lower_back", "left_buttock"], "electrical_stimulation": True,
            "noncompressible_targets": sorted(TARGET_LABELS)[:1]}
    screening = evaluate(answers, today=date.today(), plan=plan).to_dict()
    at = "2026-11-23T14:{:02d}:00+00:00".format
    decisions = [{"rule_id": flag["rule_id"], "title": flag["title"],
                  "decision": "Proceed with changes", "note": "Light technique, checked INR",
                  "decided_by": "Dr Synthetic", "decided_at": at(10 + index)}
                 for index, flag in enumerate(screening["flags"])]
    review = {"decisions": decisions, "signed_off_by": "Dr Synthetic",
              "signed_off_at": at(40),
              "plans": [{"default": True, "by": None, "at": at(0),
                         "plan": {"regions": answers.get("pain.regions", [])}},
                        {"default": False, "by": "Dr Synthetic", "at": at(5), "plan": plan}]}
    return sample_summary(answers=answers, screening=screening, review=review,
                          kind="reviewed_summary", version=2,
                          questionnaire_version=definition.version)


class AssetServer:
    """The shipped assets and each scenario's HTML over HTTP on 127.0.0.1 (a
    free port), cacheable, so that warm Chromium keeps the fonts and the
    stylesheet between renders as a warm WeasyPrint process does."""

    def __init__(self) -> None:
        import http.server
        import threading

        from intake.documents.assets import shipped_assets

        self.files: dict[str, tuple[str, bytes]] = dict(shipped_assets())
        files = self.files

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - the http.server API
                mime, body = files.get(self.path.lstrip("/"), ("text/plain", b""))
                self.send_response(200 if body else 404)
                self.send_header("Content-Type", mime)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "public, max-age=86400, immutable")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def publish(self, name: str, source) -> str:
        """The URL of `source`'s HTML, its stylesheet linked and assets served."""
        from intake.documents.assets import SCHEME

        slug = re.sub(r"\W+", "-", name)
        for asset, (mime, body) in source.assets.items():
            self.files[f"{slug}/{asset}"] = (mime, body)
        html = source.html.replace(f'"{SCHEME}', f'"{self.base}{slug}/')
        link = f'<link rel="stylesheet" href="{self.base}css/pdf.css">'
        self.files[f"{slug}.html"] = ("text/html; charset=utf-8",
                                      html.replace("</head>", link + "</head>", 1).encode())
        css = self.files["css/pdf.css"][1].decode().replace(f'"{SCHEME}', f'"{self.base}')
        self.files["css/pdf.css"] = ("text/css", css.encode())
        return f"{self.base}{slug}.html"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def chromium_cpu() -> float:
    """CPU seconds used so far by this process's Chromium descendants (Linux).

    On a shared machine wall time is unfair to a one-process renderer: with
    many runnable processes, Chromium's browser, renderer and utility
    processes get a share of the CPUs each. Their CPU time, like WeasyPrint's
    process time, is what the render costs whatever the load.
    """
    parents, names, ticks = {}, {}, {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            raw = stat.read_text()
        except OSError:
            continue                                   # exited meanwhile
        pid = int(raw[:raw.index(" ")])
        name, rest = raw[raw.index("(") + 1:raw.rindex(")")], raw[raw.rindex(")") + 2:].split()
        parents[pid], names[pid], ticks[pid] = int(rest[1]), name, int(rest[11]) + int(rest[12])
    mine, total = {os.getpid()}, 0
    for pid in sorted(parents):                        # children have larger pids, mostly
        chain, seen = pid, set()
        while chain in parents and chain not in mine and chain not in seen:
            seen.add(chain)
            chain = parents[chain]
        if chain in mine:
            mine.add(pid)
            total += ticks[pid] if names[pid].startswith("chrom") else 0
    return total / os.sysconf("SC_CLK_TCK")


def _median_ms(values: list[float]) -> float:
    return statistics.median(values) * 1000


def bench_compare(rounds: int, warm: int) -> None:
    from playwright.sync_api import sync_playwright

    from intake.documents.render import render_pdf, summary_source, warm_up
    from intake.questionnaire import load_definition

    definition = load_definition()
    warm_up()
    print(f"compare: {rounds} interleaved rounds per scenario after {warm} warm-up renders "
          f"each; {os.cpu_count()} CPUs, {_uptime()}")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()

        server = AssetServer()

        def chromium(url: str) -> bytes:
            page.goto(url, wait_until="load")
            return page.pdf(format="A4", prefer_css_page_size=True, print_background=True)

        for name, data in scenarios(definition):
            html = server.publish(name, summary_source(data, definition))
            for _ in range(warm):
                result = render_pdf(data, definition)
                chromium(html)
            weasy, weasy_cpu, chrome, chrome_cpu = [], [], [], []
            for index in range(rounds):
                for engine in (("w", "c") if index % 2 == 0 else ("c", "w")):
                    start, start_cpu = time.perf_counter(), time.process_time()
                    if engine == "w":
                        result = render_pdf(data, definition)
                        weasy_cpu.append(time.process_time() - start_cpu)
                        weasy.append(time.perf_counter() - start)
                    else:
                        before = chromium_cpu()
                        start = time.perf_counter()
                        chrome_pdf = chromium(html)
                        chrome.append(time.perf_counter() - start)
                        chrome_cpu.append(chromium_cpu() - before)
            w, c = _median_ms(weasy), _median_ms(chrome)
            print(f"pdf {name}: weasyprint {w:.0f} ms, chromium {c:.0f} ms, ratio {w / c:.2f}")
            wc, cc = _median_ms(weasy_cpu), _median_ms(chrome_cpu)
            flags = len(data.screening.get("flags", []))
            chrome_pages = chrome_pdf.count(b"/Type /Page") - chrome_pdf.count(b"/Type /Pages")
            print(f"    cpu: weasyprint {wc:.0f} ms, chromium {cc:.0f} ms, ratio {wc / cc:.2f}; "
                  f"{flags} flags, {result.pages} pages ({len(result.pdf) // 1024} KiB) "
                  f"against {chrome_pages} ({len(chrome_pdf) // 1024} KiB)")
        browser.close()
        server.close()


def rss_mib() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def memory_child(marks: list[int]) -> None:
    """Runs in its own process: RSS after each mark of renders."""
    from intake.documents.render import render_pdf, warm_up
    from intake.questionnaire import load_definition

    definition = load_definition()
    warm_up()
    data = dict(scenarios(definition))[MEMORY_SCENARIO]
    done = 0
    start = time.perf_counter()
    for mark in sorted(marks):
        while done < mark:
            render_pdf(data, definition)
            done += 1
        print(f"rss after {mark} renders: {rss_mib():.1f} MiB", flush=True)
    print(f"    {done} renders, {(time.perf_counter() - start) / done * 1000:.0f} ms each "
          f"(mean wall, incl. the first)", flush=True)


def bench_memory(marks: list[int]) -> None:
    print(f"memory: the {MEMORY_SCENARIO} summary rendered {max(marks)} times in a fresh "
          f"process; {_uptime()}", flush=True)
    out = subprocess.run([sys.executable, __file__, "--memory-child", *map(str, marks)],
                         check=True, capture_output=True, text=True).stdout
    print(out, end="")
    found = [float(v) for v in re.findall(r"rss after \d+ renders: ([\d.]+) MiB", out)]
    if len(found) >= 2:
        print(f"rss growth {min(marks)} -> {max(marks)} renders: {found[-1] - found[0]:.1f} MiB")


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
    answers = demo_answers(definition, today=date.today())
    screening = evaluate(answers, today=date.today())
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
          f"median {_median_ms(times):.1f} ms over {requests} requests")


def _uptime() -> str:
    load = os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3
    return "load average " + ", ".join(f"{value:.2f}" for value in load)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="fewer rounds and renders (5 rounds; RSS after 10 and 60)")
    parser.add_argument("--rounds", type=int, help="interleaved rounds per scenario (15)")
    parser.add_argument("--rss", type=int, nargs=2, metavar=("FIRST", "LAST"),
                        help="RSS marks in renders (50 300)")
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--skip", choices=("compare", "memory", "serve"), action="append",
                        default=[])
    parser.add_argument("--memory-child", type=int, nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_child:
        memory_child(args.memory_child)
        return
    rounds = args.rounds or (5 if args.quick else 15)
    marks = args.rss or ([10, 60] if args.quick else [50, 300])
    if "compare" not in args.skip:
        bench_compare(rounds, warm=2 if args.quick else 3)
    if "memory" not in args.skip:
        bench_memory(marks)
    if "serve" not in args.skip:
        bench_serve(10 if args.quick else args.requests)


if __name__ == "__main__":
    main()
