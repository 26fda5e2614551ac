"""Writing a pack as TOML (imported REMs, scaffolds): the inverse of ``load_pack_file``."""

from __future__ import annotations

from typing import Any

import tomli_w

from .models.pack import Pack


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if v is not None and v != () and v != []}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, str):
        return str(value)  # StrEnum members become plain strings
    return value


def dump_pack_toml(pack: Pack, header: str = "") -> str:
    """TOML text of ``pack`` (empty values left out); ``header`` lines become comments."""
    comment = "".join(f"# {line}\n".replace("# \n", "#\n") for line in header.splitlines())
    return comment + tomli_w.dumps(_plain(pack.model_dump(mode="python")))
