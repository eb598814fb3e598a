"""The form modules, imported on first use.

The screening engine and `intake rules check` load the questionnaire but
never build a form; importing WTForms for them would slow every start-up
(tests/test_cli_startup.py holds that line).
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any


class _Lazy:
    def __init__(self, name: str) -> None:
        self._name = name
        self._module: ModuleType | None = None

    def __getattr__(self, attr: str) -> Any:
        if self._module is None:
            self._module = importlib.import_module(self._name)
        return getattr(self._module, attr)


fields: Any = _Lazy("intake.questionnaire.types.fields")
validators: Any = _Lazy("intake.questionnaire.types.validators")
