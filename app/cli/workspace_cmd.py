"""Commands that work on a workspace: jobs, runs, reports, rules, fixes, write-back, audit.

    concord job create NAME --mode reconcile --source erp=exports/ERP*.xlsx#销售订单 …
    concord job list | job show NAME | job run NAME      (concord run NAME is the same)
    concord rule add --field amount --trust erp
    concord report RUN --out report.xlsx
    concord fixes list [--state S] | fixes approve ID… | fixes export --out FILE
    concord apply [--dry-run]        write every approved fix back
    concord rollback WRITEBACK [--force]
    concord audit verify | audit export --out FILE
    concord user add NAME --role approver

The workspace is ``--workspace`` (a ``.concord`` file or a PostgreSQL URL), else
``$CONCORD_WORKSPACE``, else ``workspace.concord`` in the Concord home folder.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from app.cli.progress import TerminalProgress
from app.errors import InputError
from app.jobs.jobs import JobSpec, list_jobs, load_job, save_job
from app.jobs.runner import run_job
from app.mapping.profiles import ProfileStore, concord_home
from app.reconcile.pipeline import DEDUPE, RECONCILE
from app.reconcile.settings import load_settings
from app.reports.run_report import write_report
from app.reports.xlsx import write_rows, write_sheet_workbook
from app.store import audit
from app.store.decisions import add_rule
from app.store.fixes import (
    approve,
    approved_change_set,
    fixes,
    mark_rolled_back,
    propose,
    recover_writebacks,
    rollback_plan,
    write_back,
)
from app.store.workspace import Workspace
from app.writeback.apply import apply_change_set
from app.writeback.rollback import CELLS, REFUSE, roll_back


def workspace_location(args: argparse.Namespace) -> str:
    return (
        args.workspace
        or os.environ.get("CONCORD_WORKSPACE")
        or str(concord_home() / "workspace.concord")
    )


def open_workspace(args: argparse.Namespace) -> Workspace:
    workspace = Workspace(workspace_location(args), user=args.user)
    for line in recover_writebacks(workspace):
        print(f"concord: {line}", file=sys.stderr)
    return workspace


def workspace_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--workspace", metavar="FILE|URL", help="a .concord file or a PostgreSQL URL"
    )
    parser.add_argument("--user", help="who is acting (default: the logged-in user)")


def register(commands: Any) -> None:
    job = commands.add_parser("job", help="saved reconciliations: create, list, show, run")
    job_commands = job.add_subparsers(dest="job_command", required=True, metavar="ACTION")
    create = job_commands.add_parser("create", help="save a reconciliation as a job")
    create.add_argument("name")
    create.add_argument("--mode", choices=(RECONCILE, DEDUPE), default=RECONCILE)
    create.add_argument(
        "--source",
        action="append",
        required=True,
        metavar="[LABEL=]PATTERN[#SHEET]",
        help="a file pattern (the newest match is used) or URL#TABLE; repeat per table",
    )
    create.add_argument("--settings", type=Path, metavar="FILE", help="TOML settings (see README)")
    create.add_argument("--key", action="append", default=[], metavar="LABEL=COLUMN")
    create.set_defaults(run=_job_create)
    for name, handler, text in (
        ("list", _job_list, "list the jobs"),
        ("show", _job_show, "a job and its runs"),
        ("run", _job_run, "run a job now"),
    ):
        parser = job_commands.add_parser(name, help=text)
        if name != "list":
            parser.add_argument("name")
        if name == "run":
            parser.add_argument("--quiet", action="store_true")
        workspace_options(parser)
        parser.set_defaults(run=handler)
    workspace_options(create)
    run = commands.add_parser("run", help="run a saved job (for a daily schedule)")
    run.add_argument("name")
    run.add_argument("--quiet", action="store_true")
    workspace_options(run)
    run.set_defaults(run=_job_run)

    rule = commands.add_parser("rule", help="standing rules such as 'amount: trust erp'")
    rule_commands = rule.add_subparsers(dest="rule_command", required=True, metavar="ACTION")
    add = rule_commands.add_parser("add", help="add a rule")
    add.add_argument("--field", required=True)
    add.add_argument("--trust", required=True, metavar="LABEL", help="the table whose value wins")
    workspace_options(add)
    add.set_defaults(run=_rule_add)

    report = commands.add_parser("report", help="a run's report as a formatted workbook")
    report.add_argument("run_id", type=int, metavar="RUN")
    report.add_argument("--out", type=Path, required=True, metavar="FILE.xlsx")
    workspace_options(report)
    report.set_defaults(run=_report)

    fix = commands.add_parser("fixes", help="proposed fixes: list, approve, export")
    fix_commands = fix.add_subparsers(dest="fix_command", required=True, metavar="ACTION")
    listing = fix_commands.add_parser("list", help="list fixes")
    listing.add_argument(
        "--state", choices=("proposed", "approved", "rejected", "written", "rolled_back")
    )
    listing.add_argument("--json", action="store_true")
    approval = fix_commands.add_parser("approve", help="approve fixes (four-eyes when on)")
    approval.add_argument("ids", nargs="+", type=int, metavar="ID")
    approval.add_argument("--reject", action="store_true", help="reject instead")
    approval.add_argument("--note", default="")
    export = fix_commands.add_parser("export", help="the change set as xlsx or csv")
    export.add_argument("--out", type=Path, required=True, metavar="FILE")
    export.add_argument("--state", default="approved")
    export.add_argument(
        "--template",
        action="store_true",
        help="one sheet per target in its own layout: key column and changed columns",
    )
    importing = fix_commands.add_parser(
        "import", help="propose the fixes of an exported change set"
    )
    importing.add_argument("file", type=Path, metavar="FILE")
    for parser, handler in (
        (listing, _fixes_list),
        (approval, _fixes_approve),
        (export, _fixes_export),
        (importing, _fixes_import),
    ):
        workspace_options(parser)
        parser.set_defaults(run=handler)

    apply = commands.add_parser("apply", help="write every approved fix back (a dry run first)")
    apply.add_argument(
        "--dry-run", action="store_true", help="show what would change, change nothing"
    )
    apply.add_argument(
        "--backup-dir", type=Path, help="where file backups go (default: beside each file)"
    )
    workspace_options(apply)
    apply.set_defaults(run=_apply)
    rollback = commands.add_parser("rollback", help="undo a write-back")
    rollback.add_argument("writeback", type=int, metavar="ID")
    rollback.add_argument(
        "--force",
        action="store_true",
        help="roll back even if a file changed since the write-back (cells still checked)",
    )
    workspace_options(rollback)
    rollback.set_defaults(run=_rollback)

    audit_parser = commands.add_parser("audit", help="verify or export the audit log")
    audit_commands = audit_parser.add_subparsers(
        dest="audit_command", required=True, metavar="ACTION"
    )
    verify = audit_commands.add_parser("verify", help="check the hash chain")
    export_audit = audit_commands.add_parser("export", help="the log as xlsx or csv")
    export_audit.add_argument("--out", type=Path, required=True, metavar="FILE")
    for parser, handler in ((verify, _audit_verify), (export_audit, _audit_export)):
        workspace_options(parser)
        parser.set_defaults(run=handler)

    user = commands.add_parser("user", help="people and roles (clerk, approver, admin)")
    user_commands = user.add_subparsers(dest="user_command", required=True, metavar="ACTION")
    add_user = user_commands.add_parser("add", help="add a user or change a role")
    add_user.add_argument("name")
    add_user.add_argument("--role", choices=("clerk", "approver", "admin"), default="clerk")
    workspace_options(add_user)
    add_user.set_defaults(run=_user_add)


def _job_create(args: argparse.Namespace) -> int:
    settings = {}
    if args.settings is not None:
        import tomllib

        load_settings(args.settings)  # validate now, not at 6 in the morning
        settings = tomllib.loads(args.settings.read_text(encoding="utf-8"))
    keys = dict(k.split("=", 1) for k in args.key if "=" in k)
    workspace = open_workspace(args)
    job_id = save_job(workspace, JobSpec(args.name, args.mode, args.source, settings, keys))
    print(f"job {args.name!r} saved (id {job_id}) in {workspace_location(args)}")
    return 0


def _job_list(args: argparse.Namespace) -> int:
    for job in list_jobs(open_workspace(args)):
        print(f"{job.name}\t{job.mode}\t{' '.join(job.spec['sources'])}")
    return 0


def _job_show(args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from app.store.schema import Run

    workspace = open_workspace(args)
    job_id, spec = load_job(workspace, args.name)
    print(
        json.dumps(
            {"name": spec.name, "mode": spec.mode, **spec.as_dict()}, ensure_ascii=False, indent=2
        )
    )
    with workspace.session() as db:
        for run in db.scalars(select(Run).where(Run.job_id == job_id).order_by(Run.id)):
            metrics = run.metrics
            print(
                f"run {run.id}  {run.started:%Y-%m-%d %H:%M}  auto-match {metrics.get('auto_match_rate', 0):.1%}  "
                f"conflicts {metrics.get('conflicts', 0)} (+{metrics.get('conflicts_opened', 0)} "
                f"-{metrics.get('conflicts_closed', 0)})  orphans {metrics.get('orphans', 0)}"
            )
    return 0


def _job_run(args: argparse.Namespace) -> int:
    workspace = open_workspace(args)
    job_id, spec = load_job(workspace, args.name)
    progress = TerminalProgress(enabled=not args.quiet)
    done = run_job(workspace, spec, job_id=job_id, progress=progress, store=ProfileStore())
    progress.finish()
    metrics = done.recorded.metrics
    print(
        f"run {done.run_id}: {metrics['groups']} groups, auto-match {metrics['auto_match_rate']:.1%}, "
        f"{metrics['conflicts']} conflicts (+{metrics['conflicts_opened']} -{metrics['conflicts_closed']}), "
        f"{metrics['orphans']} orphans; decisions re-applied {done.reapplied['reapplied']}, "
        f"to re-check {done.reapplied['recheck']}, by rule {done.reapplied['by_rule']}; "
        f"fixes proposed {done.reapplied['fixes_proposed']}"
    )
    return 0


def _rule_add(args: argparse.Namespace) -> int:
    rule_id = add_rule(open_workspace(args), args.field, args.trust)
    print(f"rule {rule_id}: {args.field}: trust {args.trust}")
    return 0


def _report(args: argparse.Namespace) -> int:
    path = write_report(open_workspace(args), args.run_id, args.out)
    print(f"report written: {path}")
    return 0


FIX_COLUMNS = [
    "id",
    "target",
    "sheet",
    "record",
    "column",
    "old",
    "new",
    "reason",
    "proposed_by",
    "state",
]


def _fix_rows(workspace: Workspace, state: str | None) -> list[list[Any]]:
    return [
        [
            f.id,
            f.target["location"],
            f.target.get("sheet") or "",
            f.record_key,
            f.column,
            f.old,
            f.new,
            f.reason,
            f.proposed_by,
            f.state,
        ]
        for f in fixes(workspace, state)
    ]


def _fixes_list(args: argparse.Namespace) -> int:
    rows = _fix_rows(open_workspace(args), args.state)
    if args.json:
        print(
            json.dumps(
                [dict(zip(FIX_COLUMNS, row, strict=True)) for row in rows],
                ensure_ascii=False,
                indent=2,
            )
        )
        return 0
    for row in rows:
        print(
            f"{row[0]}\t{row[9]}\t{Path(row[1]).name}\t{row[3]}\t{row[4]}: {row[5]!r} → {row[6]!r}"
        )
    return 0


def _fixes_approve(args: argparse.Namespace) -> int:
    approve(
        open_workspace(args),
        args.ids,
        args.user,
        "rejected" if args.reject else "approved",
        args.note,
    )
    print(f"{len(args.ids)} fixes {'rejected' if args.reject else 'approved'}")
    return 0


def _template_sheets(
    workspace: Workspace, state: str
) -> dict[str, tuple[list[str], list[list[Any]]]]:
    """Per target, the layout its own import tool expects: its key column, then the
    changed columns with their new values (one row per record)."""
    sheets: dict[str, tuple[list[str], list[list[Any]]]] = {}
    grouped: dict[str, dict[str, dict[str, str]]] = {}
    keys: dict[str, str] = {}
    for fix in fixes(workspace, state):
        name = Path(fix.target["location"]).stem + (
            f"-{fix.target['sheet']}" if fix.target.get("sheet") else ""
        )
        keys[name] = fix.target["key_column"]
        grouped.setdefault(name, {}).setdefault(fix.record_key, {})[fix.column] = fix.new
    for name, records in grouped.items():
        columns = sorted({c for values in records.values() for c in values})
        header = [keys[name], *columns]
        sheets[name] = (
            header,
            [[key, *(values.get(c, "") for c in columns)] for key, values in records.items()],
        )
    return sheets


def _fixes_import(args: argparse.Namespace) -> int:
    from app.sources import read_tables
    from app.writeback.changes import Change, Target

    found = read_tables(args.file)
    table = next((t for t in found if not isinstance(t, InputError)), None)
    missing = [c for c in FIX_COLUMNS if table is None or c not in table.frame.columns]
    if table is None or missing:
        raise InputError(
            f"not an exported change set (missing columns: {', '.join(missing)})",
            path=args.file,
            hint="export one with: concord fixes export --out FILE",
        )
    workspace = open_workspace(args)
    known = {f.id: f for f in fixes(workspace)}
    changes = []
    for row in table.frame.to_dict("records"):
        original = known.get(int(row["id"])) if str(row["id"]).isdigit() else None
        if original is None:
            raise InputError(
                f"fix {row['id']} is not in this workspace",
                path=args.file,
                hint="import change sets into the workspace they came from",
            )
        target = Target(**original.target)
        changes.append(
            Change(
                target,
                row["record"],
                row["column"],
                row["old"],
                row["new"],
                row["reason"],
                workspace.user,
            )
        )
    ids = propose(workspace, changes)
    print(f"{len(ids)} fixes proposed from {args.file.name}")
    return 0


def _fixes_export(args: argparse.Namespace) -> int:
    workspace = open_workspace(args)
    if args.template:
        write_sheet_workbook(args.out.with_suffix(".xlsx"), _template_sheets(workspace, args.state))
        print(f"import templates written to {args.out.with_suffix('.xlsx')}")
        return 0
    rows = _fix_rows(workspace, args.state)
    write_rows(args.out, "Fixes", FIX_COLUMNS, rows)
    print(f"{len(rows)} fixes exported to {args.out}")
    return 0


def _apply(args: argparse.Namespace) -> int:
    workspace = open_workspace(args)
    change_set = approved_change_set(workspace)
    if not change_set.changes:
        print("nothing approved to write back")
        return 0
    if args.dry_run:
        print(apply_change_set(change_set, dry_run=True, backup_dir=args.backup_dir).describe())
        return 0
    writeback_id, result = write_back(workspace, change_set, args.backup_dir)
    print(result.describe())
    print(f"write-back {writeback_id} done; undo it with: concord rollback {writeback_id}")
    return 0


def _rollback(args: argparse.Namespace) -> int:
    workspace = open_workspace(args)
    inverse, files = rollback_plan(workspace, args.writeback)
    if args.force:
        print(
            "concord: warning: --force: files that changed since the write-back are rolled back anyway; "
            "only cells still holding the written value are restored",
            file=sys.stderr,
        )
    result = roll_back(inverse, files, changed_files=CELLS if args.force else REFUSE)
    mark_rolled_back(workspace, args.writeback)
    print(result.describe())
    print(f"write-back {args.writeback} rolled back")
    return 0


def _audit_verify(args: argparse.Namespace) -> int:
    with open_workspace(args).session() as db:
        check = audit.verify(db)
    if check.ok:
        print(f"audit log intact: {check.entries} entries")
        return 0
    print(f"concord: audit log broken at entry {check.broken_at}: {check.reason}", file=sys.stderr)
    return 1


def _audit_export(args: argparse.Namespace) -> int:
    with open_workspace(args).session() as db:
        audit.export(db, args.out)
    print(f"audit log exported to {args.out}")
    return 0


def _user_add(args: argparse.Namespace) -> int:
    workspace = open_workspace(args)
    from sqlalchemy import select

    from app.store.schema import User

    workspace.ensure_user(args.name, role=args.role)
    with workspace.session() as db:
        user = db.scalar(select(User).where(User.name == args.name))
        if user is not None and user.role != args.role:
            if workspace.role() != "admin":
                raise InputError(
                    "only an admin changes roles", hint="ask an admin of this workspace"
                )
            user.role = args.role
        audit.append(db, workspace.user, "user", args.name, after={"role": args.role})
    print(f"{args.name}: {args.role}")
    return 0
