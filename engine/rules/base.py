"""The rule-backend protocol shared by the durable-rules and native backends."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

Fact = dict[str, Any]

#: Called once per firing with the rule key and the matched facts by alias; returns the
#: derived facts to assert (they may fire further rules).
OnFire = Callable[[str, Mapping[str, Fact]], Sequence[Fact]]

#: A runaway rule set (a rule deriving new facts forever) stops here.
MAX_FIRINGS = 10_000


@dataclass(frozen=True, order=True)
class Firing:
    """One activation: a rule and the id of the fact each of its aliases matched."""

    rule: str
    bindings: tuple[tuple[str, str], ...]


class RuleBackend(Protocol):
    name: str

    def evaluate(self, facts: Sequence[Fact], on_fire: OnFire) -> list[Firing]:
        """Assert ``facts`` in a fresh, isolated session and run the rules to a fixpoint.

        Returns every firing, sorted. Must be safe to call from several threads at once.
        """
        ...
