"""Optional settings that override the zero-configuration defaults.

Read from a TOML file (``--settings FILE``)::

    [thresholds]
    auto = 0.95          # links at or above this probability are accepted without review
    review = 0.5         # links between review and auto are made but flagged for review

    [tolerance]
    money = 0.01         # amounts may differ by this much (currency units) ...
    money_percent = 0    # ... or by this share of the amount, whichever is larger
    days = 7             # dates may differ by this many days
    quantity = 0         # quantities (stock) may differ by this much ...
    quantity_percent = 0 # ... or by this share, whichever is larger

    [blocking]
    max_pairs_per_record = 10   # a blocking rule may add this many pairs per record
    window = 2           # sorted-neighbourhood reach on amounts

    [conflicts]
    fields = ["amount", "status", "date"]   # which fields to check (default: by type)

    [fields.amount]      # force an alignment: field name → column per table label
    type = "money"
    columns = { erp = "价税合计", crm = "订单金额" }

    [keys]
    erp = "单据编号"      # key column per table label (same as --key erp=单据编号)

    [documents]          # tables whose rows are lines of documents (default: detected)
    erp = "单据编号"      # the document column of a line table ...
    crm = false          # ... or false: every row is a record of its own

    [chain]              # the document chain CRM → OA → ERP
    grace_days = 2       # an approval may wait this long to be booked
    as_of = 2026-11-24   # the day ages count to (default: the newest date in the tables)
    erp = "u8"           # which table label plays which system (default: detected)
    crm = "opportunities"
    oa = "dingtalk"
"""

from __future__ import annotations

import math
import tomllib
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from app.errors import InputError
from app.mapping.types import SemanticType
from app.match.blocking import MAX_PAIRS_PER_RECORD, WINDOW
from app.reconcile.chain import ROLES, ChainSettings
from app.reconcile.conflicts import Tolerance
from app.sources.files import read_regular

MAX_SETTINGS_SIZE = 1024**2


@dataclass(frozen=True)
class FieldOverride:
    name: str
    type: SemanticType
    columns: dict[str, str]


@dataclass(frozen=True)
class Settings:
    auto: float = 0.95
    review: float = 0.5
    tolerance: Tolerance = field(default_factory=Tolerance)
    max_pairs_per_record: int = MAX_PAIRS_PER_RECORD
    window: int = WINDOW
    conflict_fields: frozenset[str] | None = None
    fields: tuple[FieldOverride, ...] = ()
    keys: dict[str, str] = field(default_factory=dict)
    # the document column of a line table per label; "" reads every row as a record
    documents: dict[str, str] = field(default_factory=dict)
    chain: ChainSettings = field(default_factory=ChainSettings)


def _number(section: dict[str, Any], name: str, default: float, path: Path) -> float:
    value = section.get(name, default)
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not math.isfinite(value)
        or value < 0
    ):
        raise InputError(
            f"setting {name!r} must be a non-negative number, not {value!r}", path=path
        )
    return float(value)


def _count(section: dict[str, Any], name: str, default: int, most: int, path: Path) -> int:
    """A whole number from 0 to ``most`` (a loop runs that many times)."""
    value = _number(section, name, default, path)
    if not value.is_integer() or value > most:
        raise InputError(
            f"setting {name!r} must be a whole number from 0 to {most:,}, not {section[name]!r}",
            path=path,
        )
    return int(value)


SECTIONS = (
    "thresholds",
    "tolerance",
    "blocking",
    "conflicts",
    "fields",
    "keys",
    "documents",
    "chain",
)
NAMES = {  # the settings of each section whose names are fixed
    "thresholds": ("auto", "review"),
    "tolerance": ("money", "money_percent", "days", "quantity", "quantity_percent"),
    "blocking": ("max_pairs_per_record", "window"),
    "conflicts": ("fields",),
}


def _table(data: dict[str, Any], name: str, where: Path) -> dict[str, Any]:
    value = data.get(name, {})
    if not isinstance(value, dict):
        raise InputError(
            f"setting {name!r} must be a [{name}] table, not {value!r}",
            path=where,
            hint="see the README's settings section",
        )
    return value


def _strings(value: Any, name: str, where: Path) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InputError(
            f'setting {name!r} must be a list of names, like ["amount", "date"], not {value!r}',
            path=where,
        )
    return value


def _check_shape(data: dict[str, Any], where: Path) -> None:
    """Every section a table of the right kind; a misspelt section is named."""
    unknown = sorted(set(data) - set(SECTIONS))
    if unknown:
        raise InputError(
            f"unknown setting {unknown[0]!r}",
            path=where,
            hint="settings: " + ", ".join(SECTIONS),
        )
    for name in SECTIONS:
        _table(data, name, where)
    for section, names in NAMES.items():
        unknown = sorted(set(data.get(section, {})) - set(names))
        if unknown:
            raise InputError(
                f"unknown setting {section}.{unknown[0]}",
                path=where,
                hint=f"{section} settings: " + ", ".join(names),
            )
    for label, column in data.get("keys", {}).items():
        if not isinstance(column, str):
            raise InputError(
                f"setting keys.{label} must be a column name, not {column!r}", path=where
            )
    for label, column in data.get("documents", {}).items():
        if not isinstance(column, str) and column is not False:
            raise InputError(
                f"setting documents.{label} must be a column name or false, not {column!r}",
                path=where,
            )
    for name, spec in data.get("fields", {}).items():
        columns = spec.get("columns") if isinstance(spec, dict) else None
        if (
            not isinstance(spec, dict)
            or set(spec) - {"type", "columns"}
            or not isinstance(columns, dict)
            or not all(isinstance(column, str) for column in columns.values())
        ):
            raise InputError(
                f"setting fields.{name} must be a table with type and columns, like "
                'type = "money" and columns = { erp = "价税合计" }',
                path=where,
            )
    conflicts = data.get("conflicts", {})
    if "fields" in conflicts:
        _strings(conflicts["fields"], "conflicts.fields", where)
    for name, value in data.get("chain", {}).items():
        if name in ROLES and not isinstance(value, str):
            raise InputError(
                f"setting chain.{name} must be a table label, not {value!r}", path=where
            )
        if name not in (*ROLES, "grace_days", "as_of"):
            raise InputError(
                f"unknown setting chain.{name}",
                path=where,
                hint="chain settings: grace_days, as_of, " + ", ".join(ROLES),
            )


def _day(section: dict[str, Any], name: str, where: Path) -> date | None:
    value = section.get(name)
    if value is None:
        return None
    if isinstance(value, str):
        with suppress(ValueError):
            return date.fromisoformat(value.strip())
    elif isinstance(value, date) and not isinstance(value, datetime):
        return value
    raise InputError(
        f"setting chain.{name} must be a day like 2026-11-24, not {value!r}", path=where
    )


def _chain(section: dict[str, Any], where: Path) -> ChainSettings:
    return ChainSettings(
        grace_days=_number(section, "grace_days", 2, where),
        as_of=_day(section, "as_of", where),
        roles=tuple((role, section[role]) for role in ROLES if role in section),
    )


def load_settings(path: Path | None, keys: dict[str, str] | None = None) -> Settings:
    """Settings from a TOML file (or the defaults), with ``keys`` from the command line on top."""
    data: dict[str, Any] = {}
    if path is not None:
        text = read_regular(path, MAX_SETTINGS_SIZE, noun="settings file")
        try:
            data = tomllib.loads(text.decode("utf-8-sig"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError, RecursionError) as error:
            reason = "too deeply nested" if isinstance(error, RecursionError) else str(error)
            raise InputError(
                f"the settings file is not valid TOML ({reason[:200]})",
                path=path,
                hint="see the README's settings section",
            ) from None
    return settings_from(data, keys, path)


def settings_from(
    data: dict[str, Any], keys: dict[str, str] | None = None, path: Path | None = None
) -> Settings:
    """Settings from the tables of a settings file (also how a saved job keeps them)."""
    where = path or Path("settings")
    _check_shape(data, where)
    thresholds = data.get("thresholds", {})
    tolerance = data.get("tolerance", {})
    blocking = data.get("blocking", {})
    auto = _number(thresholds, "auto", 0.95, where)
    review = _number(thresholds, "review", 0.5, where)
    if not 0 < review <= auto <= 1:
        raise InputError("thresholds must satisfy 0 < review ≤ auto ≤ 1", path=where)
    overrides = []
    for name, spec in data.get("fields", {}).items():
        try:
            overrides.append(FieldOverride(name, SemanticType(spec["type"]), dict(spec["columns"])))
        except (KeyError, ValueError, TypeError):
            raise InputError(
                f"field {name!r} needs a valid type and a columns table",
                path=where,
                hint="types: " + ", ".join(t.value for t in SemanticType),
            ) from None
    conflict_fields = data.get("conflicts", {}).get("fields")
    return Settings(
        auto=auto,
        review=review,
        tolerance=Tolerance(
            money=_number(tolerance, "money", 0.01, where),
            money_share=_number(tolerance, "money_percent", 0.0, where) / 100,
            days=_number(tolerance, "days", 7, where),
            number=_number(tolerance, "quantity", 0, where),
            number_share=_number(tolerance, "quantity_percent", 0, where) / 100,
        ),
        max_pairs_per_record=_count(
            blocking, "max_pairs_per_record", MAX_PAIRS_PER_RECORD, 10_000, where
        ),
        window=_count(blocking, "window", WINDOW, 1_000, where),
        conflict_fields=frozenset(conflict_fields) if conflict_fields is not None else None,
        fields=tuple(overrides),
        keys={**data.get("keys", {}), **(keys or {})},
        documents={label: column or "" for label, column in data.get("documents", {}).items()},
        chain=_chain(data.get("chain", {}), where),
    )
