"""zxcvbn's warnings in the staff user's language (issue 14): each of the
installed zxcvbn's warnings has an entry in passwords.WARNINGS, translated in
the staff catalog; a warning the table lacks is English only, as before."""

from __future__ import annotations

import ast
import inspect

import pytest
from staff_helpers import STAFF_PASSWORD
from zxcvbn import feedback

from intake import passwords
from intake.i18n.messages import translate

KEYBOARD_RUN = "zxcvbnm,./qa"    # passes the length and common-list rules; a keyboard row


def installed_warnings() -> set[str]:
    """Every string zxcvbn's feedback module gives as a warning: assigned to
    ``warning`` or put under the "warning" key, through its ``_()``."""
    found = set()
    for node in ast.walk(ast.parse(inspect.getsource(feedback))):
        values = []
        if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "warning" for t in node.targets):
            values.append(node.value)
        elif isinstance(node, ast.Dict):
            values += [v for k, v in zip(node.keys, node.values, strict=True)
                       if isinstance(k, ast.Constant) and k.value == "warning"]
        for value in values:
            if isinstance(value, ast.Call) and value.args and isinstance(
                    value.args[0], ast.Constant) and value.args[0].value:
                found.add(value.args[0].value)
    return found


def test_every_installed_zxcvbn_warning_has_an_entry():
    found = installed_warnings()
    assert len(found) >= 10, found    # the parse still finds zxcvbn's warnings
    assert sorted(found - set(passwords.WARNINGS)) == []


def test_every_entry_is_translated_into_french():
    for english, message in passwords.WARNINGS.items():
        assert message == english
        assert translate(message, "fr") != english, english


def test_the_warning_is_shown_in_french():
    reason = passwords.password_problems(KEYBOARD_RUN)[0]
    assert "Straight rows of keys are easy to guess." in reason    # English as before
    french = translate(reason, "fr")
    assert french.startswith("Ce mot de passe est trop facile à deviner. Les rangées de touches")
    assert "Straight rows" not in french


def test_an_unknown_warning_is_english_only():
    reason = passwords._too_guessable({"warning": "A warning from a newer zxcvbn."})
    assert "A warning from a newer zxcvbn." in reason
    french = translate(reason, "fr")
    assert french.startswith("Ce mot de passe est trop facile à deviner. Ajoutez")
    assert "newer zxcvbn" not in french


@pytest.mark.parametrize(("language", "expected", "absent"), [
    ("fr", "Les rangées de touches en ligne droite sont faciles à deviner.", "Straight rows"),
    ("en", "Straight rows of keys are easy to guess.", "rangées"),
])
def test_a_staff_user_reads_the_warning_in_their_language(app, db, auth, make_staff,
                                                          language, expected, absent):
    app.config["WTF_CSRF_ENABLED"] = False
    user = make_staff("practitioner")
    user.language = language
    db.commit()
    auth.login(user.email)
    page = auth._client.post("/staff/account/password", data={
        "current": STAFF_PASSWORD, "new": KEYBOARD_RUN, "repeat": KEYBOARD_RUN,
    }).get_data(as_text=True)
    assert expected in page and absent not in page
