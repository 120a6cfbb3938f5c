"""The ``calc`` console script (and ``python -m calc``): ``calc.cli.main``, started and
ended as fast as the process allows (#17).

What is done here is for a process of our own that runs one command and ends, so it is
never done when calc is imported as a library (notebooks, tests, other programs call
``calc.cli.main`` or the library and get Python's ordinary behaviour):

- garbage collection is off: start-up builds hundreds of thousands of objects (modules,
  pint's registry, pydantic's validators) that live until the end, and the collector
  walked them again and again (~30 ms); the arrays of a run hold no reference cycles;
- pint does not import scipy (~100 ms where it is installed): it would only serve
  ``Quantity.to_preferred``, which calc never calls;
- at the end, once the output is flushed and the exit handlers have run, the process
  ends at once (``os._exit``) with main's exit code, instead of tearing down every
  module and object one by one (~60 ms).
"""

from __future__ import annotations

import atexit
import gc
import importlib.abc
import os
import sys


def main() -> None:
    """Run the command line and end the process with its exit code."""
    gc.disable()
    sys.meta_path.insert(0, _NoScipyForPint())
    try:
        from calc.cli import main as cli_main

        cli_main()
        code: int = 0
    except SystemExit as exc:
        code = _exit_code(exc)
    _end(code)


def _exit_code(exc: SystemExit) -> int:
    """The status ``sys.exit`` would give: None is 0, a number itself, a message 1
    (printed to stderr, as the interpreter does)."""
    if exc.code is None:
        return 0
    if isinstance(exc.code, int):
        return exc.code
    sys.stderr.write(f"{exc.code}\n")
    return 1


def _end(code: int) -> None:
    """Flush, run the exit handlers, and end the process with ``code``; where the
    output cannot be flushed, leave it to the interpreter's ordinary exit."""
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
    except (OSError, ValueError):
        sys.exit(code)
    atexit._run_exitfuncs()  # e.g. logging's flush: what an ordinary exit would do
    os._exit(code)


class _NoScipyForPint(importlib.abc.MetaPathFinder):
    """Refuses scipy to pint.compat while it is being imported (it then records scipy as
    missing, as where scipy is not installed), and steps aside once it has been."""

    def find_spec(self, fullname: str, path: object, target: object = None) -> None:
        compat = sys.modules.get("pint.compat")
        if compat is None:
            return None
        # Python marks a module's spec as initializing until its import ends (every pint
        # version names its scipy flag differently, so the flag cannot tell us)
        if not getattr(getattr(compat, "__spec__", None), "_initializing", False):
            sys.meta_path.remove(self)  # pint is imported: every later import is free
            return None
        if fullname == "scipy":
            raise ModuleNotFoundError("calc: scipy is not needed by pint here", name=fullname)
        return None
