import pytest
from segur_plan.engine.rules.language import compile_rule

KIND_PROFIL = {"kind": "profil"}


def lint(when: dict) -> list[str]:
    _, problems = compile_rule("p.r", when, 0, "rules[0]")
    return [f"{p.loc}: {p.message}" for p in problems]


@pytest.mark.parametrize("when", [
    {"all": [{"m": {"$and": [KIND_PROFIL, {"profil": "client-lourd"}]}}]},
    {"all": [{"s": {"$and": [{"kind": "solution"}, {"$gte": {"cnda_request_rank": 2}}]}}]},
    {"all": [{"a": KIND_PROFIL}, {"b": {"$and": [KIND_PROFIL, {"profil": {"a": "profil"}}]}}]},
    {"all": [{"m": {"$and": [KIND_PROFIL, {"$or": [{"profil": "x"}, {"profil": "y"}]}]}}]},
    {"all": [{"m": {"$and": [{"kind": "prerequisite"}, {"$nex": {"present": 1}}]}}]},
    {"all": [{"m": {"$and": [{"kind": "solution"}, {"$neq": {"parcours": "groupement"}}]}}]},
])
def test_accepted_rules(when: dict) -> None:
    assert lint(when) == []


@pytest.mark.parametrize(("when", "fragment"), [
    ({"all": [{"m": {"profil": "x"}}]}, "tester « kind »"),                      # catch-all risk
    ({"all": [{"m": {"kind": "exigence"}}]}, "kind « exigence » inconnu"),
    ({"all": [{"m": {"$and": [KIND_PROFIL, {"$in": {"profil": ["a"]}}]}}]}, "« $in » non autorisé"),
    ({"all": [{"m": {"$and": [KIND_PROFIL, {"$mt": {"profil": "a.*"}}]}}]}, "« $mt » non autorisé"),
    ({"all": [{"m": {"kind": "profil", "profil": "x"}}]}, "une seule clé"),
    ({"any": [{"m": KIND_PROFIL}]}, "seul « all »"),
    ({"all": []}, "liste non vide"),
    ({"all": [{"a": KIND_PROFIL}, {"b": {"$and": [KIND_PROFIL, {"$lt": {"rank": {"a": "rank"}}}]}}]},
     "les comparaisons portent sur des entiers"),                               # non-equality join
    ({"all": [{"a": {"$and": [KIND_PROFIL, {"profil": {"b": "profil"}}]}}, {"b": KIND_PROFIL}]},
     "pas un motif précédent"),
    ({"all": [{"m": {"$and": [KIND_PROFIL, {"weight": 1.5}]}}]}, "texte, entier ou booléen"),
    ({"all": [{"m": KIND_PROFIL}, {"m": KIND_PROFIL}]}, "répété"),
    ({"all": [{"m": {"$and": [KIND_PROFIL, {"$ex": {"profil": 2}}]}}]}, "la valeur doit être 1"),
])
def test_refused_rules_are_located(when: dict, fragment: str) -> None:
    found = lint(when)
    assert any(fragment in f for f in found), found
    assert all(f.startswith("rules[0]") for f in found)


def test_durable_definition_keeps_patterns_and_priority() -> None:
    rule, _ = compile_rule("p.r", {"all": [{"m": KIND_PROFIL}]}, 3, "rules[0]")
    assert rule.durable_definition() == {"all": [{"m": KIND_PROFIL}], "pri": 3}
