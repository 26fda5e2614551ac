"""The proof-record indexes answer exactly what counts_for answers record by record."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import given, settings
from hypothesis import strategies as st
from segur_plan.engine.ids import counts_for
from segur_plan.engine.models.profile import ProofRecord
from segur_plan.engine.planner.records import ExigenceKeys, Owners, ProofIndex, dotted_prefixes


@dataclass(frozen=True)
class Req:
    id: str
    vague1_ids: tuple[str, ...] = ()


# Small alphabets so that IDs collide, nest and share prefixes often.
PREFIX = st.sampled_from(["", "SC.", "DPI.", "dpi.", "SGL."])
SECTION = st.sampled_from(["ANN/va1", "INS", "SSI/GEN", "ANN"])
PARTS = st.lists(st.sampled_from(["01", "02", "1"]), min_size=1, max_size=3)
IDS = st.builds(lambda p, s, n: p + s + "." + ".".join(n), PREFIX, SECTION, PARTS)
V1 = st.lists(st.builds(lambda s, n: "DPI." + s + "." + n, st.sampled_from(["ANN", "INS"]),
                        st.sampled_from(["01", "02"])), max_size=2).map(tuple)


def test_dotted_prefixes() -> None:
    assert dotted_prefixes("SSI/GEN.18.01.02") == ["SSI/GEN", "SSI/GEN.18", "SSI/GEN.18.01"]
    assert dotted_prefixes("GEN") == []


@settings(max_examples=300, derandomize=True, deadline=None)
@given(records=st.lists(IDS, max_size=12), reqs=st.lists(st.tuples(IDS, V1), min_size=1, max_size=6))
def test_the_indexes_agree_with_counts_for(records: list[str], reqs: list[tuple[str, tuple[str, ...]]]) -> None:
    proofs = [ProofRecord(id=r) for r in records]
    catalogue = list({i: Req(i, v) for i, v in reqs}.values())  # a pack's exigence IDs are distinct
    keys = ExigenceKeys(catalogue, records[::2])  # half the IDs kept once matched, as a pack's preuves
    for _ in range(2):  # the second plan reads what the first kept
        index = ProofIndex(proofs, keys)
        for req in catalogue:
            brute = [(t, p) for p in proofs if (t := counts_for(p.id, req.id, req.vague1_ids)) is not None]
            assert index.counting_for(req) == brute
    # The owner is looked up in any list of the catalogue's requirements (a plan keeps some, sorted).
    for requirements in (catalogue, catalogue[::-1], catalogue[1::2]):
        owners = Owners(requirements, index)
        for proof_id in [*records, "SC.ANN/va1.01.01", "DPI.ANN.01.02"]:
            brute_owner = next(((r, t) for r in requirements
                                if (t := counts_for(proof_id, r.id, r.vague1_ids)) is not None), None)
            assert owners(proof_id) == brute_owner


def test_a_record_that_nests_counts_under_its_own_id_even_when_a_vague1_id_matches_too() -> None:
    """``DPI.ANN.01.02`` nests under ``SC.ANN.01`` (numbers compared without prefix) and also
    starts with its Vague 1 ID ``DPI.ANN.01``: nesting wins, as in counts_for."""
    exigence = Req("SC.ANN.01", ("DPI.ANN.01",))
    other = Req("SC.ANN/va1.01", ("DPI.ANN.01",))
    record = ProofRecord(id="DPI.ANN.01.02")
    index = ProofIndex([record], ExigenceKeys([exigence, other]))
    assert index.counting_for(exigence) == [("DPI.ANN.01.02", record)]
    assert index.counting_for(other) == [("SC.ANN/va1.01.02", record)]
    assert Owners([other, exigence], index)("DPI.ANN.01.02") == (other, "SC.ANN/va1.01.02")
