"""The TOTP and recovery-code rules (intake.totp), without a database."""

from __future__ import annotations

import pyotp
import pytest

from intake import sealed, totp

T = 1_800_000_000.0


def test_codes_match_their_step_within_one_step_of_drift():
    secret = totp.new_secret()
    step = pyotp.TOTP(secret).timecode(T)
    assert totp.matching_step(secret, pyotp.TOTP(secret).at(T), now=T) == step
    assert totp.matching_step(secret, pyotp.TOTP(secret).at(T - 30), now=T) == step - 1
    assert totp.matching_step(secret, pyotp.TOTP(secret).at(T + 30), now=T) == step + 1
    assert totp.matching_step(secret, pyotp.TOTP(secret).at(T - 60), now=T) is None
    assert totp.matching_step(secret, pyotp.TOTP(secret).at(T + 60), now=T) is None


@pytest.mark.parametrize("typed", ["", "12345", "1234567", "12a456", "١٢٣٤٥٦", "123456\x00",
                                   "12345６"])
def test_anything_but_six_ascii_digits_is_not_a_code(typed):
    assert totp.normalise_code(typed) is None


def test_spaces_and_dashes_in_a_code_are_fine():
    assert totp.normalise_code(" 123 456 ") == "123456"
    assert totp.normalise_code("123-456") == "123456"


def test_recovery_codes_are_random_and_typed_loosely():
    codes = {totp.new_recovery_code() for _ in range(50)}
    assert len(codes) == 50
    code = codes.pop()
    assert len(code) == 11 and code[5] == "-"
    assert totp.normalise_recovery_code(code.upper().replace("-", " ")) == code.replace("-", "")
    for bad in ("", "abcde", "abcde-abcd1", "abcde-abcdo", "x" * 10_000):
        assert totp.normalise_recovery_code(bad) is None


def test_a_sealed_secret_needs_the_same_key_and_purpose():
    box = totp.seal("key-one", "SECRET")
    assert "SECRET" not in box and totp.unseal("key-one", box) == "SECRET"
    with pytest.raises(totp.InvalidToken):
        totp.unseal("key-two", box)
    with pytest.raises(sealed.InvalidToken):
        sealed.unseal("key-one", box)  # not a queued link either


def test_the_uri_names_the_clinic_and_the_account():
    uri = totp.provisioning_uri("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", account="p@example.org",
                                issuer="Riverside Physio")
    assert uri.startswith("otpauth://totp/Riverside%20Physio:p%40example.org?")
    assert "secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP" in uri and "issuer=Riverside%20Physio" in uri
