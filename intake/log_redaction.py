"""Keep link tokens out of logs.

A patient link's token is the key to that patient's health answers, and the
development server (and most access logs) print every request path. This
filter rewrites /i/<token> and /start/<token> to a short, non-secret marker
before a record is written.
"""

from __future__ import annotations

import logging
import re

from flask import Flask

TOKEN_PATH = re.compile(r"/(i|start)/[A-Za-z0-9_-]{8,}")


def redact(text: str) -> str:
    return TOKEN_PATH.sub(lambda m: f"/{m.group(1)}/[token]", text)


class RedactTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True


_FILTER = RedactTokens()


def init_app(app: Flask) -> None:
    for logger in (logging.getLogger("werkzeug"), app.logger):
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)
