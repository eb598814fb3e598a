"""Trusting an HTTPS proxy in front of the app, and only as far as configured.

Behind a proxy every request arrives from the proxy's address over plain
HTTP: without this, all patients share one rate-limit bucket (the sign-in
limit becomes clinic-wide) and `request.is_secure` is false, so HSTS is never
sent. werkzeug's ProxyFix takes the client address and scheme from
X-Forwarded-For and X-Forwarded-Proto, trusting exactly INTAKE_TRUSTED_PROXIES
hops. The default, 0, trusts nothing: a client reaching the app directly could
otherwise forge X-Forwarded-For and pick its own rate-limit key.

Only the address and the scheme are taken from the proxy. The host comes from
the Host header, which the proxy passes on (nginx: `proxy_set_header Host
$host`); X-Forwarded-Host is not trusted, as a proxy that does not set it
would let a client choose the host of generated links.
"""

from __future__ import annotations

import logging

from flask import Flask, request
from werkzeug.middleware.proxy_fix import ProxyFix

log = logging.getLogger(__name__)


def init_app(app: Flask) -> None:
    hops = app.config.get("TRUSTED_PROXIES", 0)
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops,
                                x_host=0, x_port=0, x_prefix=0)
        return
    warned = False

    @app.before_request
    def _warn_untrusted_forwarding() -> None:
        # Said once per process: the likely cause is a proxy nobody told us about.
        nonlocal warned
        if not warned and "X-Forwarded-For" in request.headers:
            warned = True
            log.warning("Requests carry X-Forwarded-For but INTAKE_TRUSTED_PROXIES is 0, so "
                        "it is ignored: behind a proxy, rate limits count per proxy, not per "
                        "client. Set INTAKE_TRUSTED_PROXIES to the number of proxies.")
