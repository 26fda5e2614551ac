"""The plan an editor relies on: profils, exigences, prerequisites, deadlines, actions."""

from __future__ import annotations

import datetime as dt

import pytest
from segur_plan.engine.api import Engine
from segur_plan.engine.errors import UnknownPackError, UnknownProfilError

D = dt.date


def by_id(items: list) -> dict:
    return {item.id: item for item in items}


def test_client_lourd_brings_ciba_and_both_psc_exigences(engine: Engine, make_profile) -> None:
    plan = engine.plan(make_profile(profils={"declared": ["Client lourd"]}), today=D(2025, 3, 1))
    profils = by_id(plan.profils)
    assert profils["ciba"].origin == "rule"
    assert any(w.ref == "client-lourd-ciba" and "FAQ" in w.source for w in profils["ciba"].why)
    reqs = by_id(plan.requirements)
    for exigence in ("SC.PSC.01", "SC.PSC.13"):
        reasons = [w for w in reqs[exigence].why if w.kind == "rule"]
        assert [w.ref for w in reasons] == ["client-lourd-ciba"]
        assert "CIBA" in reasons[0].source and "seed" not in reasons[0].source.lower()


def test_without_client_lourd_ciba_is_not_active(engine: Engine, make_profile) -> None:
    plan = engine.plan(make_profile(), today=D(2025, 3, 1))
    assert "ciba" not in by_id(plan.profils)
    assert "SC.PSC.13" not in by_id(plan.requirements)
    assert "SC.PSC.01" in by_id(plan.requirements)  # Général in the draft


def test_generic_calendar_from_t0(engine: Engine, make_profile) -> None:
    plan = engine.plan(make_profile(referencement={"t0": "2024-08-31"}), today=D(2025, 2, 1))
    deadlines = by_id(plan.deadlines)
    assert deadlines["dossier-administratif"].date == D(2025, 2, 28)
    assert deadlines["fin-echanges"].date == D(2025, 12, 31)
    assert (deadlines["prestations"].date, deadlines["prestations"].latest) == (D(2026, 6, 30), D(2026, 9, 30))
    published = {"ouverture-enrolement", "ouverture-avance", "avance"}  # ASP dates of HOP-DPI
    assert all(d.basis == "estimated" for d in plan.deadlines if d.id not in published)
    # a published date wins over the generic table for its own milestone only (T0 + 19 months = 2026-03-31)
    assert (deadlines["avance"].basis, deadlines["avance"].date) == ("published", D(2025, 12, 17))
    assert deadlines["dossier-administratif"].status == "soon"
    assert "T0 + 6 mois" in deadlines["dossier-administratif"].source


def test_today_after_a_deadline_marks_it_passed(engine: Engine, make_profile) -> None:
    plan = engine.plan(make_profile(referencement={"t0": "2024-08-31"}), today=D(2025, 3, 1))
    d = by_id(plan.deadlines)["dossier-administratif"]
    assert (d.status, d.days_left) == ("passed", -1)
    assert any(f.code == "DEADLINE_PASSED" and f.refs == ["dossier-administratif"] for f in plan.findings)


def test_published_calendar_wins_over_t0(engine: Engine, make_profile) -> None:
    plan = engine.plan(make_profile("RAD-DRIMBOX", referencement={"t0": "2020-01-01"}), today=D(2026, 6, 1))
    d = by_id(plan.deadlines)["dossier-complet"]
    assert (d.basis, d.date, d.at.isoformat()) == ("published", D(2026, 5, 13), "2026-05-13T12:00:00+02:00")
    assert d.status == "passed"


def test_without_t0_or_calendar_deadlines_are_unknown(engine: Engine, make_profile) -> None:
    plan = engine.plan(make_profile("BIO-SGL"), today=D(2025, 3, 1))
    assert {d.status for d in plan.deadlines} == {"unknown"}
    assert any(f.code == "T0_UNKNOWN" for f in plan.findings)


def test_hop_dpi_without_t0_shows_the_published_asp_dates(engine: Engine, make_profile) -> None:
    plan = engine.plan(make_profile(), today=D(2025, 3, 1))
    deadlines = by_id(plan.deadlines)
    avance = deadlines["avance"]
    assert (avance.basis, avance.date) == ("published", D(2025, 12, 17))
    assert avance.at.isoformat() == "2025-12-17T12:00:00+01:00"
    assert "ASP" in avance.source and "asp-public.fr" in avance.source
    opening = deadlines["ouverture-avance"]
    assert (opening.basis, opening.at.isoformat()) == ("published", "2024-09-12T14:00:00+02:00")
    assert deadlines["ouverture-enrolement"].at.isoformat() == "2024-06-20T14:00:00+02:00"
    assert {d.basis for i, d in deadlines.items() if i not in ("avance", "ouverture-avance", "ouverture-enrolement")} \
        == {"unknown"}
    # an opening that has passed is open, not late: no DEADLINE_PASSED for it
    assert not any(f.code == "DEADLINE_PASSED" and f.refs[0].startswith("ouverture") for f in plan.findings)
    t0_unknown = next(f for f in plan.findings if f.code == "T0_UNKNOWN")
    assert "avance" not in t0_unknown.refs


def test_hop_pfi_and_imagerie_publish_their_asp_dates(engine: Engine, make_profile) -> None:
    pfi = by_id(engine.plan(make_profile("HOP-PFI"), today=D(2025, 3, 1)).deadlines)
    assert pfi["avance"].at.isoformat() == "2025-09-17T12:00:00+02:00"
    for pack in ("RAD-RIS", "RAD-DRIMBOX"):
        dls = by_id(engine.plan(make_profile(pack), today=D(2025, 3, 1)).deadlines)
        assert dls["ouverture-enrolement"].at.isoformat() == "2025-05-15T14:00:00+02:00"
        assert dls["ouverture-avance"].at.isoformat() == "2025-07-10T14:00:00+02:00"


def test_missing_nie_nil_is_blocking(engine: Engine, make_profile) -> None:
    plan = engine.plan(make_profile(), today=D(2025, 3, 1))
    pre = by_id(plan.prerequisites)
    assert pre["cnda-nie"].blocking and pre["cnda-nil"].blocking and pre["cnda-request"].blocking
    blocking = [f for f in plan.findings if f.level == "blocking"]
    assert {r for f in blocking for r in f.refs} == {"cnda-nie", "cnda-nil", "cnda-request"}
    assert plan.summary.blocking == 3


def test_nie_nil_and_pre_examen_unblock_without_homologation(engine: Engine, make_profile) -> None:
    plan = engine.plan(make_profile(prerequisites={"cnda_nie": "N1", "cnda_nil": "L1",
                                                   "cnda_request_status": "pre-examen"}), today=D(2025, 3, 1))
    pre = by_id(plan.prerequisites)
    assert not any(p.blocking for p in plan.prerequisites)
    assert pre["cnda-homologation"].status == "missing"
    assert plan.summary.blocking == 0


@pytest.mark.parametrize("declared", ["Client lourd", "client LOURD", "client-lourd", "Clîent lourd"])
def test_profils_match_case_and_accent_insensitively(native_engine: Engine, make_profile, declared: str) -> None:
    plan = native_engine.plan(make_profile(profils={"declared": [declared]}), today=D(2025, 3, 1))
    assert "client-lourd" in by_id(plan.profils)


def test_alias_of_a_vague_1_profil(native_engine: Engine, make_profile) -> None:
    plan = native_engine.plan(make_profile(profils={"declared": ["va1 Intégration INS"]}), today=D(2025, 3, 1))
    assert by_id(plan.profils)["integration-ins"].origin == "declared"


def test_unknown_profil_and_pack_are_typed_errors(native_engine: Engine, make_profile) -> None:
    with pytest.raises(UnknownProfilError) as exc:
        native_engine.plan(make_profile(profils={"declared": ["Licorne"]}), today=D(2025, 3, 1))
    assert exc.value.profil == "Licorne" and "Client lourd (client-lourd)" in exc.value.known
    with pytest.raises(UnknownPackError) as err:
        native_engine.plan(make_profile("XYZ"), today=D(2025, 3, 1))
    assert "HOP-DPI" in err.value.available


def test_optional_profil_adds_only_its_exigences(native_engine: Engine, make_profile) -> None:
    base = by_id(native_engine.plan(make_profile(), today=D(2025, 3, 1)).requirements)
    iam = by_id(native_engine.plan(make_profile(profils={"declared": ["IAM"]}), today=D(2025, 3, 1)).requirements)
    added = set(iam) - set(base)
    assert added and all("iam" in iam[i].profils for i in added)
    assert set(base) <= set(iam)


def test_drimbox_proofs_carry_formats_and_limits(native_engine: Engine, make_profile) -> None:
    plan = native_engine.plan(make_profile("RAD-DRIMBOX"), today=D(2026, 6, 1))
    proofs = [p for r in plan.requirements for s in r.scenarios for p in s.proofs]
    assert proofs and plan.summary.proofs == len(proofs)
    video = next(p for p in proofs if p.kind == "video")
    assert video.max_bytes == 50_000_000 and "MP4" in video.formats
    document = next(p for p in proofs if p.kind == "document")
    assert (document.formats, document.max_bytes) == (("*",), 1_000_000)


def test_actions_follow_the_journey_and_due_dates(native_engine: Engine, make_profile) -> None:
    plan = native_engine.plan(make_profile("BIO-SGL", referencement={"t0": "2024-08-31"}), today=D(2025, 1, 1))
    assert [a.order for a in plan.actions] == list(range(1, len(plan.actions) + 1))
    ids = [a.id for a in plan.actions]
    assert ids.index("cnda-nie-nil") < ids.index("cnda-pre-examen") < ids.index("candidature")
    assert ids.index("candidature") < ids.index("preuves-depot") < ids.index("referencement") < ids.index("solde")
    actions = by_id(plan.actions)
    assert actions["candidature"].due == D(2025, 2, 28) and actions["candidature"].system == "Convergence"
    dated = [a.due for a in plan.actions if a.due and a.step != "C"]
    assert dated == sorted(dated)


def test_plan_records_pack_provenance(native_engine: Engine, make_profile) -> None:
    plan = native_engine.plan(make_profile(), today=D(2025, 3, 1))
    (ref,) = plan.packs
    entry = native_engine.registry.get("HOP-DPI")
    assert (ref.id, ref.version, ref.sha256) == ("HOP-DPI", entry.pack.version, entry.sha256)
    assert len(ref.sha256) == 64
