"""The rule language: a safe subset of the durable-rules JSON ruleset language.

A rule body is ``{"all": [{alias: expression}, …]}``. Each expression is a dict with exactly one
key:

- a field name → a scalar (string, integer, boolean) for equality, or ``{earlier_alias: field}``
  for an equality join with a fact matched by an earlier pattern of the same rule;
- ``$and`` / ``$or`` → a non-empty list of expressions;
- ``$neq`` → ``{field: scalar}``; ``$lt $lte $gt $gte`` → ``{field: integer}``;
- ``$ex`` / ``$nex`` → ``{field: 1}`` (the attribute exists / does not exist).

Every pattern must test ``kind`` by equality at its top level (``{"kind": …}`` or inside a
top-level ``$and``), and ``kind`` must be a fact kind the engine asserts. These limits are what
keeps durable-rules safe (see ``durable_backend``: no catch-all that matches its state object, equality-only
joins, no ``$in``) and what lets the native backend give exactly the same answers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import FieldProblem
from .conditions import PARAM, bind, flat_when, is_flat, params_of, suggest

#: Fact kinds the planner asserts (see ``planner.facts``), and what each carries.
FACT_KINDS: dict[str, str] = {
    "solution": "pack, parcours, trigger, cnda_request_status, cnda_request_rank, has_nie, has_nil, t0_known, "
                "financing, today (date du plan), deposited_proofs (preuves déposées datées), audit_findings "
                "(manquements d'audit) ; s'ils sont renseignés : cnda_nie, cnda_nil, insi, dmp, "
                "mb_modified (marque blanche)",
    "profil": "profil (id d'un profil actif : général, déclaré ou activé par une règle)",
    "referenced": "vague (vague déjà obtenue, ex. vague-1)",
    "prerequisite": "name, present",
}

#: Attributes of the ``solution`` fact (those after ``financing`` only when the profile gives them).
SOLUTION_ATTRIBUTES = ("pack", "parcours", "trigger", "cnda_request_status", "cnda_request_rank", "has_nie",
                       "has_nil", "t0_known", "financing", "today", "deposited_proofs", "audit_findings", "cnda_nie",
                       "cnda_nil", "insi", "dmp",
                       "mb_modified")

#: Facts of the catalogue, filtered in plain Python by ``set_status`` scopes (never asserted).
SCOPE_KINDS: dict[str, str] = {
    "requirement": "id, profil, nature, perimetre, section, critical, transversal, modified_area, "
                   "changed_since_deposit, audit_finding",
}

COMPARISONS = ("$lt", "$lte", "$gt", "$gte")
ALIAS = re.compile(r"^[a-z][a-z0-9_]*$")
FIELD = re.compile(r"^[a-z][a-z0-9_]*$")

Scalar = str | int | bool


@dataclass(frozen=True)
class CompiledRule:
    """A linted rule, ready for either backend."""

    key: str
    priority: int
    patterns: tuple[tuple[str, Mapping[str, Any]], ...]

    @property
    def aliases(self) -> tuple[str, ...]:
        return tuple(alias for alias, _ in self.patterns)

    @property
    def params(self) -> set[str]:
        """Ids of the pack parameters the rule's conditions refer to."""
        return params_of([expr for _, expr in self.patterns])

    def bind(self, value_of: Any) -> CompiledRule:
        """The rule with each parameter operand replaced by ``value_of(id)``."""
        if not self.params:
            return self
        patterns = tuple((alias, bind(expr, value_of)) for alias, expr in self.patterns)
        return CompiledRule(key=self.key, priority=self.priority, patterns=patterns)

    def durable_definition(self) -> dict[str, Any]:
        body: dict[str, Any] = {"all": [{alias: expr} for alias, expr in self.patterns]}
        if self.priority:
            body["pri"] = self.priority
        return body


def _is_scalar(value: Any) -> bool:
    return (isinstance(value, str | int | bool) and not isinstance(value, float)) or _is_placeholder(value)


def _is_placeholder(value: Any) -> bool:
    return isinstance(value, Mapping) and PARAM in value


def top_level_kind(expr: Mapping[str, Any]) -> Any:
    """The ``kind`` a pattern tests by equality at its top level (None: none)."""
    if "kind" in expr:
        return expr["kind"]
    for sub in expr.get("$and", ()):
        if isinstance(sub, Mapping) and "kind" in sub:
            return sub["kind"]
    return None


class _Linter:
    def __init__(self, where: str) -> None:
        self.where = where
        self.problems: list[FieldProblem] = []

    def fail(self, loc: str, message: str) -> None:
        self.problems.append(FieldProblem(f"{self.where}{loc}", message))

    def expression(self, expr: Any, loc: str, earlier: tuple[str, ...]) -> None:
        if not isinstance(expr, Mapping) or len(expr) != 1:
            self.fail(loc, "chaque expression est une table à une seule clé (utilisez $and)")
            return
        ((key, value),) = expr.items()
        if key in ("$and", "$or"):
            if not isinstance(value, list) or not value:
                self.fail(f"{loc}.{key}", "attend une liste non vide d'expressions")
                return
            for i, sub in enumerate(value):
                self.expression(sub, f"{loc}.{key}[{i}]", earlier)
        elif key == "$neq" or key in COMPARISONS:
            self._operand(key, value, loc, int_only=key in COMPARISONS)
        elif key in ("$ex", "$nex"):
            self._operand(key, value, loc, exists=True)
        elif key.startswith("$"):
            self.fail(f"{loc}.{key}", f"opérateur « {key} » non autorisé")
        elif not FIELD.match(key):
            self.fail(f"{loc}.{key}", "nom d'attribut invalide")
        elif isinstance(value, Mapping) and not _is_placeholder(value):
            self._join(key, value, loc, earlier)
        elif not _is_scalar(value):
            self.fail(f"{loc}.{key}", "valeur attendue : texte, entier ou booléen")

    def _operand(self, op: str, value: Any, loc: str, *, int_only: bool = False, exists: bool = False) -> None:
        if not isinstance(value, Mapping) or len(value) != 1:
            self.fail(f"{loc}.{op}", "attend une table {attribut = valeur}")
            return
        ((field, operand),) = value.items()
        if not FIELD.match(str(field)):
            self.fail(f"{loc}.{op}", f"nom d'attribut invalide « {field} »")
        if exists and operand != 1:
            self.fail(f"{loc}.{op}", "la valeur doit être 1")
        elif int_only and not _is_placeholder(operand) and (not isinstance(operand, int) or isinstance(operand, bool)):
            self.fail(f"{loc}.{op}", "les comparaisons portent sur des entiers")
        elif not exists and not _is_scalar(operand):
            self.fail(f"{loc}.{op}", "jointure ou valeur non scalaire interdite ici")

    def _join(self, field: str, value: Mapping[str, Any], loc: str, earlier: tuple[str, ...]) -> None:
        if len(value) != 1:
            self.fail(f"{loc}.{field}", "une jointure s'écrit {alias = \"attribut\"}")
            return
        ((alias, other),) = value.items()
        if alias not in earlier:
            self.fail(f"{loc}.{field}", f"jointure vers « {alias} », qui n'est pas un motif précédent")
        elif not isinstance(other, str) or not FIELD.match(other):
            self.fail(f"{loc}.{field}", "l'attribut joint doit être un nom d'attribut")


def compile_rule(key: str, when: Mapping[str, Any], priority: int, where: str,
                 kinds: Mapping[str, str] = FACT_KINDS,
                 params: Iterable[str] | None = None) -> tuple[CompiledRule | None, list[FieldProblem]]:
    """Lint one rule body, nested (``{all = [...]}``) or flat (``{fact = …}``); return the compiled
    rule, or the problems found. ``params``: the parameter ids the pack defines (None: not checked)."""
    if is_flat(when):
        when, flat_problems = flat_when(when, f"{where}.when")
        if flat_problems:
            return None, flat_problems
    lint = _Linter(where)
    extra = sorted(set(when) - {"all"})
    if extra:
        lint.fail(".when", f"clé(s) non autorisée(s) : {', '.join(extra)} (seul « all » est accepté)")
    patterns = when.get("all")
    if not isinstance(patterns, list) or not patterns:
        lint.fail(".when.all", "attend une liste non vide de motifs")
        return None, lint.problems
    compiled: list[tuple[str, Mapping[str, Any]]] = []
    for i, pattern in enumerate(patterns):
        loc = f".when.all[{i}]"
        if not isinstance(pattern, Mapping) or len(pattern) != 1:
            lint.fail(loc, "chaque motif est une table {alias = expression}")
            continue
        ((alias, expr),) = pattern.items()
        if not ALIAS.match(alias):
            lint.fail(loc, f"alias invalide « {alias} »")
        elif alias in dict(compiled):
            lint.fail(loc, f"alias « {alias} » répété")
        earlier = tuple(a for a, _ in compiled)
        lint.expression(expr, f"{loc}.{alias}", earlier)
        kind = top_level_kind(expr) if isinstance(expr, Mapping) else None
        if kind is None:
            lint.fail(f"{loc}.{alias}", "le motif doit tester « kind » par égalité")
        elif kind not in kinds:
            lint.fail(f"{loc}.{alias}", f"kind « {kind} » inconnu{suggest(kind, kinds)} ; connus : {', '.join(kinds)}")
        compiled.append((alias, expr))
    if params is not None:
        known = set(params)
        for name in sorted(params_of([e for _, e in compiled]) - known):
            lint.fail(".when", f"paramètre « {name} » non défini dans [[parameters]]{suggest(name, known)}")
    if lint.problems:
        return None, lint.problems
    return CompiledRule(key=key, priority=priority, patterns=tuple(compiled)), []


def sort_rules(rules: Iterable[CompiledRule]) -> tuple[CompiledRule, ...]:
    """Deterministic evaluation order: priority (lower first), then key."""
    return tuple(sorted(rules, key=lambda r: (r.priority, r.key)))
