"""gunicorn with the shipped gunicorn.conf.py on a free loopback port.

For tests and benchmarks that need the real server: several worker processes,
gunicorn's own access log, the configured logger class. The environment is
the caller's (INTAKE_* settings) plus INTAKE_BIND and INTAKE_ACCESS_LOG.

    with Gunicorn(env, tmp_path) as server:
        urlopen(server.url + "/")
        server.access_log.read_text()
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from services.ports import free_port, stop, wait_until  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent.parent
CONFIG = ROOT / "gunicorn.conf.py"


def _answers(url: str) -> bool:
    with contextlib.suppress(urllib.error.HTTPError):  # any HTTP answer means it is up
        urllib.request.urlopen(url, timeout=5).close()  # noqa: S310 (loopback only)
    return True


class Gunicorn:
    def __init__(self, env: Mapping[str, str], directory: Path, *,
                 app: str | None = None, args: Sequence[str] = (),
                 ready_path: str = "/") -> None:
        self.env = dict(env)
        self.directory = Path(directory)
        self.app, self.args, self.ready_path = app, list(args), ready_path
        self.port: int | None = None
        self.process: subprocess.Popen | None = None
        self.access_log = self.directory / "access.log"
        self.output = self.directory / "gunicorn.out"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> Gunicorn:
        self.directory.mkdir(parents=True, exist_ok=True)
        for _attempt in range(5):
            self.port = free_port()
            env = {**os.environ, **self.env, "INTAKE_BIND": f"127.0.0.1:{self.port}",
                   "INTAKE_ACCESS_LOG": str(self.access_log)}
            command = [sys.executable, "-m", "gunicorn", "-c", str(CONFIG), *self.args]
            if self.app:
                command.append(self.app)
            with self.output.open("ab") as out:
                self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out,
                                                stderr=subprocess.STDOUT)
            try:
                wait_until(lambda: _answers(self.url + self.ready_path), self.process,
                           "gunicorn", 90)
                return self
            except RuntimeError:
                stop(self.process)
                if "in use" not in self.output.read_text(errors="replace"):
                    raise RuntimeError(f"gunicorn did not start:\n{self.log_tail()}") from None
        raise RuntimeError("gunicorn found no free port")

    def log_tail(self, lines: int = 40) -> str:
        text = self.output.read_text(errors="replace") if self.output.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def access_lines(self, wait: float = 5.0) -> list[str]:
        """The access log so far; lines are written after each response, so wait a moment
        for the last one."""
        deadline = time.monotonic() + wait
        text = ""
        while time.monotonic() < deadline:
            text = self.access_log.read_text() if self.access_log.exists() else ""
            if text.endswith("\n"):
                break
            time.sleep(0.05)
        return text.splitlines()

    def stop(self) -> None:
        if self.process is not None:
            stop(self.process, timeout=40)

    def __enter__(self) -> Gunicorn:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
