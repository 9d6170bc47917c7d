"""Files written by the operations commands: readable by their owner only, never through a link.

A backup holds every user's e-mail address and, with --with-passwords, the password
hashes. The data goes to a temporary file that ``tempfile.mkstemp`` creates beside the
destination (mode 0600 whatever the umask, a random name, never an existing file), and
the finished file takes the destination's name with ``os.replace``. So the file is
private from its first byte; a destination that is a symbolic link is refused before
anything is written, and the link's target is never opened; and an export that fails
leaves any earlier file at the destination as it was.
"""

import errno
import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, suppress
from typing import IO, Any, BinaryIO, Literal, TextIO, overload


@overload
def private_file(path: str, mode: Literal["w"] = "w") -> AbstractContextManager[TextIO]: ...
@overload
def private_file(path: str, mode: Literal["wb"]) -> AbstractContextManager[BinaryIO]: ...
def private_file(path: str, mode: Literal["w", "wb"] = "w") -> AbstractContextManager[IO[Any]]:
    """A new file (mode 0600) that replaces ``path`` when the ``with`` block ends.

    ``mode`` is "w" (UTF-8 text) or "wb". If the block raises, the new file is removed
    and ``path`` is left as it was. ``path`` must be absent or a regular file: a symbolic
    link, a directory or a device raises ``OSError``, with the reason in ``strerror``,
    before anything is created.
    """
    return _private_file(path, mode)


@contextmanager
def _private_file(path: str, mode: Literal["w", "wb"]) -> Iterator[IO[Any]]:
    _refuse_unsafe_destination(path)
    directory, name = os.path.split(os.path.abspath(path))
    handle, partial = tempfile.mkstemp(dir=directory, prefix=f".{name}.", suffix=".partial")
    try:
        with os.fdopen(handle, mode, encoding=None if mode == "wb" else "utf-8") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())  # on disk before it replaces an earlier file
        # Checked again, as the export may have taken hours: a link made meanwhile is
        # refused too, although os.replace would replace the link and not its target.
        _refuse_unsafe_destination(path)
        os.replace(partial, path)
    except BaseException:
        with suppress(FileNotFoundError):
            os.remove(partial)
        raise


def _refuse_unsafe_destination(path: str) -> None:
    try:
        status = os.lstat(path)
    except FileNotFoundError:
        return
    if stat.S_ISLNK(status.st_mode):
        raise OSError(
            errno.ELOOP,
            "it is a symbolic link, and a link is never written through or replaced;"
            " name the file itself",
            path,
        )
    if not stat.S_ISREG(status.st_mode):
        raise OSError(errno.EINVAL, "it exists and is not a regular file", path)
