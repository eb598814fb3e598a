"""Patient link tokens never reach the logs."""

from __future__ import annotations

import logging

from intake.log_redaction import redact


def test_tokens_in_paths_are_replaced():
    line = '127.0.0.1 - - "GET /i/AbC_def-123456789xyz/step/about HTTP/1.1" 200 -'
    assert redact(line) == '127.0.0.1 - - "GET /i/[token]/step/about HTTP/1.1" 200 -'
    assert redact("POST /start/Zz9_-Zz9_-Zz9 HTTP/1.1") == "POST /start/[token] HTTP/1.1"
    assert redact("GET /staff/intakes/12 HTTP/1.1") == "GET /staff/intakes/12 HTTP/1.1"


def test_the_request_log_of_a_patient_link_holds_no_token(app, make_invite, caplog):
    _, token = make_invite()
    logger = logging.getLogger("werkzeug")
    with caplog.at_level(logging.INFO, logger="werkzeug"):
        # What werkzeug's request handler logs for each request.
        logger.info('%s - - [%s] "%s" %s %s', "127.0.0.1", "now", f"GET /i/{token} HTTP/1.1",
                    "302", "-")
    assert caplog.records
    assert token not in caplog.text
    assert "/i/[token]" in caplog.text
