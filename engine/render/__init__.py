"""Renderers: they only read a Plan (or an Explanation) and return text."""

from .json_render import render_json
from .markdown import render_markdown

FORMATS = ("json", "md")

__all__ = ["FORMATS", "render_json", "render_markdown"]
