"""Two-factor sign-in in Chromium: setting it up, signing in with an app code,
signing in with a recovery code, and an admin's reset followed by the clinic's
requirement. Codes are computed here with pyotp from the key the set-up page
shows as text (or from the seeded secret), at the real time of the live server.
axe-core finds no violations on any of the pages at 390 and 1280 pixels.
"""

from __future__ import annotations

import re
import time

import pyotp
import pytest
from browser_support import PHONE, Watch, check_page
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PASSWORD = "browser-test-password-7"


@pytest.fixture
def seeded(live_app) -> dict:
    """A practitioner, and an admin and a second practitioner who have enrolled
    (an hour ago, so any code of now is still unused); returns their secrets and codes."""
    from intake.operations import twofactor
    from intake.operations.accounts import create_user
    from intake.operations.invites import get_clinic

    key = live_app.config["SECRET_KEY"]
    made = {}
    with live_app.app_context():
        session = live_app.extensions["intake_sessionmaker"]()
        get_clinic(session, create_name="Riverside Physiotherapy")
        create_user(session, email="pat@example.org", role="practitioner", password=PASSWORD,
                    name="Pat Practitioner")
        for email, role, name in (("ada@example.org", "admin", "Ada Admin"),
                                  ("sam@example.org", "practitioner", "Sam Second")):
            user = create_user(session, email=email, role=role, password=PASSWORD, name=name)
            secret = twofactor.pending_secret(session, user, key=key)
            an_hour_ago = time.time() - 3600
            codes = twofactor.confirm(session, user, pyotp.TOTP(secret).at(an_hour_ago),
                                      key=key, now=an_hour_ago)
            made[email] = (secret, codes)
        session.commit()
        session.close()
    return made


@pytest.fixture
def phone(browser):
    """phone() opens a watched page in a fresh phone-sized browser context
    (a new person); phone.watch collects their problems; all close after."""
    watch, contexts = Watch(), []

    def open_page():
        context = browser.new_context(viewport=PHONE)
        contexts.append(context)
        page = context.new_page()
        watch.attach(page)
        return page

    open_page.watch = watch
    yield open_page
    for context in contexts:
        context.close()


def password_step(page, base: str, email: str) -> None:
    page.goto(f"{base}/staff/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def code_step(page, secret: str) -> None:
    expect(page.get_by_role("heading", name="Two-factor sign-in")).to_be_visible()
    page.fill("#code", pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Continue").click()


def set_up(page, artifacts, name: str) -> list[str]:
    """On the set-up page: check it, type the shown key's code, keep the recovery codes."""
    expect(page.get_by_role("heading", name="Set up two-factor sign-in")).to_be_visible()
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    check_page(page, artifacts, name)
    secret = page.locator("#secret").inner_text().replace(" ", "")
    page.fill("#code", pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    codes = page.locator("#recovery-codes li").all_inner_texts()
    assert len(codes) == 10 and all(re.fullmatch(r"[a-z0-9]{5}-[a-z0-9]{5}", c) for c in codes)
    return codes


def test_setting_up_two_factor(phone, live_server, seeded, artifacts):
    page = phone()
    password_step(page, live_server, "pat@example.org")
    expect(page.get_by_role("heading", name="Intakes")).to_be_visible()  # optional: straight in
    page.get_by_role("link", name="Two-factor").click()
    check_page(page, artifacts, "staff-twofactor-account-off")
    page.get_by_role("link", name="Set up two-factor sign-in").click()
    set_up(page, artifacts, "staff-twofactor-setup")
    check_page(page, artifacts, "staff-twofactor-codes")
    page.get_by_role("link", name=re.compile("I have saved my codes")).click()
    expect(page.locator("main")).to_contain_text("10 unused recovery codes")
    check_page(page, artifacts, "staff-twofactor-account-on")
    assert phone.watch.problems == []


def test_signing_in_with_an_app_code(phone, live_server, seeded, artifacts):
    secret, _ = seeded["sam@example.org"]
    page = phone()
    password_step(page, live_server, "sam@example.org")
    expect(page).to_have_url(re.compile(r"/staff/login/code$"))
    check_page(page, artifacts, "staff-twofactor-code")
    page.fill("#code", pyotp.TOTP(secret).at(time.time() - 3 * 3600))
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".error")).to_contain_text("not right")
    check_page(page, artifacts, "staff-twofactor-code-wrong")
    code_step(page, secret)
    expect(page.get_by_role("heading", name="Intakes")).to_be_visible()
    assert phone.watch.problems == []


def test_signing_in_with_a_recovery_code(phone, live_server, seeded, artifacts):
    _, codes = seeded["sam@example.org"]
    page = phone()
    password_step(page, live_server, "sam@example.org")
    page.get_by_role("link", name="Use a recovery code").click()
    check_page(page, artifacts, "staff-twofactor-recovery")
    page.fill("#code", codes[3])
    page.get_by_role("button", name="Sign in with recovery code").click()
    expect(page.get_by_role("heading", name="Intakes")).to_be_visible()
    expect(page.locator(".flash")).to_contain_text("9 of them left")
    check_page(page, artifacts, "staff-twofactor-recovered")
    assert phone.watch.problems == []


def test_admin_resets_and_requires_two_factor(phone, live_server, seeded, artifacts):
    admin_secret, _ = seeded["ada@example.org"]
    page = phone()
    password_step(page, live_server, "ada@example.org")
    code_step(page, admin_secret)
    page.get_by_role("link", name="Staff accounts").click()
    page.get_by_role("link", name="Two-factor sign-in").click()
    check_page(page, artifacts, "staff-twofactor-admin")
    row = page.locator("tr", has_text="sam@example.org")
    expect(row).to_contain_text("Set up")
    row.get_by_role("button", name=re.compile("Reset two-factor")).click()
    expect(page.locator(".flash-success")).to_contain_text("sam@example.org is reset")
    expect(page.locator("tr", has_text="sam@example.org")).to_contain_text("Not set up")
    page.check("#required")
    page.get_by_role("button", name="Save setting").click()
    expect(page.locator(".flash-success")).to_contain_text("now required")
    check_page(page, artifacts, "staff-twofactor-admin-required")

    # Sam signs in again: set-up comes before anything else.
    sam = phone()
    password_step(sam, live_server, "sam@example.org")
    expect(sam).to_have_url(re.compile(r"/staff/two-factor/setup$"))
    expect(sam.locator("main")).to_contain_text("The clinic requires")
    set_up(sam, artifacts, "staff-twofactor-setup-required")
    sam.get_by_role("link", name=re.compile("I have saved my codes")).click()
    expect(sam.get_by_role("heading", name="Intakes")).to_be_visible()
    assert phone.watch.problems == []


def test_turning_two_factor_off(phone, live_server, seeded, artifacts):
    """Sam turns it off with a recovery code after a wrong password; their other
    browser is signed out; Ada, whom the clinic requires it of, is told it stays."""
    secret, codes = seeded["sam@example.org"]
    elsewhere = phone()
    password_step(elsewhere, live_server, "sam@example.org")
    code_step(elsewhere, secret)
    expect(elsewhere.get_by_role("heading", name="Intakes")).to_be_visible()
    page = phone()
    password_step(page, live_server, "sam@example.org")
    page.get_by_role("link", name="Use a recovery code").click()
    page.fill("#code", codes[0])
    page.get_by_role("button", name="Sign in with recovery code").click()
    page.get_by_role("link", name="Two-factor").click()
    expect(page.get_by_role("heading", name="Turn off two-factor sign-in")).to_be_visible()
    check_page(page, artifacts, "staff-twofactor-turn-off")

    page.fill("#off-password", "not-the-password-1")
    page.fill("#off-code", codes[1])
    page.get_by_role("button", name="Turn off two-factor sign-in").click()
    expect(page.locator("#off-password-error")).to_contain_text("password is not right")
    check_page(page, artifacts, "staff-twofactor-turn-off-wrong")
    page.fill("#off-password", PASSWORD)
    page.fill("#off-code", codes[1])
    page.get_by_role("button", name="Turn off two-factor sign-in").click()
    expect(page.locator(".flash-success")).to_contain_text("turned off")
    expect(page.get_by_role("link", name="Set up two-factor sign-in")).to_be_visible()
    check_page(page, artifacts, "staff-twofactor-turned-off")
    elsewhere.goto(f"{live_server}/staff/")
    expect(elsewhere).to_have_url(re.compile(r"/staff/login"))

    admin_secret, _ = seeded["ada@example.org"]
    ada = phone()
    password_step(ada, live_server, "ada@example.org")
    code_step(ada, admin_secret)
    ada.goto(f"{live_server}/staff/admin/two-factor")
    ada.check("#required")
    ada.get_by_role("button", name="Save setting").click()
    ada.goto(f"{live_server}/staff/account/two-factor")
    expect(ada.locator("main")).to_contain_text("cannot be turned off")
    expect(ada.get_by_role("button", name="Turn off two-factor sign-in")).to_have_count(0)
    check_page(ada, artifacts, "staff-twofactor-turn-off-required")
    assert phone.watch.problems == []
