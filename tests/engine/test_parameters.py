"""Dated parameters: a third-party pack changes the socle's values from a date, without engine code."""

from __future__ import annotations

import copy
import datetime as dt
import importlib.util
import re
from pathlib import Path
from typing import Any

import pytest
from segur_plan.engine.api import Engine
from segur_plan.engine.financing import parse_financing
from segur_plan.engine.parameters import ENGINE_PARAMETERS, Parameters
from segur_plan.engine.registry import PackRegistry

ROOT = Path(__file__).resolve().parents[2]
TEST_PACK = Path(__file__).resolve().parents[1] / "packs" / "pack_parametres"


def _third_party_plugin() -> Any:
    """The test pack's module, imported from its file like an installed distribution's module."""
    spec = importlib.util.spec_from_file_location("pack_parametres", TEST_PACK / "__init__.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def registry() -> PackRegistry:
    registry = PackRegistry.discover([_third_party_plugin()])  # installed packs + the third-party one
    assert "TIERS-PARAMS" in registry.ids(), registry.broken
    return registry


@pytest.fixture(scope="module", params=["native", "durable"])
def engine(request: pytest.FixtureRequest, registry: PackRegistry) -> Engine:
    from segur_plan.engine.rules import durable_backend

    if request.param == "durable" and not durable_backend.available():
        pytest.skip("durable-rules indisponible")
    return Engine(registry, backend=request.param)


S, F, R = "73282932000074", "690000013", "10000000009"


def financing(solde_date: str, pilots: tuple[str, ...]) -> dict[str, Any]:
    def orders(*who: str) -> list[dict[str, Any]]:
        return [{"beneficiary": b, "signed": "2025-05-02", "amount": "1500.00", "state_mention": True} for b in who]

    everyone = [{"id": S, "id_kind": "siret"}, {"id": F, "id_kind": "finess"}, {"id": R, "id_kind": "rpps"}]
    return {
        "schema_version": 1, "pack": "TIERS-PARAMS", "complete_dossier_date": "2025-04-01",
        "requests": [
            {"id": "AV-1", "kind": "avance", "date": "2025-06-01", "beneficiaries": copy.deepcopy(everyone),
             "orders": orders(S, F, R)},
            {"id": "SO-1", "kind": "solde", "date": solde_date, "avance": "AV-1", "beneficiaries": everyone,
             "invoices": [{"beneficiary": b, "date": "2025-09-01", "amount": "1500.00"} for b in (S, F, R)],
             "va": [{"beneficiary": b, "kind": "va", "signed_by_client": True, "date": "2025-09-01"}
                    for b in (S, F, R)]},
        ],
        "pilots": [{"beneficiary": b, "pv_signed": True, "invoice_date": "2025-09-01"} for b in pilots],
    }


def test_two_pilots_suffice_for_a_solde_after_the_date(engine: Engine) -> None:
    after = engine.plan({"solution": {"name": "x"}, "referencement": {"pack": "TIERS-PARAMS"}},
                        today=dt.date(2026, 2, 1), financing=parse_financing(financing("2026-01-15", (S, F))))
    assert not [f for f in after.findings if f.code == "FINANCING_PILOTS_MISSING"]


def test_two_pilots_are_refused_for_a_solde_before_the_date(engine: Engine) -> None:
    before = engine.plan({"solution": {"name": "x"}, "referencement": {"pack": "TIERS-PARAMS"}},
                         today=dt.date(2026, 2, 1), financing=parse_financing(financing("2025-12-31", (S, F))))
    (missing,) = [f for f in before.findings if f.code == "FINANCING_PILOTS_MISSING"]
    assert missing.level == "blocking"
    assert "sur 3 attendus" in missing.message
    assert "« pilots-required » = 3" in missing.message  # the socle's value, before the pack's date


def test_the_finding_names_the_value_and_its_source(engine: Engine) -> None:
    data = financing("2026-01-15", (S,))
    report = engine.plan({"solution": {"name": "x"}, "referencement": {"pack": "TIERS-PARAMS"}},
                         today=dt.date(2026, 2, 1), financing=parse_financing(data))
    (missing,) = [f for f in report.findings if f.code == "FINANCING_PILOTS_MISSING"]
    assert "sur 2 attendus" in missing.message
    assert "« pilots-required » = 2, en vigueur depuis le 2026-01-01" in missing.message
    assert "Note de test d'un éditeur de packs tiers" in missing.message


def test_an_ans_request_30_hours_old_is_not_blocking_with_48_hours(engine: Engine) -> None:
    request = {"received": "2025-05-11T18:00:00+02:00", "subject": "Compléments"}  # 30 h before 13 May 00:00
    tiers = engine.plan({"solution": {"name": "x"}, "referencement": {"pack": "TIERS-PARAMS"},
                         "ans_requests": [request]}, today=dt.date(2025, 5, 13))
    assert [s.status for s in tiers.solicitations] == ["due-today"]
    assert not [f for f in tiers.findings if f.level == "blocking" and f.code.startswith("ANS_")]
    assert tiers.solicitations[0].due.isoformat() == "2025-05-13T18:00:00+02:00"
    socle = engine.plan({"solution": {"name": "x"}, "referencement": {"pack": "HOP-DPI"},
                         "ans_requests": [request]}, today=dt.date(2025, 5, 13))
    assert [s.status for s in socle.solicitations] == ["overdue"]
    (overdue,) = [f for f in socle.findings if f.code == "ANS_REQUEST_OVERDUE"]
    assert "« ans-answer-delay » = 24 heures" in overdue.message


def test_a_pack_value_extends_the_socle_history(registry: PackRegistry) -> None:
    params = Parameters(registry.get("TIERS-PARAMS").pack)
    assert params.at("pilots-required", dt.date(2025, 12, 31)).value == 3
    assert params.at("pilots-required", dt.date(2026, 1, 1)).value == 2   # effective date inclusive
    assert params.at("contestation-working-days", dt.date(2026, 1, 1)).value == 10  # untouched: the socle's
    socle = Parameters(registry.get("HOP-DPI").pack)
    assert socle.at("pilots-required", dt.date(2030, 1, 1)).value == 3


def test_every_engine_parameter_is_in_the_socle_with_source_and_review(registry: PackRegistry) -> None:
    pack = registry.get("socle-segur").pack
    ids = {p.id: p for p in pack.parameters}
    assert set(ENGINE_PARAMETERS) <= set(ids)
    for pid, unit in ENGINE_PARAMETERS.items():
        assert ids[pid].unit == unit
        for value in ids[pid].values.values():
            assert value.source.ref in pack.sources and value.reviewed


def test_a_wrong_unit_or_value_is_a_located_problem() -> None:
    from segur_plan.engine.models.pack import Pack
    from segur_plan.engine.parameters import check_parameters

    pack = Pack.model_validate({
        "id": "P", "title": "t", "version": "1", "released": "2026-01-01", "coverage": "c",
        "reviewed": "2026-01-01", "sources": {"s": {"title": "S"}},
        "parameters": [
            {"id": "pilots-required", "label": "x", "unit": "hours",
             "values": {"2026-01-01": {"value": 2, "source": {"ref": "s"}, "reviewed": "2026-01-01"}}},
            {"id": "cancellation-case4-pivot", "label": "x", "unit": "month-day",
             "values": {"2026-01-01": {"value": "17/11", "source": {"ref": "s"}, "reviewed": "2026-01-01"}}},
        ]})
    problems = [f"{p.loc}: {p.message}" for p in check_parameters(pack)]
    assert any("pilots-required" in p and "« count »" in p for p in problems), problems
    assert any("2026-01-01.value" in p and "MM-JJ" in p for p in problems), problems


# ------------------------------------------------------------------ no regulatory constant in engine/

#: Each pattern is one form a regulatory constant took in the engine before it became a parameter.
CONSTANT_PATTERNS = {
    "ans-answer-delay (24 h)": r"hours\s*=\s*24|\b24\s*(h|heures|hours)\b|\b24-hour",
    "contestation-working-days (10)": r"\b10\s+(working|jours ouvrés)|dix jours|WORKING_DAYS\s*=\s*\d",
    "bdc-window-days (120)": r"\b120\b",
    "pilots-required (3)": r"\b(3|three|trois)\s+(pilot|déploiements|pilotes)|\bPILOTS_REQUIRED\s*=",
    "cancellation-case4-pivot (17/11)": r"17/11|\(\s*11\s*,\s*17\s*\)|\b17 (novembre|November)\b",
    "cnda-min-status (pre-examen threshold)": (r"\[\s*[\"']pre-examen[\"']\s*\]|RANK\[[^\]]*\]\s*>=\s*\d"
                                               r"|==\s*[\"']pre-examen"),
    "deadline-soon-days (30)": r"\b30\s*(days|jours)\b|SOON_DAYS\s*=|days\s*<=\s*30",
}


@pytest.mark.parametrize("name", sorted(CONSTANT_PATTERNS))
def test_no_regulatory_constant_in_engine(name: str) -> None:
    pattern = re.compile(CONSTANT_PATTERNS[name])
    hits = [f"{path.relative_to(ROOT)}:{n}: {line.strip()}"
            for path in sorted((ROOT / "engine").rglob("*.py"))
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
            if pattern.search(line)]
    assert hits == [], "\n".join(hits)


def test_the_constant_patterns_would_catch_the_old_code() -> None:
    """The patterns are not vacuous: each catches the line it was written against."""
    old = {
        "ans-answer-delay (24 h)": "ANSWER_DELAY = dt.timedelta(hours=24)",
        "contestation-working-days (10)": "CONTESTATION_WORKING_DAYS = 10",
        "bdc-window-days (120)": "ORDER_WINDOW_DAYS = 120",
        "pilots-required (3)": "PILOTS_REQUIRED = 3",
        "cancellation-case4-pivot (17/11)": "CASE4_PIVOT = (11, 17)  # 17 November (month, day)",
        "cnda-min-status (pre-examen threshold)": '_PRE_EXAMEN = CNDA_STATUS_RANK["pre-examen"]',
        "deadline-soon-days (30)": "SOON_DAYS = 30",
    }
    old["cnda-min-status (pre-examen threshold)"] += ' ; CNDA_STATUS_RANK[c.status] >= 2'
    assert re.search(CONSTANT_PATTERNS["cnda-min-status (pre-examen threshold)"], "CNDA_STATUS_RANK[s] >= 2")
    for name, line in old.items():
        assert re.search(CONSTANT_PATTERNS[name], line), name


def test_a_pack_rule_overrides_a_socle_prerequisite_row(engine: Engine) -> None:
    profile = {"solution": {"name": "x"}, "referencement": {"pack": "TIERS-PARAMS"}, "prerequisites": {"insi": False}}
    tiers = engine.plan(profile, today=dt.date(2026, 2, 1))
    (insi,) = [p for p in tiers.prerequisites if p.id == "insi"]
    assert insi.blocking and "exigé par ce pack" in insi.why and "Note de test" in insi.source
    assert any(f.code == "PREREQUISITE_MISSING" and f.level == "blocking" and f.refs == ["insi"]
               for f in tiers.findings)
    socle = engine.plan(profile | {"referencement": {"pack": "HOP-DPI"}}, today=dt.date(2026, 2, 1))
    (insi,) = [p for p in socle.prerequisites if p.id == "insi"]
    assert not insi.blocking and insi.status == "missing"
    assert any(f.code == "PREREQUISITE_MISSING" and f.level == "warning" and f.refs == ["insi"] for f in socle.findings)
    assert [p.id for p in socle.prerequisites] == ["cnda-nie", "cnda-nil", "cnda-request", "cnda-homologation",
                                                   "insi", "dmp"]


def test_rules_and_journey_conditions_bind_the_value_in_force_on_the_plan_date(engine: Engine) -> None:
    """One engine, two dates: a parameter used in rule and journey conditions takes each date's value."""
    from types import SimpleNamespace

    from segur_plan.engine.hookspecs import hookimpl
    from segur_plan.engine.models.pack import ParameterValue, SourceRef

    pack = engine.registry.get("HOP-DPI").pack
    params = []
    for p in pack.parameters:
        if p.id == "cnda-min-status":
            later = ParameterValue(value="en-cours", source=SourceRef(ref="ans-faq-industriels", section="test"),
                                   reviewed=dt.date(2026, 12, 1))
            p = p.model_copy(update={"values": {**p.values, dt.date(2026, 1, 1): later}})
        params.append(p)
    stricter = pack.model_copy(update={"id": "HOP-DPI-STRICT", "uses": (), "parameters": tuple(params)})

    @hookimpl
    def segur_plan_packs() -> list:
        return [stricter]

    registry = PackRegistry.discover([SimpleNamespace(__name__="strict", segur_plan_packs=segur_plan_packs)],
                                     entry_points=False)
    strict = Engine(registry, backend=engine.backend_name)
    profile = {"solution": {"name": "x"}, "referencement": {"pack": "HOP-DPI-STRICT", "t0": "2024-08-31"},
               "prerequisites": {"cnda_nie": "N", "cnda_nil": "L", "cnda_request_status": "pre-examen"}}
    before, after = (strict.plan(profile, today=day) for day in (dt.date(2025, 12, 31), dt.date(2026, 1, 1)))
    request = {when: next(r for r in plan.prerequisites if r.id == "cnda-request")
               for when, plan in (("before", before), ("after", after))}
    assert request["before"].status == "ok" and not request["before"].blocking
    assert request["after"].status == "insufficient" and request["after"].blocking
    assert "« en cours »" in request["after"].label and "en vigueur depuis le 2026-01-01" in request["after"].source
    assert "cnda-pre-examen" not in {a.id for a in before.actions}   # done with the old threshold
    assert "cnda-pre-examen" in {a.id for a in after.actions}        # to do again with the new one
