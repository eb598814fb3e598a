"""gunicorn settings for intake: `gunicorn` run in this directory reads this file.

    INTAKE_SECRET_KEY=... gunicorn            # or: gunicorn -c /path/to/gunicorn.conf.py

Every value can be changed without editing the file: INTAKE_BIND, INTAKE_WORKERS
(or WEB_CONCURRENCY), INTAKE_THREADS, INTAKE_WORKER_TIMEOUT_SECONDS,
INTAKE_ACCESS_LOG; any other gunicorn option through GUNICORN_CMD_ARGS or the
command line, which win over this file. See README, "Running in production".
"""

import os

from intake.serving import DEFAULT_BIND, check_app_config, default_workers, env_positive

wsgi_app = "wsgi:app"
# Loopback by default: an HTTPS proxy on the same machine is the front door.
# In a container, INTAKE_BIND=0.0.0.0:8000 (and the proxy on its own network).
bind = [b.strip() for b in os.environ.get("INTAKE_BIND", DEFAULT_BIND).split(",") if b.strip()]

# Threads wait on the database and slow phones; processes use the cores.
workers = default_workers()
threads = env_positive("THREADS", 4)
worker_class = "gthread"

# No preload: create_app opens the database engine and starts a start-up render
# thread, neither of which may be shared across fork. Each worker builds its own.
preload_app = False

# A request that takes longer than this is stuck (step saves take milliseconds;
# PDFs render off the request): the worker is restarted.
timeout = env_positive("WORKER_TIMEOUT_SECONDS", 30)
graceful_timeout = 30
# Idle keep-alive connections from the proxy are held this long.
keepalive = 5

# The app alone decides whom to believe about the client's address and scheme
# (INTAKE_TRUSTED_PROXIES, werkzeug's ProxyFix): gunicorn's own handling of
# X-Forwarded-Proto, which trusts 127.0.0.1 by default, is switched off.
forwarded_allow_ips = ""

# Access log to stdout unless INTAKE_ACCESS_LOG names a file; "off" disables it.
# Patient link tokens are replaced by /i/[token] in every line.
_access = os.environ.get("INTAKE_ACCESS_LOG", "-").strip()
accesslog = None if _access.lower() in {"off", "none", ""} else _access
errorlog = "-"
logger_class = "intake.serving.RedactingLogger"

# gunicorn's control socket has one default path per user, so a second instance
# on the machine (staging, a benchmark) would take over the first one's. Off
# unless INTAKE_CONTROL_SOCKET names a path.
control_socket = os.environ.get("INTAKE_CONTROL_SOCKET", "").strip() or None
control_socket_disable = control_socket is None


def on_starting(server):
    check_app_config()
