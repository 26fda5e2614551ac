"""Interleaved and concurrent plans never see each other's facts."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from segur_plan.engine.api import Engine
from segur_plan.engine.render import render_json
from support import TODAY


def test_interleaved_plans_equal_serial_ones(engine: Engine, make_profile) -> None:
    heavy = make_profile(profils={"declared": ["Client lourd"]})
    light = make_profile(profils={"declared": ["IAM"]})
    serial = [render_json(engine.plan(p, today=TODAY)) for p in (heavy, light)]
    interleaved = [render_json(engine.plan(p, today=TODAY)) for p in (light, heavy, light, heavy)]
    assert interleaved == [serial[1], serial[0], serial[1], serial[0]]
    assert "ciba" not in serial[1]


def test_threaded_plans_equal_serial_ones(engine: Engine, make_profile) -> None:
    profiles = [
        make_profile(profils={"declared": declared})
        for declared in (["Client lourd"], [], ["IAM", "ciba"], ["IE Usagers"])
    ]
    serial = [render_json(engine.plan(p, today=TODAY)) for p in profiles]
    with ThreadPoolExecutor(max_workers=8) as pool:
        threaded = list(pool.map(lambda i: render_json(engine.plan(profiles[i % 4], today=TODAY)), range(40)))
    assert threaded == [serial[i % 4] for i in range(40)]
