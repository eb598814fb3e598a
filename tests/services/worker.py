"""`intake worker` as a subprocess, for fault tests and benchmarks.

    with Worker(env, folder) as worker:      # INTAKE_* settings in env
        ...
        worker.kill()                        # SIGKILL, as a crash would
        worker.start()                       # and up again

`start` returns once the consumer is running (it prints its start line).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from services.ports import stop, wait_until  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent.parent
INTAKE = str(Path(sys.executable).parent / "intake")
READY_LINE = "intake worker:"


class Worker:
    def __init__(self, env: Mapping[str, str], directory: Path, *, workers: int = 1) -> None:
        self.env = dict(env)
        self.directory = Path(directory)
        self.workers = workers
        self.process: subprocess.Popen | None = None
        self.output = self.directory / "worker.out"

    def start(self) -> Worker:
        self.directory.mkdir(parents=True, exist_ok=True)
        offset = self.output.stat().st_size if self.output.exists() else 0
        with self.output.open("ab") as out:
            self.process = subprocess.Popen(
                [INTAKE, "worker", "--workers", str(self.workers)], cwd=ROOT,
                env={**os.environ, **self.env, "PYTHONUNBUFFERED": "1"},
                stdout=out, stderr=subprocess.STDOUT)

        def ready() -> bool:
            with self.output.open("rb") as fh:
                fh.seek(offset)
                return READY_LINE.encode() in fh.read()

        wait_until(ready, self.process, "intake worker", 120)
        return self

    def kill(self) -> None:
        """SIGKILL: no clean-up, whatever job is in hand is cut off."""
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(30)

    def log_tail(self, lines: int = 40) -> str:
        text = self.output.read_text(errors="replace") if self.output.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        if self.process is not None:
            stop(self.process, timeout=30)

    def __enter__(self) -> Worker:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def kill_tree(process: subprocess.Popen) -> None:
    """SIGKILL a process and its children (gunicorn's master and its workers)."""
    children = []
    try:
        for task in Path(f"/proc/{process.pid}/task").iterdir():
            children += (task / "children").read_text().split()
    except OSError:
        pass
    for pid in [process.pid, *map(int, children)]:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    process.wait(30)
