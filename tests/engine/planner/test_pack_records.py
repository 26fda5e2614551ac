"""The records a pack's plans share: the same objects in every plan, immutable, built for the
proof-format table in force on the plan's date, and gone with their pack."""

from __future__ import annotations

import datetime as dt
import gc
import weakref

import pydantic
import pytest
from segur_plan.engine.api import Engine
from segur_plan.engine.hookspecs import hookimpl
from segur_plan.engine.models.pack import Pack
from segur_plan.engine.models.profile import SolutionProfile
from segur_plan.engine.planner import Context, prepare
from segur_plan.engine.planner.pack_records import catalogue
from segur_plan.engine.registry import PackRegistry

TODAY = dt.date(2025, 3, 1)
LATER_LIMIT = dt.date(2026, 1, 1)


class _Packs:
    def __init__(self, *packs: Pack) -> None:
        self.packs = list(packs)

    @hookimpl
    def segur_plan_packs(self) -> list[Pack]:
        return self.packs


def _with_a_later_video_limit(pack: Pack) -> Pack:
    """The pack with a second proof-format table from 2026-01-01: videos up to 100 MB."""
    param = next(p for p in pack.parameters if p.id == "proof-formats")
    first = param.values[min(param.values)]
    assert not isinstance(first.value, int | str)
    rows = tuple(r.model_copy(update={"max_bytes": 100_000_000}) if "video" in r.kinds else r for r in first.value)
    values = {**param.values, LATER_LIMIT: first.model_copy(update={"value": rows})}
    parameters = tuple(p.model_copy(update={"values": values}) if p is param else p for p in pack.parameters)
    return pack.model_copy(update={"parameters": parameters, "uses": ()})


def _video_sizes(engine: Engine, profile: dict, today: dt.date) -> set[int | None]:
    plan = engine.plan(profile, today=today)
    return {p.max_bytes for r in plan.requirements for s in r.scenarios for p in s.proofs if p.kind == "video"}


def test_plans_of_a_pack_share_its_records_and_cannot_change_them(native_engine: Engine, make_profile) -> None:
    first = native_engine.plan(make_profile(), today=TODAY)
    second = native_engine.plan(make_profile(profils={"declared": ["Client lourd"]}), today=TODAY)
    shared = {r.id: r for r in second.requirements}
    req = next(r for r in first.requirements if r.scenarios and r.id in shared)
    assert req.scenarios[0] is shared[req.id].scenarios[0]
    assert req is not shared[req.id] and req.why is not shared[req.id].why  # each plan's own record
    with pytest.raises(pydantic.ValidationError):
        req.scenarios[0].proofs[0].max_bytes = 1  # type: ignore[misc]
    with pytest.raises(pydantic.ValidationError):
        req.why[0].message = "autre chose"  # type: ignore[misc]


def test_each_date_gets_the_proof_formats_in_force(registry: PackRegistry, make_profile) -> None:
    pack = _with_a_later_video_limit(registry.get("HOP-DPI").pack)
    engine = Engine(PackRegistry.discover([_Packs(pack)], entry_points=False), backend="native")
    profile = make_profile(referencement={"t0": "2024-08-31"})
    for _ in range(2):  # alternating dates: each finds its own records again
        assert _video_sizes(engine, profile, dt.date(2025, 12, 31)) == {50_000_000}
        assert _video_sizes(engine, profile, LATER_LIMIT) == {100_000_000}


def test_the_records_go_with_their_pack(registry: PackRegistry) -> None:
    """A pack made for one plan (a REM overlay) must not be kept alive, nor what was built for it."""
    pack = registry.get("HOP-DPI").pack.model_copy()
    prepare(pack, TODAY)
    ctx = Context(SolutionProfile.model_validate({"solution": {"name": "x"}, "referencement": {"pack": pack.id}}),
                  pack, TODAY, ())
    record = next(e.scenarios[0] for e in catalogue(ctx) if e.scenarios)
    pack_ref, record_ref = weakref.ref(pack), weakref.ref(record)
    del pack, ctx, record
    gc.collect()
    assert pack_ref() is None and record_ref() is None
