"""A throwaway PostgreSQL cluster for tests and benchmarks.

Debian's `postgresql` package puts `initdb` and `pg_ctl` under
/usr/lib/postgresql/<major>/bin and starts no server we may rely on, so this
module makes its own: a fresh data directory in a temporary folder, a free
loopback port, trust authentication for loopback and the unix socket (which
lives in the same folder), and settings that trade durability for speed (a
crashed test cluster is thrown away anyway). PostgreSQL refuses to run as
root, which is what CI runs as: then the server runs as the `postgres` system
user that Debian's package creates.

As a module::

    with PostgresCluster() as pg:
        url = pg.url("mydb")     # postgresql+psycopg://postgres@127.0.0.1:PORT/mydb

As a script::

    python tests/services/postgres.py run -- pytest -q

starts a cluster, runs the command with INTAKE_TEST_DATABASE_URL set to the
cluster's `postgres` database, stops the cluster and exits with the command's
status.
"""

from __future__ import annotations

import argparse
import contextlib
import glob
import os
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from services.ports import free_port  # noqa: E402

SUPERUSER = "postgres"
ENV_VAR = "INTAKE_TEST_DATABASE_URL"
# Durability off: the cluster lives for one run. More connections than the
# default: every test app has a pool, and browser tests serve from threads.
SERVER_SETTINGS = {
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "200",
    "shared_buffers": "64MB",
    "log_min_messages": "warning",
    "logging_collector": "off",
    # CREATE DATABASE ... TEMPLATE (one per test) writes no WAL for the copy.
    "wal_level": "minimal",
    "max_wal_senders": "0",
}


class PostgresUnavailable(RuntimeError):
    """PostgreSQL's server binaries are not installed."""


def find_bindir() -> Path:
    """The newest /usr/lib/postgresql/<major>/bin, or $INTAKE_PG_BINDIR."""
    override = os.environ.get("INTAKE_PG_BINDIR")
    candidates = [override] if override else sorted(
        glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name)
        if Path(p).parent.name.isdigit() else 0,
    )
    for path in reversed(candidates):
        if (Path(path) / "initdb").exists() and (Path(path) / "pg_ctl").exists():
            return Path(path)
    raise PostgresUnavailable(
        "PostgreSQL server binaries not found (install Debian's postgresql package)"
    )


def _scratch_dir() -> str | None:
    """Memory-backed /dev/shm when there is one: the cluster is thrown away
    anyway, and copying a template database per test is then no disk I/O."""
    shm = Path("/dev/shm")  # noqa: S108
    return str(shm) if shm.is_dir() and os.access(shm, os.W_OK) else None


class PostgresCluster:
    """Start with `start()` (or `with`), stop with `stop()`; idempotent."""

    def __init__(self, bindir: Path | None = None) -> None:
        self.bindir = bindir or find_bindir()
        self.port: int | None = None
        self.tmpdir: Path | None = None
        self._as_user: list[str] = []

    # --- public -----------------------------------------------------------

    def url(self, database: str = "postgres") -> str:
        assert self.port is not None, "cluster not started"
        return f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def start(self) -> PostgresCluster:
        if self.port is not None:
            return self
        try:
            return self._start()
        except BaseException:  # interrupted half-way: leave nothing running
            self.stop()
            raise

    def _start(self) -> PostgresCluster:
        self.tmpdir = Path(tempfile.mkdtemp(prefix="intake-pg-", dir=_scratch_dir()))
        self._as_user = self._drop_privileges()
        data = self.tmpdir / "data"
        self._run([str(self.bindir / "initdb"), "-D", str(data), "-U", SUPERUSER,
                   "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"])
        for attempt in range(5):
            port = free_port()
            options = " ".join(
                [f"-c listen_addresses=127.0.0.1 -c port={port}",
                 f"-c unix_socket_directories={self.tmpdir}"]
                + [f"-c {key}={value}" for key, value in SERVER_SETTINGS.items()]
            )
            result = self._run(
                [str(self.bindir / "pg_ctl"), "-D", str(data), "-l", str(self.tmpdir / "log"),
                 "-o", options, "-w", "-t", "60", "start"], check=False,
            )
            if result.returncode == 0:
                self.port = port
                return self
            if attempt == 4:
                log = (self.tmpdir / "log").read_text(errors="replace")[-2000:]
                self._cleanup()
                raise RuntimeError(f"PostgreSQL did not start:\n{result.stdout}\n{log}")
            time.sleep(0.2)  # the port was taken between choosing and binding it
        return self

    def stop(self) -> None:
        if self.tmpdir is None:
            return
        data = self.tmpdir / "data"
        if (data / "postmaster.pid").exists():
            stopped = self._run([str(self.bindir / "pg_ctl"), "-D", str(data), "-m", "fast",
                                 "-w", "-t", "30", "stop"], check=False)
            if stopped.returncode != 0:
                self._run([str(self.bindir / "pg_ctl"), "-D", str(data), "-m", "immediate",
                           "-w", "stop"], check=False)
        self.port = None
        self._cleanup()

    def __enter__(self) -> PostgresCluster:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # --- internals --------------------------------------------------------

    def _drop_privileges(self) -> list[str]:
        """PostgreSQL will not run as root: hand the folder to `postgres`."""
        if os.geteuid() != 0:
            return []
        try:
            user = pwd.getpwnam(SUPERUSER)
        except KeyError as exc:
            raise PostgresUnavailable("running as root, but there is no 'postgres' user") from exc
        os.chown(self.tmpdir, user.pw_uid, user.pw_gid)
        runuser = shutil.which("runuser")
        if runuser:
            return [runuser, "-u", SUPERUSER, "--"]
        return ["setpriv", f"--reuid={user.pw_uid}", f"--regid={user.pw_gid}",
                "--init-groups", "--"]

    def _run(self, argv: list[str], check: bool = True) -> subprocess.CompletedProcess:
        result = subprocess.run(  # noqa: S603 (fixed binaries, no shell)
            self._as_user + argv, cwd=self.tmpdir, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True, check=False,
        )
        if check and result.returncode != 0:
            self._cleanup()
            raise RuntimeError(f"{' '.join(argv)} failed:\n{result.stdout}")
        return result

    def _cleanup(self) -> None:
        if self.tmpdir is not None:
            shutil.rmtree(self.tmpdir, ignore_errors=True)
            self.tmpdir = None


class _Stop(Exception):
    def __init__(self, signum: int) -> None:
        self.signum = signum


def _run_command(argv: list[str]) -> int:
    """Asked to stop (SIGINT, SIGTERM), we pass the signal on to the command
    and still stop the cluster; asked while the cluster starts, we stop it."""
    child: subprocess.Popen | None = None

    def on_signal(signum, _frame):
        if child is None:
            raise _Stop(signum)
        child.send_signal(signum)

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        with PostgresCluster() as cluster:
            env = {**os.environ, ENV_VAR: cluster.url()}
            print(f"postgres: throwaway cluster on 127.0.0.1:{cluster.port}", file=sys.stderr)
            child = subprocess.Popen(argv, env=env)  # noqa: S603
            try:
                status = child.wait()
            finally:
                with contextlib.suppress(ProcessLookupError):
                    if child.poll() is None:
                        child.kill()
                        child.wait()
            return 128 - status if status < 0 else status  # killed by a signal: 128 + N
    except _Stop as stop:
        return 128 + stop.signum
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="action", required=True)
    run = sub.add_parser("run", help="start a cluster, run CMD with " + ENV_VAR + ", stop it")
    run.add_argument("cmd", nargs=argparse.REMAINDER, help="-- CMD ARGS...")
    args = parser.parse_args(argv)
    cmd = args.cmd[1:] if args.cmd[:1] == ["--"] else args.cmd
    if not cmd:
        parser.error("run needs a command after --")
    return _run_command(cmd)


if __name__ == "__main__":
    sys.exit(main())
