"""HTML report of a plan: one self-contained page, in French, to read on screen or print (A4).

The page is the Jinja2 template ``templates/plan.html.j2`` (autoescape on: a value reaches the
page escaped unless it is :class:`~markupsafe.Markup`), its style sheet ``templates/report.css``
and the timeline ``templates/timeline.svg.j2`` (see :mod:`.svg`); all three are package data.
This module only prepares what the template shows: labels, groups and counts (:mod:`.counts`,
shared with the Markdown and text renderers).

- Self-contained: the style sheet is inline, the timeline is inline SVG, there is no script and
  no font, image or style loaded from anywhere (a Content-Security-Policy says so to the browser).
  Sources keep their links as ``<a href>`` in the text.
- Deterministic: the same plan gives the same bytes (no clock, no random ids, plan order or
  sorted order everywhere).
- Accessible: one ``h1``, then ``h2``/``h3``/``h4`` sections; tables with ``<th scope>``;
  colours at least 4.5:1 against their background and never the only carrier of a meaning
  (levels and statuses are written); the SVG has ``role="img"``, a ``<title>`` and a
  ``<desc>``, and the deadlines are also given as a table.
- Machine hooks (for tests and scripts): ``data-deadline-id`` on each timeline mark,
  ``data-progress-*`` on each progress row (``data-progress-profil`` per profil,
  ``data-progress-overall`` for the whole), ``data-step-*`` per journey stage,
  ``data-summary-*`` on the counts, ``data-action-id``, ``data-requirement-id`` and
  ``data-proof-id`` (with ``data-proof-kind``, ``-formats``, ``-max-bytes``) on rows.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from itertools import groupby
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from ..models.common import LEVEL_ORDER, Level
from ..models.plan import Plan, ProofOut, RequirementOut
from ..vocabulary import DEADLINE_BASIS, DEADLINE_STATUS, PROOF_STATUS_COUNTED
from .counts import plan_counts
from .labels import (
    GENERAL_PROFIL,
    LEVEL,
    ORIGIN,
    PACK_STATUS,
    PARCOURS,
    PREREQUISITE,
    PROOF_KIND,
    REQ_STATUS,
    SOLICITATION,
    TRIGGER,
    formats_text,
    plural,
    size_text,
)
from .svg import deadline_when, french_date, render_timeline

# Proof statuses in the order of the stacked bars: done first.
PROOF_STATUSES = tuple(PROOF_STATUS_COUNTED.items())
DEADLINE_BADGE = {"passed": "neutral", "due-today": "overdue", "soon": "warning", "upcoming": "info",
                  "unknown": "neutral"}
MAX_REFS = 12
_URL = re.compile(r"https?://[^\s()<>\"']+")


def linkify(value: str | None) -> Markup:
    """Escape, turning the URLs in a text (sources) into links."""
    if not value:
        return Markup("—")
    out, last = [], 0
    for match in _URL.finditer(value):
        url = match.group(0).rstrip(".,;")
        out.append(escape(value[last:match.start()]))
        out.append(Markup('<a href="{0}">{0}</a>').format(url))
        last = match.start() + len(url)
    out.append(escape(value[last:]))
    return Markup("").join(out)


def percent(value: float) -> str:
    return f"{value:.1f}".replace(".", ",") + " %"


@cache
def environment() -> Environment:
    env = Environment(loader=PackageLoader("segur_plan.engine.render", "templates"), autoescape=True,
                      undefined=StrictUndefined, keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(text=linkify, fdate=french_date, when=deadline_when, percent=percent,
                       formats=formats_text, size=size_text)
    env.globals.update(
        plural=plural, markup=Markup, max_refs=MAX_REFS, proof_statuses=PROOF_STATUSES, req_status=REQ_STATUS,
        proof_kind=PROOF_KIND, basis_label=DEADLINE_BASIS, status_label=DEADLINE_STATUS, deadline_badge=DEADLINE_BADGE,
        solicitation=SOLICITATION, prerequisite=PREREQUISITE, origin=ORIGIN,
        level_label={str(k): v for k, v in LEVEL.items()},
        count_proofs=lambda r: sum(len(sc.proofs) for sc in r.scenarios), proof_rows=proof_rows,
    )
    return env


@cache
def stylesheet() -> str:
    return environment().loader.get_source(environment(), "report.css")[0]  # type: ignore[union-attr]


@dataclass(frozen=True)
class ProofRow:
    requirement: str
    scenario: str
    proof: ProofOut


def proof_rows(requirements: list[RequirementOut]) -> list[ProofRow]:
    """Every preuve listed under the requirements, in their order (the catalogue's)."""
    return [ProofRow(r.id, s.id, p) for r in requirements for s in r.scenarios for p in s.proofs]


@dataclass(frozen=True)
class ProfilGroup:
    label: str
    requirements: list[RequirementOut]


@dataclass(frozen=True)
class SectionGroup:
    heading: str
    count: int
    profils: list[ProfilGroup]


def render_html(plan: Plan) -> str:
    labels = {p.id: (GENERAL_PROFIL if p.id == "general" else p.label) for p in plan.profils}

    def profil_label(pid: str) -> str:
        return labels.get(pid, GENERAL_PROFIL if pid == "general" else pid)

    def group_requirements(requirements: list[RequirementOut]) -> list[SectionGroup]:
        rank = {pid: i for i, pid in enumerate(labels)}
        ordered = sorted(requirements,
                         key=lambda r: (r.section or "~", rank.get(r.profil, len(rank)), r.profil, r.id))
        out = []
        for section, grouped in groupby(ordered, key=lambda r: r.section):
            in_section = list(grouped)
            chapters = sorted({r.chapter for r in in_section if r.chapter})
            name = section or "Sans chapitre"
            groups = [ProfilGroup(profil_label(profil), list(reqs))
                      for profil, reqs in groupby(in_section, key=lambda r: r.profil)]
            out.append(SectionGroup(f"{name} — {' ; '.join(chapters)}" if chapters else name, len(in_section),
                                    groups))
        return out

    by_id = {a.id: a for a in plan.actions}

    def blockers(ids: list[str]) -> str:
        return ", ".join(f"n° {by_id[i].order}" if i in by_id else i for i in ids)

    by_profil = plan.progress.by_profil
    order = [p.id for p in plan.profils if p.id in by_profil] + sorted(
        k for k in by_profil if k not in {p.id for p in plan.profils})
    ordered = sorted(plan.findings, key=lambda f: LEVEL_ORDER[Level(f.level)])  # stable within a level
    counts = plan_counts(plan)
    context: dict[str, Any] = {
        "plan": plan, "css": Markup(stylesheet()), "nav": _nav(plan), "facts": _facts(plan, profil_label),
        "counts": counts,
        "cards": [
            (f"data-summary-{key}", value, words[0] if value < 2 else words[1], alert)
            for key, value, words, alert in (
                ("requirements", counts.requirements, ("exigence applicable", "exigences applicables"), False),
                ("to-prove", counts.to_prove, ("exigence à prouver", "exigences à prouver"), False),
                ("proofs", counts.proofs_listed, ("preuve listée", "preuves listées"), False),
                ("profils", counts.profils, ("profil actif", "profils actifs"), False),
                ("blocking", counts.blocking, ("point bloquant", "points bloquants"), counts.blocking > 0),
                ("warnings", counts.warnings, ("avertissement", "avertissements"), False),
            )
        ] + [("data-count-proofs-expected", counts.proofs_expected,
              "preuve à produire" if counts.proofs_expected < 2 else "preuves à produire", False)],
        "blocking": [f for f in ordered if f.level == Level.BLOCKING],
        "others": [f for f in ordered if f.level != Level.BLOCKING],
        "timeline": render_timeline(plan), "progress_order": order, "profil_label": profil_label,
        "blockers": blockers, "group_requirements": group_requirements,
        "footer_packs": ", ".join(f"{p.id} {p.version} (SHA-256 {p.sha256[:12]}…)"
                                  + (f" avec le REM {p.rem.file} (SHA-256 {p.rem.sha256[:12]}…)" if p.rem else "")
                                  for p in plan.packs),
    }
    return environment().get_template("plan.html.j2").render(context)


def _nav(plan: Plan) -> list[tuple[str, str]]:
    items = [("synthese", "Synthèse"), ("points", "Points d'attention"), ("echeances", "Échéances"),
             ("avancement", "Avancement des preuves"), ("actions", "Prochaines actions")]
    if plan.solicitations:
        items.append(("sollicitations", "Sollicitations de l'ANS"))
    items += [("prerequis", "Prérequis"), ("profils", "Profils actifs"), ("exigences", "Exigences")]
    items += [(f"exigences-solution-{i}", f"Exigences propres à {s.name}") for i, s in enumerate(plan.solutions, 1)]
    return items


def _facts(plan: Plan, profil_label: Callable[[str], str]) -> list[tuple[str, Markup | str]]:
    sol, p = plan.solution, plan.parcours
    facts: list[tuple[str, Markup | str]] = [("Solution", sol.name), ("Éditeur", sol.editor or "—"),
                                             ("Version", sol.version or "—")]
    for pack in plan.packs:
        facts.append(("Pack", Markup("<strong>{}</strong> {} ({}, version du {})").format(
            pack.id, pack.version, PACK_STATUS.get(pack.status, pack.status), french_date(pack.released))))
        if pack.rem:
            facts.append(("REM de l'éditeur", f"{pack.rem.file} (SHA-256 {pack.rem.sha256[:12]}…)"))
    facts.append(("Parcours", f"{PARCOURS.get(p.kind, p.kind)} — {TRIGGER.get(p.trigger, p.trigger)}"))
    if p.why:
        facts.append(("Pourquoi", p.why[0].message))
    if p.already_referenced:
        facts.append(("Déjà référencé", ", ".join(p.already_referenced)))
    if plan.solutions:
        facts.append(("Solutions du groupement", Markup("<br>").join(
            f"{x.name}" + (f" {x.version}" if x.version else "")
            + (f" (profils : {', '.join(profil_label(i) for i in x.profils)})" if x.profils else "")
            for x in plan.solutions)))
    facts.append(("Date de référence", french_date(plan.today)))
    return facts
