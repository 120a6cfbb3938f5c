"""Regenerate the golden files in tests/golden/ from the seed scenario.

Run from the repository's top folder after a deliberate change of output:

    .venv/bin/python -m tests.update_golden

then read the diff (``git diff tests/golden``) before committing it. The tests in
``test_explain.py`` and ``test_report.py`` compare the command line's output with
these files byte for byte.
"""

from __future__ import annotations

from pathlib import Path

GOLDEN = Path(__file__).resolve().parent / "golden"

#: file name -> the ``calc`` arguments whose standard output it holds
CASES: dict[str, list[str]] = {
    "explain-rack_count.txt": ["explain", "rack_count"],
    "explain-share_of_us_electricity.txt": ["explain", "share_of_us_electricity"],
    "report.md": ["report"],
}


def output_of(arguments: list[str]) -> str:
    """What ``calc ARGUMENTS`` prints on the seed scenario, run in-process."""
    from typer.testing import CliRunner

    from calc.cli import app

    result = CliRunner().invoke(app, arguments)
    if result.exit_code != 0:
        raise SystemExit(f"calc {' '.join(arguments)} exited {result.exit_code}: {result.stderr}")
    return result.stdout


def main() -> None:
    for name, arguments in CASES.items():
        path = GOLDEN / name
        text = output_of(arguments)
        old = path.read_text(encoding="utf-8") if path.exists() else None
        path.write_text(text, encoding="utf-8", newline="\n")
        print(f"{'unchanged' if old == text else 'wrote'} {path.relative_to(GOLDEN.parent.parent)}")


if __name__ == "__main__":
    main()
