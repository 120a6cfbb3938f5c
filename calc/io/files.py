"""Reading input files with a bound, and writing output files atomically.

calc reads and writes regular files only. A FIFO, a device (/dev/zero, /dev/null), a
socket or a folder is refused before it is opened for its content, so a read can neither
hang nor grow without end, and a write never replaces something that is not a file.

Reads stop at a size limit (checked with ``stat`` first, then at most ``limit + 1`` bytes
are read, for files that grow). Writes go to a temporary file in the target's folder,
which then replaces the target in one step (``os.replace``): a reader sees the old file or
the new one, never a mix. The temporary file is removed on failure and never named in a
message.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import IO

from calc.errors import CalcError, Location, OutputError

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISLNK, "a symbolic link"),
)


def kind_of(mode: int) -> str:
    """'a FIFO (named pipe)', 'a character device', ... for a file mode from stat."""
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def shown_name(path: str | Path) -> str:
    """A path as text that can be written to a UTF-8 file: bytes of a file name that are
    not UTF-8 (kept by Python as surrogates) become U+FFFD.

    >>> shown_name(Path(b"caf\\xe9.txt".decode("utf-8", "surrogateescape")))
    'caf\ufffd.txt'
    """
    return str(path).encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def is_utf8_name(path: str | Path) -> bool:
    return shown_name(path) == str(path)


# --- reading ------------------------------------------------------------------


def read_limited(
    path: str | Path,
    limit: int,
    *,
    what: str,
    error: type[CalcError],
    missing: str = "no such file; check the path",
) -> bytes:
    """The bytes of the regular file ``path``, refused (as ``error``) when it is not a
    regular file or holds more than ``limit`` bytes; ``what`` names such files in the
    message ('scenario files'). The size is checked before anything is read."""
    path = Path(path)
    where = Location(path)
    try:
        mode = os.stat(path).st_mode
        if not stat.S_ISREG(mode):
            raise error(
                f"is {kind_of(mode)}, not a regular file; give the path of a file", location=where
            )
        # O_NONBLOCK: if a FIFO was swapped in since the stat, opening it does not hang
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(handle, "rb") as stream:
            status = os.fstat(stream.fileno())
            if not stat.S_ISREG(status.st_mode):
                raise error(
                    f"is {kind_of(status.st_mode)}, not a regular file; give the path of a file",
                    location=where,
                )
            _check_size(status.st_size, limit, what, where, error)
            raw = stream.read(limit + 1)
    except FileNotFoundError:
        raise error(missing, location=where) from None
    except OSError as exc:
        raise error(f"cannot be read ({exc.strerror or exc})", location=where) from None
    if len(raw) > limit:
        raise error(
            f"is more than {limit:,} bytes; {what} are at most {limit:,} bytes", location=where
        )
    return raw


def _check_size(size: int, limit: int, what: str, where: Location, error: type[CalcError]) -> None:
    if size > limit:
        raise error(f"is {size:,} bytes; {what} are at most {limit:,} bytes", location=where)


# --- writing ------------------------------------------------------------------


def write_atomic(
    path: str | Path,
    write: Callable[[IO[bytes]], None],
    *,
    example: str = "out.txt",
    make_folder: bool = False,
    check: Callable[[Path], object] | None = None,
) -> Path:
    """Call ``write`` on a temporary file beside ``path``, then move it into place.

    ``example`` is the file name suggested when ``path`` is a folder; ``make_folder``
    creates a missing folder; ``check`` may inspect the temporary file and raise, in which
    case ``path`` keeps its old content. Only a regular file is replaced: a FIFO, device,
    socket, folder or symbolic link at ``path`` is refused with OutputError.
    """
    target = Path(path)
    folder = target.parent
    if make_folder:
        _make_folder(target, folder)
    if not folder.is_dir():
        raise OutputError(
            f"cannot write {target}: the folder {folder} does not exist; "
            "create it or choose another path"
        )
    check_writable_target(target, example=example)
    try:
        handle, temporary = _create_temporary(folder, target.name)
        try:
            with os.fdopen(handle, "wb") as stream:
                write(stream)
            if target.exists():  # keep the old file's mode; a new one has the umask's
                os.chmod(temporary, target.stat().st_mode & 0o777)
            if check is not None:
                _checked(check, Path(temporary), target)
            check_writable_target(target, example=example)  # it may have changed meanwhile
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as exc:
        if isinstance(exc, OutputError):
            raise
        raise OutputError(f"cannot write {target}: {exc.strerror or type(exc).__name__}") from None
    return target


def write_text_atomic(
    path: str | Path,
    text: str,
    *,
    example: str = "out.txt",
    make_folder: bool = False,
    check: Callable[[Path], object] | None = None,
) -> Path:
    """Write UTF-8 text atomically (see write_atomic)."""
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:  # a file name that is not UTF-8, carried into the text
        raise OutputError(
            f"cannot write {shown_name(path)}: the text holds a file name that "
            "is not UTF-8, which a UTF-8 file cannot hold; rename the file "
            "(e.g. with convmv) and run again"
        ) from None
    return write_atomic(
        path,
        lambda stream: stream.write(data),
        example=example,
        make_folder=make_folder,
        check=check,
    )


def check_writable_target(target: Path, *, example: str = "out.txt") -> None:
    """Refuse a target that exists and is not a regular file (a symbolic link included:
    replacing it would cut the link, and writing through it would write elsewhere)."""
    try:
        mode = os.lstat(target).st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise OutputError(f"cannot write {target}: {exc.strerror}") from None
    if stat.S_ISREG(mode):
        return
    if stat.S_ISDIR(mode):
        raise OutputError(
            f"cannot write {target}: it is a folder; give a file name such as {target / example}"
        )
    if stat.S_ISLNK(mode):
        raise OutputError(
            f"cannot write {target}: it is a symbolic link (to "
            f"{os.readlink(target)}); calc replaces only regular files: write to "
            "the file itself or remove the link"
        )
    raise OutputError(
        f"cannot write {target}: it is {kind_of(mode)}, not a regular file; "
        "calc writes only regular files: give the path of a file"
    )


def _make_folder(target: Path, folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(
            f"cannot write {target}: the folder {folder} cannot be made ({exc.strerror})"
        ) from None


def _checked(check: Callable[[Path], object], temporary: Path, target: Path) -> None:
    """Run ``check`` on the temporary file; an error it raises names ``target`` instead,
    since the temporary file is gone by the time anyone reads the message."""
    try:
        check(temporary)
    except CalcError as exc:
        raise renamed(exc, temporary, target) from None


def renamed(exc: CalcError, old: Path, new: Path) -> CalcError:
    """``exc`` with every mention of the file ``old`` replaced by ``new``."""

    def swap(text: str) -> str:
        for variant in (str(old.resolve()), str(old), old.name):
            text = text.replace(variant, str(new) if variant != old.name else new.name)
        return text

    location = exc.location
    file = location.file
    if file is not None and Path(file).name == old.name:
        file = new
    clone = exc.at(Location())
    clone.message = swap(exc.message)
    clone.args = (clone.message,)
    clone.location = replace(location, file=file)
    return clone


@contextlib.contextmanager
def locked(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``folder`` (waiting for it), so that two processes that
    read, edit and replace a file in it (a catalogue) take turns and neither edit is lost.

    POSIX locks the folder itself, leaving no file behind; where there is no ``fcntl``
    (Windows), a lock file in the folder is locked instead.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        with _locked_file(folder / ".calc.lock"):
            yield
        return
    handle = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)  # closing releases the lock


@contextlib.contextmanager
def _locked_file(path: Path) -> Iterator[None]:  # pragma: no cover - Windows
    import msvcrt

    with open(path, "a+b") as stream:
        while True:
            try:
                msvcrt.locking(stream.fileno(), msvcrt.LK_LOCK, 1)  # type: ignore[attr-defined]
                break
            except OSError:  # LK_LOCK gives up after 10 s; keep waiting
                continue
        try:
            yield
        finally:
            stream.seek(0)
            msvcrt.locking(stream.fileno(), msvcrt.LK_UNLCK, 1)  # type: ignore[attr-defined]


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
