"""Dependencies point one way: web and entry points -> operations -> domain ->
foundation (models, database, settings, clock). An import that points upward
fails here, naming the module, the line and the layers.

LAYERS is the one map of which package is where (docs/ARCHITECTURE.md draws
it). Every import counts, at module level or inside a function (a lazy import
is still a dependency), and TYPE_CHECKING ones too.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "intake"

#: module or package -> layer; the longest matching prefix decides. A module
#: may import its own layer and the layers below it.
LAYERS: dict[str, int] = {
    # 0 foundation: persistence, settings and small shared helpers
    "intake.models": 0, "intake.db": 0, "intake.migrate": 0, "intake.config": 0,
    "intake.paths": 0, "intake.datafiles": 0, "intake.clock": 0, "intake.audit": 0,
    "intake.plaintext": 0, "intake.wording": 0, "intake.signals": 0, "intake.mail": 0,
    "intake.sealed": 0,
    # the languages and their catalogs (pure Babel); which one a page uses is web
    "intake.i18n": 0,
    # the decision vocabulary: a leaf table (no imports) that the decisions
    # table's CHECK constraint is built from, so the models may read it
    "intake.screening.decisions": 0,
    # 1 domain: the questionnaire, the screening engine, documents' rendering,
    #   storage and verification
    "intake.questionnaire": 1, "intake.screening": 1, "intake.documents": 1,
    "intake.passwords": 1, "intake.totp": 1, "intake.visits": 1, "intake.fhir": 1,
    # 2 operations: the write-side use cases (take a session, flush, audit)
    "intake.operations": 2,
    # 3 web and entry points: blueprints, the app's Flask plumbing, the CLI,
    #   the worker's jobs, the demo seed, and the factory (the package root)
    "intake": 3, "intake.patient": 3, "intake.staff": 3, "intake.cli": 3,
    "intake.jobs": 3, "intake.demo": 3, "intake.serving": 3, "intake.errors": 3,
    "intake.demo_visits": 3,
    "intake.extensions": 3, "intake.security": 3, "intake.proxy": 3,
    "intake.log_redaction": 3, "intake.request_limits": 3, "intake.i18n.pages": 3,
}
NAMES = {0: "foundation", 1: "domain", 2: "operations", 3: "web/entry"}
#: Pure domain packages: no Flask, no database (they take plain data).
PURE = ("intake.questionnaire", "intake.screening", "intake.visits", "intake.fhir",
        "intake.i18n.catalogs", "intake.i18n.check", "intake.i18n.messages")
IMPURE_ROOTS = ("flask", "flask_wtf", "flask_login", "sqlalchemy", "intake.db", "intake.models")
#: Blueprints do not import one another (shared code moves down a layer).
BLUEPRINTS = ("intake.patient", "intake.staff")
#: Only the CLI builds the app; nothing else imports the factory.
FACTORY_USERS = ("intake.cli",)
#: Template helpers read; they do not import the write side.
READ_SIDE = ("intake.staff.filters", "intake.staff.presenter", "intake.staff.schedule",
             "intake.staff.schedule_rows")
#: Known exceptions, each with its reason; the list only ever shrinks.
ALLOWED: set[tuple[str, str]] = set()


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def layer_of(name: str) -> int:
    best = max((k for k in LAYERS if name == k or name.startswith(k + ".")), key=len)
    return LAYERS[best]


def _within(name: str, packages: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in packages)


def imports(name: str, path: Path) -> list[tuple[int, str]]:
    """(line, target) for every import in a module; `from intake import x`
    names the submodule intake.x when there is one, else the package root."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[tuple[int, str]] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {(node.lineno, alias.name) for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            for alias in node.names:
                sub = f"{source}.{alias.name}"
                found.add((node.lineno, sub if sub in MODULES else source))
    return sorted(found)


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(PACKAGE.parent))
    except ValueError:  # a planted file (the test of the check)
        return str(path)


def problems() -> list[str]:
    out = []
    for name, path in MODULES.items():
        for line, target in imports(name, path):
            where = f"{_shown(path)}:{line}: {name} imports {target}"
            if (name, target) in ALLOWED:
                continue
            if _within(name, PURE) and _within(target, IMPURE_ROOTS):
                out.append(f"{where}: the pure domain takes plain data, not Flask or the DB")
            if not target.startswith("intake"):
                continue
            if target == "intake" and name != "intake" and not _within(name, FACTORY_USERS):
                out.append(f"{where}: only the CLI imports the package root (the factory)")
                continue
            if _within(name, READ_SIDE) and _within(target, ("intake.operations",)):
                out.append(f"{where}: a template helper imports the write side")
            if layer_of(target) > layer_of(name):
                out.append(f"{where}: {NAMES[layer_of(name)]} must not import "
                           f"{NAMES[layer_of(target)]}")
            for bp in BLUEPRINTS:
                if _within(target, (bp,)) and not _within(name, (bp,)) and _within(
                        name, BLUEPRINTS):
                    out.append(f"{where}: one blueprint imports another")
    return out


def test_dependencies_point_one_way():
    assert problems() == []


def test_every_module_has_a_layer():
    assert all(layer_of(name) in NAMES for name in MODULES)


def test_an_upward_import_is_caught(tmp_path, monkeypatch):
    """The check itself can fail: a domain module importing a blueprint."""
    fake = PACKAGE / "screening" / "engine.py"
    text = fake.read_text(encoding="utf-8") + "\nfrom intake.staff.auth import CLINICAL\n"
    planted = tmp_path / "engine.py"
    planted.write_text(text, encoding="utf-8")
    found = [t for _, t in imports("intake.screening.engine", planted)]
    assert "intake.staff.auth" in found
    assert layer_of("intake.staff.auth") > layer_of("intake.screening.engine")
    monkeypatch.setitem(MODULES, "intake.screening.engine", planted)
    assert any("domain must not import web/entry" in p for p in problems())


def test_the_allowed_exceptions_are_still_needed():
    """An exception nobody needs any more is removed, not kept "just in case"."""
    used = {(name, target) for name, path in MODULES.items()
            for _, target in imports(name, path)}
    assert used >= ALLOWED
