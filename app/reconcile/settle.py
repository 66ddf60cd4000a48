"""Settlement: which invoices (or sales orders) each payment pays — one, several, or part of one.

Finance reconciliation is many-to-many: a receipt (收款单, 回款) pays several invoices of
its customer at once, and an invoice may be paid in parts. Payments are taken in date
order; each one is offered the open invoices of the *same* customer (names normalised by
:mod:`app.match.prepare`) dated from ``window_days`` before it to ``slack_days`` after
it, the :data:`CANDIDATES` nearest in date. Then, in integer cents:

- exactly one set of 1 to :data:`MOST` invoices whose open amounts add up to the payment
  (within the tolerance) → **settled**: those invoices are paid in full;
- two or more such sets → **ambiguous**: nothing is paid, the sets go to review, and
  their invoices are kept from any partial payment meanwhile;
- no such set → **partial**: the payment goes on the oldest invoices, the last one it
  reaches partly, the rest of it stays open;
- no open invoice of the customer in the window, or a payment worth more than all of
  them → **unmatched**: nothing is applied.

A partial payment is a guess, so it never takes an invoice that a later payment fits
exactly (a first pass finds those), lest one advance payment unsettle a month of exact
ones. The search is a meet-in-the-middle over the two halves of the candidates: its cost
per payment is bounded whatever the data, a few thousand sums per half.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import functools
import time
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import combinations

import numpy as np

from app.errors import InputError
from app.mapping.align import Field, Mapping, align
from app.mapping.detect import ColumnProfile, profile_table
from app.mapping.headers import PLANNED_DATES
from app.mapping.profiles import ProfileStore, profile_with_store
from app.mapping.types import SemanticType as T
from app.match.prepare import EPOCH, prepare
from app.progress import Progress, no_progress
from app.reconcile.lines import as_documents
from app.reconcile.output import record_ids
from app.reconcile.settings import Settings
from app.sources.table import Table

SETTLED, PARTIAL, AMBIGUOUS, UNMATCHED = "settled", "partial", "ambiguous", "unmatched"
STATUSES = (SETTLED, PARTIAL, AMBIGUOUS, UNMATCHED)
WINDOW_DAYS = 120  # an invoice older than this is not what a payment pays
SLACK_DAYS = 7  # an invoice may be dated a few days after the payment (paid in advance)
CANDIDATES = 30  # open invoices a payment is offered, the nearest in date
MOST = 5  # invoices one payment settles at most
SHOWN = 5  # alternatives kept for review
DIRECT = 12  # up to this many candidates every set is summed; more meet in the middle

# role → the column types that can hold it, the header concepts preferred, and the
# concepts that never do (a unit price is no amount, a due date no document date).
_ROLES: dict[str, tuple[tuple[T, ...], tuple[str, ...], frozenset[str]]] = {
    "customer": ((T.COMPANY,), ("customer",), frozenset({"supplier"})),
    "amount": ((T.MONEY,), ("amount",), frozenset({"net_amount", "tax", "unit_price"})),
    "date": ((T.DATE, T.DATETIME), ("date", "time"), frozenset(PLANNED_DATES)),
}

# Of several amounts, the one tax included is what a customer pays (价税合计, not 金额).
_GROSS = ("价税合计", "含税", "total", "gross")


@dataclass(frozen=True)
class Settlement:
    """What one payment pays, and why. ``invoices`` and ``applied`` are rows of the
    invoices table and the amounts put on them (for ``ambiguous`` the first alternative,
    proposed, not applied); ``remainder`` stays open on the last invoice (partial)."""

    payment: int
    invoices: tuple[int, ...]
    applied: tuple[Decimal, ...]
    amount: Decimal | None
    status: str
    remainder: Decimal = Decimal(0)
    alternatives: tuple[tuple[int, ...], ...] = ()
    explanation: str = ""
    read_as: str = ""  # the invoiced customer a short name was read as
    chosen_by: str = ""  # who settled an ambiguous payment with one of its sets


@dataclass
class Ledger:
    """Every payment's settlement, and what each invoice was paid."""

    payments: Table
    invoices: Table
    columns: dict[str, dict[str, str | None]]  # label → role → column (and "key")
    payment_ids: list[str]
    invoice_ids: list[str]
    invoice_cents: np.ndarray  # -1 where an invoice has no positive amount
    paid_cents: np.ndarray
    settlements: list[Settlement]
    customers: np.ndarray = field(repr=False)  # each invoice's customer as written
    seconds: float = 0.0
    tolerance: int = 1  # cents a set may be off the payment

    def open_cents(self) -> np.ndarray:
        return np.where(self.invoice_cents > 0, self.invoice_cents - self.paid_cents, 0)

    def counts(self) -> dict[str, int]:
        return {s: sum(1 for x in self.settlements if x.status == s) for s in STATUSES}

    def choose(self, index: int, alternative: int, user: str) -> Settlement:
        """Settle the ambiguous payment ``settlements[index]`` with its set ``alternative``
        as ``user`` chose it in review: its invoices are paid in full. Refused when the
        set no longer fits (another choice paid one of its invoices)."""
        settlement = self.settlements[index]
        if settlement.status != AMBIGUOUS or not 0 <= alternative < len(settlement.alternatives):
            raise InputError(f"payment {self.payment_ids[settlement.payment]} has no such set")
        rows = list(settlement.alternatives[alternative])
        left = self.open_cents()[rows]
        names = ", ".join(self.invoice_ids[r] for r in rows)
        target = round((settlement.amount or Decimal(0)) * 100)
        if (left <= 0).any() or abs(int(left.sum()) - target) > self.tolerance:
            raise InputError(
                f"{names} no longer add up to {self.payment_ids[settlement.payment]}: "
                "another payment was settled with one of them",
                hint="choose another set, or settle the other payment differently",
            )
        self.paid_cents[rows] += left
        pid = self.payment_ids[settlement.payment]
        chosen = dataclasses.replace(
            settlement,
            invoices=tuple(rows),
            applied=tuple(_decimal(a) for a in left),
            status=SETTLED,
            alternatives=(),
            explanation=f"{pid} pays {names} = {money(left.sum())} (chosen by {user} "
            f"from {len(settlement.alternatives)} sets)",
            chosen_by=user,
        )
        self.settlements[index] = chosen
        return chosen


def money(cents: int) -> str:
    """12,345.00"""
    return f"{Decimal(int(cents)).scaleb(-2):,.2f}"


def _decimal(cents: int) -> Decimal:
    return Decimal(int(cents)).scaleb(-2)


@functools.cache
def _subsets(n: int) -> tuple[np.ndarray, tuple[int, ...]]:
    """Every subset of ``range(n)`` with at most :data:`MOST` members, as index rows
    padded with ``n``, smallest first, and where each size starts."""
    rows: list[tuple[int, ...]] = []
    starts = []
    for size in range(MOST + 1):
        starts.append(len(rows))
        rows.extend(c + (n,) * (MOST - size) for c in combinations(range(n), size))
    starts.append(len(rows))
    return np.array(rows, dtype=np.int64).reshape(-1, MOST), tuple(starts)


def fitting_sets(
    amounts: np.ndarray, target: int, tolerance: int = 0, limit: int = SHOWN + 1
) -> tuple[int, list[tuple[int, ...]]]:
    """How many sets of 1 to :data:`MOST` positions of ``amounts`` (cents) sum to
    ``target`` within ``tolerance``, and the first ``limit`` of them, fewest first.

    A few candidates are tried set by set; more meet in the middle: the subsets of each
    half are summed once, and each left sum finds its right partners by binary search."""
    if len(amounts) <= DIRECT:
        index, _ = _subsets(len(amounts))
        sums = np.append(amounts, 0)[index[1:]].sum(axis=1)
        hits = np.flatnonzero(np.abs(sums - target) <= tolerance)
        sets = [tuple(int(k) for k in index[h + 1] if k < len(amounts)) for h in hits[:limit]]
        return len(hits), sets
    half = len(amounts) // 2
    sides = []
    for part, offset in ((amounts[:half], 0), (amounts[half:], half)):
        index, starts = _subsets(len(part))
        sums = np.append(part, 0)[index].sum(axis=1)
        groups = []
        for size in range(MOST + 1):
            rows = np.arange(starts[size], starts[size + 1])
            order = rows[np.argsort(sums[rows], kind="stable")]
            groups.append(
                (sums[order], np.where(index[order] < len(part), index[order] + offset, -1))
            )
        sides.append(groups)
    count, found = 0, list[tuple[int, ...]]()
    for size in range(1, MOST + 1):
        for left in range(size + 1):
            (left_sums, left_sets), (right_sums, right_sets) = sides[0][left], sides[1][size - left]
            if not len(left_sums) or not len(right_sums):
                continue
            low = np.searchsorted(right_sums, target - tolerance - left_sums, "left")
            high = np.searchsorted(right_sums, target + tolerance - left_sums, "right")
            count += int((high - low).sum())
            for i in np.flatnonzero(high > low):
                if len(found) >= limit:
                    break
                for j in range(low[i], min(high[i], low[i] + limit - len(found))):
                    both = np.concatenate([left_sets[i], right_sets[j]])
                    found.append(tuple(int(k) for k in both[both >= 0]))
    return count, found


def _pick(mapping: Mapping, table: Table, other: Table, role: str, settings: Settings) -> str:
    """The column of ``table`` holding ``role``: one the settings name, else (an amount
    tax included first) of the field it shares with ``other``, a preferred header
    concept, the leftmost."""
    types, preferred, never = _ROLES[role]
    overrides = [f for f in settings.fields if table.label in f.columns and f.type in types]
    chosen = next((f for f in overrides if f.name == role), overrides[0] if overrides else None)
    if chosen is not None:
        column = chosen.columns[table.label]
        if column not in [c.name for c in table.columns]:
            raise InputError(
                f"table {table.label!r} has no column {column!r}",
                path=table.path,
                sheet=table.sheet,
                hint="columns: " + ", ".join(c.name for c in table.columns),
            )
        return column
    profile = mapping.profiles[table.label]
    found = [c for c in profile.columns if c.type in types and c.concept not in never]
    if not found:
        raise InputError(
            f"no {role} column found among " + ", ".join(c.name for c in profile.columns),
            path=table.path,
            sheet=table.sheet,
            hint=f'name it in --settings: [fields.{role}] with columns = {{ {table.label} = "…" }}',
        )

    def rank(column: ColumnProfile) -> tuple[bool, bool, int, int]:
        shared = mapping.field_of(table.label, column.name)
        concept = preferred.index(column.concept) if column.concept in preferred else len(preferred)
        gross = role == "amount" and any(w in column.name.lower() for w in _GROSS)
        apart = shared is None or other.label not in shared.columns
        return (not gross, apart, concept, found.index(column))

    return min(found, key=rank).name


@dataclass
class _Side:
    """One table's values, normalised: customer codes and regions, days, cents."""

    customer: np.ndarray
    name: np.ndarray  # the customer's name as matching normalises it (华盛化工)
    region: np.ndarray
    day: np.ndarray
    cents: np.ndarray  # -1 where missing or not positive
    raw_cents: np.ndarray  # as read, NaN-free (0 where missing)
    has_amount: np.ndarray


def _sides(
    payments: Table, invoices: Table, settings: Settings, store: ProfileStore | None
) -> tuple[dict[str, dict[str, str | None]], dict[str, _Side]]:
    tables = [payments, invoices]
    profiles = []
    for table in tables:
        profile = profile_table(table, key=settings.keys.get(table.label))
        headers = [c.name for c in table.columns]
        profile_with_store(profile, headers, store, settings.keys.get(table.label))
        profiles.append(profile)
    mapping = align(tables, profiles)
    columns: dict[str, dict[str, str | None]] = {}
    for table, other in ((payments, invoices), (invoices, payments)):
        columns[table.label] = {
            role: _pick(mapping, table, other, role, settings) for role in _ROLES
        }
        columns[table.label]["key"] = mapping.profiles[table.label].key
    fields = [
        Field(role, types[0], {t.label: columns[t.label][role] for t in tables})  # type: ignore[misc]
        for role, (types, _, _) in _ROLES.items()
    ]
    prepared = prepare(tables, mapping, fields).fields
    sides = {}
    for table in tables:
        label = table.label
        number = prepared["amount"].number[label]  # type: ignore[index]
        has_amount = np.isfinite(number)
        raw = np.round(np.where(has_amount, number, 0) * 100).astype(np.int64)
        day = prepared["date"].number[label]  # type: ignore[index]
        sides[label] = _Side(
            prepared["customer"].codes[label],
            prepared["customer"].text[label],
            prepared["customer"].region[label],  # type: ignore[index]
            np.floor(day),
            np.where(raw > 0, raw, -1),
            raw,
            has_amount,
        )
    return columns, sides


def _short_names(pay: _Side, inv: _Side, written: np.ndarray) -> dict[int, tuple[int, str]]:
    """Payments whose customer has no invoice under its own name but one customer's name
    starts with it (宁波华盛 for 宁波市华盛化工有限公司, a clerk's short form) or is the
    start of it, in its region: payment row → (that customer's code, its name as the
    invoices write it). A short name that fits two customers is left alone."""
    invoiced = np.unique(inv.customer[inv.customer >= 0])
    rows = np.flatnonzero((pay.customer >= 0) & ~np.isin(pay.customer, invoiced))
    if not len(rows):
        return {}
    customers: dict[str, dict[tuple[int, int], int]] = {}  # name → (code, region) → a row
    for row, (code, name, region) in enumerate(
        zip(inv.customer.tolist(), inv.name.tolist(), inv.region.tolist(), strict=True)
    ):
        if code >= 0:
            customers.setdefault(name, {}).setdefault((code, region), row)
    names = sorted(customers)
    found: dict[int, tuple[int, str]] = {}
    pairs = np.stack([pay.customer[rows], pay.region[rows]], axis=1)
    _, which, counts = np.unique(pairs, axis=0, return_inverse=True, return_counts=True)
    grouped = rows[np.argsort(which.ravel(), kind="stable")]
    for at in np.split(grouped, np.cumsum(counts)[:-1]):  # each (name, region) of them
        name, region = str(pay.name[at[0]]), int(pay.region[at[0]])
        if len(name) < 2:
            continue
        longer = names[
            bisect.bisect_left(names, name) : bisect.bisect_left(names, name + "\U0010ffff")
        ]
        shorter = [name[:k] for k in range(2, len(name)) if name[:k] in customers]
        fits = {
            (other, theirs): row
            for known in longer + shorter
            for (other, theirs), row in customers[known].items()
            if region < 0 or theirs < 0 or theirs == region
        }
        if len(fits) == 1:
            (((other, _), row),) = fits.items()
            found.update((int(p), (other, str(written[row]))) for p in at)
    return found


def _day(days: float) -> str:
    return (EPOCH + dt.timedelta(days=int(days))).isoformat()


class _Settler:
    """The open invoices, by customer in date order, consumed payment by payment."""

    def __init__(
        self, pay: _Side, inv: _Side, ids: tuple[list[str], list[str]], customers: np.ndarray,
        days: tuple[int, int], tolerance: int,
    ) -> None:  # fmt: skip
        self.pay, self.inv, self.customers = pay, inv, customers
        self.payment_ids, self.ids = ids
        (self.window, self.slack), self.tolerance = days, tolerance
        self.open = np.where(inv.cents > 0, inv.cents, 0)
        self.held = np.zeros(len(inv.cents), dtype=bool)  # proposed to an ambiguous payment
        # Which payment (its place in date order) fits each invoice exactly, and the place
        # of the payment at hand: a guess never takes what a later payment fits.
        self.claims = np.full(len(inv.cents), -1, dtype=np.int64)
        self.now = 0
        usable = (inv.customer >= 0) & np.isfinite(inv.day) & (inv.cents > 0)
        rows = np.flatnonzero(usable)
        rows = rows[np.lexsort((rows, inv.day[rows], inv.customer[rows]))]
        codes, starts = np.unique(inv.customer[rows], return_index=True)
        ends = np.append(starts[1:], len(rows))
        self.rows = rows
        self.by_customer = {
            int(c): (int(s), int(e)) for c, s, e in zip(codes, starts, ends, strict=True)
        }

    def candidates(self, customer: int, region: int, day: float) -> np.ndarray:
        """Open invoice rows of the customer in the window, the nearest in date, oldest first."""
        start, end = self.by_customer.get(customer, (0, 0))
        rows = self.rows[start:end]
        days = self.inv.day[rows]
        keep = (self.open[rows] > 0) & (days >= day - self.window) & (days <= day + self.slack)
        if region >= 0:
            regions = self.inv.region[rows]
            keep &= (regions < 0) | (regions == region)
        rows = rows[keep]
        if len(rows) > CANDIDATES:
            nearest = np.argsort(np.abs(self.inv.day[rows] - day), kind="stable")[:CANDIDATES]
            rows = rows[np.sort(nearest)]
        return rows

    def name(self, row: int) -> str:
        full, left = int(self.inv.cents[row]), int(self.open[row])
        return self.ids[row] if left == full else f"{self.ids[row]} (rest of {money(full)})"

    def payment(self, p: int, final: bool = True) -> Settlement:
        """What payment ``p`` pays; not ``final``: exact sets only, never partly."""
        pay, pid = self.pay, self.payment_ids[p]
        if not pay.has_amount[p]:
            return _unmatched(p, None, f"{pid} has no amount")
        amount, cents = _decimal(pay.raw_cents[p]), int(pay.cents[p])
        named = f"{pid} ({money(pay.raw_cents[p])})"
        if cents <= 0:
            return _unmatched(p, amount, f"{named} is no receipt of money")
        if pay.customer[p] < 0:
            return _unmatched(p, amount, f"{named} names no customer")
        if not np.isfinite(pay.day[p]):
            return _unmatched(p, amount, f"{named} has no date")
        rows = self.candidates(int(pay.customer[p]), int(pay.region[p]), float(pay.day[p]))
        if not len(rows):
            since, until = _day(pay.day[p] - self.window), _day(pay.day[p] + self.slack)
            text = f"{named}: no open invoice of {self.customers[p]} from {since} to {until}"
            return _unmatched(p, amount, text)
        count, sets = fitting_sets(self.open[rows], cents, self.tolerance)
        if count == 1:
            chosen = rows[list(sets[0])]
            applied = self.open[chosen].copy()
            names = ", ".join(self.name(r) for r in chosen)
            text = f"{pid} pays {names} = {money(applied.sum())}"
            if applied.sum() != cents:
                text += f" (off by {money(cents - applied.sum())}, within tolerance)"
            self.open[chosen] = 0
            return Settlement(
                p, tuple(int(r) for r in chosen), tuple(_decimal(a) for a in applied),
                amount, SETTLED, explanation=text,
            )  # fmt: skip
        if count > 1:
            alternatives = tuple(tuple(int(rows[k]) for k in s) for s in sets[:SHOWN])
            shown = " | ".join(" + ".join(self.name(r) for r in alt) for alt in alternatives)
            more = f" | and {count - SHOWN} more" if count > SHOWN else ""
            first = alternatives[0]
            self.held[[r for alternative in alternatives for r in alternative]] = True
            return Settlement(
                p, first, tuple(_decimal(self.open[r]) for r in first), amount, AMBIGUOUS,
                alternatives=alternatives,
                explanation=f"{pid} ({money(cents)}) fits {count} sets of open invoices: "
                f"{shown}{more} — review",
            )  # fmt: skip
        if not final:
            return _unmatched(p, amount, f"{named}: no set of open invoices adds up to it")
        return self._oldest_first(p, pid, cents, rows)

    def _oldest_first(self, payment: int, pid: str, cents: int, rows: np.ndarray) -> Settlement:
        """No set fits: the payment goes on the oldest invoices, the last one partly; not on
        those an ambiguous payment may pay (they wait for its review) nor on those a
        later payment fits exactly. A payment worth more than every open invoice is no
        partial payment: nothing is applied."""
        free = ~self.held[rows] & (self.claims[rows] <= self.now)
        if not free.any():
            text = (
                f"{pid} ({money(cents)}): every open invoice of its customer waits for a "
                "review or fits a later payment"
            )
            return _unmatched(payment, _decimal(cents), text)
        rows = rows[free]
        before = self.open[rows]
        if cents >= before.sum():
            text = (
                f"{pid} ({money(cents)}) is more than the {len(rows)} open invoices of its "
                f"customer ({money(before.sum())}) and no set of them adds up to it"
            )
            return _unmatched(payment, _decimal(cents), text)
        reach = int(np.searchsorted(np.cumsum(before), cents, "left")) + 1
        used, applied = rows[:reach], before[:reach].copy()
        applied[-1] = cents - applied[:-1].sum()
        remainder = int(before[reach - 1] - applied[-1])
        text = f"{pid} pays "
        if reach > 1:
            names = ", ".join(self.name(r) for r in used[:-1])
            text += f"{names} = {money(applied[:-1].sum())} and "
        text += (
            f"{money(applied[-1])} of {self.ids[used[-1]]} ({money(before[reach - 1])}); "
            f"{money(remainder)} remains (no set of open invoices adds up to {money(cents)}; "
            "oldest first)"
        )
        self.open[used] -= applied
        return Settlement(
            payment, tuple(int(r) for r in used), tuple(_decimal(a) for a in applied),
            _decimal(cents), PARTIAL, _decimal(remainder), explanation=text,
        )  # fmt: skip


def _unmatched(payment: int, amount: Decimal | None, text: str) -> Settlement:
    return Settlement(payment, (), (), amount, UNMATCHED, explanation=text)


def settle(
    payments: Table,
    invoices: Table,
    *,
    window_days: int = WINDOW_DAYS,
    slack_days: int = SLACK_DAYS,
    tolerance: Decimal | float = Decimal("0.01"),
    settings: Settings | None = None,
    store: ProfileStore | None = None,
    progress: Progress = no_progress,
) -> Ledger:
    """Settle every payment against the open invoices, in payment date order. Payments
    that fit no set exactly are applied partly, around the invoices later ones fit."""
    started = time.perf_counter()
    if payments.label == invoices.label:
        raise InputError(
            f"both sources are labelled {payments.label!r}",
            hint="give each a label of its own: LABEL=PATH",
        )
    settings = settings or Settings()
    progress("read columns", 0.0)
    # An invoice of several lines (a Kingdee 序时簿) is paid as one document, its lines summed.
    payments, invoices = (
        as_documents(t, settings.documents.get(t.label)) for t in (payments, invoices)
    )
    columns, sides = _sides(payments, invoices, settings, store)
    pay, inv = sides[payments.label], sides[invoices.label]
    payment_ids = record_ids(payments, columns[payments.label]["key"])
    invoice_ids = record_ids(invoices, columns[invoices.label]["key"])
    customers = payments.values(str(columns[payments.label]["customer"])).str.strip().to_numpy()
    names = invoices.values(str(columns[invoices.label]["customer"])).str.strip().to_numpy()
    short = _short_names(pay, inv, names)
    if short:
        codes = pay.customer.copy()
        codes[list(short)] = [code for code, _ in short.values()]
        pay = dataclasses.replace(pay, customer=codes)
    config = (pay, inv, (payment_ids, invoice_ids), customers, (window_days, slack_days))
    cents = round(Decimal(str(tolerance)) * 100)
    order = np.lexsort((np.arange(len(payments)), np.nan_to_num(pay.day, nan=np.inf))).tolist()
    exact, settler = _Settler(*config, cents), _Settler(*config, cents)
    for k, p in enumerate(order):  # what each payment fits exactly, partial payments aside
        if k % 1000 == 0:
            progress("fit payments", 0.1 + 0.45 * k / len(order))
        found = exact.payment(p, final=False)
        if found.status == SETTLED:
            settler.claims[list(found.invoices)] = k
    done = []
    for k, p in enumerate(order):
        if k % 1000 == 0:
            progress("settle payments", 0.55 + 0.45 * k / len(order))
        settler.now = k
        done.append(settler.payment(p))
        if p in short:
            said = f"{done[-1].explanation} ({customers[p]} read as {short[p][1]})"
            done[-1] = dataclasses.replace(done[-1], explanation=said, read_as=short[p][1])
    progress("done", 1.0)
    paid = np.where(inv.cents > 0, inv.cents - settler.open, 0)
    return Ledger(
        payments, invoices, columns, payment_ids, invoice_ids, inv.cents, paid, done, names,
        time.perf_counter() - started, cents,
    )  # fmt: skip
