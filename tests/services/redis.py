"""A throwaway redis-server on a free loopback port, for tests and benchmarks.

Debian's `redis-server` package (the Makefile installs it when missing); the
system service, if any, is never used. No persistence, a temporary working
directory, and the server is stopped (or killed, for fault tests) by whoever
started it.

    with RedisServer() as redis:
        redis.url            # redis://127.0.0.1:PORT/0
        redis.kill()         # SIGKILL, as a crash would

As a script, `python tests/services/redis.py check` exits 0 when redis-server
can be started here.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from services.ports import free_port, stop, wait_until  # noqa: E402

REDIS_SERVER = "redis-server"


class RedisUnavailable(RuntimeError):
    """redis-server is not installed."""


def find_redis_server() -> str:
    found = shutil.which(REDIS_SERVER) or (
        "/usr/bin/redis-server" if Path("/usr/bin/redis-server").exists() else None)
    if found is None:
        raise RedisUnavailable("redis-server not found (install Debian's redis-server package: "
                               "make services)")
    return found


def _pong(port: int) -> bool:
    with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
        sock.sendall(b"PING\r\n")
        return sock.recv(16).startswith(b"+PONG")


class RedisServer:
    def __init__(self) -> None:
        self.port: int | None = None
        self.process: subprocess.Popen | None = None
        self._tmp: tempfile.TemporaryDirectory | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> RedisServer:
        binary = find_redis_server()
        self._tmp = tempfile.TemporaryDirectory(prefix="intake-redis-")
        for _attempt in range(5):
            self.port = free_port()
            log = Path(self._tmp.name) / "redis.log"
            self.process = subprocess.Popen(
                [binary, "--port", str(self.port), "--bind", "127.0.0.1",
                 "--dir", self._tmp.name, "--save", "", "--appendonly", "no",
                 "--daemonize", "no", "--logfile", str(log)],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            try:
                wait_until(lambda: _pong(self.port), self.process, "redis-server", 30)
                return self
            except RuntimeError:
                stop(self.process)
                if "in use" not in (log.read_text() if log.exists() else ""):
                    raise
        raise RuntimeError("redis-server found no free port")

    def kill(self) -> None:
        """SIGKILL: the server vanishes as in a crash."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def stop(self) -> None:
        if self.process is not None:
            stop(self.process)
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    def __enter__(self) -> RedisServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


if __name__ == "__main__":
    if sys.argv[1:] != ["check"]:
        sys.exit("usage: python tests/services/redis.py check")
    with RedisServer() as server:
        print(f"redis-server answered on port {server.port}")
