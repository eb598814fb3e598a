"""The simulated patients and the closed-loop hammer of benchmarks/load.py.

Plain http.client on loopback, one connection per request (as phones through
a proxy arrive), cookies kept per patient, forms posted with the CSRF token
read from the page, as a browser does. Latencies are wall-clock per request.
"""

from __future__ import annotations

import http.client
import random
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
MAX_PAGES = 30  # a walk that goes on longer than the questionnaire is a loop


class Unexpected(Exception):
    """A response the walk did not expect (status or page)."""


@dataclass
class Stats:
    step_ms: list[float] = field(default_factory=list)
    page_ms: list[float] = field(default_factory=list)
    acknowledged: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    unfinished: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def error(self, what: str) -> None:
        with self.lock:
            self.errors.append(what)


class Browser:
    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.cookies = SimpleCookie()

    def request(self, method: str, path: str, fields=None) -> tuple[int, dict, str, float]:
        headers = {"Connection": "close"}
        body = None
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={m.value}" for k, m in self.cookies.items())
        if fields is not None:
            body = urlencode(fields, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
        started = time.perf_counter()
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
        finally:
            conn.close()
        elapsed = (time.perf_counter() - started) * 1000
        for value in response.headers.get_all("Set-Cookie") or []:
            self.cookies.load(value)
        return response.status, response.headers, text, elapsed


def csrf_token(text: str, path: str) -> str:
    found = CSRF_FIELD.search(text)
    if not found:
        raise Unexpected(f"no CSRF token on {_shape(path)}")
    return found.group(1)


def _shape(path: str) -> str:
    """A path fit to print: the token replaced, as in the logs."""
    return re.sub(r"/i/[^/]+", "/i/[token]", path)


def _expect(status: int, wanted: int, method: str, path: str) -> None:
    if status != wanted:
        raise Unexpected(f"{method} {_shape(path)}: {status}, expected {wanted}")


def open_link(browser: Browser, token: str, language: str = "en") -> tuple[int, str | None]:
    """A patient opens their link: a fresh one shows the language choice first
    (intake/patient/language.py), which is answered. (status, the step's path)."""
    path = f"/i/{token}"
    status, headers, text, _ = browser.request("GET", path)
    if status == 200 and 'name="language"' in text:
        fields = [("csrf_token", csrf_token(text, path)), ("language", language),
                  ("next", "start")]
        path = f"/i/{token}/language"
        status, headers, _, _ = browser.request("POST", path, fields)
    location = headers.get("Location")
    return status, urlsplit(location).path if location else None


def walk(browser: Browser, token: str, fields_for: Callable[[str], list], stats: Stats,
         pause: Callable[[], float], deadline: float, intake_id: int) -> None:
    """One patient: every asked step with Next, then the review, then submit."""
    try:
        status, location = open_link(browser, token)
        if location is None:
            _expect(status, 303, "GET", f"/i/{token}")
        for _ in range(MAX_PAGES):
            if time.monotonic() > deadline:
                with stats.lock:
                    stats.unfinished += 1
                return
            status, _, text, ms = browser.request("GET", location)
            _expect(status, 200, "GET", location)
            stats.page_ms.append(ms)
            fields = [("csrf_token", csrf_token(text, location))]
            time.sleep(pause())
            if location.endswith("/review"):
                path = f"/i/{token}/submit"
                status, headers, _, _ = browser.request("POST", path, fields)
                _expect(status, 303, "POST", path)
                if not urlsplit(headers["Location"]).path.endswith("/done"):
                    raise Unexpected("submit did not lead to the done page")
                stats.acknowledged.append(intake_id)
                return
            step_id = location.rsplit("/", 1)[1]
            status, headers, _, ms = browser.request("POST", location,
                                                     fields + fields_for(step_id))
            _expect(status, 303, "POST", location)
            stats.step_ms.append(ms)
            location = urlsplit(headers["Location"]).path
        raise Unexpected("the walk did not reach the review page")
    except Unexpected as exc:
        stats.error(str(exc))
    except OSError as exc:
        stats.error(f"{type(exc).__name__}")


def pauser(low: float, high: float, seed: int) -> Callable[[], float]:
    rng = random.Random(seed)  # noqa: S311 (think time, not a secret)
    return lambda: rng.uniform(low, high)


def hammer(posts: list[Callable[[], int]], seconds: float, warm_up: float = 1.0
           ) -> tuple[float, int]:
    """Each callable in its own thread, back to back for `seconds`; the rate of
    accepted (303) saves after `warm_up`, and the count of anything else."""
    start = time.monotonic()
    window_start, end = start + warm_up, start + warm_up + seconds
    counts, errors = [0] * len(posts), [0] * len(posts)

    def run(i: int) -> None:
        while time.monotonic() < end:
            try:
                ok = posts[i]() == 303
            except OSError:
                ok = False
            if not window_start <= time.monotonic() <= end:
                continue
            if ok:
                counts[i] += 1
            else:
                errors[i] += 1

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(posts))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(counts) / seconds, sum(errors)
