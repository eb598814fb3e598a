"""Archive benchmark: the local directory and S3 (moto on loopback) side by side.

    .venv/bin/python benchmarks/archive.py [--runs 30]

Renders one synthetic summary, then times, on both backends in one run:
put, get with the SHA-256 re-check (what a download and verify do), and the
embedded-JSON identity check a download now makes (pypdf). Medians in ms,
with the machine's load. moto is an in-memory stand-in for a real object
store: the S3 column is client and protocol overhead, not network latency.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))


def median_ms(fn, runs: int) -> float:
    fn()                                              # warm (connections, caches)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    runs = parser.parse_args().runs

    from services.s3 import CREDENTIALS, S3Server

    from intake.documents.embedded import identity_of
    from intake.documents.render import render_pdf
    from intake.documents.samples import sample_summary
    from intake.documents.storage import LocalArchive
    from intake.documents.storage.s3 import S3Archive
    from intake.questionnaire import load_definition

    os.environ.update(CREDENTIALS)
    pdf = render_pdf(sample_summary(), load_definition()).pdf
    with tempfile.TemporaryDirectory() as tmp, S3Server() as server:
        s3 = S3Archive.from_config("s3://bench/archive", {"S3_ENDPOINT_URL": server.endpoint_url})
        s3.client.create_bucket(Bucket="bench")
        backends = {"local": LocalArchive(tmp), "s3": s3}
        print(f"archive: one {len(pdf) // 1024} KiB summary, median of {runs} "
              f"({os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f})")
        for name, archive in backends.items():
            sha = archive.put(pdf).sha256
            put = median_ms(lambda a=archive: a.put(pdf), runs)
            get = median_ms(lambda a=archive, s=sha: a.open_verified(s), runs)
            print(f"  {name:<5} put {put:6.2f} ms   get+verify {get:6.2f} ms")
        print(f"  embedded identity (pypdf) {median_ms(lambda: identity_of(pdf), runs):6.2f} ms")
    print("uptime:", os.popen("uptime").read().strip())  # noqa: S605


if __name__ == "__main__":
    main()
