"""Calendar export: valid RFC 5545 (parsed by the icalendar library), one event per dated deadline,
stable UIDs, the plan's dates, Europe/Paris with its VTIMEZONE, reminders 30/7/1 days before."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from segur_plan.engine.api import Engine
from segur_plan.engine.loading import load_profile
from segur_plan.engine.models.plan import Plan
from segur_plan.engine.render.ics import deadline_uid, render_ics
from support import EXAMPLES, ROOT, TODAY

PARIS = ZoneInfo("Europe/Paris")

_PLANS: dict[str, Plan] = {}


def plan_of(engine: Engine, stem: str) -> Plan:
    if stem not in _PLANS:
        _PLANS[stem] = engine.plan(load_profile(ROOT / "examples" / f"{stem}.toml"), today=TODAY)
    return _PLANS[stem]


def events(text: str) -> list:
    return Calendar.from_ical(text).walk("VEVENT")


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_calendar_parses_with_one_event_per_dated_deadline(native_engine: Engine, path: Path) -> None:
    plan = plan_of(native_engine, path.stem)
    text = render_ics(plan)
    cal = Calendar.from_ical(text)
    cal.validate()
    assert str(cal["VERSION"]) == "2.0" and "segur-plan" in str(cal["PRODID"])
    dated = [d for d in plan.deadlines if d.date is not None]
    vevents = cal.walk("VEVENT")
    assert len(vevents) == len(dated)
    assert len({str(e["UID"]) for e in vevents}) == len(vevents)
    (tz,) = cal.walk("VTIMEZONE")
    assert str(tz["TZID"]) == "Europe/Paris"
    stamp = dt.datetime.combine(plan.today, dt.time(0), tzinfo=dt.UTC)
    for event, d in zip(vevents, dated, strict=True):
        assert str(event["UID"]) == deadline_uid(plan.packs[0].id, plan.solution.name, d.id)
        assert event.decoded("DTSTAMP") == stamp
        start = event.decoded("DTSTART")
        if d.at is not None:
            assert isinstance(start, dt.datetime) and start == d.at and start.date() == d.date
            assert event["DTSTART"].params["TZID"] == "Europe/Paris"
            assert "DTEND" not in event
        else:
            assert type(start) is dt.date and start == d.date
            assert event.decoded("DTEND") == d.date + dt.timedelta(days=1)
        summary, description = str(event["SUMMARY"]), str(event["DESCRIPTION"])
        assert d.label in summary
        assert ("date publiée" if d.basis == "published" else "date estimée") in summary
        assert f"Source : {d.source}" in description
        if d.latest:
            assert "Au plus tard" in description
        alarms = event.walk("VALARM")
        assert [a.decoded("TRIGGER") for a in alarms] == [dt.timedelta(days=-n) for n in (30, 7, 1)]
        assert all(str(a["ACTION"]) == "DISPLAY" and str(a["DESCRIPTION"]) for a in alarms)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_calendar_text_follows_rfc_5545(native_engine: Engine, path: Path) -> None:
    text = render_ics(plan_of(native_engine, path.stem))
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "") and "\r" not in text.replace("\r\n", "")
    lines = text.split("\r\n")[:-1]
    assert all(len(line.encode("utf-8")) <= 75 for line in lines), "ligne non repliée à 75 octets"
    assert text.count("BEGIN:VTIMEZONE") == 1
    assert text.index("BEGIN:VTIMEZONE") < text.find("BEGIN:VEVENT") or "BEGIN:VEVENT" not in text
    for trigger in ("TRIGGER:-P30D", "TRIGGER:-P7D", "TRIGGER:-P1D"):
        assert text.count(trigger) == text.count("BEGIN:VEVENT")


def test_published_hours_carry_the_paris_time_zone(native_engine: Engine) -> None:
    plan = plan_of(native_engine, "rad-drimbox-proxy")
    text = render_ics(plan)
    assert "DTSTART;TZID=Europe/Paris:20250910T120000\r\n" in text
    assert "DTSTART;TZID=Europe/Paris:20261110T120000\r\n" in text  # winter time: +01:00, still 12h in Paris
    assert "VALUE=DATE" not in text


def _vtimezone_offset(cal: Calendar, local: dt.datetime) -> dt.timedelta:
    """UTC offset at a Paris wall-clock time, read from the VTIMEZONE alone (not from zoneinfo)."""
    onsets = []
    for observance in cal.walk("VTIMEZONE")[0].subcomponents:
        starts = [observance.decoded("DTSTART")]
        rdates = observance.get("RDATE", [])
        for rdate in rdates if isinstance(rdates, list) else [rdates]:
            starts += [p.dt for p in rdate.dts]
        onsets += [(s, observance.decoded("TZOFFSETTO")) for s in starts]
    return max((o for o in onsets if o[0] <= local), key=lambda o: o[0])[1]


@pytest.mark.parametrize("stem", ["rad-drimbox-proxy", "hop-dpi-client-lourd"])
def test_vtimezone_gives_the_zoneinfo_offsets(native_engine: Engine, stem: str) -> None:
    plan = plan_of(native_engine, stem)
    cal = Calendar.from_ical(render_ics(plan))
    days = [d.date for d in plan.deadlines if d.date] + [plan.today]
    for day in days + [dt.date(day.year, m, 15) for day in days for m in (1, 4, 7, 10)]:
        local = dt.datetime.combine(day, dt.time(12))
        assert _vtimezone_offset(cal, local) == local.replace(tzinfo=PARIS).utcoffset(), local


def test_uids_are_stable_when_a_date_moves(native_engine: Engine) -> None:
    plan = plan_of(native_engine, "hop-dpi-client-lourd")
    first = render_ics(plan)
    assert first == render_ics(plan)  # same plan, same bytes
    moved = plan.model_copy(deep=True)
    k = next(i for i, d in enumerate(moved.deadlines) if d.basis == "estimated")  # a date without hour
    moved.deadlines[k].date = moved.deadlines[k].date + dt.timedelta(days=45)
    before, after = events(first), events(render_ics(moved))
    assert [str(e["UID"]) for e in before] == [str(e["UID"]) for e in after]
    assert after[k].decoded("DTSTART") == before[k].decoded("DTSTART") + dt.timedelta(days=45)


def test_uids_differ_per_pack_solution_and_deadline() -> None:
    uids = {deadline_uid(p, s, d) for p in ("HOP-DPI", "RAD-RIS") for s in ("A", "B") for d in ("x", "y")}
    assert len(uids) == 8
    assert deadline_uid("HOP-DPI", "A", "x") == deadline_uid("HOP-DPI", "A", "x")


def test_calendar_without_dates_is_still_valid(native_engine: Engine) -> None:
    plan = plan_of(native_engine, "mdv-lgc-centre-de-sante")  # no T0, no published calendar
    cal = Calendar.from_ical(render_ics(plan))
    cal.validate()  # a calendar needs one component: the VTIMEZONE is there
    assert cal.walk("VEVENT") == [] and len(cal.walk("VTIMEZONE")) == 1


def test_calendar_does_not_depend_on_the_clock(native_engine: Engine) -> None:
    plan = plan_of(native_engine, "hop-dpi-client-lourd")
    later = plan.model_copy(update={"today": dt.date(2025, 6, 1)})
    assert "DTSTAMP:20250301T000000Z" in render_ics(plan)
    assert "DTSTAMP:20250601T000000Z" in render_ics(later)


@pytest.mark.parametrize("stem", ["rad-drimbox-proxy", "hop-dpi-groupement"])
def test_calendar_from_the_plan_json_is_the_same(native_engine: Engine, stem: str) -> None:
    """A portal that only has the plan JSON (fixed UTC offsets) gets the same calendar."""
    plan = plan_of(native_engine, stem)
    assert render_ics(Plan.model_validate_json(plan.model_dump_json())) == render_ics(plan)
