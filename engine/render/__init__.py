"""Renderers: they only read a Plan (or an Explanation) and return text."""

from .html import render_html
from .ics import render_ics
from .json_render import render_json
from .markdown import render_markdown
from .text import render_text

RENDERERS = {"json": render_json, "md": render_markdown, "html": render_html, "ics": render_ics,
             "text": render_text}
#: The format an output file's extension asks for (``plan -o r.html`` writes HTML).
EXTENSIONS = {".json": "json", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".ics": "ics",
              ".txt": "text"}
FORMATS = tuple(RENDERERS)

__all__ = ["EXTENSIONS", "FORMATS", "RENDERERS", "render_html", "render_ics", "render_json", "render_markdown",
           "render_text"]
