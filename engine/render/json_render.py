"""Canonical JSON: the same plan always gives the same bytes."""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel


def to_json(data: Any) -> str:
    """Indented UTF-8 JSON with a final newline; key order is the model's field order."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def render_json(model: BaseModel) -> str:
    return to_json(model.model_dump(mode="json"))
