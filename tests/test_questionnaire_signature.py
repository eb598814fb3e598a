"""The one drawn-signature check, and the four places that rely on it."""

from __future__ import annotations

import base64
import struct
import zlib

import pytest

from intake.documents.samples import signature_data_url
from intake.questionnaire.signature import (
    NOT_BASE64,
    NOT_PNG,
    NOT_PNG_URL,
    TOO_LARGE,
    signature_png,
    signature_problem,
)


def png_url(width: int = 3, height: int = 2, *, crc_ok: bool = True, pad: int = 0) -> str:
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    crc = zlib.crc32(b"IHDR" + ihdr) ^ (0 if crc_ok else 1)
    raw = (b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + ihdr
           + struct.pack(">I", crc) + b"\0" * pad)
    return "data:image/png;base64," + base64.b64encode(raw).decode()


def test_a_sound_png_passes_and_gives_its_bytes():
    for good in (png_url(), signature_data_url()):
        assert signature_problem(good) is None
        assert signature_png(good) == base64.b64decode(good.split(",", 1)[1])


@pytest.mark.parametrize(("value", "problem"), [
    (None, NOT_PNG_URL),
    (42, NOT_PNG_URL),
    ("", NOT_PNG_URL),
    ("data:image/svg+xml;base64,PHN2Zz4=", NOT_PNG_URL),
    ("javascript:alert(1)", NOT_PNG_URL),
    ("data:image/png;base64,not base64!", NOT_BASE64),
    ("data:image/png;base64,AAAA", NOT_PNG),
    ("data:image/png;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+", NOT_PNG),  # an SVG, renamed
    (png_url(crc_ok=False), NOT_PNG),
    (png_url(width=0), NOT_PNG),
    (png_url(height=4001), NOT_PNG),
    (png_url(pad=160 * 1024), TOO_LARGE),  # a 200 kB limit on the stored data URL
])
def test_anything_else_is_refused_and_never_shown(value, problem):
    assert signature_problem(value) == problem
    assert signature_png(value) is None


def test_the_patient_form_and_the_answers_check_agree_with_it():
    """What the patient's form refuses, submission refuses too, for the same reason."""
    from wtforms import Form, StringField

    from intake.questionnaire.types.validators import Signature
    from intake.screening import load_rules

    class SignatureForm(Form):
        sign = StringField(validators=[Signature()])

    rules = load_rules()
    definition = rules.definition
    qid = next(q.id for q in definition.questions.values() if q.type == "signature")
    assert definition.check_answers(dict(rules.baseline), rules.example_date) == []
    for value in (png_url(), "data:image/png;base64,AAAA", png_url(crc_ok=False),
                  png_url(pad=160 * 1024)):
        problem = signature_problem(value)
        form = SignatureForm(data={"sign": value})
        assert form.validate() is (problem is None), value[:40]
        if problem == TOO_LARGE:
            assert "too large" in form.errors["sign"][0]
        errors = definition.check_answers({**rules.baseline, qid: value}, rules.example_date)
        assert errors == ([f"{qid}: {problem}"] if problem else []), value[:40]
