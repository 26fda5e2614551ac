"""Timeline of a plan's deadlines as inline SVG (used by the HTML report).

One row per deadline that has a date: a mark at its date (a filled diamond when the date is
published, a hollow dashed circle when it is estimated), a bar up to ``latest`` when the
deadline is a range, and the date written next to the mark with its status. Passed deadlines
are grey and their row says « dépassée »; a red vertical line marks « aujourd'hui »
(``plan.today``). Deadlines without a date are counted under the chart (and listed in the
table of the report).

Machine hooks for tests: every mark is a ``<g data-deadline-id=… data-date=… data-basis=…
data-status=…>``; the today marker is ``<g data-today=…>``. Output is deterministic: fixed
geometry, coordinates with one decimal, plan order.
"""

from __future__ import annotations

import datetime as dt
from html import escape

from ..dates import add_months
from ..models.plan import DeadlineOut, Plan

MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre")
MONTHS_SHORT = ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc.")
STATUS_LABEL = {"passed": "dépassée", "due-today": "aujourd'hui", "soon": "proche", "upcoming": "à venir",
                "unknown": "date inconnue"}
BASIS_LABEL = {"published": "date publiée", "estimated": "date estimée", "unknown": "date inconnue"}
# Colours of the marks, all at least 4.5:1 against white.
COLOURS = {"passed": "#5b6472", "due-today": "#b3261e", "soon": "#a14a00", "upcoming": "#1a4fa0",
           "unknown": "#5b6472"}
TODAY_COLOUR = "#b3261e"

WIDTH = 960
LABEL_WIDTH = 330
RIGHT = 24
TOP = 48
ROW = 36
LEGEND = 64
LABEL_CHARS = 48


def french_date(day: dt.date, short: bool = False) -> str:
    """« 1er mars 2025 », « 28 février 2025 » ; short: « 28 févr. 2025 »."""
    months = MONTHS_SHORT if short else MONTHS
    first = "1er" if day.day == 1 else str(day.day)
    return f"{first} {months[day.month - 1]} {day.year}"


def deadline_when(d: DeadlineOut, short: bool = False) -> str:
    """The deadline's date in French, with the published hour when there is one."""
    if d.date is None:
        return "date inconnue"
    text = french_date(d.date, short)
    if d.at is not None:
        text += f" à {d.at:%H}h{d.at:%M}"
    return text


def _num(value: float) -> str:
    return f"{value:.1f}"


def _wrap(text: str, width: int = LABEL_CHARS, lines: int = 2) -> list[str]:
    words, out, current = text.split(), [], ""
    for word in words:
        candidate = f"{current} {word}".strip()
        if len(candidate) <= width or not current:
            current = candidate
        else:
            out.append(current)
            current = word
    out.append(current)
    if len(out) > lines:
        out = out[:lines]
        out[-1] = out[-1][: width - 1].rstrip() + "…"
    return [line if len(line) <= width else line[: width - 1] + "…" for line in out]


def _domain(plan: Plan, dated: list[DeadlineOut]) -> tuple[dt.date, dt.date]:
    days = [plan.today] + [d.date for d in dated] + [d.latest for d in dated if d.latest]
    low, high = min(days), max(days)
    start = dt.date(low.year, low.month, 1)
    if (low - start).days < 10:  # leave room for the first mark
        start = add_months(start, -1)
    end = add_months(dt.date(high.year, high.month, 1), 1)
    if (end - high).days < 20:  # and for the date written after the last one
        end = add_months(end, 1)
    return start, end


def _tick_step(months: int) -> int:
    for limit, step in ((15, 1), (36, 3), (72, 6)):
        if months <= limit:
            return step
    return 12


def render_timeline(plan: Plan) -> str:
    """The ``<svg>`` element (role="img", with ``<title>`` and ``<desc>``)."""
    dated = [d for d in plan.deadlines if d.date is not None]
    undated = len(plan.deadlines) - len(dated)
    height = TOP + max(len(dated), 1) * ROW + LEGEND + (20 if undated else 0)
    plot_left, plot_right = LABEL_WIDTH, WIDTH - RIGHT
    passed = sum(d.status == "passed" for d in dated)
    desc = (f"{len(dated)} échéance(s) datée(s) sur une frise chronologique, dont {passed} dépassée(s) et "
            f"{len(dated) - passed} à venir ; aujourd'hui : {french_date(plan.today)}."
            + (f" {undated} échéance(s) sans date." if undated else "")
            + " Le détail figure dans le tableau qui suit.")
    out = [
        f'<svg class="timeline" role="img" aria-labelledby="tl-title tl-desc" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" xmlns="http://www.w3.org/2000/svg">',
        '<title id="tl-title">Frise des échéances</title>',
        f'<desc id="tl-desc">{escape(desc)}</desc>',
    ]
    if dated:
        start, end = _domain(plan, dated)
    else:
        start, end = add_months(dt.date(plan.today.year, plan.today.month, 1), -1), add_months(
            dt.date(plan.today.year, plan.today.month, 1), 2)
    span = (end - start).days

    def x(day: dt.date) -> float:
        return plot_left + (day - start).days * (plot_right - plot_left) / span

    bottom = TOP + max(len(dated), 1) * ROW
    # Axis: month ticks (labelled every `step` months), years on a second line.
    months = (end.year - start.year) * 12 + end.month - start.month
    step = _tick_step(months)
    out.append('<g class="tl-axis" aria-hidden="true">')
    for i in range(months + 1):
        tick = add_months(start, i)
        xt = _num(x(tick))
        labelled = (tick.month - 1) % step == 0
        out.append(f'<line x1="{xt}" y1="{TOP - 6}" x2="{xt}" y2="{bottom}" class="tl-grid'
                   f'{" tl-grid-major" if labelled else ""}"/>')
        if labelled and i < months:
            out.append(f'<text x="{xt}" y="{TOP - 24}" class="tl-tick">{MONTHS_SHORT[tick.month - 1]}</text>')
            if tick.month == 1 or i == 0:
                out.append(f'<text x="{xt}" y="{TOP - 10}" class="tl-year">{tick.year}</text>')
    out.append("</g>")
    # Rows.
    for row, d in enumerate(dated):
        y = TOP + row * ROW
        mid = y + ROW / 2
        colour = COLOURS[d.status]
        status = "dépassée" if d.status == "passed" else STATUS_LABEL[d.status]
        title = f"{d.label} — {deadline_when(d)}"
        if d.latest:
            title += f", au plus tard le {french_date(d.latest)}"
        title += f" ({BASIS_LABEL[d.basis]}, {status})"
        attrs = (f'data-deadline-id="{escape(d.id)}" data-date="{d.date.isoformat()}" '
                 f'data-basis="{d.basis}" data-status="{d.status}"'
                 + (f' data-latest="{d.latest.isoformat()}"' if d.latest else "")
                 + (f' data-at="{d.at.isoformat()}"' if d.at else ""))
        out.append(f'<g class="tl-row tl-{d.status} tl-{d.basis}" {attrs}>')
        out.append(f"<title>{escape(title)}</title>")
        if row % 2 == 0:
            out.append(f'<rect x="0" y="{y}" width="{WIDTH}" height="{ROW}" class="tl-stripe"/>')
        lines = _wrap(d.label)
        first = mid - (len(lines) - 1) * 7 + 4
        for i, line in enumerate(lines):
            out.append(f'<text x="8" y="{_num(first + i * 14)}" class="tl-label">{escape(line)}</text>')
        xd = x(d.date)
        end_x = xd
        dash = ' stroke-dasharray="4 3"' if d.basis != "published" else ""
        if d.latest and d.latest > d.date:
            end_x = x(d.latest)
            out.append(f'<rect x="{_num(xd)}" y="{_num(mid - 5)}" width="{_num(end_x - xd)}" height="10" rx="5" '
                       f'fill="{colour}" fill-opacity="0.25" stroke="{colour}" stroke-width="1.5"{dash} '
                       f'class="tl-range"/>')
        if d.basis == "published":
            out.append(f'<polygon points="{_num(xd)},{_num(mid - 8)} {_num(xd + 8)},{_num(mid)} '
                       f'{_num(xd)},{_num(mid + 8)} {_num(xd - 8)},{_num(mid)}" fill="{colour}" '
                       f'stroke="{colour}" stroke-width="1.5" class="tl-mark"/>')
        else:
            out.append(f'<circle cx="{_num(xd)}" cy="{_num(mid)}" r="6.5" fill="#ffffff" stroke="{colour}" '
                       f'stroke-width="2.5" stroke-dasharray="3 2" class="tl-mark"/>')
        if d.status == "passed":  # struck through: passed is not told by colour only
            out.append(f'<line x1="{_num(xd - 9)}" y1="{_num(mid + 9)}" x2="{_num(xd + 9)}" y2="{_num(mid - 9)}" '
                       f'stroke="{colour}" stroke-width="2"/>')
        text = f"{deadline_when(d, short=True)} · {status}"
        if end_x + 12 + len(text) * 6.2 <= WIDTH - 4:
            out.append(f'<text x="{_num(end_x + 12)}" y="{_num(mid + 4)}" class="tl-date" fill="{colour}">'
                       f"{escape(text)}</text>")
        else:
            out.append(f'<text x="{_num(xd - 12)}" y="{_num(mid + 4)}" class="tl-date tl-date-left" '
                       f'fill="{colour}">{escape(text)}</text>')
        out.append("</g>")
    if not dated:
        out.append(f'<text x="8" y="{TOP + ROW / 2 + 4}" class="tl-label">Aucune échéance datée'
                   " : le calendrier sera calculé quand le T0 sera connu.</text>")
    # Today.
    xt = _num(x(plan.today))
    out.append(f'<g class="tl-today" data-today="{plan.today.isoformat()}">')
    out.append(f"<title>Aujourd'hui : {french_date(plan.today)}</title>")
    out.append(f'<line x1="{xt}" y1="{TOP - 4}" x2="{xt}" y2="{bottom}" stroke="{TODAY_COLOUR}" '
               'stroke-width="2"/>')
    out.append(f'<text x="{xt}" y="{bottom + 14}" class="tl-today-label" fill="{TODAY_COLOUR}">'
               f"aujourd'hui ({french_date(plan.today, short=True)})</text>")
    out.append("</g>")
    # Legend.
    ly = bottom + 40
    out.append('<g class="tl-legend" aria-hidden="true">')
    items = [
        (f'<polygon points="8,{ly - 8} 16,{ly} 8,{ly + 8} 0,{ly}" fill="{COLOURS["upcoming"]}"/>', "date publiée"),
        (f'<circle cx="8" cy="{ly}" r="6.5" fill="#ffffff" stroke="{COLOURS["upcoming"]}" stroke-width="2.5" '
         'stroke-dasharray="3 2"/>', "date estimée"),
        (f'<rect x="0" y="{ly - 5}" width="28" height="10" rx="5" fill="{COLOURS["upcoming"]}" fill-opacity="0.25" '
         f'stroke="{COLOURS["upcoming"]}" stroke-width="1.5"/>', "période (au plus tard)"),
        (f'<circle cx="8" cy="{ly}" r="6.5" fill="#ffffff" stroke="{COLOURS["passed"]}" stroke-width="2.5"/>'
         f'<line x1="-1" y1="{ly + 9}" x2="17" y2="{ly - 9}" stroke="{COLOURS["passed"]}" stroke-width="2"/>',
         "dépassée"),
        (f'<line x1="8" y1="{ly - 10}" x2="8" y2="{ly + 10}" stroke="{TODAY_COLOUR}" stroke-width="2"/>',
         "aujourd'hui"),
    ]
    lx = 8
    for shape, label in items:
        out.append(f'<g transform="translate({lx},0)">{shape}<text x="36" y="{ly + 4}" class="tl-legend-text">'
                   f"{escape(label)}</text></g>")
        lx += 36 + len(label) * 7 + 28
    if undated:
        out.append(f'<text x="8" y="{ly + 30}" class="tl-legend-text">{undated} échéance(s) sans date, '
                   "non placée(s) sur la frise (voir la liste).</text>")
    out.append("</g>")
    out.append("</svg>")
    return "\n".join(out)
