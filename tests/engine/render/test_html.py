"""HTML report: self-contained, deterministic, accessible, and faithful to the plan it renders.

The snapshots are .html files under __snapshots__/test_html/ that a reviewer can open in a
browser: read the diff (or open the page) before accepting one (``pytest --snapshot-update``).
The inline style sheet is replaced in them by a marker (it is engine/render/templates/report.css,
and the test checks the report embeds exactly that file), so a change of style does not touch them.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markupsafe import escape  # the escaping of the report's templates (Jinja2 autoescape)
from segur_plan.engine.api import Engine
from segur_plan.engine.loading import load_profile, parse_profile
from segur_plan.engine.models.plan import Plan
from segur_plan.engine.render.html import render_html, stylesheet
from support import EXAMPLES, ROOT, TODAY
from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode

SNAPSHOT_EXAMPLES = ["hop-dpi-client-lourd", "rad-drimbox-proxy"]


class HTMLSnapshotExtension(SingleFileSnapshotExtension):
    _write_mode = WriteMode.TEXT
    file_extension = "html"


@pytest.fixture
def snapshot_html(snapshot):  # noqa: ANN001, ANN201
    return snapshot.use_extension(HTMLSnapshotExtension)


_PLANS: dict[str, Plan] = {}


def plan_of(engine: Engine, stem: str) -> Plan:
    if stem not in _PLANS:
        _PLANS[stem] = engine.plan(load_profile(ROOT / "examples" / f"{stem}.toml"), today=TODAY)
    return _PLANS[stem]


class Collector(HTMLParser):
    """Every start tag with its attributes, in document order (the DOM is flat enough for tests)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def with_attr(self, name: str) -> list[dict[str, str | None]]:
        return [a for _, a in self.tags if name in a]


def parse(html: str) -> Collector:
    collector = Collector()
    collector.feed(html)
    collector.close()
    return collector


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_report_is_deterministic_and_well_formed(native_engine: Engine, path: Path) -> None:
    plan = plan_of(native_engine, path.stem)
    html = render_html(plan)
    assert html == render_html(plan)
    assert html == render_html(Plan.model_validate_json(plan.model_dump_json()))  # same from the JSON
    assert html.startswith("<!DOCTYPE html>\n<html lang=\"fr\">")
    assert html.endswith("</html>\n")
    doc = parse(html)
    tags = [t for t, _ in doc.tags]
    assert tags.count("h1") == 1
    headings = [int(t[1]) for t in tags if re.fullmatch(r"h[1-6]", t)]
    assert all(b - a <= 1 for a, b in zip(headings, headings[1:], strict=False)), "niveau de titre sauté"
    assert all(a.get("scope") in ("col", "row") for t, a in doc.tags if t == "th"), "<th> sans scope"
    svg = [a for t, a in doc.tags if t == "svg"]
    assert len(svg) == 1 and svg[0]["role"] == "img" and svg[0]["aria-labelledby"] == "tl-title tl-desc"
    assert '<title id="tl-title">' in html and '<desc id="tl-desc">' in html
    ids = [a["id"] for _, a in doc.tags if "id" in a]
    assert len(ids) == len(set(ids)), "id en double"
    for _, a in doc.tags:  # every internal link has its target
        if (a.get("href") or "").startswith("#"):
            assert a["href"][1:] in ids


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_report_references_nothing_on_the_network(native_engine: Engine, path: Path) -> None:
    html = render_html(plan_of(native_engine, path.stem))
    doc = parse(html)
    assert not [a for _, a in doc.tags if "src" in a or "srcset" in a], "ressource chargée par src="
    assert not [t for t in ("script", "link", "img", "iframe", "object", "embed") if t in {x for x, _ in doc.tags}]
    assert all(tag == "a" for tag, a in doc.tags if "href" in a), "href hors d'un lien <a>"
    lowered = html.lower()
    assert "@import" not in lowered and "url(" not in lowered and "@font-face" not in lowered
    assert "default-src 'none'" in html  # the browser is told too
    # The only http(s) strings are links in text (sources) and the SVG namespace.
    for match in re.finditer(r"https?://[^\s\"'<>]+", html):
        before = html[max(0, match.start() - 40):match.start()]
        assert before.endswith('<a href="') or before.endswith('">') or before.endswith("xmlns=\"") or (
            match.group(0) == "http://www.w3.org/2000/svg"), before + match.group(0)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_timeline_has_one_mark_per_dated_deadline(native_engine: Engine, path: Path) -> None:
    plan = plan_of(native_engine, path.stem)
    doc = parse(render_html(plan))
    marks = doc.with_attr("data-deadline-id")
    dated = [d for d in plan.deadlines if d.date is not None]
    assert [m["data-deadline-id"] for m in marks] == [d.id for d in dated]
    for mark, d in zip(marks, dated, strict=True):
        assert mark["data-date"] == d.date.isoformat()
        assert mark["data-basis"] == d.basis and mark["data-status"] == d.status
        assert mark.get("data-latest") == (d.latest.isoformat() if d.latest else None)
        assert mark.get("data-at") == (d.at.isoformat() if d.at else None)
    (today,) = doc.with_attr("data-today")
    assert today["data-today"] == plan.today.isoformat()
    # Every deadline, dated or not, is also in the text table.
    assert [r["data-deadline-row"] for r in doc.with_attr("data-deadline-row")] == [d.id for d in plan.deadlines]


def test_published_estimated_and_passed_are_not_told_by_colour_only(native_engine: Engine) -> None:
    estimated = render_html(plan_of(native_engine, "hop-dpi-client-lourd"))
    published = render_html(plan_of(native_engine, "rad-drimbox-proxy"))
    assert "<polygon" in published.split('class="tl-legend"')[0]  # published: a filled diamond
    assert 'stroke-dasharray="3 2" class="tl-mark"' in estimated  # estimated: a dashed circle
    passed = re.search(r'<g class="tl-row tl-passed[^>]*>.*?</g>', estimated, re.S).group(0)
    assert "dépassée" in passed and "<line" in passed  # written, and struck through
    assert 'class="tl-range"' in estimated  # a `latest` range is a bar
    assert "12h00" in published


def test_report_without_any_date_says_so(native_engine: Engine) -> None:
    plan = plan_of(native_engine, "mdv-lgc-centre-de-sante")  # no T0, no published calendar
    html = render_html(plan)
    assert not parse(html).with_attr("data-deadline-id")
    assert "Aucune échéance datée" in html and "6 échéances sans date" in html


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_progress_figures_equal_the_plan(native_engine: Engine, path: Path) -> None:
    plan = plan_of(native_engine, path.stem)
    doc = parse(render_html(plan))
    data = plan.model_dump(mode="json")["progress"]

    def figures(attrs: dict) -> dict:
        return {k.removeprefix("data-progress-").replace("-", "_"): float(v) for k, v in attrs.items()
                if k.startswith("data-progress-") and k not in ("data-progress-profil", "data-progress-overall")}

    rows = {a["data-progress-profil"]: figures(a) for a in doc.with_attr("data-progress-profil")}
    assert rows == {k: {f: float(v) for f, v in p.items()} for k, p in data["by_profil"].items()}
    (overall,) = doc.with_attr("data-progress-overall")
    assert figures(overall) == {f: float(v) for f, v in data["overall"].items()}
    steps = [{"step": a["data-step"], "total": int(a["data-step-total"]), "done": int(a["data-step-done"]),
              "percent": float(a["data-step-percent"])} for a in doc.with_attr("data-step")]
    assert steps == data["by_step"]
    summary = {k.removeprefix("data-summary-").replace("-", "_"): int(v)
               for _, a in doc.tags for k, v in a.items() if k.startswith("data-summary-")}
    assert summary == {k: v for k, v in plan.summary.model_dump().items() if k != "scenarios"}


def test_blocking_findings_come_first(native_engine: Engine) -> None:
    plan = plan_of(native_engine, "hop-dpi-audit")
    levels = [a["data-finding-level"] for a in parse(render_html(plan)).with_attr("data-finding-level")]
    assert levels[0] == "blocking" and levels == sorted(levels, key=["blocking", "warning", "info"].index)
    assert len(levels) == len(plan.findings)


def test_actions_show_what_blocks_them(native_engine: Engine) -> None:
    plan = plan_of(native_engine, "hop-dpi-sans-cnda")
    rows = parse(render_html(plan)).with_attr("data-action-id")
    assert [r["data-action-id"] for r in rows] == [a.id for a in plan.actions]
    assert [r["data-blocked-by"].split() for r in rows] == [a.blocked_by for a in plan.actions]


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_requirement_is_listed_with_its_why(native_engine: Engine, path: Path) -> None:
    plan = plan_of(native_engine, path.stem)
    html = render_html(plan)
    rows = parse(html).with_attr("data-requirement-id")
    expected = plan.requirements + [r for s in plan.solutions for r in s.requirements]
    assert sorted(r["data-requirement-id"] for r in rows) == sorted(r.id for r in expected)
    rows_html = dict(re.findall(r'<tr data-requirement-id="([^"]+)"(.*?)</tr>', html, re.S))
    for r in expected:
        row = rows_html[escape(r.id)]
        assert all(f"<li>{escape(w.message)}</li>" in row for w in r.why), r.id
        assert escape(r.label) in row


def test_groupement_has_a_shared_part_and_one_section_per_solution(native_engine: Engine) -> None:
    plan = plan_of(native_engine, "hop-dpi-groupement")
    html = render_html(plan)
    assert "Exigences communes au groupement (prouvées une fois)" in html
    for i, solution in enumerate(plan.solutions, start=1):
        section = html.split(f'<section id="exigences-solution-{i}"')[1].split("</section>")[0]
        assert f"Exigences propres à {solution.name}" in section
        ids = re.findall(r'data-requirement-id="([^"]+)"', section)
        assert sorted(ids) == sorted(r.id for r in solution.requirements)


def test_requirements_are_grouped_by_chapter_then_profil(native_engine: Engine) -> None:
    plan = plan_of(native_engine, "hop-dpi-client-lourd")
    html = render_html(plan).split('<section id="exigences"')[1]
    h3 = re.findall(r"<h3>(.*?) <small>", html)
    sections = sorted({r.section for r in plan.requirements}, key=lambda s: s or "~")
    assert [h.split(" — ")[0] for h in h3] == sections
    assert "<h4>Profil : IAM" in html and "<h4>Profil : Général" in html


def test_print_stylesheet_is_a4_without_breaks_inside_rows(native_engine: Engine) -> None:
    html = render_html(plan_of(native_engine, "hop-dpi-client-lourd"))
    assert "@page { size: A4;" in html
    assert "@media print" in html and re.search(r"tr, [^{]*\{ break-inside: avoid; page-break-inside: avoid; \}",
                                                 html)
    assert "thead { display: table-header-group; }" in html


def test_every_text_is_escaped(native_engine: Engine, make_profile) -> None:  # noqa: ANN001
    evil = '<script>alert("x")</script> & <img src=x onerror=alert(1)> "Éd\'iteur"'
    profile = parse_profile(make_profile(solution={"name": evil, "editor": evil, "version": evil}))
    plan = native_engine.plan(profile, today=TODAY)
    plan.deadlines[0].label = evil
    plan.deadlines[0].id = evil
    plan.deadlines[0].source = evil + " https://example.org/a?b=1&c=<x>"
    plan.findings[0].message = evil
    plan.findings[0].refs = [evil]
    plan.actions[0].label = evil
    plan.actions[0].note = evil
    if plan.requirements:
        plan.requirements[0].label = evil
        plan.requirements[0].why[0] = plan.requirements[0].why[0].model_copy(update={"message": evil})
        plan.requirements[0].chapter = evil
    plan.profils[0].label = evil
    html = render_html(plan)
    assert "<script" not in html and "<img" not in html and "onerror=alert(1)>" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;img" in html
    doc = parse(html)
    assert {t for t, _ in doc.tags}.isdisjoint({"script", "img"})
    assert not [a for _, a in doc.tags if any(k.startswith("on") for k in a)]
    assert "<a href=\"https://example.org/a?b=1&amp;c=\">" in html  # a link never takes markup with it


def test_same_bytes_across_processes(tmp_path: Path) -> None:
    code = ("import datetime as dt, sys; from segur_plan.engine.api import Engine; "
            "from segur_plan.engine.loading import load_profile; from segur_plan.engine.render.html import render_html;"
            " sys.stdout.buffer.write(render_html(Engine(backend='native').plan(load_profile(sys.argv[1]), "
            "today=dt.date(2025, 3, 1))).encode())")
    outputs = [subprocess.run([sys.executable, "-c", code, str(EXAMPLES[0])], check=True, capture_output=True,
                              env={**os.environ, "PYTHONHASHSEED": seed}, cwd=tmp_path).stdout
               for seed in ("1", "4242")]
    assert outputs[0] == outputs[1] and outputs[0].startswith(b"<!DOCTYPE html>")


STYLE_MARKER = "<style>/* engine/render/templates/report.css */</style>"


def without_stylesheet(html: str) -> str:
    """The report with its one inline ``<style>`` replaced by :data:`STYLE_MARKER`."""
    styles = re.findall(r"<style>.*?</style>", html, flags=re.S)
    assert styles == [f"<style>\n{stylesheet()}</style>"]  # the shipped style sheet, once, as it is
    return html.replace(styles[0], STYLE_MARKER)


@pytest.mark.parametrize("stem", SNAPSHOT_EXAMPLES)
def test_report_snapshot(native_engine: Engine, snapshot_html, stem: str) -> None:  # noqa: ANN001
    assert without_stylesheet(render_html(plan_of(native_engine, stem))) == snapshot_html
