"""Hypothesis strategies and checks for the hostile-input tests
(tests/test_hostile_input.py).

Profiles: "ci" (default; few examples, derandomized, so `make test` is
repeatable) and "fuzz" (many random examples, `make fuzz`), chosen by
INTAKE_HYPOTHESIS_PROFILE. Every response is counted so `make fuzz` can
print how many requests were made and which statuses came back.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter

from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st

settings.register_profile(
    "ci", max_examples=6, derandomize=True, deadline=None, database=None,
    # No shrinking: a failure prints its example at once (shrinking a web
    # request sequence can take many minutes on a busy machine).
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                           HealthCheck.data_too_large],
)
settings.register_profile(
    "fuzz", max_examples=int(os.environ.get("INTAKE_FUZZ_EXAMPLES", "150")), deadline=None,
    database=None, phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                           HealthCheck.data_too_large],
)
PROFILE = os.environ.get("INTAKE_HYPOTHESIS_PROFILE", "ci")
#: Whole questionnaires with a PDF each are slow: fewer examples of those.
WHOLE_INTAKE_EXAMPLES = 2 if PROFILE == "ci" else max(
    3, int(os.environ.get("INTAKE_FUZZ_EXAMPLES", "150")) // 6)

#: Statuses a hostile request may get; anything else (a 500 above all) fails.
ALLOWED = {200, 302, 303, 400, 403, 404, 405, 410, 413, 422, 429}
#: Words of the page each refusal must show, so no refusal is a bare status.
REFUSAL_WORDS = {
    400: ("This page had expired", "We could not read that", "This page timed out",
          'class="error'),
    403: ("You do not have access",),
    404: ("We could not find that page", "This link does not work"),
    405: ("Method Not Allowed",),
    410: ("This link has expired", "expired"),
    413: ("nothing from it was saved",),
    422: ('class="error', "Please"),
    429: ("Please wait a moment",),
}

#: Markers that must never appear unescaped in any page.
MARKUP = ['<script>alert(1)</script>', '"><img src=http://evil.test/x.png>',
          "</textarea><b>bold</b>", "<link rel=stylesheet href=//evil.test/a.css>",
          "data:image/png;base64,iVBORw0KGgo="]
RAW_MARKERS = ("<script>alert(1)", "<img src=http://evil.test", "<b>bold</b>",
               "<link rel=stylesheet href=//evil.test")
UNSAFE_IN_PAGE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\u202a-\u202e\u2066-\u2069]")

STATS: Counter = Counter()


def count(response) -> None:
    STATS["requests"] += 1
    STATS[f"status {response.status_code}"] += 1


def write_report() -> None:
    """For `make fuzz`: the figures as JSON in INTAKE_FUZZ_REPORT, when set."""
    path = os.environ.get("INTAKE_FUZZ_REPORT")
    if path:
        with open(path, "w") as handle:
            json.dump({"profile": PROFILE, **dict(sorted(STATS.items()))}, handle, indent=1)


controls = st.characters(codec="utf-8", categories=["Cc", "Cf", "Zl", "Zp"])
unicode_text = st.text(st.characters(codec="utf-8"), max_size=60)
huge = st.sampled_from([0, 199, 201, 2_001, 20_000, 300_000]).map(lambda n: "x" * n)
numbers = st.one_of(
    st.integers(-(10**30), 10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(["1e309", "-0", "٣", "١٢٣", "0x10", "1_000", " 7 ", "9" * 5000,
                     "99999999999999999999", "2,5", "NaN", "inf"]),
)
hostile_text = st.one_of(
    unicode_text,
    st.lists(st.one_of(unicode_text, controls, st.sampled_from(MARKUP)), max_size=6)
      .map("".join),
    huge,
    numbers,
    st.sampled_from(MARKUP),
)
free_text_payload = st.lists(st.one_of(st.sampled_from(MARKUP), controls, unicode_text),
                             min_size=1, max_size=5).map("".join)


def assert_sound(response, *, html: str | None = None) -> str:
    """Never a 500; a refusal says why in words; no payload markup unescaped."""
    count(response)
    status = response.status_code
    assert status in ALLOWED, (status, response.get_data(as_text=True)[:500])
    html = response.get_data(as_text=True) if html is None else html
    if status >= 400:
        words = REFUSAL_WORDS.get(status, ())
        assert any(w in html for w in words), (status, html[:800])
    for marker in RAW_MARKERS:
        assert marker not in html, marker
    assert not UNSAFE_IN_PAGE.search(html), "a control character reached the page"
    return html
