"""Both rule backends, run through the same cases; then a differential check between them."""

from __future__ import annotations

import random
import threading
from collections.abc import Mapping

import pytest
from segur_plan.engine.errors import RuleEvaluationError
from segur_plan.engine.rules import durable_backend, make_backend
from segur_plan.engine.rules.base import Fact
from segur_plan.engine.rules.language import compile_rule


def rule(key: str, *patterns: dict, priority: int = 0):
    compiled, problems = compile_rule(key, {"all": list(patterns)}, priority, key)
    assert not problems, problems
    return compiled


def profil(pid: str) -> Fact:
    return {"kind": "profil", "id": f"profil:{pid}", "profil": pid}


def is_profil(pid: str) -> dict:
    return {"$and": [{"kind": "profil"}, {"profil": pid}]}


def no_derivation(key: str, bound: Mapping[str, Fact]) -> list[Fact]:
    return []


def fired(backend_name: str, rules: list, facts: list[Fact], on_fire=no_derivation) -> list[tuple]:
    return [(f.rule, f.bindings) for f in make_backend(backend_name, rules).evaluate(facts, on_fire)]


def test_alpha_match_fires_once_per_fact(backend_name: str) -> None:
    rules = [rule("r", {"m": is_profil("a")})]
    assert fired(backend_name, rules, [profil("a"), profil("b")]) == [("r", (("m", "profil:a"),))]


def test_chaining_through_derived_facts(backend_name: str) -> None:
    rules = [rule("r1", {"m": is_profil("a")}), rule("r2", {"m": is_profil("b")}), rule("r3", {"m": is_profil("c")})]

    def derive(key: str, bound: Mapping[str, Fact]) -> list[Fact]:
        return {"r1": [profil("b")], "r2": [profil("c"), profil("b")]}.get(key, [])

    assert [r for r, _ in fired(backend_name, rules, [profil("a")], derive)] == ["r1", "r2", "r3"]


def test_equality_join_never_binds_one_fact_twice(backend_name: str) -> None:
    rules = [rule("j", {"a": {"kind": "profil"}}, {"b": {"$and": [{"kind": "profil"}, {"profil": {"a": "profil"}}]}})]
    facts = [profil("x"), {"kind": "profil", "id": "other:x", "profil": "x"}, profil("y")]
    assert fired(backend_name, rules, facts) == [
        ("j", (("a", "other:x"), ("b", "profil:x"))),
        ("j", (("a", "profil:x"), ("b", "other:x"))),
    ]


@pytest.mark.parametrize(("condition", "expected"), [
    ({"$neq": {"parcours": "groupement"}}, ["solution:mono"]),        # missing attribute never matches
    ({"$gte": {"rank": 2}}, ["solution:groupement", "solution:mono"]),
    ({"$lt": {"rank": 2}}, ["solution:bare"]),
    ({"$ex": {"parcours": 1}}, ["solution:groupement", "solution:mono"]),
    ({"$nex": {"parcours": 1}}, ["solution:bare"]),
    ({"$or": [{"parcours": "groupement"}, {"rank": 0}]}, ["solution:bare", "solution:groupement"]),
    ({"has_nie": True}, ["solution:mono"]),
])
def test_operators(backend_name: str, condition: dict, expected: list[str]) -> None:
    facts = [
        {"kind": "solution", "id": "solution:mono", "parcours": "mono-editeur", "rank": 2, "has_nie": True},
        {"kind": "solution", "id": "solution:groupement", "parcours": "groupement", "rank": 3, "has_nie": False},
        {"kind": "solution", "id": "solution:bare", "rank": 0},
    ]
    rules = [rule("op", {"s": {"$and": [{"kind": "solution"}, condition]}})]
    assert sorted(b[0][1] for _, b in fired(backend_name, rules, facts)) == expected


def test_evaluations_are_isolated(backend_name: str) -> None:
    backend = make_backend(backend_name, [rule("r", {"m": is_profil("a")})])
    first = backend.evaluate([profil("a")], no_derivation)
    second = backend.evaluate([profil("b")], no_derivation)   # must not see the first session's facts
    third = backend.evaluate([profil("a")], no_derivation)
    assert len(first) == 1 and second == [] and third == first


def test_concurrent_evaluations_do_not_mix(backend_name: str) -> None:
    backend = make_backend(backend_name, [rule("r", {"m": {"kind": "profil"}})])
    results: dict[int, list] = {}

    def work(n: int) -> None:
        results[n] = backend.evaluate([profil(f"p{n}-{i}") for i in range(n % 4 + 1)], no_derivation)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for n, firings in results.items():
        assert sorted(b[0][1] for _, b in [(f.rule, f.bindings) for f in firings]) == sorted(
            f"profil:p{n}-{i}" for i in range(n % 4 + 1))


def test_failing_consequence_is_raised_typed_and_backend_survives(backend_name: str) -> None:
    backend = make_backend(backend_name, [rule("boom", {"m": is_profil("a")})])

    def explode(key: str, bound: Mapping[str, Fact]) -> list[Fact]:
        raise ValueError("donnée inattendue")

    with pytest.raises(RuleEvaluationError) as exc:
        backend.evaluate([profil("a")], explode)
    assert "boom" in str(exc.value)
    assert len(backend.evaluate([profil("a")], no_derivation)) == 1


def test_keyboard_interrupt_is_not_swallowed(backend_name: str) -> None:
    backend = make_backend(backend_name, [rule("r", {"m": is_profil("a")})])

    def interrupt(key: str, bound: Mapping[str, Fact]) -> list[Fact]:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        backend.evaluate([profil("a")], interrupt)


def test_runaway_rules_stop(backend_name: str) -> None:
    counter = iter(range(1_000_000))
    backend = make_backend(backend_name, [rule("loop", {"m": {"kind": "profil"}})])

    def forever(key: str, bound: Mapping[str, Fact]) -> list[Fact]:
        return [profil(f"n{next(counter)}")]

    with pytest.raises(RuleEvaluationError, match="trop d'activations"):
        backend.evaluate([profil("seed")], forever)


@pytest.mark.skipif(not durable_backend.available(), reason="durable-rules indisponible")
def test_backends_agree_on_random_rule_sets() -> None:
    """Differential: random facts and rules, identical firings from both backends."""
    rng = random.Random(20261123)
    values = ["a", "b", "c"]
    for _ in range(60):
        facts = [{"kind": "solution", "id": f"s{i}", "v": rng.choice(values), "n": rng.randint(0, 3)}
                 for i in range(rng.randint(1, 5))]
        facts += [profil(rng.choice(values)) for _ in range(rng.randint(0, 3))]
        rules = []
        for r in range(rng.randint(1, 4)):
            cond = rng.choice([{"v": rng.choice(values)}, {"$gt": {"n": rng.randint(0, 3)}},
                               {"$neq": {"v": rng.choice(values)}}, {"$nex": {"w": 1}}])
            pats = [{"s": {"$and": [{"kind": "solution"}, cond]}}]
            if rng.random() < 0.5:
                pats.append({"p": {"$and": [{"kind": "profil"}, {"profil": {"s": "v"}}]}})
            rules.append(rule(f"r{r}", *pats))
        assert fired("native", rules, facts) == fired("durable", rules, facts), (rules, facts)
