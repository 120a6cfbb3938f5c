"""Rerun every command the README shows and write its real output back into the README.

Each ```console block of README.md holds commands (lines starting with ``$ calc``),
each followed by its output. Run from the repository's top folder after a deliberate
change of output:

    .venv/bin/python -m tests.update_readme

then read ``git diff README.md`` before committing it. ``tests/test_readme.py`` fails
while any shown output differs from what the command prints.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"

#: A console block: its opening fence, then its text up to the closing fence.
CONSOLE_BLOCK = re.compile(r"^(```console\n)(.*?)(^```$)", flags=re.S | re.M)


def examples(block: str) -> list[tuple[str, str]]:
    """(command, shown output) for each ``$ `` line of a console block."""
    found = []
    for chunk in re.split(r"^(?=\$ )", block, flags=re.M):
        if chunk.strip():
            command, _, output = chunk.partition("\n")
            found.append((command.removeprefix("$ "), output))
    return found


def rewritten(readme: str, output_of: Callable[[str], str]) -> str:
    """The README with each console command's output replaced by ``output_of(command)``."""

    def block(match: re.Match[str]) -> str:
        body = "".join(f"$ {command}\n{output_of(command)}" for command, _ in examples(match[2]))
        return match[1] + body + match[3]

    return CONSOLE_BLOCK.sub(block, readme)


def run_command(command: str) -> tuple[str, int]:
    """What ``calc ...`` prints (stdout and stderr, as a terminal shows them) and its exit
    code, run in-process in the current folder."""
    from typer.testing import CliRunner

    from calc.cli import app

    program, *arguments = shlex.split(command)
    if program != "calc":
        raise SystemExit(f"README console command {command!r} does not start with calc")
    result = CliRunner().invoke(app, arguments)
    return result.output, result.exit_code


@contextmanager
def in_copy_of_top_folder() -> Iterator[Path]:
    """A temporary folder holding copies of scenarios/ and seeds/, as the current folder:
    relative paths in the README work, and ``-o`` writes nowhere that matters."""
    before = Path.cwd()
    with tempfile.TemporaryDirectory() as folder:
        for name in ("scenarios", "seeds"):
            shutil.copytree(ROOT / name, Path(folder) / name)
        os.chdir(folder)
        try:
            yield Path(folder)
        finally:
            os.chdir(before)


def main() -> None:
    text = README.read_text(encoding="utf-8")
    with in_copy_of_top_folder():
        new = rewritten(text, lambda command: run_command(command)[0])
    if new == text:
        print("README.md is up to date")
    else:
        README.write_text(new, encoding="utf-8")
        print("rewrote README.md; read git diff README.md")


if __name__ == "__main__":
    main()
