"""The drawn signature: what counts as one, checked in one place.

The patient's form, the answers check before submission, the staff page and
the PDF all ask this module, so a signature the patient was allowed to save
is one the practitioner and the PDF can show, and anything else (a free-text
answer that merely starts like a data URL, a forged SVG) is never shown as
an image. Only a PNG data URL of at most 200 kB whose bytes start with the
PNG signature and an intact IHDR chunk of sane dimensions passes.
"""

from __future__ import annotations

import base64
import binascii
import struct
import zlib
from typing import Any

from intake.i18n.messages import N_

PREFIX = "data:image/png;base64,"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
#: the data URL's length, as stored
MAX_LENGTH = 200 * 1024
MAX_SIDE = 4000

#: the problems signature_problem names (the patient's form words them for patients)
NOT_PNG_URL = N_("must be a PNG data URL")
TOO_LARGE = N_("is larger than 200 kB")
NOT_BASE64 = N_("is not valid base64")
NOT_PNG = N_("is not a PNG image")


def signature_problem(value: Any) -> str | None:
    """What is wrong with `value` as a drawn signature, or None when it is sound."""
    return _read(value)[1]


def signature_png(value: Any) -> bytes | None:
    """The PNG bytes of a sound drawn signature, or None."""
    return _read(value)[0]


def _read(value: Any) -> tuple[bytes | None, str | None]:
    if not isinstance(value, str) or not value.startswith(PREFIX):
        return None, NOT_PNG_URL
    if len(value) > MAX_LENGTH:
        return None, TOO_LARGE
    try:
        raw = base64.b64decode(value[len(PREFIX):], validate=True)
    except (binascii.Error, ValueError):
        return None, NOT_BASE64
    if len(raw) < 33 or not raw.startswith(PNG_MAGIC):
        return None, NOT_PNG
    length, kind = struct.unpack(">I4s", raw[8:16])
    ihdr = raw[16:29]
    (crc,) = struct.unpack(">I", raw[29:33])
    if kind != b"IHDR" or length != 13 or zlib.crc32(b"IHDR" + ihdr) != crc:
        return None, NOT_PNG
    width, height = struct.unpack(">II", ihdr[:8])
    if not (0 < width <= MAX_SIDE and 0 < height <= MAX_SIDE):
        return None, NOT_PNG
    return raw, None
