"""Visibility and the whole-intake check, computed once per answers per request.

Submitting re-checks every asked step the way a post of that step would be
checked, and each of those checks asks again which questions are shown and
whether the whole intake passes: about 27 visibility passes and 10 whole
checks for one click, on answers that are the same each time. Both are pure
functions of (definition, answers, date), so inside a scope (one request:
the patient blueprint opens it) each result is kept under the answers'
content and handed out again as a fresh copy.

The key is the answers' content, not the dict's identity, because the
callers rebuild equal dicts (merged with a post, pruned, in another key
order) and because a draft dict may be changed in place between two calls.
The definition says what the key holds (the answer to each question, and
for the check the unknown ids in their order); freeze() keeps Python types
apart (True, 1 and 1.0 are equal in Python, not to a show_if). Outside a
scope nothing is kept, so a long-running process cannot grow.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

T = TypeVar("T")

_store: ContextVar[dict[tuple, Any] | None] = ContextVar("intake_answers_memo", default=None)
#: a request re-checks one draft; a scope never needs more entries than this
_LIMIT = 64


@contextmanager
def answers_scope() -> Iterator[None]:
    """Keep results for the duration of the block (nested blocks share the outer one)."""
    if _store.get() is not None:
        yield
        return
    token = _store.set({})
    try:
        yield
    finally:
        _store.reset(token)


def open_scope() -> Any:
    """For request hooks that cannot use a with-block: returns what close_scope takes."""
    return _store.set({})


def close_scope(token: Any) -> None:
    _store.reset(token)


def active() -> bool:
    return _store.get() is not None


def remembered(kind: str, owner: object, key: Callable[[], Any],
               compute: Callable[[], T], copy: Callable[[T], T]) -> T:
    """compute(), or a copy of what it gave for an equal key() in this scope.

    ``key`` is only called inside a scope; it raises TypeError for answers
    it cannot describe, which are then simply not kept.
    """
    store = _store.get()
    if store is None:
        return compute()
    try:
        full_key = (kind, id(owner), key())
    except TypeError:
        return compute()
    entry = store.get(full_key)
    if entry is None or entry[0] is not owner:
        if len(store) >= _LIMIT:
            store.clear()
        entry = store[full_key] = (owner, compute())
    return copy(entry[1])


def freeze(value: Any) -> Any:
    """A hashable form of JSON-like data that is equal only for the same data and types."""
    kind = type(value)
    if kind is str or value is None:
        return value
    if kind is dict:
        return (dict, tuple((freeze(k), freeze(v)) for k, v in value.items()))
    if kind is list or kind is tuple:
        return (kind, tuple(freeze(v) for v in value))
    if kind is float:
        return (float, repr(value))  # -0.0 == 0.0 in Python, yet it shows differently
    hash(value)  # TypeError for anything unhashable
    return (kind, value)


def freeze_each(get: Callable[[str], Any], ids: Iterable[str]) -> tuple[Any, ...]:
    """freeze(get(i)) for each id, as one tuple: the key of a whole draft.

    Built once or twice for each save, over every question: a text or a
    missing answer (most of them) is its own frozen form without a call."""
    out = []
    append = out.append
    for qid in ids:
        value = get(qid)
        append(value if value is None or type(value) is str else freeze(value))
    return tuple(out)
