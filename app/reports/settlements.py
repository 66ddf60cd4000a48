"""A settlement as a workbook: the sheet of what each payment pays, and the open invoices.

Written with :mod:`app.reports.xlsx` (formatted, every value data and never a formula,
saved to a temporary file and renamed). Headers, sheet names and status words default
to English; the desktop app passes them in the user's language.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from app.reconcile.settle import Ledger
from app.reports.xlsx import write_sheet_workbook
from app.usecases.settlement import payment_values, settlement_ids

SETTLEMENT_HEADERS = {
    "settlement": "Settlement",
    "status": "Status",
    "payment": "Payment",
    "customer": "Customer",
    "date": "Date",
    "amount": "Payment amount",
    "invoice": "Invoice",
    "invoice_amount": "Invoice amount",
    "applied": "Applied",
    "remainder": "Remainder",
    "explanation": "Explanation",
}
OPEN_HEADERS = {
    "invoice": "Invoice",
    "customer": "Customer",
    "amount": "Amount",
    "paid": "Paid",
    "open": "Open",
}
SHEETS = {"settlements": "Settlements", "open": "Open invoices"}


def _money(cents: int) -> float | None:
    return round(int(cents) / 100, 2) if cents > 0 else None


def settlement_sheet_rows(
    ledger: Ledger,
    status_names: Mapping[str, str] | None = None,
    explanations: Sequence[str] | None = None,
) -> list[list[Any]]:
    """One row per payment and invoice it pays (or proposes to pay, if ambiguous); an
    unmatched payment one row with the invoice cells empty. Amounts are numbers;
    ``explanations`` (one per settlement) replace the engine's."""
    names = status_names or {}
    reasons = list(explanations) if explanations is not None else None
    customers, days = payment_values(ledger, "customer"), payment_values(ledger, "date")
    rows: list[list[Any]] = []
    for k, (sid, s) in enumerate(zip(settlement_ids(ledger), ledger.settlements, strict=True)):
        why = reasons[k] if reasons is not None else s.explanation
        head = [
            sid,
            names.get(s.status, s.status),
            ledger.payment_ids[s.payment],
            customers[s.payment],
            days[s.payment],
            float(s.amount) if s.amount is not None else None,
        ]
        if not s.invoices:
            rows.append([*head, None, None, None, None, why])
        last = len(s.invoices) - 1
        for n, (row, applied) in enumerate(zip(s.invoices, s.applied, strict=True)):
            remainder = float(s.remainder) if n == last else 0.0
            rows.append(
                [*head, ledger.invoice_ids[row], _money(ledger.invoice_cents[row]),
                 float(applied), remainder, why]
            )  # fmt: skip
    return rows


def open_sheet_rows(ledger: Ledger) -> list[list[Any]]:
    """Every invoice not paid in full: its amount, what was paid and what is open."""
    left = ledger.open_cents()
    return [
        [ledger.invoice_ids[r], str(ledger.customers[r]), _money(ledger.invoice_cents[r]),
         round(int(ledger.paid_cents[r]) / 100, 2), _money(left[r])]
        for r in np.flatnonzero(left > 0).tolist()
    ]  # fmt: skip


def write_settlement_workbook(
    path: Path,
    ledger: Ledger,
    *,
    headers: Mapping[str, str] | None = None,
    open_headers: Mapping[str, str] | None = None,
    sheets: Mapping[str, str] | None = None,
    status_names: Mapping[str, str] | None = None,
    explanations: Sequence[str] | None = None,
) -> Path:
    """The workbook: sheet "Settlements" and sheet "Open invoices" (or as ``sheets``
    names them), replaced atomically."""
    settled = {**SETTLEMENT_HEADERS, **(headers or {})}
    still_open = {**OPEN_HEADERS, **(open_headers or {})}
    titles = {**SHEETS, **(sheets or {})}
    return write_sheet_workbook(
        path,
        [
            (
                titles["settlements"],
                (list(settled.values()), settlement_sheet_rows(ledger, status_names, explanations)),
            ),
            (titles["open"], (list(still_open.values()), open_sheet_rows(ledger))),
        ],
    )
