"""Calendar of a plan's deadlines (iCalendar, RFC 5545), in French, for any calendar application.

- One VEVENT per deadline that has a date; deadlines whose date is unknown are left out.
- A deadline published with an hour (``at``) starts at that instant on the Paris wall clock:
  ``DTSTART;TZID=Europe/Paris:…``, with the VTIMEZONE of Europe/Paris generated from the IANA
  database by the icalendar library, covering every year of the calendar. Other deadlines are
  all-day events (``VALUE=DATE``, ``DTEND`` the next day): a date means "until the end of that day"
  (engine/dates.py). A range keeps its earliest date as the event and tells the latest in the
  description.
- Three reminders (VALARM, DISPLAY): 30, 7 and 1 day(s) before.
- UID: a UUID 5 of (pack id, solution name, deadline id) in a fixed namespace, so that importing
  the calendar again, after a date has moved, updates the events instead of duplicating them.
- Deterministic: the same plan gives the same bytes. DTSTAMP (required, UTC) is the plan's date
  (``plan.today``) at 00:00:00 UTC rather than the clock: it says on which day the plan was
  computed, and grows when a newer plan is imported.
- CRLF line endings and lines folded at 75 octets: the library writes them.
"""

from __future__ import annotations

import datetime as dt
import uuid
from functools import lru_cache

from icalendar import Alarm, Calendar, Event, Timezone

from ..dates import PARIS
from ..models.plan import DeadlineOut, Plan
from ..vocabulary import DEADLINE_BASIS
from .svg import deadline_when, french_date

TZID = "Europe/Paris"
# Namespace of the deadline UIDs: never change it, or every calendar re-imported gets duplicates.
UID_NAMESPACE = uuid.UUID("8b0c6d2e-5a1f-5c7e-9d43-2f6a1e0b7c58")
REMINDER_DAYS = (30, 7, 1)
PRODID = "-//segur-plan//Plan de conformité Ségur//FR"


def deadline_uid(pack_id: str, solution_name: str, deadline_id: str) -> str:
    """Stable UID of one deadline event: the same inputs give the same UID, whatever the date."""
    return str(uuid.uuid5(UID_NAMESPACE, "\n".join((pack_id, solution_name, deadline_id))))


@lru_cache(maxsize=32)
def _vtimezone(first_year: int, last_year: int) -> Timezone:
    return Timezone.from_tzid(TZID, first_date=dt.date(first_year, 1, 1), last_date=dt.date(last_year + 1, 1, 1))


def _description(plan: Plan, d: DeadlineOut) -> str:
    pack = plan.packs[0]
    lines = [f"Échéance du plan de conformité Ségur de « {plan.solution.name} » (pack {pack.id} {pack.version}).",
             f"Date : {deadline_when(d)} ({DEADLINE_BASIS[d.basis]}"
             + (" : calculée par segur-plan, à vérifier quand le calendrier officiel sera publié)."
                if d.basis == "estimated" else ").")]
    if d.latest:
        lines.append(f"Au plus tard : {french_date(d.latest)}.")
    if d.at is None:
        lines.append("Une date sans heure court jusqu'à la fin de la journée (heure de Paris).")
    lines += [f"Source : {d.source}", f"Plan calculé au {french_date(plan.today)}."]
    return "\n".join(lines)


def render_ics(plan: Plan) -> str:
    pack_id = plan.packs[0].id if plan.packs else "segur"
    dated = [d for d in plan.deadlines if d.date is not None]
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"Échéances Ségur — {plan.solution.name}")
    cal.add("x-wr-timezone", TZID)
    # The VTIMEZONE comes first (and keeps the calendar valid when no deadline has a date yet).
    years = [plan.today.year] + [d.date.year for d in dated if d.date] + [d.latest.year for d in dated if d.latest]
    cal.add_component(_vtimezone(min(years), max(years) + 1))
    stamp = dt.datetime.combine(plan.today, dt.time(0, 0), tzinfo=dt.UTC)
    for d in dated:
        event = Event()
        event.add("uid", deadline_uid(pack_id, plan.solution.name, d.id))
        event.add("dtstamp", stamp)
        if d.at is not None:
            event.add("dtstart", d.at.astimezone(PARIS))
        elif d.date is not None:  # always: ``dated`` holds the deadlines with a date
            event.add("dtstart", d.date)
            event.add("dtend", d.date + dt.timedelta(days=1))
        event.add("summary", f"Ségur {pack_id} : {d.label} ({DEADLINE_BASIS[d.basis]})")
        event.add("description", _description(plan, d))
        event.add("categories", ["Ségur"])
        event.add("status", "CONFIRMED" if d.basis == "published" else "TENTATIVE")
        event.add("transp", "TRANSPARENT")
        for days in REMINDER_DAYS:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", f"Dans {days} jour{'s' if days > 1 else ''} : {d.label} ({deadline_when(d)})")
            alarm.add("trigger", dt.timedelta(days=-days))
            event.add_component(alarm)
        cal.add_component(event)
    ical: bytes = cal.to_ical()
    return ical.decode("utf-8")
