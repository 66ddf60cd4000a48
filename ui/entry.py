"""The ``concord`` launcher: the desktop app by default, the engine's commands otherwise.

Qt is imported only when the desktop app starts, so headless commands run where no
display (or no Qt) is available.
"""

from __future__ import annotations

import multiprocessing
import sys
from collections.abc import Sequence
from pathlib import Path


def main(argv: Sequence[str] | None = None) -> int:
    multiprocessing.freeze_support()  # the installed build starts its engine workers here
    args = list(sys.argv[1:] if argv is None else argv)
    if args and all(Path(a).is_file() for a in args):  # files opened from the desktop
        from ui.app import run_gui

        return run_gui(files=[Path(a) for a in args])
    if not args or args[0] == "gui":
        from app.cli import build_parser

        options = build_parser().parse_args(["gui", *args[1:]])
        from ui.app import run_gui

        return run_gui(demo=options.demo)
    if args[0] == "self-test":
        from ui.self_test import main as self_test

        return self_test()
    from app.cli import main as cli

    return cli(args, ends_process=argv is None)


if __name__ == "__main__":
    sys.exit(main())
