"""Renderers: they only read a Plan (or an Explanation) and return text."""

from .html import render_html
from .ics import render_ics
from .json_render import render_json
from .markdown import render_markdown

RENDERERS = {"json": render_json, "md": render_markdown, "html": render_html, "ics": render_ics}
FORMATS = tuple(RENDERERS)

__all__ = ["FORMATS", "RENDERERS", "render_html", "render_ics", "render_json", "render_markdown"]
