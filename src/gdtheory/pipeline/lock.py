"""One build at a time per build directory: an advisory lock on ``<build>/.lock``.

A second ``gdtheory build`` or ``run`` on the same build directory waits for the first and
says so (or, with ``wait=False``, refuses with one line); the lock is released when the
process ends, however it ends, so a killed build never leaves a stale lock.
"""

from __future__ import annotations

import fcntl
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import UsageError

__all__ = ["build_lock"]


@contextmanager
def build_lock(bdir: Path, *, wait: bool = True, log: Callable[[str], None] = print) -> Iterator:
    """Hold the lock of build directory ``bdir`` for the duration of the block."""
    path = Path(bdir) / ".lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 200, 0).decode(errors="replace").strip() or "another process"
            if not wait:
                raise UsageError(
                    f"the build directory {bdir} is in use by {holder}; try again when it ends"
                ) from None
            log(f"waiting for {holder} to finish with {bdir} ...")
            t0 = time.perf_counter()
            fcntl.flock(fd, fcntl.LOCK_EX)
            log(f"... it finished after {time.perf_counter() - t0:.0f} s; going on")
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"gdtheory (pid {os.getpid()}: {' '.join(sys.argv[1:3])})".encode(), 0)
        yield
    finally:
        os.close(fd)
