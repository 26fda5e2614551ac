"""The flat condition form, compiled to the nested durable-rules form both backends run.

A flat condition tests one fact and reads like the rule::

    { fact = "solution", trigger = "audit" }                      # equality
    { fact = "solution", trigger = ["audit", "major-version"] }   # any of
    { fact = "solution", trigger = { not = "initial" } }          # none of (also a list)
    { fact = "solution", cnda_request_status = { gte = { param = "cnda-min-status" } } }
    { fact = "solution", today = { gte = 2025-11-17 } }           # dates compare as dates
    { fact = "solution", not = { parcours = "groupement" } }      # negation of a sub-condition
    { fact = "solution", any = [{ trigger = "audit" }, { financing = false }] }

``fact`` is the fact kind; every other key is an attribute (or ``not`` / ``any``). A value is a
scalar (equality), a list (any of), or a table of operators: ``eq``, ``not``, ``in``, ``lt``,
``lte``, ``gt``, ``gte``, ``exists``. Operands may be ``{ param = "id" }``: the value of a pack
parameter in force on the date the check concerns, bound before evaluation.

Negation is rewritten (De Morgan) into the operators durable-rules has: « not equal » is
« absent or different » (``$nex`` or ``$neq``), since durable's ``$neq`` never matches a fact
that lacks the attribute. Dates become integers ``YYYYMMDD`` (the facts carry them that way), and
comparisons on an ordered status (``cnda_request_status``) become comparisons of its rank.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable, Mapping
from typing import Any

from ..errors import FieldProblem
from ..models.profile import CNDA_STATUS_RANK

#: Statuses whose order matters: a comparison on ``field`` is one on ``field``'s rank attribute.
ORDERED: dict[str, tuple[str, Mapping[str, int]]] = {
    "cnda_request_status": ("cnda_request_rank", CNDA_STATUS_RANK),
}
OPERATORS = ("eq", "not", "in", "lt", "lte", "gt", "gte", "exists")
_COMPARE = {"lt": "$lt", "lte": "$lte", "gt": "$gt", "gte": "$gte"}
_NEGATE = {"$lt": "$gte", "$lte": "$gt", "$gt": "$lte", "$gte": "$lt"}
PARAM = "$param"


def date_number(day: dt.date) -> int:
    """A date as the integer durable-rules can compare: 2025-11-17 → 20251117."""
    return day.year * 10_000 + day.month * 100 + day.day


def is_flat(condition: Any) -> bool:
    return isinstance(condition, Mapping) and "fact" in condition


def is_param(value: Any) -> bool:
    return isinstance(value, Mapping) and set(value) == {"param"}


class _Flat:
    def __init__(self, where: str) -> None:
        self.where = where
        self.problems: list[FieldProblem] = []

    def fail(self, loc: str, message: str) -> dict[str, Any]:
        self.problems.append(FieldProblem(f"{self.where}{loc}", message))
        return {"kind": "__invalid__"}

    def scalar(self, value: Any, loc: str, field: str) -> Any:
        if is_param(value):
            return {PARAM: str(value["param"]), "$enum": field if field in ORDERED else None}
        if isinstance(value, dt.datetime):
            return self.fail(loc, "une date sans heure est attendue (AAAA-MM-JJ)")
        if isinstance(value, dt.date):
            return date_number(value)
        if isinstance(value, str | bool | int) and not isinstance(value, float):
            return value
        return self.fail(loc, "valeur attendue : texte, entier, booléen, date ou { param = \"…\" }")

    def equal(self, field: str, value: Any, loc: str) -> dict[str, Any]:
        if isinstance(value, list):
            if not value:
                return self.fail(loc, "liste vide : indiquez au moins une valeur")
            items = [{field: self.scalar(v, f"{loc}[{i}]", field)} for i, v in enumerate(value)]
            return items[0] if len(items) == 1 else {"$or": items}
        return {field: self.scalar(value, loc, field)}

    def compare(self, op: str, field: str, value: Any, loc: str) -> dict[str, Any]:
        operand = self.scalar(value, loc, field)
        if field in ORDERED and not isinstance(operand, Mapping):
            rank_field, ranks = ORDERED[field]
            if operand not in ranks:
                return self.fail(loc, f"« {operand} » n'est pas une valeur de {field} ({', '.join(ranks)})")
            return {_COMPARE[op]: {rank_field: ranks[operand]}}
        if field in ORDERED:
            return {_COMPARE[op]: {ORDERED[field][0]: operand}}
        if isinstance(operand, bool) or not isinstance(operand, int | Mapping):
            return self.fail(loc, "les comparaisons portent sur des nombres, des dates ou des statuts ordonnés")
        return {_COMPARE[op]: {field: operand}}

    def attribute(self, field: str, value: Any, loc: str) -> dict[str, Any]:
        if not isinstance(value, Mapping) or is_param(value):
            return self.equal(field, value, loc)
        if not value:
            return self.fail(loc, f"table d'opérateurs vide ; opérateurs : {', '.join(OPERATORS)}")
        parts = []
        for op, operand in value.items():
            where = f"{loc}.{op}"
            if op in ("eq", "in"):
                parts.append(self.equal(field, operand, where))
            elif op == "not":
                parts.append(negate(self.equal(field, operand, where)))
            elif op in _COMPARE:
                parts.append(self.compare(op, field, operand, where))
            elif op == "exists":
                if not isinstance(operand, bool):
                    return self.fail(where, "exists attend true ou false")
                parts.append({"$ex" if operand else "$nex": {field: 1}})
            else:
                return self.fail(where, f"opérateur « {op} » inconnu{suggest(op, OPERATORS)} ; "
                                        f"opérateurs : {', '.join(OPERATORS)}")
        return parts[0] if len(parts) == 1 else {"$and": parts}

    def body(self, condition: Mapping[str, Any], loc: str) -> list[dict[str, Any]]:
        parts = []
        for key, value in condition.items():
            where = f"{loc}.{key}"
            if key == "not":
                if not isinstance(value, Mapping) or not value:
                    parts.append(self.fail(where, "not attend une table de conditions"))
                    continue
                parts.append(negate(_and(self.body(value, where))))
            elif key == "any":
                if not isinstance(value, list) or not value or not all(isinstance(v, Mapping) for v in value):
                    parts.append(self.fail(where, "any attend une liste non vide de tables de conditions"))
                    continue
                alternatives = [_and(self.body(v, f"{where}[{i}]")) for i, v in enumerate(value)]
                parts.append(alternatives[0] if len(alternatives) == 1 else {"$or": alternatives})
            elif key == "fact":
                parts.append(self.fail(where, "« fact » ne se donne qu'au premier niveau"))
            else:
                parts.append(self.attribute(key, value, where))
        return parts


def _and(parts: list[dict[str, Any]]) -> dict[str, Any]:
    if not parts:
        return {"$and": []}  # refused by the linter: an empty condition
    return parts[0] if len(parts) == 1 else {"$and": parts}


def negate(expr: Mapping[str, Any]) -> dict[str, Any]:
    """The nested expression true exactly when ``expr`` is false, on facts of normalised types."""
    ((key, value),) = expr.items()
    if key == "$and":
        return {"$or": [negate(e) for e in value]}
    if key == "$or":
        return {"$and": [negate(e) for e in value]}
    if key == "$ex":
        return {"$nex": value}
    if key == "$nex":
        return {"$ex": value}
    ((field, operand),) = value.items() if key.startswith("$") else ((key, value),)
    missing = {"$nex": {field: 1}}
    if key == "$neq":
        return {"$or": [missing, {field: operand}]}
    if key in _NEGATE:
        return {"$or": [missing, {_NEGATE[key]: {field: operand}}]}
    return {"$or": [missing, {"$neq": {field: operand}}]}


def flat_expression(condition: Mapping[str, Any], where: str) -> tuple[dict[str, Any], list[FieldProblem]]:
    """The nested expression of one flat condition (``kind`` test first), and its problems."""
    flat = _Flat(where)
    kind = condition.get("fact")
    if not isinstance(kind, str):
        return flat.fail(".fact", "le type de fait (fact) doit être un texte"), flat.problems
    rest = {k: v for k, v in condition.items() if k != "fact"}
    parts = [{"kind": kind}, *flat.body(rest, "")]
    return _and(parts), flat.problems


def flat_when(condition: Mapping[str, Any], where: str) -> tuple[dict[str, Any], list[FieldProblem]]:
    """A rule body ``{"all": [{"m": …}]}`` from one flat condition."""
    expr, problems = flat_expression(condition, where)
    return {"all": [{"m": expr}]}, problems


def bind(expr: Any, value_of: Callable[[str], Any]) -> Any:
    """``expr`` with every ``{ "$param": id }`` operand replaced by the parameter's value."""
    if isinstance(expr, Mapping):
        if PARAM in expr:
            value = value_of(expr[PARAM])
            enum = expr.get("$enum")
            if enum:
                return ORDERED[enum][1].get(value, value)
            return date_number(value) if isinstance(value, dt.date) else value
        return {k: bind(v, value_of) for k, v in expr.items()}
    if isinstance(expr, list | tuple):
        return [bind(v, value_of) for v in expr]
    return expr


def params_of(expr: Any) -> set[str]:
    """The parameter ids an expression refers to."""
    if isinstance(expr, Mapping):
        if PARAM in expr:
            return {str(expr[PARAM])}
        return set().union(*(params_of(v) for v in expr.values())) if expr else set()
    if isinstance(expr, list | tuple):
        return set().union(*(params_of(v) for v in expr)) if expr else set()
    return set()


def suggest(word: str, choices: Any) -> str:
    """« (vouliez-vous dire « x » ?) » for the closest of ``choices``, or an empty string."""
    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.6)
    return f" (vouliez-vous dire « {close[0]} » ?)" if close else ""
