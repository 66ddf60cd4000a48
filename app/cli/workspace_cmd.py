"""Commands that work on a workspace: jobs, runs, reports, rules, fixes, write-back, audit.

    concord job create NAME --mode reconcile --source erp=exports/ERP*.xlsx#销售订单 …
    concord job list | job show NAME | job run NAME      (concord run NAME is the same)
    concord rule add --field amount --trust erp
    concord report RUN --out report.xlsx
    concord fixes list [--state S] | fixes approve ID… | fixes export --out FILE
    concord apply [--dry-run]        write every approved fix back
    concord rollback WRITEBACK [--force]
    concord audit verify | audit export --out FILE | audit seal
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

from app.cli.link_cmd import key_pair
from app.cli.progress import TerminalProgress
from app.errors import InputError
from app.jobs.jobs import JobSpec, list_jobs, load_job, save_job
from app.mapping.profiles import ProfileStore, concord_home
from app.reconcile.pipeline import DEDUPE, RECONCILE
from app.reconcile.settings import load_settings
from app.reports import audit_log
from app.reports.run_report import write_report
from app.reports.xlsx import Sheet, write_rows, write_sheet_workbook
from app.sources.database import keep_password_aside
from app.sources.secrets import mask
from app.store import audit
from app.store.fixes import fixes, listing
from app.store.workspace import Workspace
from app.usecases import fixes as fix_cases
from app.usecases import session, writing
from app.usecases.runs import run_job


def shown(location: str) -> str:
    """A workspace location fit to print: a URL's password masked."""
    return mask(location) if "://" in location else location


def workspace_location(args: argparse.Namespace) -> str:
    """``--workspace``, else ``$CONCORD_WORKSPACE``, else the one in the Concord home
    folder (made on first use; a folder someone names must exist already)."""
    named = args.workspace or os.environ.get("CONCORD_WORKSPACE")
    if named:
        return str(named)
    concord_home().mkdir(parents=True, exist_ok=True)
    return str(concord_home() / "workspace.concord")


def open_workspace(args: argparse.Namespace) -> Workspace:
    workspace, settled = session.open_workspace(workspace_location(args), args.user)
    for line in settled:
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
    create.add_argument("--key", action="append", default=[], type=key_pair, metavar="LABEL=COLUMN")
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
    add.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="STATE=WORD",
        type=_state_word,
        help="the word to write for a state where a target column has none of its own "
        "(it must be one the column holds), e.g. --set rejected=关闭",
    )
    workspace_options(add)
    add.set_defaults(run=_rule_add)

    report = commands.add_parser("report", help="a run's report as a formatted workbook")
    report.add_argument("run_id", type=int, metavar="RUN")
    report.add_argument("--out", type=Path, required=True, metavar="FILE.xlsx")
    workspace_options(report)
    report.set_defaults(run=_report)

    fix = commands.add_parser("fixes", help="proposed fixes: list, approve, export")
    fix_commands = fix.add_subparsers(dest="fix_command", required=True, metavar="ACTION")
    listed = fix_commands.add_parser("list", help="list fixes")
    listed.add_argument(
        "--state",
        choices=("proposed", "approved", "rejected", "withdrawn", "written", "rolled_back"),
    )
    listed.add_argument("--json", action="store_true")
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
        (listed, _fixes_list),
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
    verify.add_argument(
        "--anchor",
        metavar="COUNT:HASH",
        help="an anchor an earlier report or verify printed: the log must still hold it",
    )
    export_audit = audit_commands.add_parser("export", help="the log as xlsx or csv")
    export_audit.add_argument("--out", type=Path, required=True, metavar="FILE")
    seal_audit = audit_commands.add_parser(
        "seal", help="seal the log with a key kept in this machine's keyring (admin)"
    )
    for parser, handler in (
        (verify, _audit_verify),
        (export_audit, _audit_export),
        (seal_audit, _audit_seal),
    ):
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
        settings = json.loads(json.dumps(settings, default=str))  # TOML days as text
    keys = dict(args.key)
    workspace = open_workspace(args)
    sources = [keep_password_aside(source) for source in args.source]
    job_id = save_job(workspace, JobSpec(args.name, args.mode, sources, settings, keys))
    print(f"job {args.name!r} saved (id {job_id}) in {shown(workspace_location(args))}")
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
            print(f"run {run.id}  {run.started:%Y-%m-%d %H:%M}  {run_line(run.metrics)}")
    return 0


def run_line(metrics: dict[str, Any]) -> str:
    """A run's counts in one line (the same counts Overview, History and the report show)."""
    return (
        f"{metrics.get('groups', 0)} groups: matched {metrics.get('matched', 0)} "
        f"({metrics.get('auto_match_rate', 0):.1%}), to review {metrics.get('review', 0)}, "
        f"orphans {metrics.get('orphans', 0)}, conflicts {metrics.get('conflicts', 0)} "
        f"(+{metrics.get('conflicts_opened', 0)} -{metrics.get('conflicts_closed', 0)})"
        + (
            f", inventory accuracy {metrics['inventory_accuracy']:.1%}"
            if metrics.get("inventory_accuracy") is not None
            else ""
        )
    )


def _job_run(args: argparse.Namespace) -> int:
    workspace = open_workspace(args)
    progress = TerminalProgress(enabled=not args.quiet)
    done = run_job(workspace, args.name, progress=progress, store=ProfileStore())
    progress.finish()
    print(
        f"run {done.run_id}: {run_line(done.recorded.metrics)}; decisions re-applied "
        f"{done.reapplied['reapplied']}, to re-check {done.reapplied['recheck']}, by rule "
        f"{done.reapplied['by_rule']}; fixes proposed {done.reapplied['fixes_proposed']}"
    )
    return 0


def _state_word(text: str) -> tuple[str, str]:
    state, _, word = text.partition("=")
    if not state.strip() or not word.strip():
        raise argparse.ArgumentTypeError(f"write STATE=WORD, like rejected=关闭, not {text!r}")
    return state.strip(), word.strip()


def _rule_add(args: argparse.Namespace) -> int:
    words = dict(args.set)
    rule_id = fix_cases.add_rule(open_workspace(args), args.field, args.trust, words)
    said = "".join(f"; {state} is written {word}" for state, word in words.items())
    print(f"rule {rule_id}: {args.field}: trust {args.trust}{said}")
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
    "approved_by",
]


def _fix_rows(workspace: Workspace, state: str | None) -> list[list[Any]]:
    return [[row[c] for c in FIX_COLUMNS] for row in listing(workspace, state)]


def _fixes_list(args: argparse.Namespace) -> int:
    rows = listing(open_workspace(args), args.state)
    if args.json:
        print(
            json.dumps([{c: r[c] for c in FIX_COLUMNS} for r in rows], ensure_ascii=False, indent=2)
        )
        return 0
    for r in rows:
        by = f"\t(approved by {r['approved_by']})" if r["state"] in ("approved", "written") else ""
        print(
            f"{r['id']}\t{r['state']}\t{Path(str(r['target'])).name}\t{r['record']}\t"
            f"{r['column']}: {r['old']!r} → {r['new']!r}{by}"
        )
    return 0


def _fixes_approve(args: argparse.Namespace) -> int:
    count = fix_cases.approve(open_workspace(args), args.ids, reject=args.reject, note=args.note)
    print(f"{count} fixes {'rejected' if args.reject else 'approved'}")
    return 0


def _template_sheets(workspace: Workspace, state: str) -> list[tuple[str, Sheet]]:
    """Per target, the layout its own import tool expects: its key column, then the
    changed columns with their new values (one row per record). A sheet is named after
    its file (and sheet); two targets of one name (files in two folders) keep a sheet each."""
    sheets: list[tuple[str, Sheet]] = []
    grouped: dict[tuple[str, str], dict[str, dict[str, str]]] = {}
    keys: dict[tuple[str, str], str] = {}
    for fix in fixes(workspace, state):
        target = (fix.target["location"], fix.target.get("sheet") or "")
        keys[target] = fix.target["key_column"]
        grouped.setdefault(target, {}).setdefault(fix.record_key, {})[fix.column] = fix.new
    for (location, sheet), records in grouped.items():
        name = Path(location).stem + (f"-{sheet}" if sheet else "")
        columns = sorted({c for values in records.values() for c in values})
        header = [keys[location, sheet], *columns]
        rows = [[key, *(values.get(c, "") for c in columns)] for key, values in records.items()]
        sheets.append((name, (header, rows)))
    return sheets


def _fixes_import(args: argparse.Namespace) -> int:
    from app.decide.changes import Change, Target
    from app.sources import read_tables

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
    ids = fix_cases.propose(workspace, changes)
    print(f"{len(ids)} fixes proposed from {args.file.name}")
    return 0


def _fixes_export(args: argparse.Namespace) -> int:
    workspace = open_workspace(args)
    if args.template:
        sheets = _template_sheets(workspace, args.state)
        if not sheets:
            raise InputError(
                f"no {args.state} fixes to put in import templates",
                hint="approve fixes first, or choose another --state",
            )
        write_sheet_workbook(args.out.with_suffix(".xlsx"), sheets)
        print(f"import templates written to {args.out.with_suffix('.xlsx')}")
        return 0
    rows = _fix_rows(workspace, args.state)
    with workspace.session() as db:
        about = audit_log.anchor_rows(db)
    write_rows(args.out, "Fixes", FIX_COLUMNS, rows, about)
    print(f"{len(rows)} fixes exported to {args.out}; audit anchor: {about[0][1]}")
    return 0


def _apply(args: argparse.Namespace) -> int:
    workspace = open_workspace(args)
    done = writing.write_back(workspace, dry_run=args.dry_run, backup_dir=args.backup_dir)
    for line in done.settled:
        print(f"concord: {line}", file=sys.stderr)
    if not done.result.results:
        print("nothing approved to write back")
        return 0
    print(done.result.describe())
    if done.writeback_id is not None:
        print(
            f"write-back {done.writeback_id} done; "
            f"undo it with: concord rollback {done.writeback_id}"
        )
    return 0


def _rollback(args: argparse.Namespace) -> int:
    workspace = open_workspace(args)
    if args.force:
        print(
            "concord: warning: --force: files that changed since the write-back are rolled back anyway; "
            "only cells still holding the written value are restored",
            file=sys.stderr,
        )
    result = writing.rollback(workspace, args.writeback, force=args.force)
    print(result.describe())
    print(f"write-back {args.writeback} rolled back")
    return 0


def _audit_verify(args: argparse.Namespace) -> int:
    with open_workspace(args).session() as db:
        check = audit.verify(db, args.anchor)
    if check.ok:
        print(f"audit log intact: {check.entries} entries; {check.seal}; anchor {check.anchor}")
        return 0
    where = f"entry {check.broken_at}" if check.broken_at else "its end"
    print(f"concord: audit log broken at {where}: {check.reason}", file=sys.stderr)
    return 1


def _audit_seal(args: argparse.Namespace) -> int:
    check = fix_cases.seal_audit(open_workspace(args))
    print(f"audit log {check.seal}; anchor {check.anchor}")
    return 0


def _audit_export(args: argparse.Namespace) -> int:
    with open_workspace(args).session() as db:
        audit_log.export(db, args.out)
        anchor = audit_log.anchor_rows(db)[0][1]
    print(f"audit log exported to {args.out}; audit anchor: {anchor}")
    return 0


def _user_add(args: argparse.Namespace) -> int:
    print(fix_cases.add_user(open_workspace(args), args.name, args.role))
    return 0
