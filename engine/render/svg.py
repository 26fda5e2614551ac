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

from markupsafe import Markup

from ..dates import add_months
from ..models.plan import DeadlineOut, Plan
from ..vocabulary import DEADLINE_BASIS, DEADLINE_STATUS
from .labels import plural

MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre")
MONTHS_SHORT = ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc.")
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
    days = [plan.today] + [d.date for d in dated if d.date] + [d.latest for d in dated if d.latest]
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


def render_timeline(plan: Plan) -> Markup:
    """The ``<svg>`` element (role="img", with ``<title>`` and ``<desc>``), from the template
    ``templates/timeline.svg.j2``; this function computes the geometry."""
    from .html import environment  # the one Jinja2 environment (autoescape on)

    dated = [d for d in plan.deadlines if d.date is not None]
    undated = len(plan.deadlines) - len(dated)
    height = TOP + max(len(dated), 1) * ROW + LEGEND + (20 if undated else 0)
    plot_left, plot_right = LABEL_WIDTH, WIDTH - RIGHT
    passed = sum(d.status == "passed" for d in dated)
    desc = (f"{plural(len(dated), 'échéance datée', 'échéances datées')} sur une frise chronologique, dont "
            f"{passed} {'dépassée' if passed < 2 else 'dépassées'} et {len(dated) - passed} à venir ; "
            f"aujourd'hui : {french_date(plan.today)}."
            + (f" {plural(undated, 'échéance')} sans date." if undated else "")
            + " Le détail figure dans le tableau qui suit.")
    if dated:
        start, end = _domain(plan, dated)
    else:
        start, end = add_months(dt.date(plan.today.year, plan.today.month, 1), -1), add_months(
            dt.date(plan.today.year, plan.today.month, 1), 2)
    span = (end - start).days

    def x(day: dt.date) -> float:
        return plot_left + (day - start).days * (plot_right - plot_left) / span

    bottom = TOP + max(len(dated), 1) * ROW
    months = (end.year - start.year) * 12 + end.month - start.month
    step = _tick_step(months)
    ticks = []
    for i in range(months + 1):
        tick = add_months(start, i)
        labelled = (tick.month - 1) % step == 0
        ticks.append({"x": _num(x(tick)), "major": labelled,
                      "month": MONTHS_SHORT[tick.month - 1] if labelled and i < months else None,
                      "year": tick.year if labelled and i < months and (tick.month == 1 or i == 0) else None})
    rows = []
    for row, d in enumerate(dated):
        assert d.date is not None
        y = TOP + row * ROW
        mid = y + ROW / 2
        status = "dépassée" if d.status == "passed" else DEADLINE_STATUS[d.status]
        title = f"{d.label} — {deadline_when(d)}"
        if d.latest:
            title += f", au plus tard le {french_date(d.latest)}"
        title += f" ({DEADLINE_BASIS[d.basis]}, {status})"
        lines = _wrap(d.label)
        first = mid - (len(lines) - 1) * 7 + 4
        xd = x(d.date)
        end_x = x(d.latest) if d.latest and d.latest > d.date else xd
        text = f"{deadline_when(d, short=True)} · {status}"
        rows.append({
            "d": d, "y": y, "stripe": row % 2 == 0, "title": title, "colour": COLOURS[d.status],
            "lines": [(_num(first + i * 14), line) for i, line in enumerate(lines)],
            "xd": _num(xd), "mid": _num(mid), "dash": d.basis != "published",
            "range": {"y": _num(mid - 5), "width": _num(end_x - xd)} if end_x != xd else None,
            "diamond": f"{_num(xd)},{_num(mid - 8)} {_num(xd + 8)},{_num(mid)} {_num(xd)},{_num(mid + 8)} "
                       f"{_num(xd - 8)},{_num(mid)}",
            "strike": (_num(xd - 9), _num(mid + 9), _num(xd + 9), _num(mid - 9)),
            "text": text, "text_y": _num(mid + 4),
            "text_x": _num(end_x + 12) if end_x + 12 + len(text) * 6.2 <= WIDTH - 4 else _num(xd - 12),
            "text_left": not end_x + 12 + len(text) * 6.2 <= WIDTH - 4,
        })
    ly = bottom + 40
    legend, lx = [], 8
    for kind, label in (("published", "date publiée"), ("estimated", "date estimée"),
                        ("range", "période (au plus tard)"), ("passed", "dépassée"), ("today", "aujourd'hui")):
        legend.append({"kind": kind, "label": label, "x": lx})
        lx += 36 + len(label) * 7 + 28
    return Markup(environment().get_template("timeline.svg.j2").render(
        width=WIDTH, height=height, desc=desc, top=TOP, bottom=bottom, ticks=ticks, rows=rows, row_height=ROW,
        dated=bool(dated), empty_y=TOP + ROW / 2 + 4, today=plan.today, today_x=_num(x(plan.today)),
        today_short=french_date(plan.today, short=True), today_long=french_date(plan.today),
        today_colour=TODAY_COLOUR, colours=COLOURS, ly=ly, legend=legend, undated=undated,
    ).rstrip("\n"))
