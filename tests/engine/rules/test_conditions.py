"""The flat condition form: what it compiles to, what it refuses, and that both backends agree."""

from __future__ import annotations

import datetime as dt
import random
from types import SimpleNamespace

import pytest
from segur_plan.engine.api import Engine
from segur_plan.engine.hookspecs import hookimpl
from segur_plan.engine.registry import PackRegistry
from segur_plan.engine.rules import durable_backend, make_backend
from segur_plan.engine.rules.conditions import flat_expression
from segur_plan.engine.rules.language import compile_rule
from support import BACKENDS

SOLUTION = {"kind": "solution", "id": "solution", "parcours": "mono-editeur", "trigger": "audit",
            "cnda_request_status": "en-cours", "cnda_request_rank": 3, "financing": True, "today": 20251117}


def fires(when: dict, facts: list[dict], backend: str = "native", params: dict | None = None) -> bool:
    rule, problems = compile_rule("t.r", when, 0, "rules[0]", params=set(params or {}))
    assert not problems, problems
    rule = rule.bind(lambda pid: (params or {})[pid])
    return bool(make_backend(backend, [rule]).evaluate(facts, lambda k, b: []))




@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(("condition", "expected"), [
    ({"trigger": "audit"}, True),
    ({"trigger": ["initial", "audit"]}, True),                         # a list: any of
    ({"trigger": ["initial", "major-version"]}, False),
    ({"trigger": {"not": "initial"}}, True),
    ({"trigger": {"not": ["audit", "initial"]}}, False),               # none of
    ({"mb_modified": {"not": True}}, True),                            # absent attribute: « not » holds
    ({"mb_modified": False}, False),                                   # absent attribute: equality fails
    ({"cnda_request_status": {"gte": "pre-examen"}}, True),             # ordered status, by rank
    ({"cnda_request_status": {"gte": "homologue"}}, False),
    ({"cnda_request_status": {"lt": {"param": "cnda-min-status"}}}, False),
    ({"today": {"gte": dt.date(2025, 11, 17)}}, True),                  # dates compare as dates
    ({"today": {"lt": dt.date(2025, 11, 17)}}, False),
    ({"not": {"parcours": "groupement"}}, True),
    ({"not": {"parcours": "mono-editeur", "financing": True}}, False),
    ({"any": [{"parcours": "groupement"}, {"financing": True}]}, True),
    ({"financing": {"exists": False}}, False),
    ({"trigger": {"in": ["audit"], "not": "initial"}}, True),
])
def test_flat_conditions(backend: str, condition: dict, expected: bool) -> None:
    when = {"fact": "solution", **condition}
    assert fires(when, [SOLUTION], backend, {"cnda-min-status": "pre-examen"}) is expected


def test_flat_form_compiles_to_the_nested_form() -> None:
    expr, problems = flat_expression({"fact": "solution", "trigger": "audit"}, "x")
    assert not problems and expr == {"$and": [{"kind": "solution"}, {"trigger": "audit"}]}
    expr, _ = flat_expression({"fact": "solution", "trigger": {"not": "initial"}}, "x")
    assert expr == {"$and": [{"kind": "solution"},
                             {"$or": [{"$nex": {"trigger": 1}}, {"$neq": {"trigger": "initial"}}]}]}


@pytest.mark.parametrize(("when", "fragment"), [
    ({"fact": "solutoin", "trigger": "audit"}, "vouliez-vous dire « solution »"),
    ({"fact": "solution", "trigger": {"nto": "x"}}, "opérateur « nto » inconnu (vouliez-vous dire « not » ?)"),
    ({"fact": "solution", "trigger": {"gte": "audit"}}, "les comparaisons portent sur des nombres"),
    ({"fact": "solution", "cnda_request_status": {"gte": "pre-exam"}}, "n'est pas une valeur"),
    ({"fact": "solution", "trigger": []}, "liste vide"),
    ({"fact": "solution", "x": {"lt": {"param": "pilots-requird"}}}, "paramètre « pilots-requird » non défini"),
    ({"fact": "solution", "any": "x"}, "any attend une liste"),
])
def test_refused_flat_conditions_are_located(when: dict, fragment: str) -> None:
    _, problems = compile_rule("t.r", when, 0, "rules[3]", params={"pilots-required"})
    messages = [f"{p.loc}: {p.message}" for p in problems]
    assert any(fragment in m for m in messages), messages
    assert all(m.startswith("rules[3]") for m in messages)


@pytest.mark.skipif(not durable_backend.available(), reason="durable-rules indisponible")
def test_backends_agree_on_random_flat_conditions() -> None:
    """Differential: random flat conditions (lists, not, comparisons, dates) on random facts."""
    rng = random.Random(13)
    values = ["a", "b", "c"]
    for _ in range(80):
        facts = [{"kind": "solution", "id": f"s{i}", "v": rng.choice(values), "n": rng.randint(0, 3),
                  **({"d": rng.choice([20250101, 20251117, 20260101])} if rng.random() < 0.7 else {})}
                 for i in range(rng.randint(1, 4))]
        choices = [
            {"v": rng.sample(values, rng.randint(1, 2))},
            {"v": {"not": rng.choice(values)}},
            {"n": {rng.choice(["lt", "lte", "gt", "gte"]): rng.randint(0, 3)}},
            {"d": {rng.choice(["lt", "gte"]): dt.date(2025, 11, 17)}},
            {"not": {"v": rng.choice(values), "n": rng.randint(0, 3)}},
            {"any": [{"v": rng.choice(values)}, {"d": {"exists": False}}]},
        ]
        when = {"fact": "solution", **rng.choice(choices), **rng.choice(choices)}
        rule, problems = compile_rule("t.r", when, 0, "r")
        assert not problems, (when, problems)
        got = {name: sorted((f.rule, f.bindings) for f in make_backend(name, [rule]).evaluate(facts, lambda k, b: []))
               for name in ("native", "durable")}
        assert got["native"] == got["durable"], (when, facts)


# ------------------------------------------------------------------ flat rule vs nested twin: same plans

#: The socle rules as they were written before the flat form (nested durable-rules JSON).
NESTED = {
    "vague-1-acquise": {"all": [{"r": {"$and": [{"kind": "referenced"}, {"vague": "vague-1"}]}}]},
    "marque-blanche-heritee": {"all": [{"s": {"$and": [{"kind": "solution"}, {"parcours": "marque-blanche"},
                                                        {"mb_modified": False}]}}]},
    "marque-blanche-modifiee": {"all": [{"s": {"$and": [{"kind": "solution"}, {"parcours": "marque-blanche"},
                                                         {"mb_modified": True}]}}]},
    "cycle-version-majeure": {"all": [{"s": {"$and": [{"kind": "solution"}, {"trigger": "major-version"}]}}]},
    "cycle-referentiel": {"all": [{"s": {"$and": [{"kind": "solution"}, {"trigger": "referentiel-update"}]}}]},
    "cycle-audit": {"all": [{"s": {"$and": [{"kind": "solution"}, {"trigger": "audit"}]}}]},
    "preuves-par-dsr": {"all": [{"s": {"$and": [{"kind": "solution"}, {"trigger": "initial"}]}}]},
}


def _twin_registry(flat: bool) -> PackRegistry:
    installed = PackRegistry.discover()
    pack = installed.get("HOP-DPI").pack  # resolved: the socle's flat rules included
    assert all("fact" in r.when for r in pack.rules if r.id in NESTED)
    rules = tuple(r.model_copy(update={"when": NESTED[r.id]}) if not flat and r.id in NESTED else r
                  for r in pack.rules)
    twin = pack.model_copy(update={"id": "TWIN", "uses": (), "rules": rules})

    @hookimpl
    def segur_plan_packs() -> list:
        return [twin]

    return PackRegistry.discover([SimpleNamespace(__name__="twin", segur_plan_packs=segur_plan_packs)],
                                 entry_points=False)


PROFILES = [
    {"referencement": {"t0": "2024-08-31", "trigger": "audit"},
     "audit_findings": [{"requirement": "SC.DMP/CONF.05"}]},
    {"referencement": {"t0": "2024-08-31", "already_referenced": ["vague-1"]}},
    {"referencement": {"parcours": "marque-blanche"}, "marque_blanche": {"original_editor": "O"}},
    {"referencement": {"parcours": "marque-blanche"},
     "marque_blanche": {"original_editor": "O", "modified": True, "modified_areas": ["INS"]}},
    {"referencement": {"trigger": "major-version"}},
    {"referencement": {"trigger": "referentiel-update"},
     "proofs": [{"id": "SSI/GEN.18.01.02", "status": "deposited", "date": "2024-06-01"}]},
    {"referencement": {"t0": "2024-08-31"}, "prerequisites": {"cnda_nie": "N", "cnda_nil": "L",
                                                              "cnda_request_status": "pre-examen"}},
]


@pytest.mark.parametrize("backend", BACKENDS)
def test_flat_rules_and_their_nested_twins_give_identical_plans(backend: str) -> None:
    flat, nested = (Engine(_twin_registry(f), backend=backend) for f in (True, False))
    for extra in PROFILES:
        profile = {"solution": {"name": "Jumeaux"}, "referencement": {"pack": "TWIN", **extra["referencement"]},
                   **{k: v for k, v in extra.items() if k != "referencement"}}
        one, two = (e.plan(profile, today=dt.date(2025, 3, 1)).model_dump(mode="json") for e in (flat, nested))
        for plan in (one, two):
            plan["packs"][0]["sha256"] = "-"  # the rule text differs, nothing else
        assert one == two
        assert one["requirements"]
