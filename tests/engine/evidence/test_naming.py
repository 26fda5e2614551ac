"""The file-naming convention and content sniffing of ``proofs check`` (issue 5)."""

from __future__ import annotations

import doctest
import struct

import pytest
from segur_plan.engine.evidence import naming
from segur_plan.engine.evidence.formats import TEXT, accepted, canonical, format_of_extension, sniff
from segur_plan.engine.evidence.naming import extension, looks_like_id, proof_key, read_id, readings

KNOWN = {proof_key(i) for i in ("SSI/GEN.18.01.02", "SC.DMP/AIRS.03.01.01", "SC.SSI/GEN.02.BIS", "DB/VI_SO.04.01.01",
                                "SC.PSC.13")}
PARENTS = {proof_key(i) for i in ("SC.PSC.13", "SC.SSI/GEN.02.BIS")}


def known(key: str) -> bool:
    return key in KNOWN


def nested(key: str) -> bool:
    return any(key.startswith(p + ".") for p in PARENTS)


def test_docstring_examples_run() -> None:
    assert doctest.testmod(naming, report=False).failed == 0


@pytest.mark.parametrize(("name", "expected"), [
    ("SSI_GEN.18.01.02.pdf", "SSI_GEN.18.01.02"),
    ("SC.DMP_AIRS.03.01.01--capture.png", "SC.DMP_AIRS.03.01.01"),
    ("SSI_GEN.18.01.02__v2.pdf", "SSI_GEN.18.01.02"),
    ("ssi_gen.18.01.02.PDF", "ssi_gen.18.01.02"),  # case ignored
    ("DMP_AIRS.03.01.01.png", "DMP_AIRS.03.01.01"),  # prefix optional
    ("SC.SSI_GEN.02.BIS.pdf", "SC.SSI_GEN.02.BIS"),  # a lettered segment of the ID is kept
    ("SC.SSI_GEN.02.BIS", "SC.SSI_GEN.02.BIS"),
    ("DB_VI_SO.04.01.01.tar.gz", "DB_VI_SO.04.01.01"),  # underscores of the ID itself
    ("SC.PSC.13.02.01.mp4", "SC.PSC.13.02.01"),  # nested under a known exigence: kept
    ("sc.psc.13.02.01.mp4", "sc.psc.13.02.01"),
    ("FOO.99.01.01.pdf", "FOO.99.01.01"),  # looks like an ID: kept (reported unknown)
    ("SC.PSC.13.01.01.02", "SC.PSC.13.01.01.02"),  # a numeric segment is never an extension
    ("notes.txt", None), ("IMG_1234.png", None), ("rapport.2024.pdf", None), ("v1.2.pdf", None),
    ("notes--SC.PSC.13.txt", None), ("--x.pdf", None),
])
def test_read_id(name: str, expected: str | None) -> None:
    assert read_id(name, known, nested) == expected


def test_keys_ignore_prefix_case_and_slashes() -> None:
    assert proof_key("SC.DMP/AIRS.03.01.01") == proof_key("dmp_airs.03.01.01") == "dmp_airs.03.01.01"
    assert readings("A.01.pdf") == ["A.01.pdf", "A.01"]
    assert extension("x.01.MP4") == "mp4" and extension("SSI_GEN.18.01.02") == "" and extension("x") == ""
    assert looks_like_id("FOO.99.01") and not looks_like_id("foo.99.01") and not looks_like_id("FOO.BAR")


def _ftyp(major: bytes, *compatible: bytes) -> bytes:
    body = major + b"\x00\x00\x02\x00" + b"".join(compatible)
    return struct.pack(">I", 8 + len(body)) + b"ftyp" + body + b"\x00" * 64


@pytest.mark.parametrize(("head", "formats", "label"), [
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", {"PDF"}, "PDF"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 20, {"PNG"}, "PNG"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 20, {"JPEG"}, "JPEG"),
    (_ftyp(b"isom", b"isom", b"mp41"), {"MP4"}, "MP4"),
    (_ftyp(b"mp42", b"mp42"), {"MP4"}, "MP4"),  # ties with 3GP in puremagic: MP4 still detected
    (_ftyp(b"qt  ", b"qt  "), {"MOV"}, "MOV"),
    (b"RIFF\x00\x00\x00\x00AVI LIST" + b"\x00" * 20, {"AVI"}, "AVI"),
    (b"FLV\x01\x05\x00\x00\x00\x09" + b"\x00" * 20, {"FLV"}, "FLV"),
    (b"ceci n'est pas une image\n", set(), TEXT),
    ("journal accentué é".encode()[:-1], set(), TEXT),  # a character cut at the end of the buffer
    (b"GIF89a" + b"\x00" * 20, set(), "GIF"),
    (b"\x00\x01\x02\x03\x04", set(), None),
    (b"", set(), None),
])
def test_sniff(head: bytes, formats: set[str], label: str | None) -> None:
    detection = sniff(head)
    assert (set(detection.formats), detection.label) == (formats, label)


def test_accepted_formats() -> None:
    assert accepted(["*"]) is None and accepted([]) is None
    assert accepted(["PNG", "JPEG", "JPG", "MP4"]) == {"PNG", "JPEG", "MP4"}
    assert canonical("jpg") == canonical(".JPEG") == "JPEG"
    assert format_of_extension("JPG") == "JPEG" and format_of_extension("txt") is None
