"""``diff_packs``: exactly the items that changed between two versions of a pack, in French too."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

import pytest
from segur_plan.engine.models.pack import ChangelogEntry, Pack
from segur_plan.engine.pack_diff import (
    FAMILIES,
    FamilyDiff,
    PackDiff,
    diff_packs,
    render_diff_markdown,
    render_diff_text,
)
from segur_plan.engine.registry import PackRegistry
from segur_plan.engine.render.json_render import to_json

SRC = {"ref": "s", "section": "§1"}
DAY = "2026-01-01"
PROV = {"source": SRC, "reviewed": DAY}
WHEN = {"all": [{"m": {"kind": "x"}}]}


def pack_data() -> dict[str, Any]:
    """A small pack with one item or more in every family."""
    preuve = {"id": "SC.PSC.01.01.01", "label": "Vidéo", "kind": "video"}
    return {
        "id": "TEST-PACK", "title": "Pack de test", "version": "0.1.0", "released": DAY,
        "coverage": "test", "reviewed": DAY, "sources": {"s": {"title": "Source de test"}},
        "profils": [
            {"id": "general", "label": "Général", "general": True, **PROV},
            {"id": "ciba", "label": "CIBA", "aliases": ["Client lourd CIBA"], **PROV},
        ],
        "exigences": [
            {"id": "SC.PSC.01", "label": "Authentification", "nature": "exigence",
             "perimetre": "vague-2", "section": "PSC", **PROV,
             "scenarios": [{"id": "SC.PSC.01.01", "label": "Connexion", "preuves": [preuve]}]},
            {"id": "SC.PSC.02", "label": "Déconnexion", "nature": "exigence",
             "perimetre": "vague-2", **PROV},
        ],
        "rules": [{"id": "r-ciba", "label": "CIBA active le profil", "when": WHEN,
                   "then": [{"action": "activate_profil", "profil": "ciba"}], **PROV}],
        "calendar": {"t0": "2025-01-15", "published": [
            {"id": "dossier-complet", "date": "2025-06-30", "time": "12:00:00", **PROV}]},
        "generic_deadlines": [{"id": "avance", "label": "Avance", "months": 3, **PROV}],
        "proof_formats": [{"kinds": ["video", "capture"], "label": "Vidéos", "formats": ["MP4"],
                           "max_bytes": 1000, **PROV}],
        "changelog": [{"date": "2025-01-01", "items": ["SC.PSC.01"], "note": "Initiale",
                       "source": SRC}],
    }


def build(mutate: Callable[[dict[str, Any]], object] | None = None) -> Pack:
    data = copy.deepcopy(pack_data())
    if mutate is not None:
        mutate(data)
    return Pack.model_validate(data)


def sections(diff: PackDiff) -> dict[str, dict[str, Any]]:
    """The non-empty families, as plain JSON."""
    dumped = diff.model_dump(mode="json")
    empty = FamilyDiff().model_dump()
    return {name: dumped[name] for name in FAMILIES if dumped[name] != empty}


def changed(item_id: str, *fields: tuple[str, Any, Any]) -> dict[str, Any]:
    return {"id": item_id, "fields": [{"field": f, "old": o, "new": n} for f, o, n in fields]}


def family(added: Sequence[str] = (), removed: Sequence[str] = (),
           changed: Sequence[dict] = ()) -> dict[str, Any]:
    return {"added": list(added), "removed": list(removed), "changed": list(changed)}


def ex(data: dict, i: int = 0) -> dict:
    return data["exigences"][i]


def sc(data: dict) -> dict:
    return ex(data)["scenarios"][0]


NEW_EXIGENCE = {"id": "SC.PSC.13", "label": "Nouvelle", **PROV}
NEW_PROFIL = {"id": "dmp", "label": "DMP", **PROV}
NEW_RULE = {"id": "r-dmp", "label": "DMP", "when": {},
            "then": [{"action": "activate_profil", "profil": "dmp"}], **PROV}
P1, P2 = "SC.PSC.01.01.01", "P2"
DC = "published:dossier-complet"


def move_scenario(d: dict) -> None:
    ex(d, 1)["scenarios"] = ex(d).pop("scenarios")


CASES: list[tuple[str, Callable[[dict], object], dict[str, dict[str, Any]]]] = [
    ("exigence added", lambda d: d["exigences"].append(NEW_EXIGENCE),
     {"exigences": family(added=["SC.PSC.13"])}),
    ("exigence removed", lambda d: d["exigences"].pop(1),
     {"exigences": family(removed=["SC.PSC.02"])}),
    ("exigence changed",
     lambda d: ex(d).update(profils=["general", "ciba"], critical=True, label="Authent."),
     {"exigences": family(changed=[changed("SC.PSC.01", ("critical", False, True),
                                           ("label", "Authentification", "Authent."),
                                           ("profils", ["general"], ["general", "ciba"]))])}),
    ("scenario added", lambda d: ex(d, 1).update(scenarios=[{"id": "SC.PSC.02.01"}]),
     {"scenarios": family(added=["SC.PSC.02.01"])}),
    ("scenario removed with its preuve", lambda d: ex(d).update(scenarios=[]),
     {"scenarios": family(removed=["SC.PSC.01.01"]), "preuves": family(removed=[P1])}),
    ("scenario changed", lambda d: sc(d).update(label="Login"),
     {"scenarios": family(changed=[changed("SC.PSC.01.01", ("label", "Connexion", "Login"))])}),
    ("scenario moved", move_scenario,
     {"scenarios": family(changed=[changed("SC.PSC.01.01",
                                           ("exigence", "SC.PSC.01", "SC.PSC.02"))])}),
    ("preuve added", lambda d: sc(d)["preuves"].append({"id": P2, "label": "Journal"}),
     {"preuves": family(added=[P2]),
      "scenarios": family(changed=[changed("SC.PSC.01.01", ("preuves", [P1], [P1, P2]))])}),
    ("preuve changed", lambda d: sc(d)["preuves"][0].update(kind="capture", label="Capture"),
     {"preuves": family(changed=[changed(P1, ("kind", "video", "capture"),
                                         ("label", "Vidéo", "Capture"))])}),
    ("profil added", lambda d: d["profils"].append(NEW_PROFIL),
     {"profils": family(added=["dmp"])}),
    ("profil removed", lambda d: d["profils"].pop(1), {"profils": family(removed=["ciba"])}),
    ("profil changed", lambda d: d["profils"][1].update(aliases=[], note="Vague 2"),
     {"profils": family(changed=[changed("ciba", ("aliases", ["Client lourd CIBA"], []),
                                         ("note", None, "Vague 2"))])}),
    ("rule added", lambda d: d["rules"].append(NEW_RULE), {"rules": family(added=["r-dmp"])}),
    ("rule removed", lambda d: d["rules"].clear(), {"rules": family(removed=["r-ciba"])}),
    ("rule changed", lambda d: d["rules"][0].update(priority=5, when={}),
     {"rules": family(changed=[changed("r-ciba", ("priority", 0, 5), ("when", WHEN, {}))])}),
    ("published deadline added", lambda d: d["calendar"]["published"].append(
        {"id": "solde", "date": "2026-01-31", **PROV}),
     {"deadlines": family(added=["published:solde"])}),
    ("published deadline changed",
     lambda d: d["calendar"]["published"][0].update(date="2025-07-15", time=None),
     {"deadlines": family(changed=[changed(DC, ("date", "2025-06-30", "2025-07-15"),
                                           ("time", "12:00:00", None))])}),
    ("generic deadline removed", lambda d: d["generic_deadlines"].clear(),
     {"deadlines": family(removed=["generic:avance"])}),
    ("generic deadline changed",
     lambda d: d["generic_deadlines"][0].update(months=4, months_latest=6),
     {"deadlines": family(changed=[changed("generic:avance", ("months", 3, 4),
                                           ("months_latest", None, 6))])}),
    ("t0 changed", lambda d: d["calendar"].update(t0=None),
     {"deadlines": family(changed=[changed("t0", ("t0", "2025-01-15", None))])}),
    ("proof format added", lambda d: d["proof_formats"].append(
        {"kinds": ["lien"], "label": "Liens", "max_bytes": 10, **PROV}),
     {"proof_formats": family(added=["lien"])}),
    ("proof format changed",
     lambda d: d["proof_formats"][0].update(formats=["MP4", "MOV"], max_bytes=2000),
     {"proof_formats": family(changed=[changed("video+capture",
                                               ("formats", ["MP4"], ["MP4", "MOV"]),
                                               ("max_bytes", 1000, 2000))])}),
    ("proof format re-keyed", lambda d: d["proof_formats"][0].update(kinds=["video"]),
     {"proof_formats": family(added=["video"], removed=["video+capture"])}),
    ("changelog added", lambda d: d["changelog"].append({"date": "2025-03-01", "source": SRC}),
     {"changelog": family(added=["2025-03-01"])}),
    ("changelog removed", lambda d: d["changelog"].clear(),
     {"changelog": family(removed=["2025-01-01"])}),
    ("changelog changed", lambda d: d["changelog"][0].update(items=["SC.PSC.01", "SC.PSC.02"]),
     {"changelog": family(changed=[changed("2025-01-01", ("items", ["SC.PSC.01"],
                                                          ["SC.PSC.01", "SC.PSC.02"]))])}),
]


@pytest.mark.parametrize(("mutate", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_exactly_the_introduced_change_is_reported(mutate: Callable, expected: dict) -> None:
    diff = diff_packs(build(), build(mutate))
    assert sections(diff) == expected
    assert diff.metadata == []
    assert not diff.is_empty
    counts = diff.counts
    assert counts.added == sum(len(f["added"]) for f in expected.values())
    assert counts.removed == sum(len(f["removed"]) for f in expected.values())
    assert counts.changed == sum(len(f["changed"]) for f in expected.values())


def test_unchanged_copy_gives_an_empty_diff() -> None:
    diff = diff_packs(build(), build())
    assert diff.is_empty
    assert sections(diff) == {} and diff.metadata == []
    c = diff.counts
    assert (c.added, c.removed, c.changed, c.metadata) == (0, 0, 0, 0)
    assert diff.old.sha256 == diff.new.sha256
    line = "Aucune différence entre TEST-PACK 0.1.0 et TEST-PACK 0.1.0.\n"
    assert render_diff_text(diff) == line
    assert render_diff_markdown(diff).endswith("\n\n" + line)


def test_empty_diff_between_two_versions_names_both() -> None:
    diff = diff_packs(build(), build(), include_provenance=True)
    assert diff.is_empty
    diff = diff.model_copy(update={"new": diff.new.model_copy(update={"version": "0.2.0"})})
    assert render_diff_text(diff) == "Aucune différence entre TEST-PACK 0.1.0 et TEST-PACK 0.2.0.\n"


def test_metadata_changes() -> None:
    def mutate(d: dict) -> None:
        d.update(version="0.2.0", released="2026-02-01", status="published", uses=["socle-segur"])

    diff = diff_packs(build(), build(mutate))
    assert [(c.field, c.old, c.new) for c in diff.metadata] == [
        ("released", "2026-01-01", "2026-02-01"), ("status", "draft", "published"),
        ("uses", [], ["socle-segur"]), ("version", "0.1.0", "0.2.0")]
    assert sections(diff) == {} and diff.counts.metadata == 4 and not diff.is_empty
    assert (diff.old.version, diff.new.version) == ("0.1.0", "0.2.0")
    assert diff.new.released == dt.date(2026, 2, 1)
    assert diff.old.sha256 != diff.new.sha256


def test_a_different_pack_id_is_a_difference() -> None:
    diff = diff_packs(build(), build(lambda d: d.update(id="AUTRE-PACK")))
    assert [(c.field, c.old, c.new) for c in diff.metadata] == [("id", "TEST-PACK", "AUTRE-PACK")]
    assert render_diff_text(diff).splitlines()[0] == (
        "Différences entre TEST-PACK 0.1.0 et AUTRE-PACK 0.1.0 :")


class PackPlus(Pack):
    """A pack model grown with a field no family knows of (as the pack schema grows)."""

    extra_steps: tuple[dict[str, Any], ...] = ()


def test_a_field_of_no_family_is_compared_whole_as_metadata() -> None:
    step = {"id": "a", "label": "Étape", "source": SRC}
    old = PackPlus.model_validate(pack_data())
    new = PackPlus.model_validate(pack_data() | {"extra_steps": [step]})
    diff = diff_packs(old, new)
    assert [(c.field, c.old, c.new) for c in diff.metadata] == [
        ("extra_steps", [], [{"id": "a", "label": "Étape"}])]
    assert sections(diff) == {}
    resourced = step | {"source": {"ref": "t"}}
    moved = PackPlus.model_validate(pack_data() | {"extra_steps": [resourced]})
    assert diff_packs(new, moved).is_empty
    assert [c.field for c in diff_packs(new, moved, include_provenance=True).metadata] == [
        "extra_steps"]


def provenance_only(d: dict) -> None:
    d["reviewed"] = "2026-02-02"
    ex(d).update(source={"ref": "s", "section": "§2"}, reviewed="2026-02-02")
    ex(d)["scenarios"][0]["source"] = {"ref": "s"}
    d["profils"][0]["reviewed"] = "2026-02-02"
    d["rules"][0]["source"] = {"ref": "s", "section": "§9"}
    d["calendar"]["t0_source"] = {"ref": "s"}
    d["changelog"][0]["source"] = {"ref": "s", "section": "§3"}
    d["sources"]["s"]["url"] = "https://example.org"


def test_provenance_is_ignored_by_default() -> None:
    diff = diff_packs(build(), build(provenance_only))
    assert diff.is_empty and not diff.include_provenance


def test_provenance_is_reported_when_asked() -> None:
    diff = diff_packs(build(), build(provenance_only), include_provenance=True)
    assert diff.include_provenance
    assert {f.field for f in diff.metadata} == {"reviewed", "sources"}
    got = {name: {c["id"]: [f["field"] for f in c["fields"]] for c in s["changed"]}
           for name, s in sections(diff).items()}
    assert got == {"exigences": {"SC.PSC.01": ["reviewed", "source"]},
                   "scenarios": {"SC.PSC.01.01": ["source"]}, "profils": {"general": ["reviewed"]},
                   "rules": {"r-ciba": ["source"]}, "deadlines": {"t0": ["t0_source"]},
                   "changelog": {"2025-01-01": ["source"]}}
    assert diff.exigences.changed[0].fields[1].new == {"ref": "s", "section": "§2"}


def several(d: dict) -> None:
    d["version"] = "0.2.0"
    d["exigences"].append(NEW_EXIGENCE)
    ex(d).update(profils=["general", "ciba"])
    d["exigences"].pop(1)
    d["rules"][0]["label"] = "CIBA | profil"
    d["calendar"]["published"][0]["date"] = "2025-07-15"


def test_json_output_is_deterministic_and_sorted() -> None:
    def as_json(diff: PackDiff) -> bytes:
        return to_json(diff.model_dump(mode="json")).encode("utf-8")

    first = as_json(diff_packs(build(), build(several)))
    assert first == as_json(diff_packs(build(), build(several)))

    def reordered(d: dict) -> None:  # same changes, items in another order: same report
        several(d)
        d["exigences"].reverse()
        d["profils"].reverse()

    other = diff_packs(build(), build(reordered))
    assert other.new.sha256 != diff_packs(build(), build(several)).new.sha256  # the packs differ
    other.new.sha256 = "x"
    same = diff_packs(build(), build(several))
    same.new.sha256 = "x"
    assert as_json(other) == as_json(same)
    diff = diff_packs(build(), build(several))
    keys = list(diff.model_dump(mode="json"))
    assert keys[:4] == ["schema_version", "old", "new", "include_provenance"]
    assert list(diff.counts.by_family) == list(FAMILIES)


def test_text_renderer_has_one_french_line_per_item() -> None:
    text = render_diff_text(diff_packs(build(), build(several)))
    assert text.endswith("\n") and not text.endswith("\n\n")
    assert text.splitlines() == [
        "Différences entre TEST-PACK 0.1.0 et TEST-PACK 0.2.0 :",
        "Métadonnée modifiée : version : 0.1.0 → 0.2.0",
        "Exigence ajoutée : SC.PSC.13",
        "Exigence supprimée : SC.PSC.02",
        "Exigence modifiée : SC.PSC.01 — profils : [general] → [general, ciba]",
        "Règle modifiée : r-ciba — libellé : CIBA active le profil → CIBA | profil",
        "Échéance modifiée : published:dossier-complet — date : 2025-06-30 → 2025-07-15",
    ]


def test_text_renderer_genders_and_values() -> None:
    def mutate(d: dict) -> None:
        d["profils"].append(NEW_PROFIL)
        ex(d).update(critical=True, note="À revoir")
        d["rules"][0]["when"] = {"any": []}

    text = render_diff_text(diff_packs(build(), build(mutate)))
    assert "Profil ajouté : dmp" in text
    assert "Exigence modifiée : SC.PSC.01 — critique : non → oui ; note : — → À revoir" in text
    assert ('Règle modifiée : r-ciba — condition : {"all": [{"m": {"kind": "x"}}]} → {"any": []}'
            in text)


def test_markdown_renderer() -> None:
    md = render_diff_markdown(diff_packs(build(), build(several)))
    assert md == render_diff_markdown(diff_packs(build(), build(several)))
    assert md.endswith("\n") and not md.endswith("\n\n")
    for expected in [
        "# Différences entre TEST-PACK 0.1.0 et TEST-PACK 0.2.0",
        "- 1 ajout(s), 1 suppression(s), 3 modification(s), 1 métadonnée(s) modifiée(s)",
        "## Métadonnées", "| version | 0.1.0 | 0.2.0 |",
        "## Exigences", "Ajoutées (1) : `SC.PSC.13`", "Supprimées (1) : `SC.PSC.02`",
        "| Exigence | Champ | Avant | Après |",
        "| `SC.PSC.01` | profils | [general] | [general, ciba] |",
        "## Règles", "| `r-ciba` | libellé | CIBA active le profil | CIBA \\| profil |",
        "## Échéances",
    ]:
        assert expected in md.splitlines(), expected
    assert "## Profils" not in md and "## Scénarios" not in md


# ---------------------------------------------------------------- real data


def test_diff_of_a_modified_copy_of_the_built_in_hop_dpi_pack() -> None:
    old: Pack = PackRegistry.discover().get("HOP-DPI").pack
    removed, retargeted = old.exigences[0], old.exigences[1]
    rule = old.rules[0]
    entry = ChangelogEntry(date=dt.date(2027, 1, 15), items=(retargeted.id,),
                           note="Nouvelle version", source=old.changelog[0].source)
    new = old.model_copy(update={
        "version": "0.2.0",
        "exigences": (retargeted.model_copy(update={"profils": ("general", "client-lourd-ciba")}),
                      *old.exigences[2:]),
        "changelog": (*old.changelog, entry),
        "rules": (rule.model_copy(update={"label": "Libellé révisé"}), *old.rules[1:]),
    })
    diff = diff_packs(old, new)
    assert [(c.field, c.old, c.new) for c in diff.metadata] == [("version", "0.1.0", "0.2.0")]
    gone = {  # the scénarios and preuves of the removed exigence go with it
        "scenarios": family(removed=[s.id for s in removed.scenarios]),
        "preuves": family(removed=[p.id for s in removed.scenarios for p in s.preuves]),
    } if removed.scenarios else {}
    assert sections(diff) == {
        "exigences": family(removed=[removed.id], changed=[changed(
            retargeted.id,
            ("profils", list(retargeted.profils), ["general", "client-lourd-ciba"]))]),
        **gone,
        "rules": family(changed=[changed(rule.id, ("label", rule.label, "Libellé révisé"))]),
        "changelog": family(added=["2027-01-15"]),
    }
    removed_items = 1 + len(removed.scenarios) + sum(len(s.preuves) for s in removed.scenarios)
    assert (diff.counts.added, diff.counts.removed, diff.counts.changed) == (1, removed_items, 2)
    text = render_diff_text(diff)
    assert f"Exigence supprimée : {removed.id}" in text
    assert "Entrée d'historique ajoutée : 2027-01-15" in text
    assert diff_packs(old, old).is_empty
