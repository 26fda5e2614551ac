"""Proof progress in the plan: per requirement, per profil, per journey stage; rejected proofs."""

from __future__ import annotations

import datetime as dt

from segur_plan.engine.api import Engine

D = dt.date


def by_id(items: list) -> dict:
    return {item.id: item for item in items}


def test_drimbox_progress_counts_catalogued_proofs_by_status(native_engine: Engine, make_profile) -> None:
    base = native_engine.plan(make_profile("RAD-DRIMBOX"), today=D(2026, 1, 5))
    req = next(r for r in base.requirements if sum(len(s.proofs) for s in r.scenarios) >= 2)
    proofs = [p.id for s in req.scenarios for p in s.proofs]
    profile = make_profile("RAD-DRIMBOX")
    profile["proofs"] = [{"id": proofs[0], "status": "validated", "date": "2026-01-02"},
                         {"id": proofs[1], "status": "collected"}]
    plan = native_engine.plan(profile, today=D(2026, 1, 5))
    progress = by_id(plan.requirements)[req.id].progress
    assert (progress.total, progress.validated, progress.collected) == (len(proofs), 1, 1)
    assert progress.todo == len(proofs) - 2
    assert progress.percent_deposited == round(100 / len(proofs), 1)
    overall = plan.progress.overall
    assert overall.validated == 1 and overall.total == sum(r.progress.total for r in plan.requirements if r.progress)
    assert plan.progress.by_profil[req.profil].validated == 1


def _without_scenario(engine: Engine, profile: dict) -> str:
    """An exigence to prove in the plan of ``profile`` whose sources list no scénario."""
    plan = engine.plan(profile, today=D(2025, 3, 1))
    return next(r.id for r in plan.requirements if r.to_prove and not r.scenarios)


def test_requirement_without_catalogued_proof_counts_as_one_to_do(native_engine: Engine, make_profile) -> None:
    req_id = _without_scenario(native_engine, make_profile())
    req = by_id(native_engine.plan(make_profile(), today=D(2025, 3, 1)).requirements)[req_id]
    assert req.scenarios == () and (req.progress.total, req.progress.todo) == (1, 1)


def test_recorded_proof_outside_the_catalogue_is_counted(native_engine: Engine, make_profile) -> None:
    profile = make_profile()
    req_id = _without_scenario(native_engine, profile)
    profile["proofs"] = [{"id": f"{req_id}.01.01", "status": "deposited", "date": "2025-02-01"},
                         {"id": f"{req_id}.01.02", "status": "todo"}]
    req = by_id(native_engine.plan(profile, today=D(2025, 3, 1)).requirements)[req_id]
    assert (req.progress.total, req.progress.deposited, req.progress.todo) == (2, 1, 1)
    assert req.progress.percent_deposited == 50.0


def test_proof_recorded_under_a_vague_1_id_counts_for_the_vague_2_exigence(native_engine: Engine,
                                                                           make_profile) -> None:
    base = by_id(native_engine.plan(make_profile(), today=D(2025, 3, 1)).requirements)["SC.ANN/va1.01"]
    assert base.vague1_ids == ["DPI.ANN.01"]  # HOP-DPI: DPI.ANN.01 → ANN/va1.01 (ANS crosswalk)
    expected = [p.id for s in base.scenarios for p in s.proofs]
    profile = make_profile()
    profile["proofs"] = [{"id": "DPI.ANN.01.01.01", "status": "deposited", "date": "2025-02-01"},
                         {"id": "dpi.ann.01", "status": "validated", "date": "2025-02-02"}]
    plan = native_engine.plan(profile, today=D(2025, 3, 1))
    req = by_id(plan.requirements)["SC.ANN/va1.01"]
    # DPI.ANN.01.01.01 stands for SC.ANN/va1.01.01.01, a catalogued preuve; the bare ID is one more record
    assert "SC.ANN/va1.01.01.01" in expected
    assert (req.progress.total, req.progress.deposited, req.progress.validated) == (len(expected) + 1, 1, 1)
    said = [w for w in req.why if w.kind == "vague1"]
    assert [w.ref for w in said] == ["DPI.ANN.01.01.01", "dpi.ann.01"]
    assert "SC.ANN/va1.01.01.01" in said[0].message and "Vague 1" in said[0].message
    assert "Vague 1 → Vague 2" in said[0].source
    assert not any(f.code == "PROOF_UNKNOWN_REQUIREMENT" for f in plan.findings)


def test_vague_1_id_of_another_dsr_does_not_count(native_engine: Engine, make_profile) -> None:
    profile = make_profile()
    profile["proofs"] = [{"id": "SGL.ANN.01.01.01", "status": "deposited", "date": "2025-02-01"}]
    plan = native_engine.plan(profile, today=D(2025, 3, 1))
    req = by_id(plan.requirements)["SC.ANN/va1.01"]
    assert req.progress.deposited == 0 and not [w for w in req.why if w.kind == "vague1"]
    assert any(f.code == "PROOF_UNKNOWN_REQUIREMENT" and f.refs == ["SGL.ANN.01.01.01"] for f in plan.findings)


def test_latest_record_of_a_proof_wins(native_engine: Engine, make_profile) -> None:
    profile = make_profile()
    profile["proofs"] = [{"id": "PSC.01.01.01", "status": "rejected", "date": "2025-01-10"},
                         {"id": "PSC.01.01.01", "status": "deposited", "date": "2025-02-01"}]
    plan = native_engine.plan(profile, today=D(2025, 3, 1))
    assert by_id(plan.requirements)["SC.PSC.01"].progress.deposited == 1
    assert not any(a.id.startswith("preuve-rejetee") for a in plan.actions)


def test_rejected_proof_becomes_an_action(native_engine: Engine, make_profile) -> None:
    profile = make_profile(referencement={"t0": "2024-08-31"})
    profile["proofs"] = [{"id": "PSC.01.01.01", "status": "rejected", "date": "2025-02-01"}]
    plan = native_engine.plan(profile, today=D(2025, 3, 1))
    action = by_id(plan.actions)["preuve-rejetee:PSC.01.01.01"]
    assert "rejetée le 2025-02-01" in action.label and action.refs == ["PSC.01.01.01"]
    assert action.due == D(2025, 12, 31)  # before the end of the exchanges with ANS
    assert by_id(plan.requirements)["SC.PSC.01"].progress.rejected == 1


def test_journey_progress_per_stage(native_engine: Engine, make_profile) -> None:
    profile = make_profile(prerequisites={"cnda_nie": "N", "cnda_nil": "L", "cnda_request_status": "pre-examen"})
    profile["journey"] = {"done": ["compte-isc"]}
    stages = {s.step: s for s in native_engine.plan(profile, today=D(2025, 3, 1)).progress.by_step}
    assert (stages["A"].done, stages["A"].total, stages["A"].percent) == (1, 2, 50.0)
    assert stages["1"].done == 2  # NIE/NIL and pré-examen, from the prerequisites
    assert [s for s in stages] == sorted(stages, key="ABC123456".index)


def test_no_progress_for_what_is_not_to_prove(native_engine: Engine, make_profile) -> None:
    plan = native_engine.plan(make_profile(referencement={"already_referenced": ["vague-1"]}), today=D(2025, 3, 1))
    acquired = [r for r in plan.requirements if r.status == "acquired"]
    assert acquired and all(r.progress is None for r in acquired)
