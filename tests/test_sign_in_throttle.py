"""Sign-in throttling instead of lockout, the holder's email, and what the audit
log keeps of a failed sign-in."""

from __future__ import annotations

import json
import time
from datetime import timedelta

import pytest
from services.smtp import SMTPServer
from sqlalchemy import select
from staff_helpers import STAFF_PASSWORD, AuthActions

from intake.models import AuditEvent, SignInThrottle, utcnow
from intake.operations import accounts, throttle

ADDRESS_A, ADDRESS_B = "198.51.100.1", "203.0.113.2"


def browser(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client, AuthActions(client)


def failures(db, action="auth.login_failed"):
    db.expire_all()
    found = db.scalars(select(AuditEvent).where(AuditEvent.action == action)
                       .order_by(AuditEvent.id)).all()
    db.commit()
    return found


def test_bad_attempts_from_one_address_do_not_stop_the_right_password_from_another(
        app, make_staff):
    make_staff(email="p@example.org")
    _, attacker = browser(app, ADDRESS_A)
    codes = [attacker.login("p@example.org", "wrong-password-1").status_code
             for _ in range(5)]
    assert codes == [200, 200, 200, 429, 429]
    owner_client, owner = browser(app, ADDRESS_B)
    assert owner.login("p@example.org").headers["Location"] == "/staff/"
    assert owner_client.get("/staff/").status_code == 200


def test_guesses_from_one_address_wait_longer_and_longer_but_never_for_ever(db, make_staff):
    make_staff(email="p@example.org")
    now = utcnow()
    for _ in range(throttle.FREE_FAILURES):
        assert accounts.sign_in(db, "p@example.org", "wrong-1", ip=ADDRESS_A,
                                now=now).reason == "wrong_password"
    waits = []
    for _ in range(12):
        early = accounts.sign_in(db, "p@example.org", STAFF_PASSWORD, ip=ADDRESS_A, now=now)
        assert early.reason == "throttled" and early.user is None  # not even checked
        waits.append(early.retry_after)
        now += timedelta(seconds=early.retry_after)
        assert accounts.sign_in(db, "p@example.org", "wrong-1", ip=ADDRESS_A,
                                now=now).reason == "wrong_password"
    assert waits[:4] == [5, 10, 20, 40]
    assert max(waits) == throttle.MAX_DELAY.total_seconds() == waits[-1]
    # After the longest wait the right password opens the account, and the count restarts.
    now += throttle.MAX_DELAY
    assert accounts.sign_in(db, "p@example.org", STAFF_PASSWORD, ip=ADDRESS_A,
                            now=now).reason == "ok"
    assert db.scalar(select(SignInThrottle)) is None


def test_a_throttled_attempt_gets_a_clear_message_and_retry_after(app, make_staff, db):
    make_staff(email="p@example.org")
    _, attacker = browser(app, ADDRESS_A)
    for _ in range(throttle.FREE_FAILURES):
        attacker.login("p@example.org", "wrong-password-1")
    response = attacker.login("p@example.org", STAFF_PASSWORD)
    assert response.status_code == 429
    assert 0 < int(response.headers["Retry-After"]) <= 5
    text = response.get_data(as_text=True)
    assert "Please wait 5 seconds and try again" in text and "not locked" in text
    assert [e.detail["reason"] for e in failures(db)][-1] == "throttled"


def test_an_unknown_email_is_throttled_like_a_real_one(app, make_staff):
    make_staff(email="p@example.org")
    _, guesser = browser(app, ADDRESS_A)
    known = [guesser.login("p@example.org", "wrong-1").status_code for _ in range(4)]
    unknown = [guesser.login("nobody@example.org", "wrong-1").status_code for _ in range(4)]
    assert known == unknown == [200, 200, 200, 429]


def test_the_address_limit_refuses_with_retry_after(app, tmp_path, make_staff):
    from intake import create_app
    from intake.config import test_config
    from intake.extensions import limiter

    # Per hour, not per minute: on a loaded machine four sign-ins (each hashing a
    # password) must not outlast the window, or the fourth is rightly let through.
    limited = create_app({**test_config(tmp_path), "DATABASE_URL": app.config["DATABASE_URL"],
                          "RATELIMIT_ENABLED": True, "LOGIN_RATE_LIMIT": "3 per hour"})
    try:
        client = limited.test_client()
        started = time.monotonic()
        # A different email each time: the per-pair throttle never starts.
        codes = [AuthActions(client).login(f"guess{n}@example.org", "wrong-1")
                 for n in range(4)]
        state = (f"{time.monotonic() - started:.1f} s; limiter enabled={limiter.enabled}, "
                 f"strategy={limiter._strategy}, storage={type(limiter.storage).__name__}")
        assert [r.status_code for r in codes] == [200, 200, 200, 429], state
        assert 0 < int(codes[-1].headers["Retry-After"]) <= 3600
        assert "Too many attempts" in codes[-1].get_data(as_text=True)
    finally:
        limited.extensions["intake_engine"].dispose()


def test_the_holder_is_emailed_once_per_burst(app, make_staff, db):
    make_staff(email="p@example.org")
    with SMTPServer() as server:
        app.config.update(server.config())
        for n in range(accounts.NOTICE_AFTER * 2):  # many addresses: no throttle on the way
            _, guesser = browser(app, f"192.0.2.{n}")
            assert guesser.login("p@example.org", f"guess-number-{n}").status_code == 200
        assert len(server.messages) == 1
        [notice] = server.messages
        body = notice.get_payload()
        assert notice["To"] == "p@example.org"
        assert f"{accounts.NOTICE_AFTER} failed attempts" in body and "not locked" in body
        assert "guess-number" not in body and "192.0.2." not in body
        # A good sign-in ends the burst; the next burst is told again.
        _, owner = browser(app, ADDRESS_B)
        assert owner.login("p@example.org").status_code == 302
        for n in range(accounts.NOTICE_AFTER):
            browser(app, f"192.0.2.{n}")[1].login("p@example.org", "guess-again-1")
        assert len(server.messages) == 2
    assert len(failures(db, "auth.failure_notice")) == 2


def test_without_smtp_the_notice_is_audited_and_nothing_fails(app, make_staff, db):
    make_staff(email="p@example.org")
    for n in range(accounts.NOTICE_AFTER):
        assert browser(app, f"192.0.2.{n}")[1].login("p@example.org", "wrong-1") \
            .status_code == 200
    [notice] = failures(db, "auth.failure_notice")
    assert notice.detail["failures"] == accounts.NOTICE_AFTER


@pytest.mark.parametrize("typed", ["my-secret-password-1", "P@Example.org"])
def test_a_failed_sign_in_keeps_nothing_typed(app, make_staff, db, typed):
    """A password typed in the email box must not land in the append-only log."""
    user_id = make_staff(email="p@example.org").id
    _, someone = browser(app, ADDRESS_A)
    someone.login(typed, "whatever-was-typed-2")
    [event] = failures(db)
    known = typed.lower() == "p@example.org"
    assert event.detail == {"reason": "wrong_password" if known else "unknown",
                            "user_id": user_id if known else None}
    stored = json.dumps(event.detail) + event.actor_label
    assert typed not in stored and typed.lower() not in stored
    assert "whatever-was-typed" not in stored
    # The throttle keeps a keyed hash, not the email or the address.
    [row] = db.scalars(select(SignInThrottle)).all()
    assert typed.lower() not in row.key and ADDRESS_A not in row.key
    db.commit()


def test_the_throttle_key_depends_on_the_secret():
    one = throttle.key_for("secret-1", "p@example.org", ADDRESS_A)
    assert one != throttle.key_for("secret-2", "p@example.org", ADDRESS_A)
    assert one != throttle.key_for("secret-1", "p@example.org", ADDRESS_B)
    assert len(one) == 64



def test_limits_count_over_a_moving_window_not_per_clock_minute(app, tmp_path):
    """Three guesses at 12:00:59 and three at 12:01:00 are six in a minute:
    a fixed window would let them through, and made the test above flaky."""
    from limits.strategies import MovingWindowRateLimiter

    from intake import create_app
    from intake.config import test_config
    from intake.extensions import limiter

    limited = create_app({**test_config(tmp_path), "DATABASE_URL": app.config["DATABASE_URL"],
                          "RATELIMIT_ENABLED": True})
    try:
        assert limited.config["RATELIMIT_STRATEGY"] == "moving-window"
        assert isinstance(limiter._limiter, MovingWindowRateLimiter)
    finally:
        limited.extensions["intake_engine"].dispose()
