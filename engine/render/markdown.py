"""Markdown report of a plan, readable in a merge request or a wiki (French).

Codes never reach the reader: statuses, origins and kinds are French labels (:mod:`.labels`),
counts come from :mod:`.counts` (the same figures as the HTML report and the terminal summary),
and every exigence's preuves are listed with their ID, kind, accepted formats and maximum size.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby

from ..models.plan import Plan, RequirementOut
from ..vocabulary import DEADLINE_BASIS_SHORT, DEADLINE_STATUS_SHORT, LEVEL_MARKDOWN, PREREQUISITE_MARKDOWN
from .counts import plan_counts
from .labels import (
    GENERAL_PROFIL,
    ORIGIN,
    PACK_STATUS,
    PARCOURS,
    PROOF_KIND,
    REQ_STATUS,
    SOLICITATION,
    TRIGGER,
    formats_text,
    plural,
    size_text,
)


def _cell(text: object) -> str:
    return str(text if text is not None else "—").replace("|", "\\|").replace("\n", " ")


def _table(headers: list[str], rows: Sequence[Sequence[object]]) -> list[str]:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return lines + [""]


def render_markdown(plan: Plan) -> str:
    pack = plan.packs[0]
    c = plan_counts(plan)
    labels = {p.id: (GENERAL_PROFIL if p.id == "general" else p.label) for p in plan.profils}
    p = plan.parcours
    out = [
        f"# Plan de conformité Ségur — {plan.solution.name}",
        "",
        f"- Éditeur : {plan.solution.editor or '—'} ; version : {plan.solution.version or '—'}",
        f"- Pack : **{pack.id}** {pack.version} ({PACK_STATUS.get(pack.status, pack.status)}, "
        f"version du {pack.released})"
        + (f" ; catalogue du REM {pack.rem.file} (SHA-256 {pack.rem.sha256[:12]}…)" if pack.rem else ""),
        f"- Parcours : {PARCOURS.get(p.kind, p.kind)}, {TRIGGER.get(p.trigger, p.trigger)} — {p.why[0].message}",
        f"- Date de référence : {plan.today}",
        f"- {plural(c.requirements, 'exigence applicable', 'exigences applicables')} dont {c.to_prove} à prouver, "
        f"{plural(c.blocking, 'point bloquant', 'points bloquants')}, "
        f"{plural(c.warnings, 'avertissement')}",
        f"- Preuves : {c.proofs_sentence()}",
        "",
        "## Points d'attention",
        "",
    ]
    out += [f"- {LEVEL_MARKDOWN[f.level]} — {f.message}" for f in plan.findings] or ["Aucun."]
    out += ["", "## Prochaines actions", ""]
    by_id = {a.id: a for a in plan.actions}
    out += _table(["#", "Étape", "Action", "Outil", "Échéance", "Bloquée par"],
                  [[a.order, a.step, a.label, a.system, a.due,
                    ", ".join(f"n° {by_id[b].order}" if b in by_id else b for b in a.blocked_by) or "prête"]
                   for a in plan.actions])
    if plan.solicitations:
        out += ["## Sollicitations de l'ANS", ""]
        out += _table(["Objet", "Reçue", "Réponse attendue avant", "État"],
                      [[s.subject, f"{s.received:%Y-%m-%d %H:%M}", f"{s.due:%Y-%m-%d %H:%M}", SOLICITATION[s.status]]
                       for s in plan.solicitations])
    out += ["## Échéances", ""]
    out += _table(
        ["Jalon", "Date", "Au plus tard", "Base", "Statut", "Jours restants"],
        [[d.label, d.at.strftime("%Y-%m-%d %H:%M") if d.at else d.date, d.latest, DEADLINE_BASIS_SHORT[d.basis],
          DEADLINE_STATUS_SHORT[d.status], d.days_left] for d in plan.deadlines],
    )
    out += ["## Prérequis", ""]
    out += _table(["Prérequis", "État", "Bloquant", "Pourquoi"],
                  [[x.label, PREREQUISITE_MARKDOWN[x.status], "oui" if x.blocking else "non", x.why]
                   for x in plan.prerequisites])
    out += ["## Profils actifs", ""]
    out += _table(["Profil", "Origine", "Pourquoi"],
                  [[labels[x.id], ORIGIN.get(x.origin, x.origin), " ; ".join(w.message for w in x.why)]
                   for x in plan.profils])
    shared = "Exigences communes au groupement (prouvées une fois)" if plan.solutions else "Exigences applicables"
    out += _requirements(shared, plan.requirements, labels)
    for solution in plan.solutions:
        out += _requirements(f"Exigences propres à {solution.name}", solution.requirements, labels)
    return "\n".join(out).rstrip() + "\n"


def _requirements(title: str, requirements: list[RequirementOut], labels: dict[str, str]) -> list[str]:
    out = [f"## {title}", ""]
    for section, grouped in groupby(sorted(requirements, key=lambda r: (r.section or "", r.id)),
                                    key=lambda r: r.section or "Sans chapitre"):
        reqs = list(grouped)
        out += [f"### {section}", ""]
        out += _table(
            ["Exigence", "Libellé", "Profil", "Statut", "Preuves", "Pourquoi"],
            [[r.id, r.label, labels.get(r.profil, GENERAL_PROFIL if r.profil == "general" else r.profil),
              REQ_STATUS[r.status], sum(len(sc.proofs) for sc in r.scenarios),
              " ; ".join(w.message for w in r.why)] for r in reqs],
        )
        rows = [[pr.id, r.id, pr.label, PROOF_KIND[pr.kind], formats_text(pr.formats), size_text(pr.max_bytes)]
                for r in reqs for sc in r.scenarios for pr in sc.proofs]
        if rows:
            out += [f"#### Preuves à produire — {section}", ""]
            out += _table(["Preuve", "Exigence", "Libellé", "Nature", "Formats acceptés", "Taille maximale"], rows)
    return out
