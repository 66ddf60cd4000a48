"""``concord reconcile`` and ``concord dedupe``: link records across tables, write the files."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

from app.cli.progress import TerminalProgress
from app.collector import exit_at_once, few_collections
from app.errors import InputError
from app.mapping.profiles import ProfileStore
from app.reconcile.output import write_outputs
from app.reconcile.pipeline import DEDUPE, RECONCILE, link_tables
from app.reconcile.settings import load_settings
from app.sources import load

HELP = {
    RECONCILE: "link records across tables, one-to-one (an ERP order, its CRM order, its OA approval)",
    DEDUPE: "find duplicates within and across tables (one company under several codes)",
}


def key_pair(text: str) -> tuple[str, str]:
    if "=" not in text:
        raise argparse.ArgumentTypeError(f"expected LABEL=COLUMN, got {text!r}")
    label, column = text.split("=", 1)
    return label, column


def out_folder(text: str) -> Path:
    if not text.strip():
        raise argparse.ArgumentTypeError("--out needs a folder name")
    return Path(text)


def register(commands: Any) -> None:
    for mode in (RECONCILE, DEDUPE):
        parser = commands.add_parser(mode, help=HELP[mode], description=HELP[mode] + ".")
        parser.add_argument(
            "sources",
            nargs="+",
            metavar="SOURCE",
            help="[LABEL=]PATH[#SHEET], or [LABEL=]URL#TABLE for a database table",
        )
        parser.add_argument(
            "--out",
            required=True,
            type=out_folder,
            metavar="DIR",
            help="folder for links.csv, conflicts.csv and summary.json",
        )
        add_common_options(parser)
        parser.set_defaults(run=run, mode=mode)


def add_common_options(parser: argparse.ArgumentParser) -> None:
    """--key, --settings and --quiet, as every command over sources takes them."""
    parser.add_argument(
        "--key",
        action="append",
        type=key_pair,
        default=[],
        metavar="LABEL=COLUMN",
        help="use COLUMN as the record key of table LABEL",
    )
    parser.add_argument("--settings", type=Path, metavar="FILE", help="TOML settings (see README)")
    parser.add_argument("--quiet", action="store_true", help="no progress display")


def check_out(out: Path) -> None:
    """Refuse an --out that cannot become a folder to write in, before any work is done."""
    if (out.exists() and not out.is_dir()) or (out.is_symlink() and not out.exists()):
        raise InputError(
            "--out must be a folder (links.csv, conflicts.csv and summary.json go there)",
            path=out,
            hint="name a new or existing folder",
        )
    existing = out
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise InputError(
            f"--out cannot be made: {existing.name or existing} is a file, not a folder",
            path=out,
            hint="name a folder that is not inside a file",
        )
    if not os.access(existing, os.W_OK | os.X_OK):
        raise InputError(
            f"--out cannot be written (no permission in {existing})",
            path=out,
            hint="name a folder you can write to",
        )


def run(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    try:
        check_out(args.out)
    except OSError as error:  # a name too long, a loop of links
        raise InputError(
            f"--out cannot be used ({error.strerror or error})",
            path=args.out,
            hint="name a new or existing folder",
        ) from None
    settings = load_settings(args.settings, dict(args.key))
    progress = TerminalProgress(enabled=not args.quiet)
    with few_collections(then_freeze=args.ends_process):
        tables = []
        for k, text in enumerate(args.sources):
            progress(f"read {text}", k / len(args.sources))
            tables.append(load(text))
        result = link_tables(tables, args.mode, settings, progress, ProfileStore())
        try:
            write_outputs(result, args.out, time.perf_counter() - started)
        except OSError as error:
            raise InputError(
                f"the results cannot be written ({error.strerror or error})",
                path=args.out,
                hint="name another --out folder, or free space on its disk",
            ) from None
    progress.finish()
    totals = (
        f"{len(result.groups)} entities, {sum(len(g.members) > 1 for g in result.groups)} linked groups, "
        f"{len(result.conflicts)} conflicts"
    )
    if not args.quiet:
        print(f"concord: {args.mode}: {totals} → {args.out}", file=sys.stderr)
    if args.ends_process:
        exit_at_once(0)
    return 0
