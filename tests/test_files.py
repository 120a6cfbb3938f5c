"""Input and output files (#19): regular files only, bounded reads, atomic writes that
never replace a FIFO, device, socket, folder or symbolic link, nor name a temporary file."""

from __future__ import annotations

import os
import socket
import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from calc.cli import app
from calc.errors import Location, ScenarioFileError
from calc.io.files import read_limited, write_text_atomic

from .conftest import ROOT

runner = CliRunner()


def _fifo(folder: Path) -> Path:
    path = folder / "node.png"
    os.mkfifo(path)
    return path


def _socket(folder: Path) -> Path:
    path = folder / "node.png"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    server.close()  # the socket file stays
    return path


def _device(folder: Path) -> Path:
    """A character device like /dev/null, made in the test's folder (needs root)."""
    path = folder / "node.png"
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("making a device node needs root")
    return path


def _link_to_file(folder: Path) -> Path:
    (folder / "real.txt").write_text("keep me\n", encoding="utf-8")
    path = folder / "node.png"
    path.symlink_to(folder / "real.txt")
    return path


def _dangling_link(folder: Path) -> Path:
    path = folder / "node.png"
    path.symlink_to(folder / "nowhere.txt")
    return path


def _folder(folder: Path) -> Path:
    path = folder / "node.png"
    path.mkdir()
    return path


NODES: list[tuple[str, Callable[[Path], Path], str]] = [
    (
        "fifo",
        _fifo,
        "it is a FIFO (named pipe), not a regular file; calc writes only regular "
        "files: give the path of a file",
    ),
    ("socket", _socket, "it is a socket, not a regular file"),
    ("device", _device, "it is a character device, not a regular file"),
    ("link", _link_to_file, "it is a symbolic link (to "),
    ("dangling-link", _dangling_link, "it is a symbolic link (to "),
    ("folder", _folder, "it is a folder; give a file name such as"),
]

SCENARIO = str(ROOT / "scenarios" / "openai-30gw.yaml")
WRITERS = [
    ("schema", ["schema", "-o", "{out}"]),
    ("report", ["report", SCENARIO, "-o", "{out}"]),
    ("sweep-csv", ["sweep", SCENARIO, "--vary", "pue=1.1:1.5:3", "-y", "it_power", "-o", "{out}"]),
    (
        "sweep-plot",
        ["sweep", SCENARIO, "--vary", "pue=1.1:1.5:3", "-y", "it_power", "--plot", "{out}"],
    ),
    ("run-plot", ["run", SCENARIO, "-n", "200", "--plot", "{out}"]),
]


def _snapshot(path: Path) -> tuple[int, str]:
    status = os.lstat(path)
    target = os.readlink(path) if stat.S_ISLNK(status.st_mode) else ""
    return stat.S_IFMT(status.st_mode), target


@pytest.mark.parametrize(("make", "message"), [n[1:] for n in NODES], ids=[n[0] for n in NODES])
@pytest.mark.parametrize("command", [w[1] for w in WRITERS], ids=[w[0] for w in WRITERS])
def test_an_output_that_is_not_a_regular_file_is_refused_and_kept(tmp_path, make, message, command):
    node = make(tmp_path)
    before = _snapshot(node)
    args = [a.replace("{out}", str(node)) for a in command]
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"calc: cannot write {node}: {message}"), result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.output
    assert _snapshot(node) == before
    if (tmp_path / "real.txt").exists():
        assert (tmp_path / "real.txt").read_text(encoding="utf-8") == "keep me\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_new_and_scaffold_refuse_a_fifo_even_with_force(tmp_path):
    fifo = tmp_path / "x.yaml"
    os.mkfifo(fifo)
    new = runner.invoke(app, ["new", "x", "--dir", str(tmp_path), "--force"])
    assert (new.exit_code, new.stderr) == (
        2,
        f"calc: cannot write {fifo}: it is a FIFO (named "
        "pipe), not a regular file; calc writes only "
        "regular files: give the path of a file\n",
    )
    article = tmp_path / "a.txt"
    article.write_text("The site draws 30 MW of power.\n", encoding="utf-8")
    scaffolded = runner.invoke(app, ["extract", str(article), "--scaffold", str(fifo), "--force"])
    assert scaffolded.exit_code == 2 and "FIFO" in scaffolded.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "x.yaml"]


def test_a_regular_file_is_still_replaced_atomically_keeping_its_mode(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    write_text_atomic(target, "new")
    assert (target.read_text(encoding="utf-8"), stat.S_IMODE(target.stat().st_mode)) == (
        "new",
        0o640,
    )


def test_a_check_that_fails_names_the_target_not_the_temporary_file(tmp_path):
    target = tmp_path / "out.yaml"

    def check(path: Path) -> None:
        raise ScenarioFileError(f"looked inside {path} and {path.name}", location=Location(path, 3))

    with pytest.raises(ScenarioFileError) as caught:
        write_text_atomic(target, "x", check=check)
    assert str(caught.value) == f"{target}:3: looked inside {target} and out.yaml"
    assert list(tmp_path.iterdir()) == []


# --- reading ------------------------------------------------------------------


def _reg(folder: Path, size: int) -> Path:
    path = folder / "in.yaml"
    with path.open("wb") as stream:
        stream.truncate(size)  # sparse: no disk used, but stat says so
    return path


READS: list[tuple[str, Callable[[Path], Path], str]] = [
    (
        "fifo",
        lambda f: _fifo(f),
        "is a FIFO (named pipe), not a regular file; give the path of a file",
    ),
    ("socket", _socket, "is a socket, not a regular file"),
    ("folder", _folder, "is a folder, not a regular file"),
    ("dev-zero", lambda f: Path("/dev/zero"), "is a character device, not a regular file"),
    (
        "link-to-dev-zero",
        lambda f: (f / "z.yaml").symlink_to("/dev/zero") or f / "z.yaml",
        "is a character device, not a regular file",
    ),
    (
        "2-GB",
        lambda f: _reg(f, 2_000_000_000),
        "is 2,000,000,000 bytes; scenario files are at most 1,000,000 bytes",
    ),
    (
        "1-byte-over",
        lambda f: _reg(f, 1_000_001),
        "is 1,000,001 bytes; scenario files are at most 1,000,000 bytes",
    ),
    (
        "loop",
        lambda f: (f / "l.yaml").symlink_to(f / "l.yaml") or f / "l.yaml",
        "cannot be read (Too many levels of symbolic links)",
    ),
]


@pytest.mark.parametrize(("make", "message"), [r[1:] for r in READS], ids=[r[0] for r in READS])
def test_a_scenario_that_is_not_a_bounded_regular_file_is_refused_unread(tmp_path, make, message):
    path = make(tmp_path)
    with pytest.raises(ScenarioFileError) as caught:
        read_limited(path, 1_000_000, what="scenario files", error=ScenarioFileError)
    assert str(caught.value).startswith(f"{path}: {message}")


def test_a_file_that_grows_past_its_stat_is_cut_at_the_limit(tmp_path, monkeypatch):
    """Files whose size stat does not know (/proc) are read to limit + 1 bytes at most."""
    path = tmp_path / "grows.yaml"
    path.write_bytes(b"x" * 50)
    real_fstat = os.fstat

    class Small:
        def __init__(self, status: os.stat_result) -> None:
            self.st_mode, self.st_size = status.st_mode, 0

    monkeypatch.setattr(os, "fstat", lambda fd: Small(real_fstat(fd)))
    with pytest.raises(ScenarioFileError) as caught:
        read_limited(path, 10, what="test files", error=ScenarioFileError)
    assert str(caught.value) == f"{path}: is more than 10 bytes; test files are at most 10 bytes"
