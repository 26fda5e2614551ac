"""Pure-Python backend for the rule language: forward chaining to a fixpoint.

Needed because durable-rules does not import on Python >= 3.13, and about 70 times cheaper per
evaluation. Semantics follow durable-rules where they differ from Python's: ``$neq`` and the
comparisons never match a fact that lacks the attribute; comparisons between values of
different types never match (the planner normalises fact types, so durable's loose typing is
never exercised).
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from ..errors import RuleEvaluationError
from .base import MAX_FIRINGS, Fact, Firing, OnFire
from .language import CompiledRule, top_level_kind

_MISSING = object()
_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "$lt": operator.lt,
    "$lte": operator.le,
    "$gt": operator.gt,
    "$gte": operator.ge,
}


def _same_type(a: Any, b: Any) -> bool:
    return isinstance(a, bool) == isinstance(b, bool) and (
        isinstance(a, str) == isinstance(b, str)
    )


def matches(expr: Mapping[str, Any], fact: Fact, bound: Mapping[str, Fact]) -> bool:
    """Evaluate one linted expression against ``fact`` (``bound``: facts of earlier aliases)."""
    ((key, value),) = expr.items()
    if key == "$and":
        return all(matches(sub, fact, bound) for sub in value)
    if key == "$or":
        return any(matches(sub, fact, bound) for sub in value)
    if key in ("$ex", "$nex"):
        ((field, _),) = value.items()
        return (field in fact) == (key == "$ex")
    if key == "$neq" or key in _COMPARE:
        ((field, operand),) = value.items()
        actual = fact.get(field, _MISSING)
        if actual is _MISSING or not _same_type(actual, operand):
            return False
        return actual != operand if key == "$neq" else _COMPARE[key](actual, operand)
    actual = fact.get(key, _MISSING)
    if isinstance(value, Mapping):  # equality join with an earlier alias
        ((alias, other),) = value.items()
        expected = bound[alias].get(other, _MISSING)
        return actual is not _MISSING and expected is not _MISSING and actual == expected
    return actual is not _MISSING and _same_type(actual, value) and actual == value


class NativeBackend:
    name = "native"

    def __init__(self, rules: Sequence[CompiledRule]) -> None:
        self._rules = tuple(rules)
        # Every pattern tests ``kind`` by equality (the linter insists): facts of another kind are
        # skipped before the expression is evaluated.
        self._kinds = {rule.key: tuple(top_level_kind(expr) for _, expr in rule.patterns) for rule in rules}

    def _bindings(self, rule: CompiledRule, old: Sequence[Fact], new: Sequence[Fact]) -> Iterator[dict[str, Fact]]:
        """Bindings that use at least one fact of ``new`` (semi-naive evaluation).

        Pattern ``k`` takes a new fact, patterns before it old facts only, patterns after it any
        fact: each binding with a new fact is produced exactly once.
        """
        every = [*old, *new]
        for pivot in range(len(rule.patterns)):
            pools = [old] * pivot + [new] + [every] * (len(rule.patterns) - pivot - 1)
            yield from self._extend(rule, pools, 0, {})

    def _extend(self, rule: CompiledRule, pools: list[Sequence[Fact]], index: int,
                bound: dict[str, Fact]) -> Iterator[dict[str, Fact]]:
        if index == len(rule.patterns):
            yield dict(bound)
            return
        alias, expr = rule.patterns[index]
        kind = self._kinds[rule.key][index]
        for fact in pools[index]:
            if fact.get("kind") != kind:
                continue
            # durable-rules never binds one fact to two aliases of a rule.
            if any(other is fact for other in bound.values()):
                continue
            if matches(expr, fact, bound):
                bound[alias] = fact
                yield from self._extend(rule, pools, index + 1, bound)
                del bound[alias]

    def evaluate(self, facts: Sequence[Fact], on_fire: OnFire) -> list[Firing]:
        store: dict[str, Fact] = {}
        for fact in facts:
            store.setdefault(fact["id"], fact)
        fired: set[Firing] = set()
        old: list[Fact] = []
        new = list(store.values())
        while new:
            derived_now: list[Fact] = []
            for rule in self._rules:
                for bound in self._bindings(rule, old, new):
                    firing = Firing(rule.key, tuple((a, bound[a]["id"]) for a in rule.aliases))
                    if firing in fired:
                        continue
                    fired.add(firing)
                    if len(fired) > MAX_FIRINGS:
                        raise RuleEvaluationError(rule.key, "trop d'activations (règles en boucle ?)")
                    try:
                        derived_facts = on_fire(rule.key, bound)
                    except Exception as exc:
                        raise RuleEvaluationError(rule.key, repr(exc)) from exc
                    for derived in derived_facts:
                        if derived["id"] not in store:
                            store[derived["id"]] = derived
                            derived_now.append(derived)
            old += new
            new = derived_now
        return sorted(fired)
