"""The proof-record indexes answer exactly what counts_for answers record by record."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import given, settings
from hypothesis import strategies as st
from segur_plan.engine.ids import counts_for
from segur_plan.engine.models.profile import ProofRecord
from segur_plan.engine.planner.records import ProofIndex, RequirementIndex, dotted_prefixes


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
    requirements = [Req(i, v) for i, v in reqs]
    index = ProofIndex(proofs)
    for req in requirements:
        brute = [(t, p) for p in proofs if (t := counts_for(p.id, req.id, req.vague1_ids)) is not None]
        assert index.counting_for(req) == brute
    owners = RequirementIndex(requirements)
    for proof in proofs:
        brute_owner = next(((n, t) for n, r in enumerate(requirements)
                            if (t := counts_for(proof.id, r.id, r.vague1_ids)) is not None), None)
        assert owners.owner(proof.id) == brute_owner
