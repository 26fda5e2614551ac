"""What the Markdown, HTML and terminal reports tell a person: every preuve with its ID, kind,
formats and maximum size, the same counts in every format, labels and titles instead of codes."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from segur_plan.engine.api import Engine
from segur_plan.engine.loading import load_profile
from segur_plan.engine.models.plan import Plan
from segur_plan.engine.render import render_html, render_markdown, render_text
from segur_plan.engine.render.counts import plan_counts
from segur_plan.engine.render.labels import PROOF_KIND, formats_text, plural, size_text
from support import EXAMPLES, ROOT, TODAY

_PLANS: dict[str, Plan] = {}


def plan_of(engine: Engine, stem: str) -> Plan:
    if stem not in _PLANS:
        _PLANS[stem] = engine.plan(load_profile(ROOT / "examples" / f"{stem}.toml"), today=TODAY)
    return _PLANS[stem]


def listed(plan: Plan) -> list[tuple[str, object]]:
    reqs = plan.requirements + [r for s in plan.solutions for r in s.requirements]
    return [(r.id, p) for r in reqs for s in r.scenarios for p in s.proofs]


class Rows(HTMLParser):
    """Text of each ``<tr data-proof-id>`` row, and all visible text (attributes and style left out)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: dict[str, list[str]] = {}
        self.attrs: dict[str, dict[str, str | None]] = {}
        self.text: list[str] = []
        self._row: str | None = None
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "tr" and a.get("data-proof-id"):
            self._row = a["data-proof-id"]
            self.rows[self._row] = []
            self.attrs[self._row] = a
        if tag in ("style", "title") and not self._skip:
            self._skip = 1 if tag == "style" else 0

    def handle_endtag(self, tag: str) -> None:
        if tag == "tr":
            self._row = None
        if tag == "style":
            self._skip = 0

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        self.text.append(data)
        if self._row:
            self.rows[self._row].append(data)


def parse(html: str) -> Rows:
    rows = Rows()
    rows.feed(html)
    rows.close()
    return rows


@pytest.mark.parametrize("stem", ["hop-dpi-client-lourd", "hop-dpi-groupement", "rad-drimbox-proxy"])
def test_markdown_and_html_list_every_preuve_with_its_formats(native_engine: Engine, stem: str) -> None:
    """For any number of preuves (HOP-DPI's catalogue is growing): each one the plan lists is in
    both reports, on one row, with its kind, formats and maximum size."""
    plan = plan_of(native_engine, stem)
    md = render_markdown(plan).splitlines()
    html = parse(render_html(plan))
    for requirement, proof in listed(plan):
        line = next((x for x in md if x.startswith(f"| {proof.id} | {requirement} |")), None)
        assert line is not None, proof.id
        assert f"| {PROOF_KIND[proof.kind]} | {formats_text(proof.formats)} | {size_text(proof.max_bytes)} |" in line
        cells = " ".join(html.rows[proof.id])
        assert proof.id in cells and formats_text(proof.formats) in cells and size_text(proof.max_bytes) in cells
        assert html.attrs[proof.id]["data-proof-formats"] == " ".join(proof.formats)
    assert len(html.rows) == len({p.id for _, p in listed(plan)})


def test_some_example_has_preuves_to_list(native_engine: Engine) -> None:
    assert listed(plan_of(native_engine, "rad-drimbox-proxy"))  # the test above is not vacuous


def test_sizes_and_formats_are_written_for_people() -> None:
    assert size_text(50_000_000) == "50 Mo" and size_text(1_500_000_000) == "1,5 Go" and size_text(None) == "—"
    assert formats_text(["*"]) == "tout format" and formats_text([]) == "à préciser"
    assert formats_text(["PNG", "MP4"]) == "PNG, MP4"


@pytest.mark.parametrize("stem", ["hop-dpi-client-lourd", "rad-drimbox-proxy", "hop-dpi-audit"])
def test_counts_agree_across_formats(native_engine: Engine, stem: str) -> None:
    plan = plan_of(native_engine, stem)
    c = plan_counts(plan)
    assert c.proofs_listed == plan.summary.proofs and c.proofs_expected == plan.progress.overall.total
    assert c.proofs_listed == len(listed(plan))
    sentence = c.proofs_sentence()
    html = parse(render_html(plan))
    assert sentence in render_markdown(plan)
    assert sentence in " ".join("".join(html.text).split())
    assert " ".join(render_text(plan).replace("\n  ", " ").split()).find(sentence[:60]) >= 0


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_no_internal_name_or_code_in_what_people_read(native_engine: Engine, path: Path) -> None:
    plan = plan_of(native_engine, path.stem)
    md = render_markdown(plan)
    visible = "".join(parse(render_html(plan)).text)
    for text in (md, visible, render_text(plan)):
        assert "seed 0" not in text and "FACTS" not in text and "shared/" not in text
        assert not re.search(r"\bnone\b", text), re.search(r".{40}\bnone\b.{20}", text)
        assert not re.search(r"\bgeneral\b", text), re.search(r".{40}\bgeneral\b.{20}", text)
        assert not re.search(r"\b[01] (preuves|profils|exigences|actions|échéances)\b", text)
        assert "(s)" not in text.replace("(s) :", "")  # "exigence(s)": plurals are written out


def test_plural_helper() -> None:
    assert [plural(n, "preuve") for n in (0, 1, 2)] == ["0 preuve", "1 preuve", "2 preuves"]
    assert plural(2, "profil actif") == "2 profils actifs"
    assert plural(3, "exigence à prouver") == "3 exigences à prouver"
