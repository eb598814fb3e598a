"""Check a rule's condition against the questionnaire and compile it.

Every question id, option value, region id and drug class a rule names is
checked here, together with whether the operator fits the question's type,
so a typo in a rule stops the app at start-up instead of silently never
firing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from intake.questionnaire.types import TYPES, QuestionType

from . import derived
from . import operators as ops
from .conditions import (
    NOT_SURE,
    ConditionError,
    Node,
    compile_all,
    compile_any,
    compile_fired,
    compile_not,
    compile_plan,
)
from .vocabulary import Vocabulary

COMPARE_KEYS = ("gt", "gte", "lt", "lte")
#: operators that fit a question of any type; the rest are the types' own
#: (``QuestionType.rule_operators``), so a new type needs no edit here
ANY_TYPE_OPERATORS = frozenset({"answered", "not_answered"})
QUESTION_OPERATORS = ANY_TYPE_OPERATORS.union(*(k.rule_operators for k in TYPES.values()))
COMBINATORS = ("all", "any", "not", "fired", "plan", "bmi", "sum")
WITHIN_UNITS = ("days", "weeks", "months", "years")
HEIGHT_SCALE = {None: 0.01, "cm": 0.01, "m": 1.0}
WEIGHT_SCALE = {None: 1.0, "kg": 1.0, "lb": 0.45359237}


def kind_of(question: Any) -> QuestionType:
    """The question's type object: what it says fits decides, never its name."""
    return TYPES[question.type]


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


class Compiler:
    """Compiles conditions for one questionnaire definition and vocabulary."""

    def __init__(self, definition: Any, vocabulary: Vocabulary) -> None:
        self.definition = definition
        self.vocabulary = vocabulary
        self.questions: Mapping[str, Any] = definition.questions
        self.labels = {qid: getattr(q, "label", None) for qid, q in self.questions.items()}
        self.region_ids = frozenset(definition.regions.ids)

    def question(self, qid: Any, where: str) -> Any:
        if not isinstance(qid, str) or qid not in self.questions:
            raise ConditionError(f"{where}: unknown question id {qid!r}")
        return self.questions[qid]

    def options(self, question: Any) -> frozenset[Any]:
        """The values a rule may name: the question's type says which."""
        return kind_of(question).rule_values(question, self.region_ids)

    # --- entry point ---------------------------------------------------------------

    def compile(self, data: Any, where: str = "when") -> Node:
        if not isinstance(data, Mapping) or not data:
            raise ConditionError(f"{where}: a condition must be a non-empty mapping")
        keys = set(data)
        if "question" in keys:
            return self._question_leaf(data, where)
        if len(keys) != 1 and not (keys & {"bmi", "sum"}):
            raise ConditionError(f"{where}: expected exactly one of {', '.join(COMBINATORS)}")
        if "all" in keys or "any" in keys:
            name = "all" if "all" in keys else "any"
            items = data[name]
            if not isinstance(items, list) or not items:
                raise ConditionError(f"{where}.{name}: must be a non-empty list of conditions")
            children = [self.compile(c, f"{where}.{name}[{i}]") for i, c in enumerate(items)]
            return compile_all(children) if name == "all" else compile_any(children)
        if "not" in keys:
            return compile_not(self.compile(data["not"], f"{where}.not"), self.labels)
        if "fired" in keys:
            ids = data["fired"]
            if isinstance(ids, str):
                ids = [ids]
            if not isinstance(ids, list) or not ids or not all(isinstance(i, str) for i in ids):
                raise ConditionError(f"{where}.fired: must be a rule id or a list of rule ids")
            return compile_fired(ids)
        if "plan" in keys:
            return compile_plan(str(data["plan"]))
        if "bmi" in keys:
            return self._bmi(data, where)
        if "sum" in keys:
            return self._sum(data, where)
        raise ConditionError(
            f"{where}: unknown operator {', '.join(sorted(map(str, keys)))} "
            f"(expected question, {', '.join(COMBINATORS)})"
        )

    # --- question leaves -----------------------------------------------------------

    def _question_leaf(self, data: Mapping[str, Any], where: str) -> Node:
        qid = data["question"]
        question = self.question(qid, where)
        where = f"{where} ({qid})"
        operators = set(data) - {"question"}
        unknown = operators - QUESTION_OPERATORS
        if unknown:
            raise ConditionError(f"{where}: unknown operator {', '.join(sorted(unknown))}")
        if not operators:
            raise ConditionError(f"{where}: no operator")
        if len(operators) > 1 and not operators <= set(COMPARE_KEYS):
            raise ConditionError(f"{where}: one operator per condition (use all: [...])")
        kind = kind_of(question)
        for name in operators - ANY_TYPE_OPERATORS - kind.rule_operators:
            fits = sorted(n for n, k in TYPES.items() if name in k.rule_operators)
            raise ConditionError(
                f"{where}: operator {name!r} does not fit a {kind.name} question "
                f"(fits {', '.join(fits)})"
            )
        name = next(iter(operators))
        value = data[name]
        label = self.labels.get(qid)
        free_text = kind.free_text
        if name in COMPARE_KEYS:
            tests = self._comparisons({k: data[k] for k in operators}, where)
            return ops.leaf(qid, free_text, label, ops.match_compare(tests))
        if name in ("answered", "not_answered", "not_sure"):
            if value is not True:
                raise ConditionError(f"{where}: {name} takes the value true")
            if name == "not_sure":
                if NOT_SURE not in self.options(question):
                    raise ConditionError(f"{where}: the question has no not_sure option")
                return ops.not_sure_leaf(qid, label)
            return ops.answered_leaf(qid, label, name == "answered")
        if name in ("equals", "in", "contains", "contains_any"):
            wanted = self._values(question, name, value, where)
            if name in ("equals", "in"):
                return ops.in_leaf(qid, free_text, label, wanted, self.options(question))
            return ops.contains_leaf(qid, free_text, label, wanted)
        if name == "drug_class":
            return self._drug_class(qid, question, value, where)
        if name == "age":
            if not isinstance(value, Mapping):
                raise ConditionError(f"{where}: age takes comparisons, e.g. {{lt: 18}}")
            match, describe = derived.match_age(self._comparisons(value, f"{where}.age"))
            return ops.leaf(qid, free_text, label, match, describe)
        # within
        if not isinstance(value, Mapping) or len(value) != 1:
            raise ConditionError(f"{where}: within takes one of {', '.join(WITHIN_UNITS)}")
        unit, amount = next(iter(value.items()))
        if unit not in WITHIN_UNITS or not isinstance(amount, int) or amount < 0:
            raise ConditionError(f"{where}: within takes {{weeks: 12}}-style values")
        match, describe = derived.match_within(amount, unit)
        return ops.leaf(qid, free_text, label, match, describe)

    def _values(self, question: Any, name: str, value: Any, where: str) -> frozenset[Any]:
        many = name in ("in", "contains_any")
        values = value if many else [value]
        if not isinstance(values, list) or not values:
            raise ConditionError(f"{where}: {name} takes a non-empty list")
        if kind_of(question).numeric:
            bad = [v for v in values if not _number(v)]
            if bad:
                raise ConditionError(f"{where}: {name} on a number question takes numbers")
            return frozenset(values)
        known = self.options(question)
        bad = [v for v in values if v not in known]
        if bad:
            noun = kind_of(question).value_noun
            raise ConditionError(f"{where}: unknown {noun} {', '.join(map(repr, bad))}")
        return frozenset(values)

    def _comparisons(self, data: Mapping[str, Any], where: str) -> list[tuple[Any, Any]]:
        tests = []
        for key, bound in data.items():
            if key not in ops.COMPARATORS:
                raise ConditionError(f"{where}: unknown comparison {key!r}")
            if not _number(bound):
                raise ConditionError(f"{where}: {key} takes a number")
            tests.append((ops.COMPARATORS[key], bound))
        if not tests:
            raise ConditionError(f"{where}: no comparison")
        return tests

    def _drug_class(self, qid: str, question: Any, value: Any, where: str) -> Node:
        wanted = [value] if isinstance(value, str) else value
        if not isinstance(wanted, list) or not wanted:
            raise ConditionError(f"{where}: drug_class takes a class or a list of classes")
        unknown = [c for c in wanted if c not in self.vocabulary.classes]
        if unknown:
            raise ConditionError(f"{where}: unknown drug class {', '.join(map(str, unknown))}")
        classes = frozenset(wanted)
        vocabulary = self.vocabulary
        label = self.labels.get(qid)
        free_text = kind_of(question).free_text
        if not free_text:  # a pick list: the options that belong to the classes
            per_value = {
                v: vocabulary.classes_of_value(str(v)) & classes for v in self.options(question)
            }
            if not any(per_value.values()):
                raise ConditionError(
                    f"{where}: no option of {qid} belongs to {', '.join(sorted(classes))}"
                )
            hits = frozenset(v for v, found in per_value.items() if found)
            match = ops.match_contains_any(hits)
            fused = ops.contains_leaf(qid, free_text, label, hits)

            def describe(answer: Any, ctx: Any) -> str | None:
                return _describe_matches(
                    [m for v in answer if v in hits for m in vocabulary.match_value(str(v))],
                    classes,
                )
        else:

            def match(answer: Any, ctx: Any) -> int:
                for found in vocabulary.match_text(str(answer)):
                    if found.drug.classes & classes:
                        return ops.TRUE
                return ops.FALSE

            def describe(answer: Any, ctx: Any) -> str | None:
                return _describe_matches(vocabulary.match_text(str(answer)), classes)

        node = ops.leaf(qid, free_text, label, match, describe)
        if not free_text:
            # the fused test, with the explain that names the matched medicine
            node = Node(fused.test, node.explain, node.questions)
        return node

    # --- derived numbers ----------------------------------------------------------------

    def _bmi(self, data: Mapping[str, Any], where: str) -> Node:
        spec = data["bmi"]
        if not isinstance(spec, Mapping) or set(spec) != {"height", "weight"}:
            raise ConditionError(f"{where}.bmi: takes {{height: <question>, weight: <question>}}")
        parts = []
        for part, scales in (("height", HEIGHT_SCALE), ("weight", WEIGHT_SCALE)):
            question = self.question(spec[part], f"{where}.bmi.{part}")
            unit = getattr(question, "unit", None)
            kind = kind_of(question)
            if not kind.measurement or unit not in scales:
                raise ConditionError(
                    f"{where}.bmi.{part}: needs a number question in "
                    f"{'/'.join(u for u in scales if u)}"
                )
            parts.append((question.id, kind.free_text, self.labels.get(question.id),
                          scales[unit]))
        tests = self._comparisons({k: v for k, v in data.items() if k != "bmi"}, f"{where}.bmi")
        return derived.bmi_leaf(parts[0], parts[1], tests)

    def _sum(self, data: Mapping[str, Any], where: str) -> Node:
        spec = data["sum"]
        points: Mapping[Any, Any] | None = None
        if isinstance(spec, Mapping):
            if set(spec) - {"questions", "points"}:
                raise ConditionError(f"{where}.sum: keys are questions and points")
            points = spec.get("points")
            spec = spec.get("questions")
        if not isinstance(spec, list) or not spec:
            raise ConditionError(f"{where}.sum: needs a list of questions")
        tests = {k: v for k, v in data.items() if k != "sum"}
        if not tests or set(tests) - {"gt", "gte"}:
            raise ConditionError(f"{where}.sum: compare the total with gt or gte")
        items = []
        used: set[Any] = set()
        for qid in spec:
            question = self.question(qid, f"{where}.sum")
            kind = kind_of(question)
            if kind.numeric and points is None:
                top = question.max if question.max is not None else float("inf")
                items.append((qid, kind.free_text, self.labels.get(qid), None, top))
                continue
            scores = points if points is not None else kind.option_scores(question)
            if not kind.scored or not scores:
                raise ConditionError(f"{where}.sum ({qid}): needs scored options or points")
            if not all(_number(p) for p in scores.values()):
                raise ConditionError(f"{where}.sum ({qid}): points must be numbers")
            items.append((qid, kind.free_text, self.labels.get(qid), scores,
                          max(scores.values())))
            used.update(v for v in scores if v in self.options(question))
        if points is not None:
            unknown = [v for v in points if v not in used]
            if unknown:
                raise ConditionError(f"{where}.sum: points for unknown options {unknown}")
        return derived.sum_leaf(items, self._comparisons(tests, f"{where}.sum"))


def _describe_matches(matches: Any, classes: frozenset[str]) -> str | None:
    parts = [m.describe(m.drug.classes & classes) for m in matches if m.drug.classes & classes]
    return "; ".join(dict.fromkeys(parts)) or None
