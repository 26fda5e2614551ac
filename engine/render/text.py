"""Terminal summary of a plan (``--format text``): what a person acts on, on one screen.

At most 40 lines of at most 100 columns: the counts, the blocking points and warnings, the next
actions and the nearest deadlines, then where to find the rest. Colour (ANSI) only when asked
for: the CLI asks on a terminal, never with ``NO_COLOR``.
"""

from __future__ import annotations

import textwrap

from ..models.common import Level
from ..models.plan import Plan
from ..vocabulary import REQ_STATUS_FORMS
from .counts import plan_counts
from .labels import GENERAL_PROFIL, LEVEL, PACK_STATUS, PARCOURS, TRIGGER, plural
from .svg import deadline_when, french_date

WIDTH = 100
MAX_FINDINGS, MAX_WARNINGS, MAX_ACTIONS, MAX_DEADLINES = 3, 2, 5, 4
#: The statuses counted beside « N à prouver » on the Exigences line.
_OTHER_STATUSES = ("acquired", "inherited", "redeposit", "not-applicable")
_BOLD, _RED, _ORANGE, _GREEN, _RESET = "\033[1m", "\033[31m", "\033[33m", "\033[32m", "\033[0m"


def _fit(text: str, width: int = WIDTH) -> str:
    """One line of at most ``width`` characters (leading indentation kept)."""
    indent = text[: len(text) - len(text.lstrip(" "))]
    text = indent + " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _wrap(text: str, indent: str = "", lines: int = 2) -> list[str]:
    """At most ``lines`` lines of at most WIDTH characters, the next ones indented under the first."""
    return textwrap.wrap(" ".join(text.split()), WIDTH, initial_indent=indent, subsequent_indent=indent + "  ",
                         max_lines=lines,
                         placeholder=" …", break_on_hyphens=False)


def render_text(plan: Plan, *, colour: bool = False) -> str:
    def paint(text: str, code: str) -> str:
        return f"{code}{text}{_RESET}" if colour else text

    c = plan_counts(plan)
    pack = plan.packs[0]
    labels = [GENERAL_PROFIL if p.id == "general" else p.label for p in plan.profils]
    out = [
        paint(_fit(f"Plan de conformité Ségur — {plan.solution.name}"), _BOLD),
        _fit(f"Pack {pack.id} {pack.version} ({PACK_STATUS.get(pack.status, pack.status)}) ; situation au "
             f"{french_date(plan.today)} ; parcours {PARCOURS.get(plan.parcours.kind, plan.parcours.kind)}, "
             f"{TRIGGER.get(plan.parcours.trigger, plan.parcours.trigger)}"),
        _fit(f"Profils ({len(labels)}) : {', '.join(labels)}"),
        "",
    ]
    others = ", ".join(plural(n, *REQ_STATUS_FORMS[s]) for s, n in sorted(c.by_status.items())
                       if s in _OTHER_STATUSES)
    out.append(_fit(f"Exigences : {c.requirements} applicables, {c.to_prove} à prouver"
                    + (f" ({others})" if others else "")))
    out += _wrap(f"Preuves : {c.proofs_sentence()}")
    tally = f"Points bloquants : {c.blocking} ; avertissements : {c.warnings}"
    out += [paint(tally, _RED) if c.blocking else tally, ""]

    for level, title in ((Level.BLOCKING, "Points bloquants"), (Level.WARNING, "Avertissements")):
        found = [f for f in plan.findings if f.level == level]
        shown = MAX_FINDINGS if level == Level.BLOCKING else MAX_WARNINGS
        if not found:
            continue
        out.append(paint(f"{title} :", _BOLD))
        code = _RED if level == Level.BLOCKING else _ORANGE
        for f in found[:shown]:
            out += [paint(line, code) for line in _wrap(f"- {LEVEL[level]} : {f.message}", "  ")]
        if len(found) > shown:
            out.append(f"  … et {plural(len(found) - shown, 'autre')} (--format html ou md pour la liste)")
        out.append("")

    by_id = {a.id: a for a in plan.actions}
    out.append(paint(f"Prochaines actions ({c.actions}, dont {c.ready} prête{'s' if c.ready > 1 else ''}) :",
                     _BOLD))
    for a in plan.actions[:MAX_ACTIONS]:
        if a.blocked_by:
            state = "bloquée par " + ", ".join(f"n° {by_id[b].order}" if b in by_id else b for b in a.blocked_by)
        else:
            state = paint("prête", _GREEN)
        due = f", avant le {french_date(a.due)}" if a.due else ""
        head = f"  {a.order:>2}. "
        tail = f" [{state}{due}]"
        visible_tail = len(tail) - (len(_GREEN) + len(_RESET) if colour and not a.blocked_by else 0)
        out.append(head + _fit(a.label, WIDTH - len(head) - visible_tail) + tail)
    if not plan.actions:
        out.append("  aucune")
    out.append("")

    upcoming = sorted((d for d in plan.deadlines if d.date is not None and d.status != "passed"),
                      key=lambda d: (d.date, d.id))[:MAX_DEADLINES]
    out.append(paint("Échéances les plus proches :", _BOLD))
    for d in upcoming:
        left = "aujourd'hui" if d.days_left == 0 else f"dans {plural(d.days_left or 0, 'jour')}"
        basis = "" if d.basis == "published" else "date estimée, "
        out.append(_fit(f"  - {deadline_when(d)} ({basis}{left}) : {d.label}"))
    if not upcoming:
        out.append("  aucune échéance à venir connue")
    out += ["", "Détail : -o plan.html (rapport complet) ; segur-plan explain PROFIL ID (exigence, action…)."]
    return "\n".join(out) + "\n"
