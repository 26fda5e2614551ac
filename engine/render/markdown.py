"""Markdown report of a plan, readable in a merge request or a wiki (French)."""

from __future__ import annotations

from itertools import groupby

from ..models.plan import Plan

_LEVEL = {"blocking": "🔴 Bloquant", "warning": "🟠 Attention", "info": "ℹ️ Info"}
_STATUS = {"passed": "dépassée", "due-today": "aujourd'hui", "soon": "proche", "upcoming": "à venir",
           "unknown": "inconnue"}
_BASIS = {"published": "publiée", "estimated": "estimée", "unknown": "—"}
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
        f"- Pack : **{pack.id}** {pack.version} ({_PACK_STATUS.get(pack.status, pack.status)}, version du {pack.released})",
        f"- Parcours : {plan.parcours.why[0].message}",
        f"- Date de référence : {plan.today}",
        f"- {s.requirements} exigences applicables, {s.proofs} preuves listées, "
        f"{s.blocking} point(s) bloquant(s), {s.warnings} avertissement(s)",
        "",
        "## Points d'attention",
        "",
    ]
    out += [f"- {_LEVEL[f.level]} — {f.message}" for f in plan.findings] or ["Aucun."]
    out += ["", "## Prochaines actions", ""]
    out += _table(["#", "Étape", "Action", "Échéance"],
                  [[a.order, a.step, a.label, a.due] for a in plan.actions])
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
    out += ["## Exigences applicables", ""]
    for section, reqs in groupby(sorted(plan.requirements, key=lambda r: (r.section or "", r.id)),
                                 key=lambda r: r.section or "—"):
        out += [f"### {section}", ""]
        out += _table(
            ["Exigence", "Libellé", "Profil", "Nature", "Preuves", "Pourquoi"],
            [[r.id, r.label, r.profil, r.nature, sum(len(sc.proofs) for sc in r.scenarios),
              " ; ".join(w.message for w in r.why)] for r in reqs],
        )
    return "\n".join(out).rstrip() + "\n"
