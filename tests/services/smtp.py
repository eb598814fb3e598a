"""A throwaway SMTP server for tests: aiosmtpd on 127.0.0.1, a free port.

Run alone (`python tests/services/smtp.py [none|starttls|ssl]`) it serves
until Ctrl+C and prints its port, for trying the worker by hand.

`SMTPServer(tls="none"|"starttls"|"ssl", fail_first=N)` records the
messages it accepts in `.messages`; the first N deliveries are refused with
a temporary 451 error, as a busy relay does. TLS uses a certificate from a
throwaway CA (trustme); `.ca_file` is the PEM a client must trust.
"""

from __future__ import annotations

import socket
import ssl
import tempfile
from email import message_from_bytes
from email.message import Message
from pathlib import Path

import trustme
from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Handler:
    def __init__(self, server: SMTPServer) -> None:
        self.server = server

    async def handle_DATA(self, _server, _session, envelope) -> str:  # noqa: N802 (aiosmtpd's name)
        self.server.attempts += 1
        if self.server.attempts <= self.server.fail_first:
            return "451 4.3.0 Try again later"
        self.server.messages.append(message_from_bytes(envelope.content))
        return "250 OK"


class SMTPServer:
    def __init__(self, tls: str = "none", fail_first: int = 0) -> None:
        self.tls, self.fail_first = tls, fail_first
        self.messages: list[Message] = []
        self.attempts = 0
        self.port = free_port()
        self._dir = tempfile.TemporaryDirectory(prefix="smtp-")
        self.ca_file = None
        context = None
        if tls != "none":
            ca = trustme.CA()
            cert = ca.issue_cert("127.0.0.1", "localhost")
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            cert.configure_cert(context)
            self.ca_file = str(Path(self._dir.name) / "ca.pem")
            ca.cert_pem.write_to_path(self.ca_file)
        handler = _Handler(self)
        if tls == "ssl":
            self.controller = Controller(handler, hostname="127.0.0.1", port=self.port,
                                         ssl_context=context)
        elif tls == "starttls":
            self.controller = Controller(handler, hostname="127.0.0.1", port=self.port,
                                         tls_context=context, require_starttls=True)
        else:
            self.controller = Controller(handler, hostname="127.0.0.1", port=self.port)

    def config(self) -> dict:
        """The app settings that point at this server."""
        return {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": self.port, "SMTP_TLS": self.tls,
                "SMTP_CA_FILE": self.ca_file, "SMTP_FROM": "clinic@example.org",
                "SMTP_USER": None}

    def __enter__(self) -> SMTPServer:
        self.controller.start()
        return self

    def __exit__(self, *_exc) -> None:
        self.controller.stop()
        self._dir.cleanup()


__all__ = ["SMTPServer", "free_port"]


if __name__ == "__main__":
    import sys
    import time

    with SMTPServer(sys.argv[1] if len(sys.argv) > 1 else "none") as server:
        print(f"SMTP on 127.0.0.1:{server.port} (CA: {server.ca_file})", flush=True)
        try:
            while True:
                time.sleep(1)
                for msg in server.messages[len(getattr(server, "_shown", [])):]:
                    print(f"got: {msg['Subject']}", flush=True)
                server._shown = list(server.messages)
        except KeyboardInterrupt:
            pass
