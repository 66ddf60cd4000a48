"""Settling payments against invoices, as the command line and the desktop app both do it.

:func:`settle_sources` reads the two sources and settles them (:mod:`app.reconcile.settle`);
the rest turns a :class:`Ledger` into what people read: the rows of ``settlements.csv``
and ``open_invoices.csv`` (the command's documented contract), the totals per status, one
line per payment, and the invoices of one payment set beside its amount. Nothing here
changes a workspace: a settlement is a proposal to book, not a booking.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd

from app.mapping.profiles import ProfileStore
from app.progress import Progress, no_progress
from app.reconcile.settings import Settings
from app.reconcile.settle import (
    PARTIAL,
    SETTLED,
    SLACK_DAYS,
    STATUSES,
    WINDOW_DAYS,
    Ledger,
    Settlement,
    settle,
)
from app.sources import SourceSpec, load, load_source

PAYMENT_COLUMNS = (
    "payment", "customer", "date", "amount", "status", "invoices", "remainder", "explanation",
)  # fmt: skip


def settle_sources(
    payments: str | SourceSpec,
    invoices: str | SourceSpec,
    *,
    window_days: int = WINDOW_DAYS,
    slack_days: int = SLACK_DAYS,
    tolerance: Decimal | float | None = None,
    settings: Settings | None = None,
    store: ProfileStore | None = None,
    progress: Progress = no_progress,
) -> Ledger:
    """Read the payments and the invoices (``[LABEL=]PATH[#SHEET]``, or a spec already
    parsed) and settle them; ``tolerance`` defaults to the settings' money tolerance."""
    settings = settings or Settings()
    if tolerance is None:
        tolerance = Decimal(str(settings.tolerance.money))
    tables = []
    for source in (payments, invoices):
        progress(f"read {source.path if isinstance(source, SourceSpec) else source}", 0.0)
        tables.append(load_source(source) if isinstance(source, SourceSpec) else load(source))
    return settle(
        *tables,
        window_days=window_days,
        slack_days=slack_days,
        tolerance=tolerance,
        settings=settings,
        store=store,
        progress=progress,
    )


def plain(cents: int) -> str:
    """12345.00: an amount as the CSV files write it."""
    return f"{Decimal(int(cents)).scaleb(-2):.2f}"


def settlement_ids(ledger: Ledger) -> list[str]:
    """S000001, … one per settlement, in the ledger's order."""
    width = max(6, len(str(len(ledger.settlements))))
    return [f"S{k + 1:0{width}d}" for k in range(len(ledger.settlements))]


def settlement_rows(ledger: Ledger) -> list[list[Any]]:
    """The rows of ``settlements.csv``: one per payment and invoice it pays (an unmatched
    payment one row with the invoice columns empty; an ambiguous one its first
    alternative, as proposed)."""
    pay, inv = ledger.payments.label, ledger.invoices.label
    rows = []
    for sid, s in zip(settlement_ids(ledger), ledger.settlements, strict=True):
        pid = ledger.payment_ids[s.payment]
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
    """The rows of ``open_invoices.csv``: every invoice not paid in full."""
    left = ledger.open_cents()
    return [
        [ledger.invoices.label, ledger.invoice_ids[r], ledger.customers[r],
         plain(ledger.invoice_cents[r]), plain(ledger.paid_cents[r]), plain(left[r])]
        for r in np.flatnonzero(left > 0).tolist()
    ]  # fmt: skip


def amounts(ledger: Ledger) -> dict[str, Decimal]:
    """The money received per status (payments of a positive amount)."""
    totals = {status: Decimal(0) for status in STATUSES}
    for s in ledger.settlements:
        totals[s.status] += s.amount if s.amount is not None and s.amount > 0 else Decimal(0)
    return totals


def applied_total(ledger: Ledger) -> Decimal:
    """What the settled and partial payments put on invoices."""
    return sum(
        (a for s in ledger.settlements if s.status in (SETTLED, PARTIAL) for a in s.applied),
        Decimal(0),
    )


def payment_values(ledger: Ledger, role: str) -> list[str]:
    """Each payment's customer or date (``role``) as written, stripped ("" if none)."""
    table = ledger.payments
    column = ledger.columns[table.label].get(role)
    if column is None:
        return [""] * len(table)
    return table.values(column).fillna("").astype(str).str.strip().tolist()


def payment_frame(ledger: Ledger) -> pd.DataFrame:
    """One row per payment, in the order it was settled: its id, customer and date as
    written, its amount, status, the invoices it pays (an ambiguous payment: none), what
    stays open on the last of them, and why."""
    customers, days = payment_values(ledger, "customer"), payment_values(ledger, "date")
    rows = []
    for s in ledger.settlements:
        paid = () if s.status not in (SETTLED, PARTIAL) else s.invoices
        rows.append(
            (
                ledger.payment_ids[s.payment],
                customers[s.payment],
                days[s.payment],
                float(s.amount) if s.amount is not None else float("nan"),
                s.status,
                ", ".join(ledger.invoice_ids[r] for r in paid),
                float(s.remainder),
                s.explanation,
            )
        )
    return pd.DataFrame(rows, columns=list(PAYMENT_COLUMNS))


@dataclass(frozen=True)
class InvoiceLine:
    """One invoice of a payment's set: its amount, what the payment puts on it, and what
    stays open on it after."""

    invoice: str
    customer: str
    amount: Decimal
    applied: Decimal
    remainder: Decimal


def paid_lines(ledger: Ledger, settlement: Settlement) -> list[InvoiceLine]:
    """The invoices a settled or partial payment pays (an ambiguous one: its first
    alternative, as proposed; nothing is applied to it)."""
    last = len(settlement.invoices) - 1
    return [
        InvoiceLine(
            ledger.invoice_ids[row],
            str(ledger.customers[row]),
            _decimal(ledger.invoice_cents[row]),
            applied,
            settlement.remainder if n == last else Decimal(0),
        )
        for n, (row, applied) in enumerate(
            zip(settlement.invoices, settlement.applied, strict=True)
        )
    ]


def alternative_lines(ledger: Ledger, settlement: Settlement) -> list[list[InvoiceLine]]:
    """Every set of invoices an ambiguous payment fits, none applied: each invoice with
    its amount, the amount it would take, and nothing left."""
    sets = []
    for alternative in settlement.alternatives:
        lines = []
        for row in alternative:
            amount = _decimal(ledger.invoice_cents[row])
            if alternative == settlement.invoices:
                applied = settlement.applied[settlement.invoices.index(row)]
            else:
                applied = amount
            lines.append(
                InvoiceLine(
                    ledger.invoice_ids[row], str(ledger.customers[row]), amount, applied,
                    Decimal(0),
                )
            )  # fmt: skip
        sets.append(lines)
    return sets


def _decimal(cents: int) -> Decimal:
    return Decimal(int(cents)).scaleb(-2) if cents > 0 else Decimal(0)
