"""A throwaway S3 server for tests and benchmarks: moto's server mode on loopback.

moto (`python -m moto.server`) runs as a child process on a free 127.0.0.1
port and keeps its objects in memory. Clients talk to it through a small TCP
front door in this process, because a moto process that is stopped loses
every object: stopping the *front door* is what an outage looks like to a
client (connections refused, live ones reset mid-request) while the objects
stay, so a test can stop the store, start it again on the same address and
see what survived. `hold()` stalls traffic after some bytes, so a test can
cut a PUT or a GET half-way.

    with S3Server() as s3:                 # or start()/close()
        s3.endpoint_url                    # http://127.0.0.1:PORT
        s3.stop(); s3.start()              # an outage and the restart

From a shell (prints the endpoint, serves until Ctrl+C or SIGTERM):

    python tests/services/s3.py
"""

from __future__ import annotations

import contextlib
import os
import socket
import struct
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from services.ports import free_port  # noqa: E402

CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
               "AWS_DEFAULT_REGION": "us-east-1", "AWS_EC2_METADATA_DISABLED": "true"}


def _reset(sock: socket.socket) -> None:
    """Close with a TCP reset, as a process that died would."""
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()


def _die_with_parent() -> None:
    """Linux: moto gets SIGTERM when this process dies, even by SIGKILL, so a
    killed test run leaves no server behind."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, 15)  # PR_SET_PDEATHSIG, SIGTERM
    except (OSError, AttributeError):
        pass


class _FrontDoor:
    """Forwards 127.0.0.1:port to moto; can refuse, reset and stall traffic."""

    def __init__(self, upstream: int) -> None:
        self.upstream = upstream
        self.port = 0
        self._listener: socket.socket | None = None
        self._sockets: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        self.hold_after: dict[str, int | None] = {"up": None, "down": None}
        #: set once a held direction has stalled (a request is half-way)
        self.stalled = threading.Event()

    def start(self) -> None:
        if self._listener is not None:
            return                                  # already open
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        for _ in range(100):  # the old socket may take a moment to let go
            try:
                listener.bind(("127.0.0.1", self.port))
                break
            except OSError:
                time.sleep(0.05)
        else:
            listener.close()
            raise RuntimeError(f"cannot bind 127.0.0.1:{self.port} again")
        listener.listen(64)
        self.port = listener.getsockname()[1]
        self._stopped.clear()
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True,
                         name="s3-front-door").start()

    def stop(self) -> None:
        self._stopped.set()
        listener, self._listener = self._listener, None
        if listener is not None:
            with contextlib.suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)  # wakes accept() on Linux
            listener.close()
        with self._lock:
            live, self._sockets = self._sockets, set()
        for sock in live:
            _reset(sock)

    def _accept(self, listener: socket.socket) -> None:
        while not self._stopped.is_set():
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(("127.0.0.1", self.upstream))
            except OSError:
                _reset(client)
                continue
            with self._lock:
                self._sockets |= {client, upstream}
            for src, dst, way in ((client, upstream, "up"), (upstream, client, "down")):
                threading.Thread(target=self._pump, args=(src, dst, way), daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket, way: str) -> None:
        sent = 0
        try:
            while data := src.recv(65536):
                limit = self.hold_after[way]
                if limit is not None and sent + len(data) > limit:
                    dst.sendall(data[:max(limit - sent, 0)])
                    self.stalled.set()
                    self._stopped.wait()          # until the outage: then reset
                    return
                dst.sendall(data)
                sent += len(data)
        except OSError:
            pass
        finally:
            for sock in (src, dst):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)


class S3Server:
    def __init__(self) -> None:
        self.process: subprocess.Popen | None = None
        self._front: _FrontDoor | None = None
        self._backend_port = 0

    @property
    def endpoint_url(self) -> str:
        return f"http://127.0.0.1:{self._front.port}"

    @property
    def backend_url(self) -> str:
        """moto itself, bypassing the front door (to look while it is 'down')."""
        return f"http://127.0.0.1:{self._backend_port}"

    def start(self) -> S3Server:
        """Start moto (first time) and open the front door (again)."""
        if self.process is None:
            self._backend_port = free_port()
            self.process = subprocess.Popen(
                [sys.executable, "-m", "moto.server", "-H", "127.0.0.1",
                 "-p", str(self._backend_port)],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                env={**os.environ, **CREDENTIALS}, preexec_fn=_die_with_parent)
            self._wait_ready()
            self._front = _FrontDoor(self._backend_port)
        self._front.hold_after = {"up": None, "down": None}
        self._front.stalled.clear()
        self._front.start()
        return self

    def _wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"moto server exited with {self.process.returncode}")
            try:
                # an http:// URL on loopback that this module built
                with urllib.request.urlopen(f"{self.backend_url}/moto-api/",  # noqa: S310
                                            timeout=2):
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("moto server did not start in time")

    def stop(self) -> None:
        """The outage: refuse new connections and reset live ones; objects are kept."""
        self._front.stop()

    def hold(self, *, upload_after: int | None = None, download_after: int | None = None):
        """Stall each connection's upload (or download) after that many bytes,
        until `stop()`; `stalled` is set once one has. Returns the event."""
        self._front.hold_after = {"up": upload_after, "down": download_after}
        self._front.stalled.clear()
        return self._front.stalled

    def close(self) -> None:
        if self._front is not None:
            self._front.stop()
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process = None

    def __enter__(self) -> S3Server:
        return self.start()

    def __exit__(self, *_exc) -> None:
        self.close()


def main() -> None:
    import signal

    server = S3Server().start()
    print(f"endpoint={server.endpoint_url}", flush=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        server.process.wait()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        server.close()


if __name__ == "__main__":
    main()
