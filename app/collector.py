"""Python's cycle collector kept out of the way while a run builds millions of objects.

The collector runs a full pass over every tracked object each time the long-lived ones
have grown by a quarter. A run over two million records creates tens of millions of
small tuples and lists (pairs, links, groups), so it would walk the whole heap again and
again for cycles that are not there: a quarter of the grouping time. The engine makes no
cycles worth chasing mid-run; garbage it does make is collected once the run is over.
"""

from __future__ import annotations

import gc
import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn

from app import workers

_lock = threading.Lock()
_paused = 0  # runs inside ``few_collections`` (a GUI run and a CLI write may overlap)
_was_enabled = True


@contextmanager
def few_collections(then_freeze: bool = False) -> Iterator[None]:
    """No cycle collection until the last of the enclosed runs ends (as a decorator too).

    Collecting again means one full pass over everything the run made (seconds for
    millions of records); a process that ends after the run (``then_freeze``) skips it:
    what exists then is never scanned again."""
    global _paused, _was_enabled
    with _lock:
        if _paused == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _paused += 1
    try:
        yield
    finally:
        with _lock:
            _paused -= 1
            if _paused == 0 and then_freeze:
                gc.freeze()
            if _paused == 0 and _was_enabled:
                gc.enable()


def exit_at_once(code: int) -> NoReturn:
    """End the process now, for a command whose last step was writing its results.

    A normal exit frees every object one by one: seconds after a run over millions of
    records, for memory the system takes back anyway. The output streams are flushed and
    the worker processes stopped first; nothing else needs the exit's clean-up then."""
    workers.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
