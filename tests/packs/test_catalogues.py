"""The built-in catalogues an editor works from (issue 11): scénarios and preuves, Vague 1 IDs,
PHA-LGO and MS-DUI, checked on the installed packs as a user sees them."""

from __future__ import annotations

import datetime as dt

import pytest
from segur_plan.engine.api import Engine
from segur_plan.engine.ids import number
from segur_plan.engine.registry import PackRegistry

REGISTRY = PackRegistry.discover()
TODAY = dt.date(2026, 12, 2)
MINIMUM = {  # pack → (preuves, scénarios) at least
    "HOP-DPI": (150, 125), "HOP-PFI": (125, 90), "BIO-SGL": (260, 195), "RAD-RIS": (265, 200),
    "MDV-LGC": (225, 175), "RAD-DRIMBOX": (64, 55),
}
# Scénarios and preuves that the FAQ version histories cite and the pré-publication holds.
FAQ_SCENARIOS = ("SSI/GEN.18.01", "INS/va1.62.01", "INS/va1.62.02", "INS/va1.62.03", "MSS/va1.13.01",
                 "DOC/va1.04.01", "DOC/va1.06.01", "SSI/GEN.01.01", "SSI/GEN.02.01", "SSI/GEN.03.01",
                 "SSI/GEN.11.01", "SSI/GEN.20.01", "SSI/GEN.21.01", "SSI/IAM.80.01", "SSI/IAM.83.01",
                 "SSI/IE.39.01", "MSS/va1.17.01")
FAQ_PREUVES = ("SSI/IAM.83.01.01", "SSI/GEN.18.01.02", "SSI/GEN.03.01.01",
               *(f"MSS/CONF.{n}.01.01" for n in ("03", "05", "06", "12", "14", "15", "16", "21")))


def items(pack_id: str) -> tuple[dict[str, object], set[str], set[str]]:
    pack = REGISTRY.get(pack_id).pack
    scenarios = {number(s.id) for e in pack.exigences for s in e.scenarios}
    preuves = {number(p.id) for e in pack.exigences for s in e.scenarios for p in s.preuves}
    return {number(e.id): e for e in pack.exigences}, scenarios, preuves


@pytest.mark.parametrize("pack_id", sorted(MINIMUM))
def test_each_dsr_has_its_draft_scenarios_and_preuves(pack_id: str) -> None:
    pack = REGISTRY.get(pack_id).pack
    scenarios = [s for e in pack.exigences for s in e.scenarios]
    preuves = [p for s in scenarios for p in s.preuves]
    least_preuves, least_scenarios = MINIMUM[pack_id]
    assert len(preuves) >= least_preuves and len(scenarios) >= least_scenarios
    assert all(p.source and p.source.ref == "rem-va2-prepub" and "ligne" in p.source.section for p in preuves)
    assert pack.sources["rem-va2-prepub"].url == "https://github.com/ansforge/segur-squash-plugins"
    assert sum(p.kind == "unknown" for p in preuves) <= len(preuves) // 20  # kinds inferred for almost all


@pytest.mark.parametrize("faq_id", FAQ_SCENARIOS + FAQ_PREUVES)
def test_faq_cited_ids_are_in_every_pack_carrying_their_exigence(faq_id: str) -> None:
    exigence = ".".join(faq_id.split(".")[:2])
    carriers = [p for p in REGISTRY.ids() if exigence in items(p)[0]]
    assert carriers, f"aucun pack ne porte {exigence}"
    for pack_id in carriers:
        _, scenarios, preuves = items(pack_id)
        assert faq_id in scenarios | preuves, f"{faq_id} absent de {pack_id}"


def test_hop_dpi_carries_the_ids_named_in_the_issue() -> None:
    exigences, scenarios, preuves = items("HOP-DPI")
    assert {"SSI/GEN.18.01", "INS/va1.62.01"} <= scenarios
    assert {"SSI/GEN.18.01.02", "SSI/IAM.83.01.01"} <= preuves
    assert {"DMP/CONF.05", "ANN/va1.01"} <= set(exigences)  # DMP/CONF.05: kept, cited by the FAQ history


def test_plain_hop_dpi_plan_lists_each_preuve_with_kind_formats_and_size(native_engine: Engine) -> None:
    plan = native_engine.plan({"solution": {"name": "DPI"}, "referencement": {"pack": "HOP-DPI"}}, today=TODAY)
    proofs = [p for r in plan.requirements for s in r.scenarios for p in s.proofs]
    assert len(proofs) >= 100 and plan.summary.proofs == len(proofs)
    assert all(p.kind != "unknown" and p.formats and p.max_bytes for p in proofs)
    video = next(p for p in proofs if p.kind == "video")
    assert "MP4" in video.formats and video.max_bytes == 50_000_000
    # « sans scénario ni preuve » counts only the exigences whose sources give none
    finding = next(f for f in plan.findings if f.code == "SCENARIOS_NOT_IN_SOURCE")
    pack = REGISTRY.get("HOP-DPI").pack
    without = {e.id for e in pack.exigences if not e.scenarios}
    assert set(finding.refs) == {r.id for r in plan.requirements if r.to_prove and r.id in without}
    assert f"{len(finding.refs)} exigences" in finding.message and len(finding.refs) < len(plan.requirements) / 3


@pytest.mark.parametrize("pack_id", ["HOP-DPI", "HOP-PFI", "BIO-SGL", "RAD-RIS", "MDV-LGC"])
def test_carried_exigences_know_their_vague_1_ids(pack_id: str) -> None:
    pack = REGISTRY.get(pack_id).pack
    carried = [e for e in pack.exigences if "/va1." in e.id]
    with_ids = [e for e in carried if e.vague1_ids]
    assert carried and len(with_ids) >= 0.9 * len(carried)
    code = {"BIO-SGL": "SGL"}.get(pack_id, pack_id.split("-")[1])
    assert all(v.startswith(code + ".") for e in with_ids for v in e.vague1_ids)


@pytest.mark.parametrize(("pack_id", "code", "least"), [("PHA-LGO", "LGO", 11), ("MS-DUI", "DUI", 18)])
def test_packs_without_vague_2_rem_go_as_deep_as_the_sources(pack_id: str, code: str, least: int) -> None:
    pack = REGISTRY.get(pack_id).pack
    assert len(pack.exigences) >= least and all(e.source and e.reviewed for e in pack.exigences)
    inferred = [e for e in pack.exigences if e.draft_status == "inference"]
    assert len(inferred) >= 11 and all(e.id.startswith("SC.MSS/va1.") for e in inferred)
    assert all(e.vague1_ids and e.vague1_ids[0].startswith(f"{code}.MSS.") and "Inférence" in (e.note or "")
               for e in inferred)
    assert "Ce qui manque" in pack.coverage and "segur-plan packs import-rem" in pack.coverage
    assert pack.vague1_dates and all(h.source.ref in pack.sources for h in pack.vague1_dates)
    assert not pack.calendar.published  # Vague 1 dates are history, not Vague 2 deadlines


def test_ms_dui_domains_are_sourced_and_its_profils_not_invented() -> None:
    pack = REGISTRY.get("MS-DUI").pack
    assert [d.id for d in pack.domains] == ["PA", "PH", "DOM", "PDE", "PDS", "AHI", "PJM"]
    assert {d.source.ref for d in pack.domains} == {"esante-ms-segur"}
    assert [p.id for p in pack.profils] == ["general"]


def test_pha_lgo_vague_1_dates_keep_their_hour_and_plan_shows_no_vague_1_deadline(native_engine: Engine) -> None:
    pack = REGISTRY.get("PHA-LGO").pack
    dates = {h.id: h for h in pack.vague1_dates}
    assert (dates["bon-de-commande"].date, dates["bon-de-commande"].time) == (dt.date(2023, 3, 15), dt.time(14))
    plan = native_engine.plan({"solution": {"name": "LGO"}, "referencement": {"pack": "PHA-LGO"}}, today=TODAY)
    assert {d.basis for d in plan.deadlines} == {"unknown"}
    assert all(d.date is None or d.date.year > 2023 for d in plan.deadlines)
