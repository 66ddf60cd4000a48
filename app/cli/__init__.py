"""The ``concord`` command: the desktop app by default, the engine headless otherwise.

Exit codes: 0 done, 1 bad input (one line on stderr saying which file, which row, what
to do), 2 usage.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from sqlalchemy.exc import OperationalError

from app import __version__
from app.cli import gui_cmd, inspect_cmd, link_cmd, merge_cmd, settle_cmd, workspace_cmd
from app.errors import InputError
from app.store.workspace import database_reason

COMMANDS = (gui_cmd, inspect_cmd, link_cmd, workspace_cmd, merge_cmd, settle_cmd)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="concord",
        description="Reconcile ERP, CRM and OA exports: match records, show conflicts, write back fixes.",
    )
    parser.add_argument("--version", action="version", version=f"concord {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in COMMANDS:
        module.register(commands)
    return parser


def main(argv: Sequence[str] | None = None, ends_process: bool = False) -> int:
    """Run one command. ``ends_process``: the process exits right after it, so a command
    may leave what it made for the exit to drop."""
    parser = build_parser()
    args = parser.parse_args(argv)
    args.ends_process = ends_process
    if args.command is None:
        parser.print_help()
        return 0
    try:
        return int(args.run(args))
    except InputError as error:
        print(f"concord: {error}", file=sys.stderr)
        return 1
    except OperationalError as error:  # the workspace's database, after its own retries
        print(
            f"concord: the workspace is busy or unreachable ({database_reason(error)}) — "
            "nothing was changed; try again in a moment",
            file=sys.stderr,
        )
        return 1
    except KeyboardInterrupt:
        print("concord: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader went away (concord inspect … | head)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main(ends_process=True))
