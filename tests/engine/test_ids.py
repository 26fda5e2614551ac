"""Identifier helpers (engine/ids.py): nesting without prefix, Vague 1 equivalents."""

from __future__ import annotations

from segur_plan.engine.ids import counts_for, nests_under, same, vague1_equivalent


def test_nesting_ignores_the_socle_and_metier_prefixes() -> None:
    assert nests_under("SSI/GEN.18.01.02", "SC.SSI/GEN.18") and same("DPI.INS/va1.62", "INS/va1.62")
    assert not nests_under("SC.SSI/GEN.18", "SC.SSI/GEN.18")


def test_vague1_equivalent_keeps_the_suffix_and_the_dsr_prefix() -> None:
    v1 = ("DPI.ANN.01",)
    assert vague1_equivalent("DPI.ANN.01.01", "SC.ANN/va1.01", v1) == "SC.ANN/va1.01.01"
    assert vague1_equivalent(" dpi.ann.01 ", "SC.ANN/va1.01", v1) == "SC.ANN/va1.01"
    assert vague1_equivalent("SGL.ANN.01.01", "SC.ANN/va1.01", v1) is None  # another DSR's Vague 1 ID
    assert vague1_equivalent("DPI.ANN.010", "SC.ANN/va1.01", v1) is None


def test_counts_for_prefers_the_vague_2_nesting() -> None:
    assert counts_for("ANN/va1.01.01.01", "SC.ANN/va1.01", ("DPI.ANN.01",)) == "ANN/va1.01.01.01"
    assert counts_for("DPI.ANN.01.01.01", "SC.ANN/va1.01", ("DPI.ANN.01",)) == "SC.ANN/va1.01.01.01"
    assert counts_for("DPI.ANN.02.01", "SC.ANN/va1.01", ("DPI.ANN.01",)) is None
