"""What every question type is: the contract of one class per type.

A type owns everything about its answers, so nothing else in the code asks
"which type is this?" (Indico's survey fields work the same way):

- its YAML keys and their checks (``keys``, ``parse``);
- the value it may be compared with in a ``show_if`` (``condition_values``)
  and which operators of the show_if and of the screening rules fit it
  (``show_if_operators``, ``rule_operators``, with the capabilities the rule
  compiler asks: ``free_text``, ``numeric``, ``measurement``, ``scored``,
  ``region_list``);
- the check of a stored answer and its JSON Schema fragment;
- the blank test;
- its WTForms field and the conversion between posted data and the answer;
- the one formatter every reader uses (review page, staff pages, PDF);
- the template fragment that asks it (``macro`` in templates/_macros/fields.html);
- what it is in FHIR R4 (``fhir_item``, ``fhir_answers``, ``from_fhir_answers``):
  the item type, its options and limits, and its answers both ways
  (intake.fhir hands in the ``coder`` that knows the code systems).

A type object is stateless and shared; everything about one question is in
the ``Question`` it is handed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from intake.i18n.messages import N_, Message, either

from ..conditions import is_blank
from ._lazy import validators as v

if TYPE_CHECKING:
    from werkzeug.datastructures import MultiDict

    from ..definition import Definition, Question
    from ..regions import Regions
    from .display import AnswerFormat


SNAKE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")


class ParseError(ValueError):
    """One problem in questionnaire.yaml; the message starts with the id."""


def text_key(raw: Mapping[str, Any], key: str, where: str, required: bool = False) -> str | None:
    value = raw.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ParseError(f"{where}: {key} must be non-empty text")
    return value.strip()


def bool_key(raw: Mapping[str, Any], key: str, where: str, default: bool) -> bool:
    value = raw.get(key, default)
    if not isinstance(value, bool):
        raise ParseError(f"{where}: {key} must be true or false")
    return value


@dataclass(frozen=True)
class Shown:
    """An answer ready for any reader: text, a list of labels, or an image.

    ``text`` is always there for an answered question (a signature shown as
    an image still has words for readers that cannot show it)."""

    text: str | None = None
    items: tuple[str, ...] = ()
    image: str | None = None

    @property
    def plain(self) -> str:
        """One line: the text, or the items joined."""
        return ", ".join(self.items) if self.items else (self.text or "")


class QuestionType:
    #: the ``type:`` value in questionnaire.yaml
    name: ClassVar[str]
    #: the YAML keys this type allows beyond the common ones
    keys: ClassVar[frozenset[str]] = frozenset()
    #: what an answer is, in words (``intake questionnaire schema``)
    answer: ClassVar[str]
    #: the macro of templates/_macros/fields.html that asks it
    macro: ClassVar[str]
    #: whether a question of this type is required when the YAML does not say
    default_required: ClassVar[bool] = True
    #: the message when a required question is left blank
    required_message: ClassVar[str] = N_("Please answer this question.")
    #: the same, when another answer may stand in (``%(instead)s``: "fill in “…”")
    required_unless_message: ClassVar[Message] = N_(
        "Please answer this question, or %(instead)s.")
    #: a blank answer that another answer stands in for (required_unless_answered)
    left_blank: ClassVar[str] = N_("Left blank")
    #: answered by ticking one box (an agreement on the consent step)
    tick_box: ClassVar[bool] = False
    #: what one value of its answer is called in an error ("unknown region ...")
    value_noun: ClassVar[str] = "option value"

    # --- what conditions may ask of it (show_if, screening rules) ---------------
    #: show_if operators beyond ``answered`` (which fits every type)
    show_if_operators: ClassVar[frozenset[str]] = frozenset()
    #: screening-rule operators beyond ``answered``/``not_answered`` (every type)
    rule_operators: ClassVar[frozenset[str]] = frozenset()
    #: free text: left blank means "nothing to add", so a rule on it stays quiet
    #: (not "not answered"); drug_class reads it as text, not option values
    free_text: ClassVar[bool] = False
    #: the answer is a number: equals/in take numbers, sum adds it as it is
    numeric: ClassVar[bool] = False
    #: a number with an optional unit (height, weight): what bmi may read
    measurement: ClassVar[bool] = False
    #: one answer a score can be given to (sum: option scores or points)
    scored: ClassVar[bool] = False
    #: the answer lists body regions: a rule's ``site`` may name it
    region_list: ClassVar[bool] = False

    # --- FHIR R4 (intake.fhir) -------------------------------------------------
    #: the Questionnaire ``item.type``
    fhir_type: ClassVar[str] = "string"
    #: the answer's ``value[x]`` suffix (``valueString``)
    fhir_value: ClassVar[str] = "String"
    #: several answers to one item (``item.repeats``): the answer is a list
    fhir_repeats: ClassVar[bool] = False

    # --- the YAML ---------------------------------------------------------------

    def parse(self, raw: Mapping[str, Any], where: str, out: dict[str, Any]) -> None:
        """Check this type's keys of ``raw`` and put them, checked, into ``out``."""

    def condition_values(self, question: Mapping[str, Any],
                         regions: Regions) -> frozenset[Any] | None:
        """The values a show_if may compare this question with (None: not comparable)."""
        return None

    def option_label(self, question: Question, value: Any, definition: Definition) -> str:
        """The label of one value of a pick-list answer; KeyError when unknown."""
        raise KeyError(f"{question.id}: a {self.name} question has no options")

    def rule_values(self, question: Any, region_ids: frozenset[str]) -> frozenset[Any]:
        """The values a screening rule may name for this question (its options)."""
        return frozenset(o.value for o in (question.options or ()))

    def option_scores(self, question: Any) -> dict[Any, Any]:
        """The points its options carry (``score:``), for a sum without points."""
        return {}

    # --- stored answers ---------------------------------------------------------

    def is_blank(self, value: Any) -> bool:
        return is_blank(value)

    def problem(self, question: Question, value: Any, definition: Definition,
                today: date) -> str | None:
        """What is wrong with a non-blank stored answer, or None."""
        raise NotImplementedError

    def json_schema(self, question: Question, definition: Definition) -> dict[str, Any]:
        raise NotImplementedError

    # --- the form ---------------------------------------------------------------

    def form_field(self, question: Question, definition: Definition, **kwargs: Any):
        """The unbound WTForms field; ``kwargs`` has label, id and validators."""
        raise NotImplementedError

    def validators(self, question: Question, definition: Definition) -> list:
        """Required-ness first, then this type's own checks (``checks``)."""
        if question.required and question.required_unless_answered:
            instead = [definition.questions[qid] for qid in question.required_unless_answered]
            words = either(N_("fill in “%(label)s”", label=o.label) for o in instead)
            message = Message(self.required_unless_message.msgid, instead=words)
            first: list = [v.RequiredUnless(message, question.required_unless_answered)]
        elif question.required:
            first = [v.Required(self.required_message)]
        else:
            first = [v.NotRequired()]
        return first + self.checks(question, definition)

    def checks(self, question: Question, definition: Definition) -> list:
        return []

    def to_answer(self, question: Question, field: Any) -> Any:
        """What a field holds, in the answers' shape; None when blank or unreadable."""
        data = field.data
        if isinstance(data, str) and not data.strip():
            return None
        return data

    def to_formdata(self, question: Question, value: Any, data: MultiDict) -> None:
        """A saved answer as the browser would post it."""
        data.add(question.id, str(value))

    def form_names(self, question: Question) -> tuple[str, ...]:
        """The names the question's inputs post under (what a kept invalid
        input is read back from)."""
        return (question.id,)

    def anchor(self, question: Question, element_id: str, field: Any) -> str:
        """The first input of the question (where an error link takes the patient)."""
        return element_id

    def described_by(self, question: Question, element_id: str) -> list[str]:
        """This type's own hint ids, beyond help, condition and error."""
        return []

    # --- reading ----------------------------------------------------------------

    def sample(self, question: Question, quiet: tuple[str, ...]) -> Any:
        """A quiet synthetic answer for demo and test data (None: leave it
        unanswered); ``quiet`` are option values preferred where a list has them."""
        return None

    def show(self, question: Question, value: Any, fmt: AnswerFormat) -> Shown:
        """A non-blank answer as every reader shows it."""
        return Shown(text=str(value))

    def negative(self, question: Question, value: Any) -> bool:
        """A plain "no", "none" or "never": nothing to report (the PDF groups these)."""
        return False

    # --- FHIR R4 ----------------------------------------------------------------

    def fhir_item(self, question: Question, definition: Definition, coder: Any) -> dict:
        """This type's part of a Questionnaire item: type, repeats, options, limits."""
        out: dict[str, Any] = {"type": self.fhir_type}
        if self.fhir_repeats:
            out["repeats"] = True
        return out

    def fhir_answers(self, question: Question, value: Any, definition: Definition,
                     coder: Any) -> list[dict]:
        """A non-blank answer as QuestionnaireResponse answers (one per value)."""
        values = value if self.fhir_repeats else [value]
        return [{f"value{self.fhir_value}": self.fhir_encode(question, one, definition, coder)}
                for one in values]

    def from_fhir_answers(self, question: Question, answers: Any, definition: Definition,
                         coder: Any) -> Any:
        """QuestionnaireResponse answers back as this type's answer; ValueError
        says plainly what does not fit (``problem`` still checks the value)."""
        key = f"value{self.fhir_value}"
        if not isinstance(answers, list) or not answers:
            raise ValueError("has no answer")
        if not self.fhir_repeats and len(answers) != 1:
            raise ValueError(f"takes one answer, not {len(answers)}")
        values = []
        for answer in answers:
            if not isinstance(answer, Mapping) or key not in answer:
                given = [str(k) for k in answer if str(k).startswith("value")] \
                    if isinstance(answer, Mapping) else []
                raise ValueError(f"needs {key} (a {self.fhir_type} answer), "
                                 f"not {', '.join(given) or 'nothing'}")
            values.append(self.fhir_decode(question, answer[key], definition, coder))
        return values if self.fhir_repeats else values[0]

    def fhir_encode(self, question: Question, value: Any, definition: Definition,
                    coder: Any) -> Any:
        """One value of the answer as the ``value[x]`` content."""
        return value

    def fhir_decode(self, question: Question, raw: Any, definition: Definition,
                    coder: Any) -> Any:
        """One ``value[x]`` content back as one value of the answer."""
        return raw
