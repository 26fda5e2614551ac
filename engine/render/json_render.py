"""Canonical JSON: the same plan always gives the same bytes.

The canonical form is ``json.dumps(model.model_dump(mode="json"), ensure_ascii=False,
indent=2)`` plus a final newline, key order being the model's field order. The standard library
serialises an indented document with its pure-Python encoder (its C encoder only writes compact
JSON), which cost half of every plan; pydantic-core writes the same indented document in Rust,
byte for byte: same separators, same escapes (``"``, ``\\``, control characters), non-ASCII
kept as is, and floats written alike for the values a plan holds (percentages rounded to 0.1).
``tests/engine/render/test_json_render.py`` checks the equality on every example and on
generated text.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel


def to_json(data: Any) -> str:
    """Indented UTF-8 JSON with a final newline (for plain data: schemas, lists, summaries)."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def render_json_bytes(model: BaseModel) -> bytes:
    """The canonical JSON of a model as UTF-8 bytes, what is written to a file or sent over HTTP:
    pydantic-core's own output, without a round trip through a ``str`` (decoding a 400 kB plan
    costs about as much as serialising it)."""
    return type(model).__pydantic_serializer__.to_json(model, indent=2) + b"\n"


def render_json(model: BaseModel) -> str:
    """The canonical JSON of a model, written by pydantic-core (equal to ``to_json(model_dump)``)."""
    return render_json_bytes(model).decode("utf-8")
