"""``concord merge``: carry a merge of duplicate customers into the systems, and back.

concord merge propose SOURCE... --record ERP:C00206 --deactivate ERP=状态:禁用
                      [--repoint ERP:客户编码=ERP销售数据.xlsx#销售订单]
concord merge list | merge show ID
concord merge approve ID [--reject]          (four-eyes: not by who proposed it)
concord merge apply ID [--dry-run]           one write-back for the whole merge
concord merge export-crosswalk [ID...] --out FILE.xlsx|FILE.csv
concord merge unmerge ID                     values, active flags and references back
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.cli.link_cmd import key_pair
from app.cli.progress import TerminalProgress
from app.cli.workspace_cmd import open_workspace, workspace_options
from app.decide.merging import (
    CROSSWALK_COLUMNS,
    Deactivation,
    Reference,
    plan_merge,
    record_key_column,
)
from app.decide.session import ReviewSession
from app.errors import InputError
from app.mapping.profiles import ProfileStore
from app.reconcile.pipeline import DEDUPE
from app.reconcile.settings import load_settings
from app.reports.audit_log import anchor_rows
from app.reports.xlsx import write_rows
from app.sources import load
from app.store.fixes import describe_fix
from app.store.merges import (
    crosswalk,
    deactivations,
    get_merge,
    merge_fixes,
    merges,
)
from app.store.workspace import Workspace
from app.usecases import merges as merge_cases
from app.usecases.runs import run_tables

STATES = ("proposed", "approved", "rejected", "written", "unmerged")


def _pair(separator: str, what: str) -> Callable[[str], tuple[str, str]]:
    """An argument type for ``LEFT<separator>RIGHT``."""

    def parse(text: str) -> tuple[str, str]:
        if separator not in text:
            raise argparse.ArgumentTypeError(f"expected {what}, got {text!r}")
        left, right = text.split(separator, 1)
        return left, right

    return parse


def _deactivation(text: str) -> tuple[str, Deactivation]:
    label, rest = _pair("=", "LABEL=COLUMN:VALUE")(text)
    column, value = _pair(":", "LABEL=COLUMN:VALUE")(rest)
    return label, Deactivation(column, value)


def _repoint(text: str) -> tuple[str, str, str]:
    left, source = _pair("=", "LABEL:COLUMN=SOURCE")(text)
    label, column = _pair(":", "LABEL:COLUMN=SOURCE")(left)
    return label, column, source


def register(commands: Any) -> None:
    merge = commands.add_parser(
        "merge",
        help="write a merge of duplicates back to the systems, export its crosswalk, unmerge",
    )
    actions = merge.add_subparsers(dest="merge_command", required=True, metavar="ACTION")
    propose = actions.add_parser(
        "propose", help="find the cluster of a record and propose merging it (golden record)"
    )
    propose.add_argument(
        "sources", nargs="+", metavar="SOURCE", help="[LABEL=]PATH[#SHEET] or [LABEL=]URL#TABLE"
    )
    propose.add_argument(
        "--record",
        required=True,
        type=_pair(":", "LABEL:KEY"),
        metavar="LABEL:KEY",
        help="a record of the cluster to merge",
    )
    propose.add_argument(
        "--survivor",
        action="append",
        default=[],
        type=_pair("=", "LABEL=KEY"),
        metavar="LABEL=KEY",
        help="the record that survives in a system (default: the most complete)",
    )
    propose.add_argument(
        "--deactivate",
        action="append",
        default=[],
        type=_deactivation,
        metavar="LABEL=COLUMN:VALUE",
        help="how table LABEL marks a record inactive (kept in the workspace: map it once)",
    )
    propose.add_argument(
        "--repoint",
        action="append",
        default=[],
        type=_repoint,
        metavar="LABEL:COLUMN=SOURCE",
        help="re-point COLUMN of SOURCE, which holds record keys of LABEL, to the survivors",
    )
    propose.add_argument(
        "--set",
        action="append",
        default=[],
        type=_pair("=", "FIELD=VALUE"),
        metavar="FIELD=VALUE",
        help="type a golden value by hand",
    )
    propose.add_argument(
        "--key", action="append", type=key_pair, default=[], metavar="LABEL=COLUMN"
    )
    propose.add_argument("--settings", metavar="FILE", help="TOML settings (see README)")
    propose.add_argument("--quiet", action="store_true")
    listing = actions.add_parser("list", help="the merges and their states")
    listing.add_argument("--state", choices=STATES)
    show = actions.add_parser("show", help="a merge: survivors, golden values, crosswalk, cells")
    show.add_argument("id", type=int, metavar="ID")
    approval = actions.add_parser("approve", help="approve a merge (four-eyes when on)")
    approval.add_argument("id", type=int, metavar="ID")
    approval.add_argument("--reject", action="store_true", help="reject instead")
    approval.add_argument("--note", default="")
    apply = actions.add_parser("apply", help="write an approved merge back (one write-back)")
    apply.add_argument("id", type=int, metavar="ID")
    apply.add_argument("--dry-run", action="store_true", help="show what would change")
    apply.add_argument("--backup-dir", metavar="DIR", help="where file backups go")
    export = actions.add_parser(
        "export-crosswalk", help="old ID → surviving ID per system, as xlsx or csv"
    )
    export.add_argument(
        "ids", nargs="*", type=int, metavar="ID", help="default: every written merge"
    )
    export.add_argument("--out", required=True, metavar="FILE")
    undo = actions.add_parser("unmerge", help="undo a written merge")
    undo.add_argument("id", type=int, metavar="ID")
    for parser, handler in (
        (propose, _propose),
        (listing, _list),
        (show, _show),
        (approval, _approve),
        (apply, _apply),
        (export, _export),
        (undo, _unmerge),
    ):
        workspace_options(parser)
        parser.set_defaults(run=handler)


def _propose(args: argparse.Namespace) -> int:
    workspace = open_workspace(args)
    for label, deactivation in args.deactivate:
        merge_cases.map_deactivation(workspace, label, deactivation)
    keys = dict(args.key)
    settings = load_settings(Path(args.settings) if args.settings else None, keys)
    progress = TerminalProgress(enabled=not args.quiet)
    tables = [load(text) for text in args.sources]
    done = run_tables(workspace, tables, DEDUPE, settings, progress=progress, store=ProfileStore())
    progress.finish()
    session = done.session
    group = _group_of(session, *args.record)
    references = []
    for label, column, source in args.repoint:
        table = load(source)
        references.append(
            Reference(label, table, column, record_key_column(table, keys.get(table.label)))
        )
    plan = plan_merge(
        session,
        group,
        deactivations(workspace),
        references,
        overrides=dict(args.set),
        survivors=dict(args.survivor),
    )
    merge_id = merge_cases.propose(workspace, plan, done.recorded.stable_ids[group])
    print(_summary(workspace, merge_id))
    print(
        f"merge {merge_id} proposed; an approver approves it with: concord merge approve {merge_id}"
    )
    return 0


def _group_of(session: ReviewSession, label: str, key: str) -> int:
    if label not in session.keys:
        raise InputError(f"no table labelled {label!r}", hint="labels: " + ", ".join(session.keys))
    try:
        row = session.keys[label].index(key)
    except ValueError:
        raise InputError(f"{label} has no record {key!r}", hint="give the record's key") from None
    group = next(k for k, g in enumerate(session.result.groups) if (label, row) in g.members)
    if len(session.result.groups[group].members) < 2:
        raise InputError(
            f"{label} {key} has no duplicates, so there is nothing to merge",
            hint="check the record key, or review the clusters in the desktop app",
        )
    return group


def _summary(workspace: Workspace, merge_id: int) -> str:
    record = get_merge(workspace, merge_id)
    plan = record.plan
    lines = [
        f"merge {record.id}: {record.name} ({record.state})",
        "survivors: " + ", ".join(f"{label} {key}" for label, key in plan["survivors"].items()),
    ]
    lines += [
        f"  retire {r['system']} {r['old_id']} → {r['surviving_id']}" for r in plan["crosswalk"]
    ]
    lines += [
        f"  golden {g['field']}: {g['value']} ({g['rule']}, {g['table'] or 'typed'})"
        for g in plan["golden"]
    ]
    cells = merge_fixes(workspace, merge_id)
    lines.append(f"{len(cells)} cells:")
    lines += [f"  {describe_fix(f)}" for f in cells]
    return "\n".join(lines)


def _list(args: argparse.Namespace) -> int:
    for record in merges(open_workspace(args), args.state):
        retired = len(record.plan["crosswalk"])
        print(
            f"{record.id}\t{record.state}\t{record.name}\t{retired} retired\tby {record.proposed_by}"
        )
    return 0


def _show(args: argparse.Namespace) -> int:
    print(_summary(open_workspace(args), args.id))
    return 0


def _approve(args: argparse.Namespace) -> int:
    merge_cases.approve(open_workspace(args), args.id, reject=args.reject, note=args.note)
    print(f"merge {args.id} {'rejected' if args.reject else 'approved'}")
    return 0


def _apply(args: argparse.Namespace) -> int:
    backup = Path(args.backup_dir) if args.backup_dir else None
    done = merge_cases.write(open_workspace(args), args.id, dry_run=args.dry_run, backup_dir=backup)
    print(done.result.describe())
    if done.writeback_id is not None:
        print(
            f"merge {args.id} written (write-back {done.writeback_id}); "
            f"undo it with: concord merge unmerge {args.id}"
        )
    return 0


def _export(args: argparse.Namespace) -> int:
    workspace = open_workspace(args)
    rows = crosswalk(workspace, args.ids)
    if not rows:
        raise InputError(
            "no written merge to export", hint="write one with: concord merge apply ID"
        )
    with workspace.session() as db:
        about = anchor_rows(db)
    out = write_rows(
        Path(args.out),
        "Crosswalk",
        CROSSWALK_COLUMNS,
        [list(vars(r).values()) for r in rows],
        about,
    )
    print(f"{len(rows)} retired IDs written to {out}; audit anchor: {about[0][1]}")
    return 0


def _unmerge(args: argparse.Namespace) -> int:
    result = merge_cases.unmerge(open_workspace(args), args.id)
    print(result.describe())
    print(f"merge {args.id} unmerged")
    return 0
