"""The référencement journey as rules: parcours, cycles, groupement, marque blanche, solicitations."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from segur_plan.engine.api import Engine
from segur_plan.engine.errors import ProfileError
from segur_plan.engine.hookspecs import hookimpl
from segur_plan.engine.loading import parse_profile
from segur_plan.engine.registry import PackRegistry

D = dt.date
T0 = {"t0": "2024-08-31"}
READY_PREREQUISITES = {"cnda_nie": "N1", "cnda_nil": "L1", "cnda_request_status": "pre-examen"}


def by_id(items: list) -> dict:
    return {item.id: item for item in items}


def test_marque_blanche_unmodified_inherits_everything(engine: Engine, make_profile) -> None:
    plan = engine.plan(make_profile(referencement={**T0, "parcours": "marque-blanche"},
                                    marque_blanche={"original_editor": "Origine SAS"}), today=D(2025, 3, 1))
    assert plan.requirements and {r.status for r in plan.requirements} == {"inherited"}
    assert plan.summary.to_prove == 0 and not any(r.to_prove for r in plan.requirements)
    info = [f for f in plan.findings if f.code == "MARQUE_BLANCHE_HERITEE"]
    assert len(info) == 1 and info[0].level == "info" and "contrat de licence" in info[0].message
    ids = {a.id for a in plan.actions}
    assert not ids & {"candidature", "preuves-depot", "cnda-nie-nil", "tests-interop"}
    assert any("contrat de licence" in a.label for a in plan.actions)


def test_marque_blanche_modified_proves_only_modified_areas(engine: Engine, make_profile) -> None:
    plan = engine.plan(make_profile(referencement={**T0, "parcours": "marque-blanche"},
                                    marque_blanche={"original_editor": "Origine SAS", "modified": True,
                                                    "modified_areas": ["INS", "DMP"]}), today=D(2025, 3, 1))
    to_prove = [r for r in plan.requirements if r.to_prove]
    assert to_prove and all(r.section == "INS" or r.section.startswith(("INS/", "DMP")) for r in to_prove)
    assert "SC.DMP/CONF.05" in {r.id for r in to_prove}
    inherited = [r for r in plan.requirements if r.status == "inherited"]
    assert inherited and not any(r.section.startswith(("INS", "DMP")) for r in inherited)


def test_vague_1_items_are_acquired_not_to_prove(engine: Engine, make_profile) -> None:
    plan = engine.plan(make_profile(referencement={**T0, "already_referenced": ["vague-1"]}), today=D(2025, 3, 1))
    va1 = [r for r in plan.requirements if "/va1." in r.id]
    assert va1 and all(r.status == "acquired" and not r.to_prove for r in va1)
    assert all(any(w.ref == "vague-1-acquise" for w in r.why) for r in va1)
    assert any(r.to_prove for r in plan.requirements if r.perimetre == "vague-2")


def test_critical_vague_1_items_stay_to_prove(native_engine: Engine, make_profile) -> None:
    pack = native_engine.registry.get("HOP-DPI").pack  # resolved: socle rules included
    target = next(e for e in pack.exigences if "/va1." in e.id and "general" in e.profils)
    critical = pack.model_copy(update={"id": "HOP-DPI-CRIT", "uses": (), "exigences": tuple(
        e.model_copy(update={"critical": True}) if e.id == target.id else e for e in pack.exigences)})

    @hookimpl
    def segur_plan_packs() -> list:
        return [critical]

    registry = PackRegistry.discover([SimpleNamespace(__name__="crit", segur_plan_packs=segur_plan_packs)],
                                     entry_points=False)
    plan = Engine(registry, backend="native").plan(
        make_profile("HOP-DPI-CRIT", referencement={**T0, "already_referenced": ["vague-1"]}), today=D(2025, 3, 1))
    assert by_id(plan.requirements)[target.id].status == "to-prove"
    assert sum(r.status == "acquired" for r in plan.requirements) > 10


def test_referentiel_update_lists_touched_proofs_with_the_entry_date(engine: Engine, make_profile) -> None:
    profile = make_profile(
        referencement={**T0, "trigger": "referentiel-update"}, profils={"declared": ["Intégration INS"]})
    profile["proofs"] = [
        {"id": "SSI/GEN.18.01.02", "status": "deposited", "date": "2024-06-01"},   # exigence changed 26/06
        {"id": "INS/va1.62.01.01", "status": "validated", "date": "2024-05-20"},   # scénario changed 30/05
        {"id": "SSI/GEN.03.01.01", "status": "validated", "date": "2024-07-20"},   # last change 17/07
        {"id": "SSI/IE.39.01.01", "status": "collected", "date": "2024-01-01"},    # never deposited
    ]
    plan = engine.plan(profile, today=D(2025, 3, 1))
    reqs = by_id(plan.requirements)
    assert {r.id for r in plan.requirements if r.status == "redeposit"} == {"SC.SSI/GEN.18", "DPI.INS/va1.62"}
    gen18 = [w for w in reqs["SC.SSI/GEN.18"].why if w.kind == "changelog"]
    assert [w.ref for w in gen18] == ["SSI/GEN.18.01.02"] and "2024-06-26" in gen18[0].message
    ins = [w for w in reqs["DPI.INS/va1.62"].why if w.kind == "changelog"]
    assert "2024-05-30" in ins[0].message and "INS/va1.62.01" in ins[0].message
    assert reqs["SC.SSI/GEN.03"].status == "acquired" and reqs["SC.SSI/IE.39"].status == "acquired"


def test_referentiel_update_sees_a_proof_deposited_under_its_vague_1_id(engine: Engine, make_profile) -> None:
    profile = make_profile(
        referencement={**T0, "trigger": "referentiel-update"}, profils={"declared": ["Intégration INS"]})
    profile["proofs"] = [{"id": "DPI.INS.12.01.01", "status": "validated", "date": "2024-05-20"}]  # → INS/va1.62
    plan = engine.plan(profile, today=D(2025, 3, 1))
    req = by_id(plan.requirements)["DPI.INS/va1.62"]
    assert req.status == "redeposit" and req.vague1_ids == ["DPI.INS.12"]
    (touch,) = [w for w in req.why if w.kind == "changelog"]
    assert touch.ref == "DPI.INS.12.01.01" and "INS/va1.62.01" in touch.message
    assert not any(f.code == "PROOF_UNKNOWN_REQUIREMENT" for f in plan.findings)


def test_referentiel_update_without_deposit_records_warns(native_engine: Engine, make_profile) -> None:
    plan = native_engine.plan(make_profile(referencement={"trigger": "referentiel-update"}), today=D(2025, 3, 1))
    assert any(f.code == "NO_DEPOSIT_RECORDS" for f in plan.findings)


def test_major_version_redeposits_the_whole_perimeter(engine: Engine, make_profile) -> None:
    plan = engine.plan(make_profile(referencement={"trigger": "major-version"}), today=D(2025, 3, 1))
    assert {r.status for r in plan.requirements} == {"redeposit"}


def test_audit_redeposits_flagged_exigences_only(engine: Engine, make_profile) -> None:
    profile = make_profile(referencement={"trigger": "audit"})
    profile["audit_findings"] = [{"requirement": "SC.DMP/CONF.05"}, {"requirement": "DMP/CONF.06"},
                                 {"requirement": "SC.NOPE.01"}]
    plan = engine.plan(profile, today=D(2025, 3, 1))
    assert {r.id for r in plan.requirements if r.to_prove} == {"SC.DMP/CONF.05", "SC.DMP/CONF.06"}
    assert any(f.code == "AUDIT_UNKNOWN_REQUIREMENT" and f.refs == ["SC.NOPE.01"] for f in plan.findings)


def test_groupement_proves_transversal_exigences_once(engine: Engine, make_profile) -> None:
    profile = make_profile(referencement={**T0, "parcours": "groupement"})
    del profile["solution"]
    profile["solutions"] = [{"name": "A", "profils": ["IAM"]}, {"name": "B"}]
    plan = engine.plan(profile, today=D(2025, 3, 1))
    shared = [r.id for r in plan.requirements]
    assert shared == ["SC.SSI/GEN.01", "SC.SSI/GEN.02", "SC.SSI/GEN.03", "SC.SSI/GEN.20"]
    a, b = plan.solutions
    assert (a.name, b.name) == ("A", "B") and "iam" in a.profils and "iam" not in b.profils
    for solution in plan.solutions:
        assert not {r.id for r in solution.requirements} & set(shared)
    assert "SC.SSI/IAM.80" in {r.id for r in a.requirements} - {r.id for r in b.requirements}
    assert plan.summary.requirements == len(shared) + len(a.requirements) + len(b.requirements)
    assert plan.solution.name == "Groupement : A, B"


@pytest.mark.parametrize(("sections", "message"), [
    ({"referencement": {"pack": "HOP-DPI", "parcours": "groupement"}, "solutions": [{"name": "A"}]},
     "au moins deux solutions"),
    ({"solutions": [{"name": "A"}, {"name": "B"}]}, "réservé au parcours"),
    ({"referencement": {"pack": "HOP-DPI", "parcours": "marque-blanche"}}, "[marque_blanche] va avec"),
    ({"marque_blanche": {"original_editor": "X"}}, "[marque_blanche] va avec"),
])
def test_incoherent_parcours_are_refused(sections: dict, message: str) -> None:
    data = {"solution": {"name": "x"}, "referencement": {"pack": "HOP-DPI"}} | sections
    if "solutions" in sections:
        del data["solution"]
    with pytest.raises(ProfileError) as exc:
        parse_profile(data)
    assert any(message in p.message for p in exc.value.problems)


def test_candidature_is_blocked_without_nie_nil_and_says_why(engine: Engine, make_profile) -> None:
    profile = make_profile(referencement=T0)
    profile["journey"] = {"done": ["compte-isc", "charte"]}
    action = by_id(engine.plan(profile, today=D(2025, 1, 1)).actions)["candidature"]
    assert action.blocked_by == ["cnda-nie-nil", "cnda-pre-examen"]
    assert "NIE" in action.blocked_reason and "pré-examen" in action.blocked_reason


def test_candidature_is_ready_with_nie_nil_and_pre_examen_without_homologation(engine: Engine, make_profile) -> None:
    profile = make_profile(referencement=T0, prerequisites=READY_PREREQUISITES)
    profile["journey"] = {"done": ["compte-isc", "charte"]}
    plan = engine.plan(profile, today=D(2025, 1, 1))
    actions = by_id(plan.actions)
    assert actions["candidature"].blocked_by == [] and actions["candidature"].blocked_reason is None
    assert "cnda-homologation" in actions  # still to do, but it does not block the candidature
    assert "cnda-homologation" in actions["preuves-validation"].blocked_by
    assert "cnda-nie-nil" not in actions and "compte-isc" not in actions


def test_financing_steps_need_the_obsolete_versions_declaration(native_engine: Engine, make_profile) -> None:
    actions = by_id(native_engine.plan(make_profile(referencement=T0), today=D(2025, 1, 1)).actions)
    assert "versions-obsoletes" in actions["asp-enrolement-avance"].blocked_by
    no_financing = native_engine.plan(make_profile(referencement={**T0, "financing": False}), today=D(2025, 1, 1))
    assert not {"asp-enrolement-avance", "solde", "versions-obsoletes"} & {a.id for a in no_financing.actions}


@pytest.mark.parametrize(("received", "today", "status", "level"), [
    ("2025-05-12T09:30:00+02:00", D(2025, 5, 14), "overdue", "blocking"),
    ("2025-05-12T09:30:00+02:00", D(2025, 5, 13), "due-today", "warning"),
    ("2025-05-12T09:30:00", D(2025, 5, 12), "pending", None),
])
def test_ans_solicitation_24_hours(native_engine: Engine, make_profile, received: str, today: dt.date,
                                   status: str, level: str | None) -> None:
    profile = make_profile()
    profile["ans_requests"] = [{"received": received, "subject": "Preuve illisible"}]
    plan = native_engine.plan(profile, today=today)
    (asked,) = plan.solicitations
    assert asked.status == status and asked.due.isoformat() == "2025-05-13T09:30:00+02:00"
    found = [f for f in plan.findings if f.code.startswith("ANS_REQUEST")]
    assert [f.level for f in found] == ([level] if level else [])
    if level == "blocking":
        assert "Preuve illisible" in found[0].message and "2025-05-13 09:30" in found[0].message


def test_answered_solicitation_is_not_a_finding(native_engine: Engine, make_profile) -> None:
    profile = make_profile()
    profile["ans_requests"] = [{"received": "2025-01-02T10:00:00+01:00", "answered": True}]
    plan = native_engine.plan(profile, today=D(2025, 3, 1))
    assert plan.solicitations[0].status == "answered"
    assert not any(f.code.startswith("ANS_REQUEST") for f in plan.findings)
