"""Parsing the YAML data files (questionnaire, regions, rules): fast, same result.

PyYAML's pure-Python SafeLoader takes about half a second for the shipped
files, on every `intake rules check` a clinician runs. Three things make it
cheap without changing what a loader sees:

- libyaml's CSafeLoader (when PyYAML was built with it) builds the same
  Python data about eight times faster. Its error messages are terser, so a
  file that does not parse is parsed again with SafeLoader: the message a
  clinician reads (with the caret under the mistake) stays the same.
- The data parsed from a text is remembered, keyed by the sha256 of that
  text: in this process, and in a cache directory for the next process.
  A changed file has another hash, so an entry can never be stale; an entry
  that does not read back exactly (truncated, altered, from another
  version) is ignored and the text parsed again.
- Each caller gets its own fresh copy (entries are kept pickled), so one
  caller changing the data cannot change what the next one gets.

A check that is a pure function of files (the rule examples' answers checked
against the questionnaire, when rules load) may also be skipped once it has
passed for exactly the same inputs: the key covers the files' hashes and the
source of the whole intake package, so editing a rule, the questionnaire or
the code runs the check again (see passed_before).

The cache directory is INTAKE_CACHE_DIR, else $XDG_CACHE_HOME/intake, else
~/.cache/intake; INTAKE_CACHE_DIR set to an empty value turns it off. It is
unpickled with an allow-list (the types YAML produces), never arbitrary
classes, so a planted file cannot run code.
"""

from __future__ import annotations

import functools
import hashlib
import io
import os
import pickle
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

FAST_LOADER = getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader
_VERSION = "intake-yaml-1"
_MEMO_LIMIT = 128
_memo: dict[str, bytes] = {}
_MISSING = object()
#: the only globals a cached entry may name: what yaml.safe_load returns
_ALLOWED = frozenset({
    ("datetime", "date"), ("datetime", "datetime"), ("datetime", "timedelta"),
    ("datetime", "timezone"), ("builtins", "set"), ("builtins", "frozenset"),
})


def parse_yaml(text: str) -> Any:
    """yaml.safe_load(text), from the cache when this text was parsed before."""
    key = _key(text)
    blob = _memo.get(key) or _read_entry(key)
    data = _MISSING if blob is None else _loads(blob)
    if data is _MISSING:
        data = _parse(text)
        blob = pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL)
        _write_entry(key, blob)
    if len(_memo) >= _MEMO_LIMIT:
        _memo.clear()
    _memo[key] = blob
    return data


def passed_before(name: str, inputs: tuple[str, ...], check: Callable[[], list[str]]) -> list[str]:
    """check()'s problems, or [] at once if the same check passed on the same inputs.

    Only a pass is remembered; problems are always worked out afresh, so a
    message is never stale. Without a cache directory the check always runs.
    """
    directory = cache_dir()
    if directory is None:
        return check()
    key = hashlib.sha256("\0".join((_VERSION, name, _source_digest(), *inputs)).encode())
    path = directory / "passed" / key.hexdigest()
    try:
        if path.read_text(encoding="ascii") == key.hexdigest():
            return []
    except (OSError, ValueError):
        pass
    problems = check()
    if not problems:
        _write_atomic(path, key.hexdigest().encode())
    return problems


@functools.cache
def _source_digest() -> str:
    """sha256 over every module of the intake package: a code change is a new key."""
    digest = hashlib.sha256(f"{sys.version_info[:2]}".encode())
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*.py")):
        digest.update(str(path.relative_to(package)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _parse(text: str) -> Any:
    try:
        return yaml.load(text, Loader=FAST_LOADER)  # noqa: S506 - a safe loader
    except yaml.YAMLError:
        if FAST_LOADER is yaml.SafeLoader:
            raise
    return yaml.load(text, Loader=yaml.SafeLoader)  # noqa: S506 - the same error, worded well


def _key(text: str) -> str:
    salt = f"{_VERSION}\0{yaml.__version__}\0{FAST_LOADER.__name__}\0{sys.version_info[:2]}\0"
    return hashlib.sha256(salt.encode() + text.encode("utf-8", "surrogatepass")).hexdigest()


def cache_dir() -> Path | None:
    configured = os.environ.get("INTAKE_CACHE_DIR")
    if configured is not None:
        return Path(configured) if configured.strip() else None
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "intake"


def _entry_path(key: str) -> Path | None:
    directory = cache_dir()
    return None if directory is None else directory / "yaml" / f"{key}.pickle"


def _header(key: str, blob: bytes) -> bytes:
    return f"{key}\n{hashlib.sha256(blob).hexdigest()}\n".encode()


def _read_entry(key: str) -> bytes | None:
    """The pickled data of an entry that reads back exactly, else None."""
    path = _entry_path(key)
    if path is None:
        return None
    try:
        raw = path.read_bytes()
        first, second, blob = raw.split(b"\n", 2)
    except (OSError, ValueError):
        return None
    return blob if raw[: len(first) + len(second) + 2] == _header(key, blob) else None


def _write_entry(key: str, blob: bytes) -> None:
    path = _entry_path(key)
    if path is not None:
        _write_atomic(path, _header(key, blob) + blob)


def _write_atomic(path: Path, data: bytes) -> None:
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as handle:
            try:
                handle.write(data)
                handle.close()
                os.replace(handle.name, path)  # readers see no entry or a whole one
            except OSError:
                os.unlink(handle.name)
                raise
    except OSError:
        pass  # a read-only home or a full disk makes the cache slower, never wrong


class _DataOnly(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in _ALLOWED:
            raise pickle.UnpicklingError(f"{module}.{name} is not YAML data")
        return super().find_class(module, name)


def _loads(blob: bytes) -> Any:
    """The data of an entry, or _MISSING when it does not unpickle as YAML data."""
    try:
        return _DataOnly(io.BytesIO(blob)).load()
    except Exception:  # a damaged entry, whatever the damage, is only a cache miss
        return _MISSING
