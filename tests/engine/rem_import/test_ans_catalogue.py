"""Reconciliation rules of the draft catalogues (engine/rem_import/ans_catalogue.py), on small rows."""

from __future__ import annotations

import datetime as dt

from segur_plan.engine.rem_import.ans_catalogue import build_catalogues
from segur_plan.engine.rem_import.ans_drafts import DraftWorkbooks, Row

DAY, LATER = dt.date(2026, 12, 2), dt.date(2026, 12, 9)
VIDEO = "Démonstration (vidéo ou copies d'écran) du scénario"


def it3(row: int, rem: str, ex_id: str, profil: str = "Général", socle: str = "", evolution: str = "Stable",
        nature: str = "Obligatoire") -> Row:
    return Row("export_final", row, {"rem": rem, "id": ex_id, "profil": profil, "section": "MSS/CONF_Conformité",
                                     "bloc": "Bloc", "fonction": "01 - Fonction", "nature": nature,
                                     "evolution": evolution, "socle_id": socle})


def prepub(row: int, rem: str, ref: str, socle: str = "", arbitrage: str = "Approuvée", profil: str = "Général",
           scenario: str = "", preuve: str = "", vague1: str = "", sheet: str = "prepub_va2_avec_scenarios") -> Row:
    return Row(sheet, row, {"arbitrage": arbitrage, "rem": rem, "section_id": ref.split("/")[0], "ref": ref,
                            "socle_ref": socle, "profil": profil, "section": "Chapitre", "bloc": "Bloc",
                            "fonction": "Fonction", "scenario": scenario, "preuve": preuve, "vague1": vague1},
               "l'editeur doit")


def books(**parts: list[Row]) -> DraftWorkbooks:
    return DraftWorkbooks(**parts)


def entry(cat, pack_id: str, ex_id: str) -> dict | None:
    return next((e for e in cat.packs[pack_id] if e["id"] == ex_id), None)


def test_prepub_wins_profils_adds_and_removes_and_it3_fills_the_rest() -> None:
    cat = build_catalogues(books(
        it3=[it3(2, "HOP-DPI", "MSS/CONF.01", socle="SC.MSS/CONF.01"),
             it3(3, "HOP-DPI", "DPI.MSS/X.01", profil="IAM"),
             it3(4, "HOP-DPI", "DPI.MSS/X.02"),
             it3(5, "HOP-DPI", "DPI.MSS/X.03"),
             it3(6, "HOP-DPI", "DPI.MSS/X.04", evolution="Obsolète")],
        prepub=[prepub(10, "DPI", "MSS/X.01", profil="IE Usagers"),  # métier ref without its prefix
                prepub(11, "DPI", "MSS/X.02", arbitrage="Obsolète"),
                prepub(12, "DPI", "MSS/X.03", arbitrage="A retravailler"),
                prepub(13, "DPI", "MSS/NEW.09", socle="SC.MSS/NEW.09"),
                prepub(14, "DPI", "MSS/NEW.10")]), DAY)
    ids = [e["id"] for e in cat.packs["HOP-DPI"]]
    assert ids == ["DPI.MSS/NEW.10", "DPI.MSS/X.01", "DPI.MSS/X.03", "SC.MSS/CONF.01", "SC.MSS/NEW.09"]
    counts = cat.counts["HOP-DPI"]
    assert (counts.removed, counts.kept_rework, counts.kept_absent, counts.added) == (1, 1, 1, 2)
    assert entry(cat, "HOP-DPI", "DPI.MSS/X.01")["profils"] == ["ie-usagers"]
    assert entry(cat, "HOP-DPI", "DPI.MSS/X.03")["source"]["ref"] == "rem-va2-draft-it3"
    assert entry(cat, "HOP-DPI", "DPI.MSS/X.02") is None  # only marked obsolete: removed
    new = entry(cat, "HOP-DPI", "SC.MSS/NEW.09")
    assert new["source"] == {"ref": "rem-va2-prepub", "section": "feuille prepub_va2_avec_scenarios, ligne 13"}
    assert new["draft_status"] == "approuvee" and new["reviewed"] == DAY
    assert {e["id"] for e in cat.socle} == {"SC.MSS/CONF.01", "SC.MSS/NEW.09"}


def test_profils_of_the_prepub_replace_those_of_iteration_3() -> None:
    cat = build_catalogues(books(
        it3=[it3(2, "HOP-DPI", "DPI.MSS/X.01", profil="IAM")],
        prepub=[prepub(10, "DPI", "MSS/X.01", profil="IE Usagers"), prepub(11, "DPI", "MSS/X.01", profil="IAM")]), DAY)
    assert entry(cat, "HOP-DPI", "DPI.MSS/X.01")["profils"] == ["iam", "ie-usagers"]
    assert cat.counts["HOP-DPI"].profils_fixed == 1


def test_an_exigence_cited_by_the_published_history_is_kept_despite_obsolete() -> None:
    parts = {"it3": [it3(2, "HOP-DPI", "DMP/CONF.05", socle="SC.DMP/CONF.05")],
             "prepub": [prepub(10, "DPI", "DMP/CONF.05", socle="SC.DMP/CONF.05", arbitrage="Obsolète")]}
    assert entry(build_catalogues(books(**parts), DAY), "HOP-DPI", "SC.DMP/CONF.05") is None
    cat = build_catalogues(books(**parts), DAY, cited={"HOP-DPI": {"SC.DMP/CONF.05"}})
    kept = entry(cat, "HOP-DPI", "SC.DMP/CONF.05")
    assert kept and "historique des versions" in kept["note"] and cat.counts["HOP-DPI"].kept_cited == 1


def test_scenarios_and_preuves_derive_or_are_reported() -> None:
    cat = build_catalogues(books(prepub=[
        prepub(10, "DPI", "SSI/GEN.18", socle="SC.SSI/GEN.18", scenario="SSI/GEN.18.01",
               preuve="SSI/GEN.18.01.01 : Formulaire du test d'intrusion signé\nSSI/GEN.18.01.02 : Procédure de "
                      "développement\nSSI/GEN.19.01.01 : hors scénario"),
        prepub(11, "DPI", "DMP/HISTO.03", socle="SC.DMP/HISTO.03", scenario="DMP/HISTO.03",
               preuve="DMP/HISTO.03.01 : " + VIDEO),
        prepub(12, "DB", "CO.50", scenario="CO.50.01", preuve="CO.50.01.01 : " + VIDEO)]), DAY)
    socle = {e["id"]: e for e in cat.socle}
    (scenario,) = socle["SC.SSI/GEN.18"]["scenarios"]
    assert scenario["id"] == "SC.SSI/GEN.18.01"
    assert [(p["id"], p["kind"], p["label"]) for p in scenario["preuves"]] == [
        ("SC.SSI/GEN.18.01.01", "document", "Formulaire de test d'intrusion signé"),
        ("SC.SSI/GEN.18.01.02", "document", "Procédure documentée")]
    assert "scenarios" not in socle["SC.DMP/HISTO.03"]
    assert any("ligne 11" in r and "DMP/HISTO.03" in r and "ne dérive pas" in r for r in cat.report)
    assert any("SSI/GEN.19.01.01" in r for r in cat.report)
    drimbox = entry(cat, "RAD-DRIMBOX", "DB/CO.50")  # DRIMbox short refs are written DB/…
    assert [p["id"] for s in drimbox["scenarios"] for p in s["preuves"]] == ["DB/CO.50.01.01"]


def test_socle_scenarios_shared_when_identical_else_per_pack() -> None:
    same = "MSS/CONF.03.01.01 : " + VIDEO
    cat = build_catalogues(books(prepub=[
        prepub(10, "DPI", "MSS/CONF.03", socle="SC.MSS/CONF.03", scenario="MSS/CONF.03.01", preuve=same),
        prepub(11, "PFI", "MSS/CONF.03", socle="SC.MSS/CONF.03", scenario="MSS/CONF.03.01", preuve=same),
        prepub(12, "DPI", "MSS/CONF.04", socle="SC.MSS/CONF.04", scenario="MSS/CONF.04.01",
               preuve="MSS/CONF.04.01.01 : " + VIDEO),
        prepub(13, "PFI", "MSS/CONF.04", socle="SC.MSS/CONF.04", scenario="MSS/CONF.04.01",
               preuve="MSS/CONF.04.01.01 : Source SMTP du message émis")]), DAY)
    socle = {e["id"]: e for e in cat.socle}
    assert socle["SC.MSS/CONF.03"]["scenarios"] and "scenarios" not in entry(cat, "HOP-DPI", "SC.MSS/CONF.03")
    assert "scenarios" not in socle["SC.MSS/CONF.04"]
    kinds = {p: entry(cat, p, "SC.MSS/CONF.04")["scenarios"][0]["preuves"][0]["kind"] for p in ("HOP-DPI", "HOP-PFI")}
    assert kinds == {"HOP-DPI": "video", "HOP-PFI": "log"}
    assert cat.counts["HOP-PFI"].preuves == 2  # shared and own scénarios both count for the pack


def test_vague1_ids_from_crosswalk_and_prepub_per_dsr() -> None:
    cat = build_catalogues(books(
        prepub=[prepub(10, "DPI", "ANN/va1.01", socle="SC.ANN/va1.01", vague1="ANN.01", sheet="prepub_avec_scenarios"),
                prepub(11, "BIO", "ANN/va1.01", socle="SC.ANN/va1.01", vague1="ANN.01", sheet="prepub_avec_scenarios"),
                prepub(12, "DPI", "DOC/va1.02", socle="SC.DOC/va1.02", sheet="prepub_avec_scenarios")],
        crosswalk=[Row("DSR_all_modified", 5, {"dsr": "DPI", "v1": "DPI.DOC.04", "v2": "DPI:DOC/va1.02/DOC/va1.04"}),
                   Row("update_old_ref", 6, {"v1": "DPI.ANN.01", "v2": "ANN/va1.01"})]), DAY)
    assert entry(cat, "HOP-DPI", "SC.ANN/va1.01")["vague1_ids"] == ["DPI.ANN.01"]
    assert entry(cat, "BIO-SGL", "SC.ANN/va1.01")["vague1_ids"] == ["SGL.ANN.01"]  # BIO's Vague 1 code is SGL
    assert entry(cat, "HOP-DPI", "SC.DOC/va1.02")["vague1_ids"] == ["DPI.DOC.04"]
    assert any("DPI.DOC.04 → DOC/va1.04 absent du catalogue" in r for r in cat.report)


def test_review_date_kept_unless_the_entry_changed() -> None:
    parts = {"prepub": [prepub(10, "DPI", "MSS/X.01", profil="IAM")]}
    first = build_catalogues(books(**parts), DAY)
    previous = {"HOP-DPI": {e["id"]: e for e in first.packs["HOP-DPI"]}}
    again = build_catalogues(books(**parts), LATER, previous)
    assert again.packs["HOP-DPI"] == first.packs["HOP-DPI"] and again.packs["HOP-DPI"][0]["reviewed"] == DAY
    changed = build_catalogues(books(prepub=[prepub(10, "DPI", "MSS/X.01", profil="IE Usagers")]), LATER, previous)
    assert changed.packs["HOP-DPI"][0]["reviewed"] == LATER


def test_packs_without_rem_get_the_socle_items_of_their_vague_1_origins() -> None:
    cat = build_catalogues(books(
        prepub=[prepub(10, "DPI", "MSS/va1.03", socle="SC.MSS/va1.03")],
        origins=[Row("db_REQUIREMENT", 2727, {"ref": "SC.MSS/va1.03", "origins": "DUI.MSS.01 LGO.MSS.01"}),
                 Row("db_REQUIREMENT", 2800, {"ref": "SC.MSS/va1.99", "origins": "LGO.MSS.02"})]), DAY)
    (lgo,) = cat.carried_over["PHA-LGO"]
    assert (lgo["id"], lgo["vague1_ids"], lgo["draft_status"]) == ("SC.MSS/va1.03", ["LGO.MSS.01"], "inference")
    assert "Inférence" in lgo["note"] and lgo["source"]["ref"] == "rem-va1-va2-crosswalk"
    assert [e["vague1_ids"] for e in cat.carried_over["MS-DUI"]] == [["DUI.MSS.01"]]
    assert any("SC.MSS/va1.99" in r and "absent du socle" in r for r in cat.report)


def test_a_requirement_renamed_between_the_drafts_is_one_exigence_under_its_new_name() -> None:
    old = it3(2, "RIS", "RIS.CRR/va1.01")
    old.cells["squash"] = "31991"
    new = prepub(10, "RIS", "CRI/va1.01", vague1="CRR.01", sheet="prepub_avec_scenarios")
    new.cells["squash"] = "31991"
    cat = build_catalogues(books(it3=[old], prepub=[new]), DAY)
    assert [e["id"] for e in cat.packs["RAD-RIS"]] == ["RIS.CRI/va1.01"]
    assert entry(cat, "RAD-RIS", "RIS.CRI/va1.01")["vague1_ids"] == ["RIS.CRR.01"]
    assert cat.counts["RAD-RIS"].renamed == 1 and any("RIS.CRR/va1.01 renommée RIS.CRI/va1.01" in r for r in cat.report)
    rework = prepub(10, "RIS", "CRI/va1.01", arbitrage="A retravailler", sheet="prepub_avec_scenarios")
    rework.cells["squash"] = "31991"
    kept = build_catalogues(books(it3=[old], prepub=[rework]), DAY)
    assert [e["id"] for e in kept.packs["RAD-RIS"]] == ["RIS.CRR/va1.01"]  # the new name is not approved yet
