"""Writing output files atomically, so a failed run never leaves half a file.

The text goes to a temporary file in the target's folder, which then replaces the target
in one step (``os.replace``): a reader sees the old file or the new one, never a mix.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO

from .errors import OutputError


def write_atomic(path: str | Path, write: Callable[[IO[bytes]], None], *,
                 example: str = "out.txt") -> Path:
    """Call ``write`` on a temporary file beside ``path``, then move it into place.

    ``example`` is the file name suggested when ``path`` is a folder.
    """
    target = Path(path)
    folder = target.parent
    if not folder.is_dir():
        raise OutputError(f"cannot write {target}: the folder {folder} does not exist; "
                          "create it or choose another path")
    if target.is_dir():
        raise OutputError(f"cannot write {target}: it is a folder; give a file name such as "
                          f"{target / example}")
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.",
                                             suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as stream:
                write(stream)
            os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes it private (0600)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from None
    return target


def write_text_atomic(path: str | Path, text: str, *, example: str = "out.txt") -> Path:
    """Write UTF-8 text atomically."""
    return write_atomic(path, lambda stream: stream.write(text.encode("utf-8")),
                        example=example)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
