"""The HTML report of every example, opened by a real browser: headless Chromium (Debian's
``chromium`` package) takes a screenshot that must not be blank, prints the page to PDF, and
dumps the DOM it rendered, whose timeline marks and progress figures must match the plan.

Skipped, with the reason, when no Chromium binary is found (``apt-get install -y chromium``),
unless SEGUR_PLAN_REQUIRE_BROWSER=1, which turns the skip into a failure (for CI). Another binary
can be named with SEGUR_PLAN_CHROMIUM. The browser gets no network use of its own (flags below)
and the page loads nothing (see tests/engine/render/test_html.py).

The screenshot of one example is kept at the path printed by
``test_screenshot_of_one_example_is_kept`` (run pytest with ``-s`` to see it).
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import zlib
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest
from segur_plan.engine.api import Engine
from segur_plan.engine.loading import load_profile
from segur_plan.engine.models.plan import Plan
from segur_plan.engine.render.html import render_html
from support import EXAMPLES, ROOT, TODAY

pytestmark = pytest.mark.slow

KEPT = "hop-dpi-client-lourd"
TIMEOUT = 120
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--hide-scrollbars", "--mute-audio"]


def find_chromium() -> str | None:
    named = os.environ.get("SEGUR_PLAN_CHROMIUM")
    if named:
        return shutil.which(named) or (named if Path(named).is_file() else None)
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


CHROMIUM = find_chromium()
if CHROMIUM is None and os.environ.get("SEGUR_PLAN_REQUIRE_BROWSER") == "1":
    raise RuntimeError("SEGUR_PLAN_REQUIRE_BROWSER=1 mais aucun Chromium trouvé (apt-get install -y chromium)")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None,
    reason="Chromium introuvable (apt-get install -y chromium, ou SEGUR_PLAN_CHROMIUM=chemin) : "
           "tests du rapport HTML dans un navigateur ignorés")


def chromium(tmp: Path, *runs: list[str]) -> list[str]:
    """Run headless Chromium once per argument list, all at once, each with its own throw-away profile;
    return their standard outputs."""
    procs = []
    for i, args in enumerate(runs):
        profile = tmp / f"profile-{len(list(tmp.glob('profile-*')))}-{i}"
        profile.mkdir()
        procs.append(subprocess.Popen([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args], text=True,
                                      stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE))
    outputs = []
    try:
        for proc, args in zip(procs, runs, strict=True):
            out, err = proc.communicate(timeout=TIMEOUT)
            assert proc.returncode == 0, f"chromium {args} : code {proc.returncode}\n{err[-2000:]}"
            outputs.append(out)
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.communicate()
    return outputs


# --------------------------------------------------------------------------- PNG, stdlib only

def _paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def decode_png(data: bytes) -> tuple[int, int, list[bytes], int]:
    """(width, height, rows of pixel bytes, bytes per pixel) of an 8-bit RGB(A), non-interlaced PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "pas un PNG"
    pos, idat, header = 8, [], None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
    width, height, depth, colour_type, _, _, interlace = header
    assert depth == 8 and interlace == 0 and colour_type in (2, 6), header
    bpp = 3 if colour_type == 2 else 4
    raw, stride = zlib.decompress(b"".join(idat)), width * bpp
    prev, rows = bytearray(stride), []
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        if kind == 1:  # Sub
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 255
        elif kind == 2:  # Up
            line = bytearray(map(lambda a, b: (a + b) & 255, line, prev))
        elif kind == 3:  # Average
            for i in range(stride):
                line[i] = (line[i] + (((line[i - bpp] if i >= bpp else 0) + prev[i]) >> 1)) & 255
        elif kind == 4:  # Paeth
            for i in range(stride):
                left, up_left = (line[i - bpp], prev[i - bpp]) if i >= bpp else (0, 0)
                line[i] = (line[i] + _paeth(left, prev[i], up_left)) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, rows, bpp


def pixel_stats(png: bytes) -> tuple[int, int, float]:
    """(width × height, distinct colours, share of non-white pixels)."""
    width, height, rows, bpp = decode_png(png)
    colours: Counter[tuple[int, int, int]] = Counter()
    for row in rows:
        colours.update(zip(row[0::bpp], row[1::bpp], row[2::bpp], strict=True))
    white = colours.get((255, 255, 255), 0)
    return width * height, len(colours), 1 - white / (width * height)


def test_png_decoder_reads_what_zlib_wrote() -> None:
    """The decoder itself, on a tiny PNG built here with every filter type."""
    rows = [bytes([10, 20, 30, 200, 100, 50]), bytes([11, 22, 33, 44, 55, 66]), bytes([0, 0, 0, 255, 255, 255]),
            bytes([9, 8, 7, 6, 5, 4]), bytes([1, 2, 3, 250, 251, 252])]
    bpp, prev, raw = 3, bytes(6), b""
    for kind, row in enumerate(rows):  # filter each row with filter `kind` (0 … 4)
        out = bytearray()
        for i, value in enumerate(row):
            left = row[i - bpp] if i >= bpp else 0
            up_left = prev[i - bpp] if i >= bpp else 0
            predictor = [0, left, prev[i], (left + prev[i]) >> 1, _paeth(left, prev[i], up_left)][kind]
            out.append((value - predictor) & 255)
        raw += bytes([kind]) + bytes(out)
        prev = row

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 5, 8, 2, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
    assert decode_png(png) == (2, 5, rows, 3)
    assert pixel_stats(png) == (10, 10, 0.9)


# --------------------------------------------------------------------------- the DOM

class Marks(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.attrs: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.attrs.append(dict(attrs))


_PLANS: dict[str, Plan] = {}


def plan_of(engine: Engine, stem: str) -> Plan:
    if stem not in _PLANS:
        _PLANS[stem] = engine.plan(load_profile(ROOT / "examples" / f"{stem}.toml"), today=TODAY)
    return _PLANS[stem]


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("reports")


def write_report(engine: Engine, stem: str, folder: Path) -> Path:
    page = folder / f"{stem}.html"
    if not page.exists():
        page.write_text(render_html(plan_of(engine, stem)), encoding="utf-8")
    return page


@needs_chromium
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_report_renders_in_chromium(native_engine: Engine, reports: Path, tmp_path: Path, path: Path) -> None:
    plan = plan_of(native_engine, path.stem)
    page = write_report(native_engine, path.stem, reports)
    url = page.as_uri()

    png, pdf = tmp_path / "screenshot.png", tmp_path / "report.pdf"
    _, _, dom = chromium(tmp_path, [f"--screenshot={png}", "--window-size=1280,2000", url],
                         [f"--print-to-pdf={pdf}", "--no-pdf-header-footer", url], ["--dump-dom", url])

    # 1. A screenshot that is not blank.
    pixels, colours, ink = pixel_stats(png.read_bytes())
    assert pixels == 1280 * 2000
    assert colours > 50 and ink > 0.03, f"capture vide ? {colours} couleurs, {ink:.1%} de pixels non blancs"

    # 2. Printing to PDF works.
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 10_000 and b"/MediaBox" in data

    # 3. The DOM the browser built: one timeline mark per dated deadline, progress figures of the plan.
    assert dom.lstrip().lower().startswith(("<!doctype html>", "<html")) and '<html lang="fr">' in dom
    parser = Marks()
    parser.feed(dom)
    marks = [a for a in parser.attrs if "data-deadline-id" in a]
    assert [(m["data-deadline-id"], m["data-date"]) for m in marks] == [
        (d.id, d.date.isoformat()) for d in plan.deadlines if d.date is not None]
    assert [a["data-today"] for a in parser.attrs if "data-today" in a] == [plan.today.isoformat()]
    progress = plan.model_dump(mode="json")["progress"]
    shown = {a["data-progress-profil"]: {f: float(a[f"data-progress-{f.replace('_', '-')}"]) for f in p}
             for a in parser.attrs if "data-progress-profil" in a
             for p in [progress["by_profil"][a["data-progress-profil"]]]}
    assert shown == {k: {f: float(v) for f, v in p.items()} for k, p in progress["by_profil"].items()}
    (overall,) = [a for a in parser.attrs if "data-progress-overall" in a]
    assert {f: float(overall[f"data-progress-{f.replace('_', '-')}"]) for f in progress["overall"]} == {
        f: float(v) for f, v in progress["overall"].items()}
    steps = [(a["data-step"], int(a["data-step-done"]), int(a["data-step-total"]), float(a["data-step-percent"]))
             for a in parser.attrs if "data-step" in a]
    assert steps == [(s["step"], s["done"], s["total"], s["percent"]) for s in progress["by_step"]]


@needs_chromium
def test_screenshot_of_one_example_is_kept(native_engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> None:
    folder = tmp_path_factory.mktemp("screenshot")
    page = write_report(native_engine, KEPT, folder)
    png = folder / f"{KEPT}.png"
    chromium(folder, [f"--screenshot={png}", "--window-size=1280,2000", page.as_uri()])
    assert pixel_stats(png.read_bytes())[1] > 50
    print(f"\nCapture du rapport HTML ({KEPT}) : {png}")
