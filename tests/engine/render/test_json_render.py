"""render_json writes the canonical form: the bytes of json.dumps(indent=2) on the dumped model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel
from segur_plan.engine.api import Engine
from segur_plan.engine.render import RENDERERS, render_bytes
from segur_plan.engine.render.json_render import render_json, render_json_bytes, to_json
from support import EXAMPLES, TODAY


class Sample(BaseModel):
    text: str
    texts: list[str]
    mapping: dict[str, int]
    percent: float
    nothing: None = None
    flag: bool = False


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_plans_are_written_exactly_as_the_standard_library_writes_them(native_engine: Engine, path: Path) -> None:
    plan = native_engine.plan_file(path, today=TODAY)
    assert render_json(plan) == to_json(plan.model_dump(mode="json"))


# Text without lone surrogates (profiles reject them before they reach a plan).
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
PERCENT = st.integers(min_value=0, max_value=1000).map(lambda n: round(n / 10, 1))


@settings(max_examples=300, derandomize=True, deadline=None)
@given(text=TEXT, texts=st.lists(TEXT, max_size=4), mapping=st.dictionaries(TEXT, st.integers(), max_size=4),
       percent=PERCENT, flag=st.booleans())
def test_any_text_and_percentage_give_the_same_bytes(text: str, texts: list[str], mapping: dict[str, int],
                                                      percent: float, flag: bool) -> None:
    model = Sample(text=text, texts=texts, mapping=mapping, percent=percent, flag=flag)
    assert render_json(model) == to_json(model.model_dump(mode="json"))


def test_empty_containers_and_control_characters() -> None:
    model = Sample(text="\x00\x1f\x7f\u2028é\"\\", texts=[], mapping={}, percent=0.0)
    written = render_json(model)
    assert written == to_json(model.model_dump(mode="json"))
    assert json.loads(written)["text"] == model.text


@pytest.mark.parametrize("path", EXAMPLES[:3], ids=lambda p: p.stem)
def test_the_bytes_written_are_the_encoded_text_of_every_renderer(native_engine: Engine, path: Path) -> None:
    """``plan -o``, the batch and HTTP write render_bytes: the renderer's text in UTF-8, the
    JSON taken from pydantic-core as bytes without a detour through a str."""
    plan = native_engine.plan_file(path, today=TODAY)
    assert render_json_bytes(plan) == to_json(plan.model_dump(mode="json")).encode("utf-8")
    for fmt in ("json", "md", "html"):
        assert render_bytes(fmt, plan) == RENDERERS[fmt](plan).encode("utf-8")


def test_a_replaced_json_renderer_is_the_one_written(native_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    plan = native_engine.plan_file(EXAMPLES[0], today=TODAY)
    monkeypatch.setitem(RENDERERS, "json", lambda p: '{"remplacé": true}\n')
    assert render_bytes("json", plan) == '{"remplacé": true}\n'.encode()
