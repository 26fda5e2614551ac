"""Renderers: they only read a Plan (or an Explanation) and return text.

Each renderer's module is imported on first use: a JSON plan never loads Jinja2 (HTML) nor
icalendar (ICS). ``RENDERERS`` maps a format to its renderer, imported when looked up;
``from segur_plan.engine.render import render_html`` works as before (:pep:`562`).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, MutableMapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .html import render_html
    from .ics import render_ics
    from .json_render import render_json
    from .markdown import render_markdown
    from .text import render_text

#: Format → (module, function) of its renderer.
_RENDERER_OF = {"json": ("json_render", "render_json"), "md": ("markdown", "render_markdown"),
                "html": ("html", "render_html"), "ics": ("ics", "render_ics"), "text": ("text", "render_text")}
_FUNCTIONS = {function: module for module, function in _RENDERER_OF.values()}


def _load(module: str, function: str) -> Callable[..., str]:
    renderer: Callable[..., str] = getattr(importlib.import_module(f"{__name__}.{module}"), function)
    return renderer


class _Renderers(MutableMapping[str, Callable[..., str]]):
    """The renderers by format, each imported the first time it is looked up (a test or a
    plugin may set or remove one, as in a dict)."""

    def __init__(self) -> None:
        self._specs: dict[str, tuple[str, str] | Callable[..., str]] = dict(_RENDERER_OF)

    def __getitem__(self, fmt: str) -> Callable[..., str]:
        spec = self._specs[fmt]
        if isinstance(spec, tuple):
            spec = self._specs[fmt] = _load(*spec)
        return spec

    def __setitem__(self, fmt: str, renderer: Callable[..., str]) -> None:
        self._specs[fmt] = renderer

    def __delitem__(self, fmt: str) -> None:
        del self._specs[fmt]

    def __iter__(self) -> Iterator[str]:
        return iter(self._specs)

    def __len__(self) -> int:
        return len(self._specs)

    def __repr__(self) -> str:
        return f"RENDERERS({', '.join(self._specs)})"


RENDERERS: MutableMapping[str, Callable[..., str]] = _Renderers()
#: The format an output file's extension asks for (``plan -o r.html`` writes HTML).
EXTENSIONS = {".json": "json", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".ics": "ics",
              ".txt": "text"}
FORMATS = tuple(RENDERERS)


def render_bytes(fmt: str, plan: Any, **options: Any) -> bytes:
    """What ``RENDERERS[fmt]`` renders, as the UTF-8 bytes to write; the canonical JSON comes
    straight from pydantic-core as bytes (unless a plugin replaced the JSON renderer)."""
    render = RENDERERS[fmt]
    if fmt == "json" and not options:
        from .json_render import render_json, render_json_bytes

        if render is render_json:
            return render_json_bytes(plan)
    return render(plan, **options).encode("utf-8")


__all__ = ["EXTENSIONS", "FORMATS", "RENDERERS", "render_bytes", "render_html", "render_ics", "render_json",
           "render_markdown", "render_text"]


def __getattr__(name: str) -> Any:
    module = _FUNCTIONS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return _load(module, name)
