"""Every value the engine speaks has its French label, in every table of engine/vocabulary.py.

The value lists come from the types (``get_args`` of the Literal, the enums): a value added to a
type without its label fails here, before a report shows a raw code.
"""

from __future__ import annotations

from collections.abc import Mapping

import pytest
from segur_plan.engine import vocabulary as v
from segur_plan.engine.models.pack import DEADLINE_IDS
from segur_plan.engine.registry import PackRegistry

TABLES: list[tuple[tuple[str, ...], str]] = [
    (v.REQUIREMENT_STATUSES, "REQ_STATUS"), (v.REQUIREMENT_STATUSES, "REQ_STATUS_FORMS"),
    (v.REQUIREMENT_STATUSES, "REQ_STATUS_TITLE"), (v.REQUIREMENT_STATUSES, "REQ_STATUS_VERDICT"),
    (v.STATUS_SCOPES, "STATUS_SCOPE"),
    (v.DEADLINE_STATUSES, "DEADLINE_STATUS"), (v.DEADLINE_STATUSES, "DEADLINE_STATUS_SHORT"),
    (v.DEADLINE_BASES, "DEADLINE_BASIS"), (v.DEADLINE_BASES, "DEADLINE_BASIS_SHORT"),
    (v.DEADLINE_BASES, "DEADLINE_BASIS_EXPLAINED"),
    (v.PREREQUISITE_STATUSES, "PREREQUISITE"), (v.PREREQUISITE_STATUSES, "PREREQUISITE_MARKDOWN"),
    (v.LEVELS, "LEVEL"), (v.LEVELS, "LEVEL_MARKDOWN"), (v.LEVELS, "LEVEL_TITLE"),
    (v.SOLICITATION_STATUSES, "SOLICITATION"), (v.SOLICITATION_STATUSES, "SOLICITATION_REPORT"),
    (v.PROFIL_ORIGINS, "ORIGIN"), (v.PARCOURS_KINDS, "PARCOURS"), (v.PARCOURS_KINDS, "PARCOURS_EXPLAINED"),
    (v.TRIGGERS, "TRIGGER"), (v.TRIGGERS, "TRIGGER_EXPLAINED"), (v.PACK_STATUSES, "PACK_STATUS"),
    (v.CNDA_STATUSES, "CNDA_STATUS"), (v.CNDA_STATUSES, "CNDA_STATUS_SHORT"),
    (v.PROOF_KINDS, "PROOF_KIND"), (v.PROOF_KINDS, "PROOF_KIND_EVIDENCE"), (v.PROOF_KINDS, "PROOF_KIND_TITLE"),
    (v.PROOF_STATUSES, "PROOF_STATUS"), (v.PROOF_STATUSES, "PROOF_STATUS_COUNTED"),
]


@pytest.mark.parametrize(("values", "table"), TABLES, ids=[f"{t}" for _, t in TABLES])
def test_every_value_has_a_label(values: tuple[str, ...], table: str) -> None:
    labels: Mapping[object, object] = getattr(v, table)
    assert values, "la liste de valeurs est vide : le type a changé de forme"
    missing = [value for value in values if value not in labels]
    assert not missing, f"{table} : pas de libellé pour {missing}"
    extra = [key for key in labels if key is not None and key not in values]
    assert not extra, f"{table} : libellés de valeurs inconnues {extra}"
    assert all(labels.values()), f"{table} : libellé vide"


def test_every_table_of_the_module_is_checked() -> None:
    tables = {name for name, value in vars(v).items() if name.isupper() and isinstance(value, dict)}
    assert tables == {t for _, t in TABLES}


def test_value_lists_come_from_the_types() -> None:
    assert "to-prove" in v.REQUIREMENT_STATUSES and "not-applicable" in v.REQUIREMENT_STATUSES
    assert v.SET_STATUSES == ("acquired", "inherited", "redeposit")  # set_status gives only these
    assert set(v.SET_STATUSES) < set(v.REQUIREMENT_STATUSES)
    assert v.PACK_STATUSES == ("draft", "published")
    assert "estimated" in v.DEADLINE_BASES


def test_every_deadline_of_every_pack_has_a_label(registry: PackRegistry) -> None:
    """The calendar's milestones are labelled by the packs (the socle's generic_deadlines), not here:
    without one, a plan would show the raw id."""
    assert registry.entries
    for entry in registry.entries.values():
        labelled = {g.id: g.label for g in entry.pack.generic_deadlines}
        assert set(labelled) == set(DEADLINE_IDS), entry.pack.id
        assert all(labelled.values()), entry.pack.id
