"""Writing output files atomically, so a failed run never leaves half a file.

The text goes to a temporary file in the target's folder, which then replaces the target
in one step (``os.replace``): a reader sees the old file or the new one, never a mix.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import IO

from .errors import OutputError


def write_atomic(path: str | Path, write: Callable[[IO[bytes]], None], *,
                 example: str = "out.txt", make_folder: bool = False,
                 check: Callable[[Path], object] | None = None) -> Path:
    """Call ``write`` on a temporary file beside ``path``, then move it into place.

    ``example`` is the file name suggested when ``path`` is a folder; ``make_folder``
    creates a missing folder; ``check`` may inspect the temporary file and raise, in which
    case ``path`` keeps its old content.
    """
    target = Path(path)
    folder = target.parent
    if make_folder:
        folder.mkdir(parents=True, exist_ok=True)
    if not folder.is_dir():
        raise OutputError(f"cannot write {target}: the folder {folder} does not exist; "
                          "create it or choose another path")
    if target.is_dir():
        raise OutputError(f"cannot write {target}: it is a folder; give a file name such as "
                          f"{target / example}")
    try:
        handle, temporary = _create_temporary(folder, target.name)
        try:
            with os.fdopen(handle, "wb") as stream:
                write(stream)
            if target.exists():  # keep the old file's mode; a new one has the umask's
                os.chmod(temporary, target.stat().st_mode & 0o777)
            if check is not None:
                check(Path(temporary))
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from None
    return target


def write_text_atomic(path: str | Path, text: str, *, example: str = "out.txt",
                      make_folder: bool = False,
                      check: Callable[[Path], object] | None = None) -> Path:
    """Write UTF-8 text atomically (see write_atomic)."""
    return write_atomic(path, lambda stream: stream.write(text.encode("utf-8")),
                        example=example, make_folder=make_folder, check=check)


def _create_temporary(folder: Path, name: str) -> tuple[int, str]:
    """A new file beside the target, created with mode 0666 so that the kernel applies
    the umask, as to any new file: reading the umask would mean setting it, and the
    umask is the whole process's (a notebook may be writing from another thread)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        path = folder / f".{name}.{secrets.token_hex(6)}.tmp"
        try:
            return os.open(path, flags, 0o666), str(path)
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name in {folder}")
