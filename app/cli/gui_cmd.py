"""``concord gui [--demo]``: listed here for ``concord --help``; the launcher in
``ui.entry`` starts the desktop app itself (the engine never imports the UI)."""

from __future__ import annotations

import argparse
import sys
from typing import Any


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "gui", help="open the desktop app (the default)", description="Open the desktop app."
    )
    parser.add_argument(
        "--demo", action="store_true", help="open on the bundled demo data, with a finished run"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    print("concord: the desktop app starts from the `concord` launcher (ui.entry)", file=sys.stderr)
    return 2
