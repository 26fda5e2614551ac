"""Pack checks (engine/pack_validation.py) for the calendar milestones and the history fields."""

from __future__ import annotations

import datetime as dt

from segur_plan.engine.models.pack import Pack
from segur_plan.engine.pack_validation import check_pack

D = dt.date
SRC = {"ref": "doc", "section": "§1"}


def pack(**extra: object) -> Pack:
    return Pack.model_validate({
        "id": "T", "title": "T", "version": "0.1.0", "released": D(2026, 1, 1), "coverage": "c",
        "reviewed": D(2026, 1, 1), "sources": {"doc": {"title": "Doc"}},
        "profils": [{"id": "general", "label": "Général", "general": True, "source": SRC, "reviewed": D(2026, 1, 1)}],
        **extra,
    })


def published(milestone: str, day: dt.date) -> dict:
    return {"id": milestone, "date": day, "source": SRC, "reviewed": D(2026, 1, 1)}


def test_openings_are_ordered_among_themselves_not_against_deadlines() -> None:
    ok = pack(calendar={"published": [published("ouverture-enrolement", D(2025, 5, 15)),
                                      published("ouverture-avance", D(2025, 7, 10)),
                                      published("dossier-administratif", D(2025, 1, 10))]})
    assert check_pack(ok) == []
    wrong = pack(calendar={"published": [published("ouverture-enrolement", D(2025, 8, 1)),
                                         published("ouverture-avance", D(2025, 7, 10))]})
    assert [p.message for p in check_pack(wrong)] == ["« ouverture-avance » tombe avant « ouverture-enrolement »"]


def test_vague1_dates_and_domains_need_a_known_source() -> None:
    bad = {"ref": "inconnue"}
    p = pack(vague1_dates=[{"id": "solde", "label": "Solde", "date": D(2023, 4, 28), "source": bad,
                            "reviewed": D(2026, 1, 1)}],
             domains=[{"id": "PA", "label": "Personnes âgées", "source": SRC, "reviewed": D(2026, 1, 1)}])
    assert [(x.loc, "inconnue" in x.message) for x in check_pack(p)] == [("vague1_dates[0].source", True)]
