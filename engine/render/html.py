"""HTML report of a plan: one self-contained page, in French, to read on screen or print (A4).

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
  ``data-summary-*`` on the counts, ``data-action-id`` and ``data-requirement-id`` on rows.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from html import escape
from itertools import groupby

from ..models.common import LEVEL_ORDER, Level
from ..models.plan import (
    DeadlineOut,
    FindingOut,
    Plan,
    ProgressOut,
    RequirementOut,
)
from .svg import BASIS_LABEL, STATUS_LABEL, deadline_when, french_date, render_timeline

LEVEL_LABEL = {Level.BLOCKING: "Bloquant", Level.WARNING: "Attention", Level.INFO: "Information"}
REQ_STATUS = {"to-prove": "à prouver", "redeposit": "à redéposer", "acquired": "acquise", "inherited": "héritée",
              "not-applicable": "non applicable"}
PACK_STATUS = {"draft": "brouillon", "published": "publié"}
PREREQUISITE = {"ok": "rempli", "missing": "manquant", "insufficient": "insuffisant", "unknown": "non renseigné"}
SOLICITATION = {"answered": "répondue", "pending": "en attente", "due-today": "réponse due aujourd'hui",
                "overdue": "en retard"}
ORIGIN = {"general": "général", "declared": "déclaré", "rule": "déduit d'une règle"}
PARCOURS = {"mono-editeur": "mono-éditeur", "groupement": "groupement", "marque-blanche": "marque blanche"}
TRIGGER = {"initial": "premier référencement", "major-version": "version majeure",
           "referentiel-update": "évolution du référentiel", "audit": "audit"}
# Proof statuses in the order of the stacked bars: done first.
PROOF_STATUSES = (("validated", "validées"), ("deposited", "déposées"), ("collected", "collectées"),
                  ("rejected", "rejetées"), ("todo", "à faire"))
MAX_REFS = 12
ALERT = ' class="alert"'
_URL = re.compile(r"https?://[^\s()<>\"']+")

CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #ffffff; color: #1b1b1b; font: 15px/1.5 system-ui, -apple-system, "Segoe UI",
  "Liberation Sans", "DejaVu Sans", Arial, sans-serif; }
main { max-width: 1200px; margin: 0 auto; padding: 24px 32px 48px; }
h1 { font-size: 1.75rem; margin: 0 0 4px; line-height: 1.25; }
h2 { font-size: 1.35rem; margin: 40px 0 12px; padding-bottom: 4px; border-bottom: 2px solid #1a4fa0; }
h3 { font-size: 1.12rem; margin: 28px 0 8px; }
h4 { font-size: 1rem; margin: 18px 0 6px; color: #2f3a48; }
a { color: #0b4a99; }
.subtitle { margin: 0; color: #3d4753; }
.muted, small { color: #4a5462; }
nav ol { margin: 8px 0 0; padding-left: 20px; columns: 2; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 0; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; }
ul.counts { list-style: none; display: flex; flex-wrap: wrap; gap: 12px; padding: 0; margin: 16px 0 0; }
ul.counts li { border: 1px solid #c9d1db; border-radius: 6px; padding: 8px 14px; min-width: 150px; }
ul.counts strong { display: block; font-size: 1.5rem; line-height: 1.2; }
ul.counts li.alert { border-color: #b3261e; background: #fdecea; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 16px; font-size: 0.92rem; }
caption { text-align: left; font-weight: 600; padding: 4px 0; }
th, td { border: 1px solid #c9d1db; padding: 5px 8px; text-align: left; vertical-align: top; }
thead th { background: #e9eef5; }
tbody th { font-weight: 600; }
th.id, td.date { white-space: nowrap; }
th small { font-weight: normal; }
table.requirements { table-layout: fixed; }
table.requirements th.id { white-space: normal; overflow-wrap: anywhere; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.passed td, tr.passed th { color: #4a5462; }
.badge { display: inline-block; border-radius: 4px; padding: 0 6px; font-size: 0.85em; font-weight: 600;
  border: 1px solid currentColor; white-space: nowrap; }
.badge.blocking, .badge.overdue { color: #8a1c15; background: #fdecea; }
.badge.warning { color: #6b3a00; background: #fff3e0; }
.badge.info { color: #173f7a; background: #e8f0fb; }
.badge.ok { color: #1d5a2b; background: #e7f4ea; }
.badge.neutral { color: #3d4753; background: #f1f3f6; }
ul.findings { list-style: none; padding: 0; margin: 0; }
ul.findings li { border-left: 4px solid #c9d1db; padding: 6px 10px; margin: 0 0 8px; background: #f7f9fb; }
ul.findings li.blocking { border-left-color: #b3261e; background: #fdecea; }
ul.findings li.warning { border-left-color: #a14a00; background: #fff7ec; }
.refs { font-size: 0.85em; color: #4a5462; }
figure { margin: 0 0 12px; overflow-x: auto; }
figcaption { font-size: 0.9rem; color: #3d4753; }
svg.timeline { display: block; width: 100%; max-width: 100%; height: auto; font-size: 12px; }
svg.timeline text { font-family: inherit; }
svg.timeline .tl-label, svg.timeline .tl-legend-text { fill: #1b1b1b; }
svg.timeline .tl-stripe { fill: #f3f6fa; }
svg.timeline .tl-grid { stroke: #dde3ea; stroke-width: 1; }
svg.timeline .tl-grid-major { stroke: #b9c3cf; }
svg.timeline .tl-tick, svg.timeline .tl-year { text-anchor: middle; fill: #3d4753; }
svg.timeline .tl-year { font-weight: 600; }
svg.timeline .tl-date { font-weight: 600; }
svg.timeline .tl-passed .tl-date, svg.timeline .tl-passed .tl-label { fill: #5b6472; font-style: italic; }
svg.timeline .tl-date-left { text-anchor: end; }
svg.timeline .tl-today-label { text-anchor: middle; font-weight: 600; }
.bar { display: flex; width: 100%; min-width: 160px; height: 14px; border: 1px solid #8a94a3; border-radius: 3px;
  overflow: hidden; background: #eef1f5; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.bar span { display: block; height: 100%; }
.bar .validated { background: #1d6b34; }
.bar .deposited { background: #1a4fa0; }
.bar .collected { background: #0f6f7c; }
.bar .rejected { background: #b3261e; }
.bar .todo { background: #eef1f5; }
.bar .done { background: #1d6b34; }
.legend { display: flex; flex-wrap: wrap; gap: 6px 16px; margin: 4px 0 8px; padding: 0; list-style: none;
  font-size: 0.88rem; }
.legend span { display: inline-block; width: 12px; height: 12px; margin-right: 6px; vertical-align: -1px;
  border: 1px solid #8a94a3; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.legend .validated { background: #1d6b34; } .legend .deposited { background: #1a4fa0; }
.legend .collected { background: #0f6f7c; } .legend .rejected { background: #b3261e; }
.legend .todo { background: #eef1f5; }
ul.why { margin: 0; padding-left: 18px; }
footer { margin-top: 48px; padding-top: 12px; border-top: 1px solid #c9d1db; font-size: 0.85rem; color: #3d4753; }
@page { size: A4; margin: 14mm 12mm 16mm; }
@media print {
  body { font-size: 9.5pt; }
  main { max-width: none; padding: 0; }
  nav { display: none; }
  h2 { margin-top: 18pt; break-after: avoid; page-break-after: avoid; }
  h3, h4 { break-after: avoid; page-break-after: avoid; }
  tr, li, figure, ul.counts li { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  a { color: inherit; text-decoration: none; }
  figure { overflow: visible; }
  svg.timeline { width: 100%; }
}
"""


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _text(value: str | None) -> str:
    """Escape, turning the URLs in a text (sources) into links."""
    if not value:
        return "—"
    out, last = [], 0
    for match in _URL.finditer(value):
        url = match.group(0).rstrip(".,;")
        out.append(_e(value[last:match.start()]))
        out.append(f'<a href="{_e(url)}">{_e(url)}</a>')
        last = match.start() + len(url)
    out.append(_e(value[last:]))
    return "".join(out)


def _percent(value: float) -> str:
    return f"{value:.1f}".replace(".", ",") + " %"


def _attrs(prefix: str, values: Iterable[tuple[str, object]]) -> str:
    return " ".join(f'data-{prefix}-{key}="{_e(value)}"' for key, value in values)


def render_html(plan: Plan) -> str:
    labels = {p.id: p.label for p in plan.profils}
    parts = [
        "<!DOCTYPE html>",
        '<html lang="fr">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'">',
        '<meta name="generator" content="segur-plan">',
        f"<title>Plan de conformité Ségur — {_e(plan.solution.name)}</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        "<main>",
        "<header>",
        f"<h1>Plan de conformité Ségur — {_e(plan.solution.name)}</h1>",
        f'<p class="subtitle">Situation au <time datetime="{plan.today.isoformat()}">'
        f"{french_date(plan.today)}</time></p>",
        "</header>",
        _nav(plan),
        _summary(plan),
        _findings(plan.findings),
        _deadlines(plan),
        _progress(plan, labels),
        _actions(plan),
    ]
    if plan.solicitations:
        parts.append(_solicitations(plan))
    parts += [_prerequisites(plan), _profils(plan)]
    if plan.solutions:
        parts.append(_requirements("exigences", "Exigences communes au groupement (prouvées une fois)",
                                   plan.requirements, labels))
        for i, solution in enumerate(plan.solutions, start=1):
            parts.append(_requirements(f"exigences-solution-{i}", f"Exigences propres à {solution.name}",
                                       solution.requirements, labels))
    else:
        parts.append(_requirements("exigences", "Exigences applicables", plan.requirements, labels))
    parts += [_footer(plan), "</main>", "</body>", "</html>"]
    return "\n".join(p for p in parts if p) + "\n"


def _nav(plan: Plan) -> str:
    items = [("synthese", "Synthèse"), ("points", "Points d'attention"), ("echeances", "Échéances"),
             ("avancement", "Avancement des preuves"), ("actions", "Prochaines actions")]
    if plan.solicitations:
        items.append(("sollicitations", "Sollicitations de l'ANS"))
    items += [("prerequis", "Prérequis"), ("profils", "Profils actifs"), ("exigences", "Exigences")]
    items += [(f"exigences-solution-{i}", f"Exigences propres à {s.name}")
              for i, s in enumerate(plan.solutions, start=1)]
    links = "".join(f'<li><a href="#{anchor}">{_e(label)}</a></li>' for anchor, label in items)
    return f'<nav aria-label="Sommaire"><ol>{links}</ol></nav>'


def _summary(plan: Plan) -> str:
    s, sol = plan.summary, plan.solution
    facts = [("Solution", _e(sol.name)), ("Éditeur", _e(sol.editor or "—")), ("Version", _e(sol.version or "—"))]
    for pack in plan.packs:
        facts.append(("Pack", f"<strong>{_e(pack.id)}</strong> {_e(pack.version)} "
                              f"({_e(PACK_STATUS.get(pack.status, pack.status))}, version du "
                              f"{french_date(pack.released)})"))
    p = plan.parcours
    facts.append(("Parcours", f"{_e(PARCOURS.get(p.kind, p.kind))} — {_e(TRIGGER.get(p.trigger, p.trigger))}"))
    if p.why:
        facts.append(("Pourquoi", _e(p.why[0].message)))
    if p.already_referenced:
        facts.append(("Déjà référencé", _e(", ".join(p.already_referenced))))
    if plan.solutions:
        facts.append(("Solutions du groupement", "<br>".join(
            _e(f"{x.name}" + (f" {x.version}" if x.version else "")
               + (f" (profils : {', '.join(x.profils)})" if x.profils else "")) for x in plan.solutions)))
    facts.append(("Date de référence", french_date(plan.today)))
    dl = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in facts)
    counts = [
        ("requirements", s.requirements, "exigences applicables", False),
        ("to_prove", s.to_prove, "exigences à prouver", False),
        ("proofs", s.proofs, "preuves listées", False),
        ("profils", s.profils, "profils actifs", False),
        ("blocking", s.blocking, "points bloquants", s.blocking > 0),
        ("warnings", s.warnings, "avertissements", False),
    ]
    cards = "".join(
        f'<li{ALERT if alert else ""} data-summary-{key.replace("_", "-")}="{value}">'
        f"<strong>{value}</strong> {label}</li>"
        for key, value, label, alert in counts)
    return (f'<section id="synthese" aria-labelledby="h-synthese"><h2 id="h-synthese">Synthèse</h2>'
            f'<dl class="facts">{dl}</dl><ul class="counts">{cards}</ul></section>')


def _refs(refs: list[str]) -> str:
    if not refs:
        return ""
    shown = ", ".join(refs[:MAX_REFS])
    more = f" … et {len(refs) - MAX_REFS} autre(s)" if len(refs) > MAX_REFS else ""
    return f'<br><span class="refs">Références : {_e(shown)}{more}</span>'


def _findings(findings: list[FindingOut]) -> str:
    ordered = sorted(findings, key=lambda f: LEVEL_ORDER[Level(f.level)])  # stable: plan order within a level
    blocking = [f for f in ordered if f.level == Level.BLOCKING]
    others = [f for f in ordered if f.level != Level.BLOCKING]

    def items(group: list[FindingOut]) -> str:
        return "".join(
            f'<li class="{_e(f.level)}" data-finding-code="{_e(f.code)}" data-finding-level="{_e(f.level)}">'
            f'<span class="badge {_e(f.level)}">{LEVEL_LABEL[Level(f.level)]}</span> {_text(f.message)}'
            f"{_refs(f.refs)}</li>" for f in group)

    out = ['<section id="points" aria-labelledby="h-points"><h2 id="h-points">Points d\'attention</h2>',
           f'<h3>Points bloquants ({len(blocking)})</h3>']
    out.append(f'<ul class="findings">{items(blocking)}</ul>' if blocking
               else "<p>Aucun point ne bloque la candidature.</p>")
    out.append(f"<h3>Autres points ({len(others)})</h3>")
    out.append(f'<ul class="findings">{items(others)}</ul>' if others else "<p>Aucun.</p>")
    out.append("</section>")
    return "".join(out)


def _deadline_row(d: DeadlineOut) -> str:
    days = "—" if d.days_left is None else str(d.days_left)
    status_class = {"passed": "neutral", "due-today": "overdue", "soon": "warning", "upcoming": "info",
                    "unknown": "neutral"}[d.status]
    date = ("date inconnue" if d.date is None else
            f'<time datetime="{(d.at or d.date).isoformat()}">{_e(deadline_when(d))}</time>')
    latest = f'<time datetime="{d.latest.isoformat()}">{french_date(d.latest)}</time>' if d.latest else "—"
    return (f'<tr class="{_e(d.status)}" data-deadline-row="{_e(d.id)}"><th scope="row">{_e(d.label)}</th>'
            f'<td class="date">{date}</td><td class="date">{latest}</td><td>{_e(BASIS_LABEL[d.basis])}</td>'
            f'<td><span class="badge {status_class}">{_e(STATUS_LABEL[d.status])}</span></td>'
            f'<td class="num">{days}</td><td><small>{_text(d.source)}</small></td></tr>')


def _deadlines(plan: Plan) -> str:
    rows = "".join(_deadline_row(d) for d in plan.deadlines)
    return (
        '<section id="echeances" aria-labelledby="h-echeances"><h2 id="h-echeances">Échéances</h2>'
        f"<figure>{render_timeline(plan)}<figcaption>Frise des échéances au {french_date(plan.today)} : losange "
        "plein = date publiée, cercle en pointillés = date estimée, barre = période jusqu'à la date au plus tard, "
        "marque barrée grise = échéance dépassée, trait rouge = aujourd'hui.</figcaption></figure>"
        '<table class="deadlines"><caption>Liste des échéances</caption><thead><tr>'
        '<th scope="col">Jalon</th><th scope="col">Date</th><th scope="col">Au plus tard</th>'
        '<th scope="col">Base</th><th scope="col">Statut</th><th scope="col" class="num">Jours restants</th>'
        f'<th scope="col">Source</th></tr></thead><tbody>{rows}</tbody></table></section>'
    )


def _bar(progress: ProgressOut) -> str:
    if not progress.total:
        return '<div class="bar" aria-hidden="true"></div>'
    spans = "".join(
        f'<span class="{key}" style="width:{getattr(progress, key) * 100 / progress.total:.2f}%"></span>'
        for key, _ in PROOF_STATUSES if getattr(progress, key))
    return f'<div class="bar" aria-hidden="true">{spans}</div>'


def _progress_row(header: str, attrs: str, progress: ProgressOut) -> str:
    figures = [("total", progress.total), ("todo", progress.todo), ("collected", progress.collected),
               ("deposited", progress.deposited), ("validated", progress.validated),
               ("rejected", progress.rejected), ("percent-deposited", progress.percent_deposited),
               ("percent-validated", progress.percent_validated)]
    cells = "".join(f'<td class="num">{getattr(progress, key)}</td>'
                    for key in ("total", "todo", "collected", "deposited", "validated", "rejected"))
    return (f"<tr {attrs} {_attrs('progress', figures)}>{header}<td>{_bar(progress)}</td>{cells}"
            f'<td class="num">{_percent(progress.percent_deposited)}</td>'
            f'<td class="num">{_percent(progress.percent_validated)}</td></tr>')


def _progress(plan: Plan, labels: dict[str, str]) -> str:
    by_profil = plan.progress.by_profil
    order = [p.id for p in plan.profils if p.id in by_profil] + sorted(
        k for k in by_profil if k not in {p.id for p in plan.profils})
    head = ('<thead><tr><th scope="col">{}</th><th scope="col">Avancement</th><th scope="col" class="num">Preuves'
            '</th><th scope="col" class="num">À faire</th><th scope="col" class="num">Collectées</th>'
            '<th scope="col" class="num">Déposées</th><th scope="col" class="num">Validées</th>'
            '<th scope="col" class="num">Rejetées</th><th scope="col" class="num">% déposées</th>'
            '<th scope="col" class="num">% validées</th></tr></thead>')
    rows = "".join(
        _progress_row(f'<th scope="row">{_e(labels.get(pid, pid))}</th>', f'data-progress-profil="{_e(pid)}"',
                      by_profil[pid]) for pid in order)
    overall = _progress_row('<th scope="row">Ensemble</th>', 'data-progress-overall="true"', plan.progress.overall)
    legend = "".join(f'<li><span class="{key}"></span>{label}</li>' for key, label in PROOF_STATUSES)
    step_rows = "".join(
        f'<tr data-step="{_e(s.step)}" data-step-total="{s.total}" data-step-done="{s.done}" '
        f'data-step-percent="{s.percent}"><th scope="row">Étape {_e(s.step)}</th>'
        f'<td><div class="bar" aria-hidden="true"><span class="done" style="width:{s.percent:.2f}%"></span></div>'
        f'</td><td class="num">{s.done}</td><td class="num">{s.total}</td>'
        f'<td class="num">{_percent(s.percent)}</td></tr>' for s in plan.progress.by_step)
    steps = (
        '<h3>Par étape du parcours</h3><table class="progress-steps"><caption>Avancement du parcours Ségur par '
        'étape (actions faites sur le total de l\'étape)</caption><thead><tr><th scope="col">Étape</th>'
        '<th scope="col">Avancement</th><th scope="col" class="num">Faites</th><th scope="col" class="num">Total'
        '</th><th scope="col" class="num">%</th></tr></thead>'
        f"<tbody>{step_rows}</tbody></table>" if plan.progress.by_step else "")
    return (
        '<section id="avancement" aria-labelledby="h-avancement"><h2 id="h-avancement">Avancement des preuves</h2>'
        f'<h3>Par profil</h3><ul class="legend" aria-label="Légende des barres">{legend}</ul>'
        '<table class="progress-profils"><caption>Preuves des exigences à prouver, par statut et par profil'
        f"</caption>{head.format('Profil')}<tbody>{rows}</tbody><tfoot>{overall}</tfoot></table>"
        f"{steps}</section>"
    )


def _actions(plan: Plan) -> str:
    by_id = {a.id: a for a in plan.actions}

    def blockers(ids: list[str]) -> str:
        return ", ".join(f"n° {by_id[i].order}" if i in by_id else _e(i) for i in ids)

    rows = []
    for a in plan.actions:
        if a.blocked_by:
            state = f'<span class="badge warning">Bloquée</span> par {blockers(a.blocked_by)}'
            if a.blocked_reason:
                state += f"<br><small>{_e(a.blocked_reason)}</small>"
        else:
            state = '<span class="badge ok">Prête</span>'
        due = f'<time datetime="{a.due.isoformat()}">{french_date(a.due)}</time>' if a.due else "—"
        note = f"<br><small>{_e(a.note)}</small>" if a.note else ""
        refs = _refs(a.refs)
        rows.append(
            f'<tr data-action-id="{_e(a.id)}" data-blocked-by="{_e(" ".join(a.blocked_by))}">'
            f'<td class="num">{a.order}</td><td>{_e(a.step)}</td><th scope="row">{_e(a.label)}{note}{refs}</th>'
            f"<td>{_e(a.system or '—')}</td><td>{due}</td><td>{state}</td></tr>")
    ready = sum(not a.blocked_by for a in plan.actions)
    return (
        '<section id="actions" aria-labelledby="h-actions"><h2 id="h-actions">Prochaines actions</h2>'
        f"<p>{len(plan.actions)} action(s) dans l'ordre, dont {ready} prête(s) à commencer.</p>"
        '<table class="actions"><thead><tr><th scope="col" class="num">N°</th><th scope="col">Étape</th>'
        '<th scope="col">Action</th><th scope="col">Outil</th><th scope="col">Échéance</th>'
        f'<th scope="col">État</th></tr></thead><tbody>{"".join(rows)}</tbody></table></section>'
    )


def _solicitations(plan: Plan) -> str:
    rows = "".join(
        f'<tr><th scope="row">{_e(s.subject)}</th><td>{s.received:%Y-%m-%d %H:%M}</td>'
        f"<td>{s.due:%Y-%m-%d %H:%M}</td><td><span class=\"badge "
        f'{"overdue" if s.status == "overdue" else "neutral"}">{_e(SOLICITATION[s.status])}</span></td></tr>'
        for s in plan.solicitations)
    return (
        '<section id="sollicitations" aria-labelledby="h-sollicitations"><h2 id="h-sollicitations">'
        "Sollicitations de l'ANS</h2><p>Réponse attendue dans le délai fixé par le pack (paramètre "
        "ans-answer-delay).</p><table><thead><tr>"
        '<th scope="col">Objet</th><th scope="col">Reçue</th><th scope="col">Réponse attendue avant</th>'
        f'<th scope="col">État</th></tr></thead><tbody>{rows}</tbody></table></section>'
    )


def _prerequisites(plan: Plan) -> str:
    rows = "".join(
        f'<tr><th scope="row">{_e(p.label)}</th><td><span class="badge '
        f'{"ok" if p.status == "ok" else ("blocking" if p.blocking else "neutral")}">{_e(PREREQUISITE[p.status])}'
        f'</span></td><td>{"oui" if p.blocking else "non"}</td><td>{_e(p.why)}<br><small>{_text(p.source)}</small>'
        "</td></tr>" for p in plan.prerequisites)
    return (
        '<section id="prerequis" aria-labelledby="h-prerequis"><h2 id="h-prerequis">Prérequis</h2><table><thead><tr>'
        '<th scope="col">Prérequis</th><th scope="col">État</th><th scope="col">Bloquant</th>'
        f'<th scope="col">Pourquoi</th></tr></thead><tbody>{rows}</tbody></table></section>'
    )


def _profils(plan: Plan) -> str:
    rows = "".join(
        f'<tr><th scope="row">{_e(p.label)}</th><td>{_e(ORIGIN.get(p.origin, p.origin))}</td>'
        f'<td>{_e(" ; ".join(w.message for w in p.why))}<br><small>{_text(p.source)}</small></td></tr>'
        for p in plan.profils)
    return (
        '<section id="profils" aria-labelledby="h-profils"><h2 id="h-profils">Profils actifs</h2><table><thead><tr>'
        '<th scope="col">Profil</th><th scope="col">Origine</th><th scope="col">Pourquoi</th></tr></thead>'
        f"<tbody>{rows}</tbody></table></section>"
    )


def _requirement_row(r: RequirementOut) -> str:
    flags = "".join(f' <span class="badge {cls}">{label}</span>' for cond, cls, label in (
        (r.critical, "warning", "critique"), (r.transversal, "neutral", "transversale")) if cond)
    proofs = sum(len(sc.proofs) for sc in r.scenarios)
    if r.progress is not None and r.progress.total:
        pr = r.progress
        state = (f"{pr.deposited + pr.validated}/{pr.total} déposée(s)"
                 + (f", {pr.validated} validée(s)" if pr.validated else "")
                 + (f", {pr.rejected} rejetée(s)" if pr.rejected else ""))
    else:
        state = "—"
    listed = f"{proofs} listée(s)<br>" if proofs else ""
    why = "".join(f"<li>{_e(w.message)}</li>" for w in r.why)
    return (
        f'<tr data-requirement-id="{_e(r.id)}" data-requirement-status="{_e(r.status)}">'
        f'<th scope="row" class="id">{_e(r.id)}</th><td>{_e(r.label)}{flags}</td>'
        f'<td>{_e(REQ_STATUS.get(r.status, r.status))}</td><td>{listed}{state}</td>'
        f'<td><ul class="why">{why}</ul><small>{_text(r.source)}</small></td></tr>'
    )


def _requirements(anchor: str, title: str, requirements: list[RequirementOut], labels: dict[str, str]) -> str:
    rank = {pid: i for i, pid in enumerate(labels)}
    ordered = sorted(requirements, key=lambda r: (r.section or "~", rank.get(r.profil, len(rank)), r.profil, r.id))
    out = [f'<section id="{anchor}" aria-labelledby="h-{anchor}"><h2 id="h-{anchor}">{_e(title)}</h2>',
           f"<p>{len(requirements)} exigence(s), dont {sum(r.to_prove for r in requirements)} à prouver, "
           "groupées par chapitre puis par profil.</p>"]
    if not requirements:
        out.append("<p>Aucune exigence.</p>")
    head = ('<colgroup><col style="width:15%"><col style="width:29%"><col style="width:10%"><col style="width:11%">'
            '<col style="width:35%"></colgroup>'
            '<thead><tr><th scope="col">Exigence</th><th scope="col">Libellé</th><th scope="col">Statut</th>'
            '<th scope="col">Preuves</th><th scope="col">Pourquoi</th></tr></thead>')
    for section, in_section in groupby(ordered, key=lambda r: r.section):
        in_section = list(in_section)
        chapters = sorted({r.chapter for r in in_section if r.chapter})
        name = section or "Sans chapitre"
        heading = f"{name} — {' ; '.join(chapters)}" if chapters else name
        out.append(f"<h3>{_e(heading)} <small>({len(in_section)})</small></h3>")
        for profil, in_profil in groupby(in_section, key=lambda r: r.profil):
            in_profil = list(in_profil)
            out.append(f"<h4>Profil : {_e(labels.get(profil, profil))} <small>({len(in_profil)})</small></h4>")
            out.append(f'<table class="requirements">{head}<tbody>'
                       f'{"".join(_requirement_row(r) for r in in_profil)}</tbody></table>')
    out.append("</section>")
    return "".join(out)


def _footer(plan: Plan) -> str:
    packs = ", ".join(f"{p.id} {p.version} (SHA-256 {p.sha256[:12]}…)" for p in plan.packs)
    return (f"<footer><p>Rapport produit par segur-plan pour le {french_date(plan.today)} à partir de : "
            f"{_e(packs)}. Le même profil, les mêmes packs et la même date donnent le même rapport.</p>"
            "<p>Les catalogues d'exigences viennent de documents de l'ANS ; vérifiez chaque exigence contre le REM "
            "publié avant de déposer.</p></footer>")
