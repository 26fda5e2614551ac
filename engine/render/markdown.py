"""Markdown report of a plan, readable in a merge request or a wiki (French)."""

from __future__ import annotations

from itertools import groupby

from ..models.plan import Plan

_LEVEL = {"blocking": "🔴 Bloquant", "warning": "🟠 Attention", "info": "ℹ️ Info"}
_STATUS = {"passed": "dépassée", "due-today": "aujourd'hui", "soon": "proche", "upcoming": "à venir",
           "unknown": "inconnue"}
_BASIS = {"published": "publiée", "estimated": "estimée", "unknown": "—"}
_REQ_STATUS = {"to-prove": "à prouver", "redeposit": "à redéposer", "acquired": "acquise", "inherited": "héritée",
               "not-applicable": "non applicable"}
_PACK_STATUS = {"draft": "brouillon", "published": "publié"}
_PRE = {"ok": "✅ rempli", "missing": "❌ manquant", "insufficient": "⚠️ insuffisant", "unknown": "❔ non renseigné"}


def _cell(text: object) -> str:
    return str(text if text is not None else "—").replace("|", "\\|").replace("\n", " ")


def _table(headers: list[str], rows: list[list[object]]) -> list[str]:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return lines + [""]


def render_markdown(plan: Plan) -> str:
    pack = plan.packs[0]
    s = plan.summary
    out = [
        f"# Plan de conformité Ségur — {plan.solution.name}",
        "",
        f"- Éditeur : {plan.solution.editor or '—'} ; version : {plan.solution.version or '—'}",
        f"- Pack : **{pack.id}** {pack.version} ({_PACK_STATUS.get(pack.status, pack.status)}, "
        f"version du {pack.released})"
        + (f" ; catalogue du REM {pack.rem.file} (SHA-256 {pack.rem.sha256[:12]}…)" if pack.rem else ""),
        f"- Parcours : {plan.parcours.why[0].message}",
        f"- Date de référence : {plan.today}",
        f"- {s.requirements} exigences applicables dont {s.to_prove} à prouver, {s.proofs} preuves listées, "
        f"{s.blocking} point(s) bloquant(s), {s.warnings} avertissement(s)",
        "",
        "## Points d'attention",
        "",
    ]
    out += [f"- {_LEVEL[f.level]} — {f.message}" for f in plan.findings] or ["Aucun."]
    out += ["", "## Prochaines actions", ""]
    out += _table(["#", "Étape", "Action", "Outil", "Échéance", "Bloquée par"],
                  [[a.order, a.step, a.label, a.system, a.due, ", ".join(a.blocked_by) or "prête"]
                   for a in plan.actions])
    if plan.solicitations:
        out += ["## Sollicitations de l'ANS", ""]
        out += _table(["Objet", "Reçue", "Réponse attendue avant", "État"],
                      [[s.subject, f"{s.received:%Y-%m-%d %H:%M}", f"{s.due:%Y-%m-%d %H:%M}", s.status]
                       for s in plan.solicitations])
    out += ["## Échéances", ""]
    out += _table(
        ["Jalon", "Date", "Au plus tard", "Base", "Statut", "Jours restants"],
        [[d.label, d.at.strftime("%Y-%m-%d %H:%M") if d.at else d.date, d.latest, _BASIS[d.basis],
          _STATUS[d.status], d.days_left] for d in plan.deadlines],
    )
    out += ["## Prérequis", ""]
    out += _table(["Prérequis", "État", "Bloquant", "Pourquoi"],
                  [[p.label, _PRE[p.status], "oui" if p.blocking else "non", p.why] for p in plan.prerequisites])
    out += ["## Profils actifs", ""]
    out += _table(["Profil", "Origine", "Pourquoi"],
                  [[p.label, p.origin, " ; ".join(w.message for w in p.why)] for p in plan.profils])
    shared = "Exigences communes au groupement (prouvées une fois)" if plan.solutions else "Exigences applicables"
    out += _requirements(shared, plan.requirements)
    for solution in plan.solutions:
        out += _requirements(f"Exigences propres à {solution.name}", solution.requirements)
    return "\n".join(out).rstrip() + "\n"


def _requirements(title: str, requirements: list) -> list[str]:
    out = [f"## {title}", ""]
    for section, reqs in groupby(sorted(requirements, key=lambda r: (r.section or "", r.id)),
                                 key=lambda r: r.section or "—"):
        out += [f"### {section}", ""]
        out += _table(
            ["Exigence", "Libellé", "Profil", "Statut", "Preuves", "Pourquoi"],
            [[r.id, r.label, r.profil, _REQ_STATUS[r.status], sum(len(sc.proofs) for sc in r.scenarios),
              " ; ".join(w.message for w in r.why)] for r in reqs],
        )
    return out
