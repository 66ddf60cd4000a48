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

import numpy as np

from app.cli.link_cmd import add_common_options, check_out, out_folder
from app.cli.progress import TerminalProgress
from app.errors import InputError
from app.mapping.profiles import ProfileStore
from app.reconcile.output import csv_text, write_atomically
from app.reconcile.settings import load_settings
from app.reconcile.settle import (
    PARTIAL,
    SETTLED,
    SLACK_DAYS,
    STATUSES,
    WINDOW_DAYS,
    Ledger,
    settle,
)
from app.sources import load

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


def _plain(cents: int) -> str:
    return f"{Decimal(int(cents)).scaleb(-2):.2f}"


def settlement_rows(ledger: Ledger) -> list[list[Any]]:
    pay, inv = ledger.payments.label, ledger.invoices.label
    width = max(6, len(str(len(ledger.settlements))))
    rows = []
    for k, s in enumerate(ledger.settlements):
        sid, pid = f"S{k + 1:0{width}d}", ledger.payment_ids[s.payment]
        if not s.invoices:
            rows.append([sid, s.status, pay, pid, "", "", "", "", s.explanation])
        last = len(s.invoices) - 1
        for n, (row, applied) in enumerate(zip(s.invoices, s.applied, strict=True)):
            remainder = f"{s.remainder:.2f}" if n == last else "0.00"
            rows.append(
                [sid, s.status, pay, pid, inv, ledger.invoice_ids[row], f"{applied:.2f}",
                 remainder, s.explanation]
            )  # fmt: skip
    return rows


def open_rows(ledger: Ledger) -> list[list[Any]]:
    left = ledger.open_cents()
    return [
        [ledger.invoices.label, ledger.invoice_ids[r], ledger.customers[r],
         _plain(ledger.invoice_cents[r]), _plain(ledger.paid_cents[r]), _plain(left[r])]
        for r in np.flatnonzero(left > 0).tolist()
    ]  # fmt: skip


def summary(ledger: Ledger, args: argparse.Namespace, seconds: float) -> dict[str, Any]:
    amounts = {status: Decimal(0) for status in STATUSES}
    for s in ledger.settlements:
        amounts[s.status] += s.amount if s.amount is not None and s.amount > 0 else Decimal(0)
    applied = sum(
        (a for s in ledger.settlements if s.status in (SETTLED, PARTIAL) for a in s.applied),
        Decimal(0),
    )
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
            **{status: float(total) for status, total in amounts.items()},
            "applied": float(applied),
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
    progress(f"read {args.payments}", 0.0)
    payments = load(args.payments)
    progress(f"read {args.invoices}", 0.0)
    invoices = load(args.invoices)
    ledger = settle(
        payments,
        invoices,
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
