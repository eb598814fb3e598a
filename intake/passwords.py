"""Staff passwords: argon2id hashing, the rules a new password must pass, and
random passwords for `--generate` and admin resets.

The rules follow NIST SP 800-63B: at least 12 characters, no composition
rules, refuse passwords found in a list of common ones (see the header of
common-passwords.txt for where the list comes from) or built from the
person's name, email or the clinic's name, and refuse what zxcvbn's strength
estimate finds easy to guess (sequences such as `abcdefghijkl`, keyboard
runs, dates, l33t spellings of words), with the same personal words as its
user inputs.

Domain code: no Flask, no database; the caller passes the clinic's name.
"""

from __future__ import annotations

import re
import secrets
from functools import lru_cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from zxcvbn import zxcvbn

from intake.i18n.messages import N_, NP_

MIN_LENGTH = 12
MAX_LENGTH = 256
COMMON_FILE = Path(__file__).with_name("common-passwords.txt")
_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
#: zxcvbn's score (0-4) a new password must reach: 3 is "safely unguessable"
#: (about 10^8 guesses or more), already far beyond an online attack.
MIN_SCORE = 3
#: zxcvbn slows down on long input; what follows this many characters only adds strength.
ESTIMATE_CHARACTERS = 72
_THEMATIC = ("intake", "physio", "clinic", "password")
_TRAILING = re.compile(r"[\d\W_]+$")
_LEADING = re.compile(r"^[\d\W_]+")

#: zxcvbn's warnings (zxcvbn/feedback.py), keyed by its exact English text, as
#: Messages so that a French page shows them in French. A warning missing here
#: (a newer zxcvbn) is shown in English and left out in other languages;
#: tests/test_password_warnings.py fails until the installed ones are all here.
WARNINGS = {message: message for message in (
    N_("Straight rows of keys are easy to guess."),
    N_("Short keyboard patterns are easy to guess."),
    N_('Repeats like "aaa" are easy to guess.'),
    N_('Repeats like "abcabcabc" are only slightly harder to guess than "abc".'),
    N_('Sequences like "abc" or "6543" are easy to guess.'),
    N_("Recent years are easy to guess."),
    N_("Dates are often easy to guess."),
    N_("This is a top-10 common password."),
    N_("This is a top-100 common password."),
    N_("This is a very common password."),
    N_("This is similar to a commonly used password."),
    N_("A word by itself is easy to guess."),
    N_("Names and surnames by themselves are easy to guess."),
    N_("Common names and surnames are easy to guess."),
)}

_hasher = PasswordHasher()  # argon2id with the RFC 9106 low-memory defaults
_dummy_hash: str | None = None


def use_fast_hashing() -> None:
    """Cheaper argon2id parameters for the test suite only (still argon2id)."""
    global _hasher, _dummy_hash
    _hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    _dummy_hash = None


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Check a password; with no stored hash, spend the same time and say no."""
    global _dummy_hash
    if stored_hash is None:
        if _dummy_hash is None:
            _dummy_hash = _hasher.hash(secrets.token_urlsafe(16))
        stored_hash = _dummy_hash
        password = password + "\x00never"
    try:
        return _hasher.verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return _hasher.check_needs_rehash(stored_hash)


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    lines = COMMON_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))


def password_problems(password: str, *, email: str = "", name: str = "",
                      clinic: str = "") -> list[str]:
    """Why a new password is refused; an empty list means it is acceptable.
    Each reason is an English ``Message`` (intake.i18n.messages) that the
    caller may show in the reader's language."""
    if len(password) < MIN_LENGTH:
        return [N_("Use at least %(count)d characters.", count=MIN_LENGTH)]
    if len(password) > MAX_LENGTH:
        return [N_("Use at most %(count)d characters.", count=MAX_LENGTH)]
    lowered = password.lower()
    if len(set(lowered)) < 4:
        return [N_("This password repeats too few different characters.")]
    if _is_common(lowered):
        return [N_("This password is too common. A few unrelated words make a good one.")]
    personal = personal_words(email=email, name=name, clinic=clinic)
    residue = lowered
    for part in sorted(personal | set(_THEMATIC), key=len, reverse=True):
        if len(part) >= 4:
            residue = residue.replace(part, "")
    if residue != lowered and len(re.sub(r"[\W\d_]", "", residue)) < 4:
        return [N_("Do not build the password from your name, email or the clinic's name.")]
    estimate = zxcvbn(password[:ESTIMATE_CHARACTERS],
                      user_inputs=sorted(personal | set(_THEMATIC)),
                      max_length=ESTIMATE_CHARACTERS)
    if estimate["score"] < MIN_SCORE:
        return [_too_guessable(estimate["feedback"])]
    return []


def personal_words(*, email: str = "", name: str = "", clinic: str = "") -> set[str]:
    """The words a guesser would try first for this person: the email, its
    local part, the name and the clinic's name, whole and word by word."""
    email = email.strip().lower()
    local = email.split("@")[0]
    words = {email, local, name.strip().lower(), clinic.strip().lower(),
             re.sub(r"[\W_]+", "", clinic.lower()), re.sub(r"[\W_]+", "", name.lower())}
    for text in (local, name, clinic):
        words |= {part for part in re.split(r"[\W_]+", text.lower()) if len(part) >= 3}
    return {word for word in words if word}


def _too_guessable(feedback: dict) -> str:
    """zxcvbn's warning (sequences, keyboard patterns, dates) and a way out.
    A warning of the WARNINGS table is translated with the message; any other
    is zxcvbn's English, which a translation leaves out."""
    warning = (feedback.get("warning") or "").strip()
    if not warning:
        return N_("This password is too easy to guess. Add a few more unrelated words; "
                  "a short sentence only you would think of works well.")
    if warning in WARNINGS:
        return NP_("translated warning", "This password is too easy to guess. %(warning)s "
                   "Add a few more unrelated words; a short sentence only you would think "
                   "of works well.", warning=WARNINGS[warning])
    return N_("This password is too easy to guess. %(warning)s Add a few more unrelated "
              "words; a short sentence only you would think of works well.", warning=warning)


def _is_common(lowered: str) -> bool:
    common = common_passwords()
    if lowered in common:
        return True
    # "sunshine2024!" and "!!password" are a listed password with a decoration.
    stripped = _LEADING.sub("", _TRAILING.sub("", lowered))
    if stripped != lowered and (stripped in common or len(stripped) < 4):
        return True
    # A listed word typed twice: "monkeymonkey".
    half = len(lowered) // 2
    return len(lowered) % 2 == 0 and lowered[:half] == lowered[half:] and lowered[:half] in common


def generate_password(length: int = 20) -> str:
    """A random password with no look-alike characters (about 115 bits at 20)."""
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))
