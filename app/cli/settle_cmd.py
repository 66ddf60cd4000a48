"""``concord settle``: which invoices each payment pays — one, several, or part of one.

Output in ``--out DIR``, each file written to a temporary name and renamed into place:

- ``settlements.csv``: ``settlement_id,status,payment_table,payment_id,invoice_table,
  invoice_id,applied,remainder,explanation`` — one row per payment and invoice it pays
  (``remainder``: what stays open on that invoice); an unmatched payment has one row
  with the invoice columns empty; an ambiguous one lists its first alternative, as
  proposed, and its explanation names every alternative.
- ``open_invoices.csv``: ``invoice_table,invoice_id,customer,amount,paid,open`` — every
  invoice not paid in full.
- ``summary.json``: the columns read, payments per status, amounts, seconds.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from app.cli.link_cmd import add_common_options, check_out, out_folder
from app.cli.progress import TerminalProgress
from app.errors import InputError
from app.mapping.profiles import ProfileStore
from app.reconcile.output import csv_text, write_atomically
from app.reconcile.settings import load_settings
from app.reconcile.settle import SLACK_DAYS, WINDOW_DAYS, Ledger
from app.usecases.settlement import (
    amounts,
    applied_total,
    open_rows,
    settle_sources,
    settlement_rows,
)

HELP = "find which invoices each payment pays (one, several, or part of one)"
FILES = ("settlements.csv", "open_invoices.csv", "summary.json")


def days(text: str) -> int:
    if not text.strip().isdigit() or not 0 <= int(text) <= 36_500:
        raise argparse.ArgumentTypeError(f"expected a whole number of days, got {text!r}")
    return int(text)


def tolerance(text: str) -> Decimal:
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite() or value < 0:
        raise argparse.ArgumentTypeError(f"expected an amount such as 0.01, got {text!r}")
    return value


def register(commands: Any) -> None:
    parser = commands.add_parser("settle", help=HELP, description=HELP + ".")
    parser.add_argument(
        "payments", metavar="PAYMENTS", help="receipts (收款单): [LABEL=]PATH[#SHEET]"
    )
    parser.add_argument(
        "invoices", metavar="INVOICES", help="invoices or sales orders: [LABEL=]PATH[#SHEET]"
    )
    parser.add_argument(
        "--out",
        required=True,
        type=out_folder,
        metavar="DIR",
        help="folder for settlements.csv, open_invoices.csv and summary.json",
    )
    parser.add_argument(
        "--window-days",
        type=days,
        default=WINDOW_DAYS,
        metavar="N",
        help=f"a payment pays invoices at most N days older (default {WINDOW_DAYS})",
    )
    parser.add_argument(
        "--slack-days",
        type=days,
        default=SLACK_DAYS,
        metavar="N",
        help=f"... or dated up to N days after it (default {SLACK_DAYS})",
    )
    parser.add_argument(
        "--tolerance",
        type=tolerance,
        metavar="AMOUNT",
        help="invoices add up to a payment within this much (default 0.01, or the settings')",
    )
    add_common_options(parser)
    parser.set_defaults(run=run)


def summary(ledger: Ledger, args: argparse.Namespace, seconds: float) -> dict[str, Any]:
    totals = amounts(ledger)
    left = ledger.open_cents()
    valid = ledger.invoice_cents > 0
    tables = {
        table.label: {
            "role": role,
            "source": str(table.path),
            "sheet": table.sheet,
            "rows": len(table),
            "lines": len(table.lines.frame) if table.lines is not None else None,
            "columns": ledger.columns[table.label],
        }
        for role, table in (("payments", ledger.payments), ("invoices", ledger.invoices))
    }
    return {
        "tables": tables,
        "window_days": args.window_days,
        "slack_days": args.slack_days,
        "tolerance": float(args.tolerance),
        "payments": ledger.counts(),
        "amounts": {
            **{status: float(total) for status, total in totals.items()},
            "applied": float(applied_total(ledger)),
        },
        "invoices": {
            "paid_in_full": int((valid & (left == 0)).sum()),
            "partly_paid": int((valid & (left > 0) & (ledger.paid_cents > 0)).sum()),
            "open": int((left > 0).sum()),
            "open_amount": float(Decimal(int(left.sum())).scaleb(-2)),
            "no_amount": int((~valid).sum()),
        },
        "seconds": round(seconds, 3),
        "settle_seconds": round(ledger.seconds, 3),
    }


def write_outputs(ledger: Ledger, args: argparse.Namespace, seconds: float) -> None:
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    header = [
        "settlement_id", "status", "payment_table", "payment_id", "invoice_table", "invoice_id",
        "applied", "remainder", "explanation",
    ]  # fmt: skip
    write_atomically(out / "settlements.csv", csv_text(header, settlement_rows(ledger)))
    header = ["invoice_table", "invoice_id", "customer", "amount", "paid", "open"]
    write_atomically(out / "open_invoices.csv", csv_text(header, open_rows(ledger)))
    text = json.dumps(summary(ledger, args, seconds), ensure_ascii=False, indent=2) + "\n"
    write_atomically(out / "summary.json", text)


def run(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    try:
        check_out(args.out)
    except InputError as error:
        if error.problem.startswith("--out must be a folder"):
            error = replace(error, problem=f"--out must be a folder ({', '.join(FILES)} go there)")
        raise error from None
    except OSError as error:  # a name too long, a loop of links
        raise InputError(
            f"--out cannot be used ({error.strerror or error})",
            path=args.out,
            hint="name a new or existing folder",
        ) from None
    settings = load_settings(args.settings, dict(args.key))
    if args.tolerance is None:
        args.tolerance = Decimal(str(settings.tolerance.money))
    progress = TerminalProgress(enabled=not args.quiet)
    ledger = settle_sources(
        args.payments,
        args.invoices,
        window_days=args.window_days,
        slack_days=args.slack_days,
        tolerance=args.tolerance,
        settings=settings,
        store=ProfileStore(),
        progress=progress,
    )
    try:
        write_outputs(ledger, args, time.perf_counter() - started)
    except OSError as error:
        raise InputError(
            f"the results cannot be written ({error.strerror or error})",
            path=args.out,
            hint="name another --out folder, or free space on its disk",
        ) from None
    progress.finish()
    if not args.quiet:
        counts = ", ".join(f"{n} {status}" for status, n in ledger.counts().items())
        print(
            f"concord: settle: {len(ledger.settlements)} payments: {counts} → {args.out}",
            file=sys.stderr,
        )
    return 0
