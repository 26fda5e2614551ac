"""Every TOML example of the pack authors' guide (docs/packs.md) runs: packs load and validate,
additions keep them valid, profiles plan with the result the guide announces."""

from __future__ import annotations

import datetime as dt
import json
import re
import tomllib
from pathlib import Path
from types import SimpleNamespace

import pytest
from segur_plan.engine.api import Engine
from segur_plan.engine.hookspecs import hookimpl
from segur_plan.engine.loading import validate
from segur_plan.engine.models.pack import Pack
from segur_plan.engine.pack_validation import check_pack
from segur_plan.engine.registry import PackRegistry

GUIDE = Path(__file__).resolve().parents[1] / "docs" / "packs.md"
BLOCK = re.compile(r"```(\w+)\n(.*?)```", re.S)
KINDS = ("pack", "ajout au pack", "profil", "pyproject")
TODAY = dt.date(2026, 3, 3)


def blocks(language: str) -> list[str]:
    return [body for lang, body in BLOCK.findall(GUIDE.read_text(encoding="utf-8")) if lang == language]


def examples(kind: str) -> list[str]:
    return [b for b in blocks("toml") if b.splitlines()[0] == f"# exemple : {kind}"]


def test_every_toml_block_is_a_labelled_example_that_parses() -> None:
    toml_blocks = blocks("toml")
    assert len(toml_blocks) >= 8
    for body in toml_blocks:
        first = body.splitlines()[0]
        assert first in {f"# exemple : {k}" for k in KINDS}, first
        tomllib.loads(body)
    for body in blocks("python"):
        compile(body, str(GUIDE), "exec")


def guide_pack() -> dict:
    (base,) = examples("pack")
    data = tomllib.loads(base)
    for addition in examples("ajout au pack"):
        for key, items in tomllib.loads(addition).items():
            data.setdefault(key, []).extend(items)
    return data


@pytest.fixture(scope="module")
def registry() -> PackRegistry:
    pack = validate(Pack, guide_pack(), path=str(GUIDE), what="Pack du guide")

    @hookimpl
    def segur_plan_packs() -> list:
        return [pack]

    registry = PackRegistry.discover([SimpleNamespace(__name__="guide", segur_plan_packs=segur_plan_packs)])
    assert "GUIDE-EXEMPLE" in registry.ids(), [(b.reason, b.problems) for b in registry.broken]
    return registry


def test_the_base_pack_and_each_addition_validate(registry: PackRegistry) -> None:
    socles = {i: e.pack for i, e in registry.entries.items() if e.pack.kind == "socle"}
    from segur_plan.engine.pack_loading import resolve_pack

    (base,) = examples("pack")
    assert check_pack(resolve_pack(Pack.model_validate(tomllib.loads(base)), socles)) == []
    for addition in examples("ajout au pack"):
        data = tomllib.loads(base)
        for key, items in tomllib.loads(addition).items():
            data.setdefault(key, []).extend(items)
        assert check_pack(resolve_pack(Pack.model_validate(data), socles)) == [], addition.splitlines()[1]


@pytest.mark.parametrize("index", range(len(examples("profil"))))
@pytest.mark.parametrize("backend", ["native", "durable"])
def test_each_profile_example_plans_as_the_guide_says(registry: PackRegistry, index: int, backend: str) -> None:
    from segur_plan.engine.rules import durable_backend

    if backend == "durable" and not durable_backend.available():
        pytest.skip("durable-rules indisponible")
    body = examples("profil")[index]
    expected = [line.split(":", 1)[1].strip() for line in body.splitlines() if line.startswith("# attendu :")]
    absent = [line.split(":", 1)[1].strip() for line in body.splitlines() if line.startswith("# absent :")]
    assert expected
    plan = Engine(registry, backend=backend).plan(tomllib.loads(body), today=TODAY)
    text = json.dumps(plan.model_dump(mode="json"), ensure_ascii=False)
    for fragment in expected:
        assert fragment in text, fragment
    for fragment in absent:
        assert fragment not in text, fragment


def test_the_guide_lists_every_engine_parameter_fact_kind_and_action() -> None:
    from segur_plan.engine.parameters import ENGINE_PARAMETERS
    from segur_plan.engine.rules.language import FACT_KINDS, SCOPE_KINDS, SOLUTION_ATTRIBUTES

    text = GUIDE.read_text(encoding="utf-8")
    for name in [*ENGINE_PARAMETERS, *FACT_KINDS, *SCOPE_KINDS, *SOLUTION_ATTRIBUTES]:
        assert f"`{name}`" in text, name
    actions = Pack.model_json_schema()["$defs"]
    for model in ("ActivateProfil", "RequireExigence", "ExcludeExigence", "AddFinding", "AddAction", "SetStatus",
                  "SetPrerequisite"):
        action = actions[model]["properties"]["action"]["const"]
        assert f"`{action}`" in text, action
        for field in actions[model]["properties"]:
            assert f"`{field}`" in text, (model, field)
