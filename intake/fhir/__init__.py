"""FHIR R4 for the clinic's other systems: the questionnaire, each intake, read back.

Pure, like the rest of the domain: it takes the definition, the answers and
the flags as plain data and gives plain dicts in R4's JSON shape (no Flask,
no database). What each question type is in FHIR is the type's to say
(``QuestionType.fhir_item`` and friends in questionnaire/types/); the code
systems live in codes.py; docs/FHIR.md has the mapping and what cannot be said.

The models of the ``fhir.resources`` package (the optional ``fhir`` extra)
check the resources (validate.py): FHIR R4B models, as fhir.resources 8 has
no plain R4 (docs/FHIR.md says why that is safe for these resources).
"""

from .bundle import IntakeRecord, bundle
from .questionnaire import canonical, questionnaire
from .response import ResponseError, read_response, response

__all__ = ["IntakeRecord", "ResponseError", "bundle", "canonical", "questionnaire",
           "read_response", "response"]
