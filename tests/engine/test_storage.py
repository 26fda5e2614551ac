"""The one writer: never over a device, a pipe, a socket or a folder; through symlinks; ``-`` is stdout."""

from __future__ import annotations

import io
import os
import socket
import stat
from pathlib import Path

import pytest
from segur_plan.engine.errors import OutputError
from segur_plan.engine.storage import writable_target, write_file


def snapshot(path: Path) -> tuple[int, int, int, int]:
    """What must not change about a special file: type and mode, inode, device number, size."""
    info = os.lstat(path)
    return info.st_mode, info.st_ino, info.st_rdev, info.st_size


@pytest.fixture
def char_device(tmp_path: Path) -> Path:
    """A character device with the numbers of /dev/null, made in tmp_path (root only): the real
    /dev/null is never written to by these tests."""
    if os.geteuid() != 0:
        pytest.skip("créer un périphérique (mknod) demande les droits root")
    path = tmp_path / "null"
    os.mknod(path, 0o600 | stat.S_IFCHR, os.makedev(1, 3))
    return path


def test_a_fifo_is_refused_and_left_as_it_was(tmp_path: Path) -> None:
    fifo = tmp_path / "tube"
    os.mkfifo(fifo)
    before = snapshot(fifo)
    with pytest.raises(OutputError, match="tube nommé .* rien n'a été écrit"):
        write_file(fifo, b"plan")
    assert snapshot(fifo) == before and stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tube"]  # no temporary file left behind


def test_a_character_device_is_refused_and_left_as_it_was(char_device: Path) -> None:
    before = snapshot(char_device)
    with pytest.raises(OutputError, match="périphérique"):
        write_file(char_device, b"plan")
    assert snapshot(char_device) == before and stat.S_ISCHR(os.lstat(char_device).st_mode)


def test_dev_null_is_recognised_without_being_written() -> None:
    before = snapshot(Path("/dev/null"))
    with pytest.raises(OutputError, match="périphérique"):
        writable_target("/dev/null")  # checks only: write_file is never called on the real device
    assert snapshot(Path("/dev/null")) == before


def test_a_directory_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "dossier"
    folder.mkdir()
    (folder / "dedans.txt").write_text("x", encoding="utf-8")
    with pytest.raises(OutputError, match="dossier"):
        write_file(folder, b"plan")
    assert folder.is_dir() and [p.name for p in folder.iterdir()] == ["dedans.txt"]


def test_a_socket_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s"
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))
        with pytest.raises(OutputError, match="socket"):
            write_file(path, b"plan")
        assert stat.S_ISSOCK(os.lstat(path).st_mode)


def test_a_symlink_is_written_through_and_stays_a_link(tmp_path: Path) -> None:
    real = tmp_path / "partage" / "plan.json"
    real.parent.mkdir()
    real.write_text("ancien", encoding="utf-8")
    real.chmod(0o640)
    link = tmp_path / "plan.json"
    link.symlink_to(real)
    write_file(link, b"nouveau")
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_bytes() == b"nouveau"
    assert stat.S_IMODE(real.stat().st_mode) == 0o640  # the file keeps its mode


def test_a_chain_of_links_and_a_dangling_link(tmp_path: Path) -> None:
    target = tmp_path / "cible.md"
    (tmp_path / "b").symlink_to(target)  # dangling: the file it names is created
    (tmp_path / "a").symlink_to(tmp_path / "b")
    write_file(tmp_path / "a", b"# Plan")
    assert target.read_bytes() == b"# Plan" and (tmp_path / "a").is_symlink() and (tmp_path / "b").is_symlink()


def test_a_link_to_a_fifo_is_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "tube"
    os.mkfifo(fifo)
    link = tmp_path / "lien"
    link.symlink_to(fifo)
    with pytest.raises(OutputError, match=r"lien vers .*tube nommé"):
        write_file(link, b"plan")
    assert link.is_symlink() and stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_regular_files_are_replaced_atomically_keeping_their_mode(tmp_path: Path) -> None:
    path = tmp_path / "plan.html"
    path.write_text("ancien", encoding="utf-8")
    path.chmod(0o600)
    inode = path.stat().st_ino
    write_file(path, b"<!DOCTYPE html>")
    assert path.read_bytes() == b"<!DOCTYPE html>"
    assert path.stat().st_ino != inode  # renamed over, never truncated in place
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.html"]


def test_new_files_and_their_folders_are_created(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "plan.ics"
    write_file(path, b"BEGIN:VCALENDAR\r\n")
    assert path.read_bytes() == b"BEGIN:VCALENDAR\r\n" and stat.S_IMODE(path.stat().st_mode) == 0o644


def test_a_parent_that_is_a_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "fichier").write_text("x", encoding="utf-8")
    with pytest.raises(OutputError, match="n'est pas un dossier"):
        write_file(tmp_path / "fichier" / "plan.json", b"{}")


def test_dash_is_standard_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    out = io.BytesIO()
    write_file("-", b"{}\n", stdout=out)
    assert out.getvalue() == b"{}\n" and not (tmp_path / "-").exists()
