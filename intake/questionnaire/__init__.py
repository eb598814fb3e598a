"""The patient questionnaire as data: load, validate and evaluate it.

See FORMAT.md next to this file for the contract (file format, show_if
language, answers shape and this API). Pure Python: no Flask, no database.
"""

from .answers import schema
from .conditions import Condition
from .definition import (
    Definition,
    DefinitionError,
    Option,
    Question,
    Step,
    load_definition,
)
from .regions import Area, Regions

__all__ = [
    "Area",
    "Condition",
    "Definition",
    "DefinitionError",
    "Option",
    "Question",
    "Regions",
    "Step",
    "load_definition",
    "schema",
]
