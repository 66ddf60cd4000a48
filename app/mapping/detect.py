"""Give every column of a table a semantic type, and find the table's key column.

Header and content vote together: a known header settles the type when the content
does not contradict it, an unmistakable content (e-mails, valid USCCs, dates) overrules a
misleading header, and content alone decides for headers the dictionary does not know.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from app.errors import InputError
from app.mapping.content import ContentGuess, guess_from_content
from app.mapping.headers import match_header
from app.mapping.types import IDENTIFIERS, compatible
from app.mapping.types import SemanticType as T
from app.sources.table import Table
from app.sources.vector import is_blank

SAMPLE_SIZE = 400
# Content this clear overrules the header (a "电话" column full of e-mail addresses).
_DECISIVE = frozenset({T.EMAIL, T.USCC, T.PHONE, T.DATE, T.DATETIME, T.MONEY, T.STATUS})


@dataclass
class ColumnProfile:
    """What one column is, how sure we are, and a few example values."""

    name: str
    type: T
    confidence: float
    concept: str | None = None  # the dictionary concept its header names, if any
    samples: list[str] = field(default_factory=list)
    filled: float = 0.0  # share of rows with a value
    unique: bool = False  # non-empty values all distinct
    field: str | None = None  # a field name the user gave this column (mapping profile)


@dataclass
class TableProfile:
    columns: list[ColumnProfile]
    key: str | None
    key_reason: str = ""  # why that column is the key (``concord inspect`` says it)

    def column(self, name: str) -> ColumnProfile:
        return next(c for c in self.columns if c.name == name)

    def of_type(self, *types: T) -> list[ColumnProfile]:
        return [c for c in self.columns if c.type in types]


def sample(values: pd.Series, size: int = SAMPLE_SIZE) -> list[str]:
    """Evenly spread non-empty values (deterministic), at most ``size``."""
    filled = values[~is_blank(values)]
    if len(filled) <= size:
        return filled.tolist()
    positions = np.linspace(0, len(filled) - 1, size).astype(int)
    return filled.iloc[positions].tolist()


def _decide(header: str, guess: ContentGuess) -> tuple[T, float, str | None]:
    match = match_header(header)
    if match is None:
        if guess.score == 0:
            return T.TEXT, 0.3, None
        return guess.type, round(0.5 + 0.4 * guess.score, 2), None
    concept = match.concept
    if compatible(concept.type, guess.type) or (
        concept.type in IDENTIFIERS and guess.type in IDENTIFIERS
    ):
        return (
            concept.type,
            round(min(0.99, max(match.confidence, guess.score) + 0.04), 2),
            concept.name,
        )
    if concept.type in IDENTIFIERS and match.confidence >= 0.9 and guess.type == T.PHONE:
        # A header that names an ID (Account ID, 客户编号) over digits a phone could have
        # (00110000879 reads as an international number).
        return concept.type, round(match.confidence * 0.9, 2), concept.name
    if guess.type in _DECISIVE and guess.score >= 0.9 and concept.type not in _DECISIVE:
        return guess.type, round(0.6 + 0.3 * guess.score, 2), concept.name
    if guess.type in _DECISIVE and guess.score >= 0.95 and match.confidence < 0.9:
        return guess.type, round(0.5 + 0.3 * guess.score, 2), concept.name
    # The header is known but the content does not confirm it (often: a sparse column).
    return concept.type, round(match.confidence * 0.8, 2), concept.name


def profile_table(table: Table, key: str | None = None) -> TableProfile:
    """Types of every column and the key column (``key`` overrides detection)."""
    columns = []
    for column in table.columns:
        values = table.values(column.name)
        blank = is_blank(values)
        filled_count = int((~blank).sum())
        guess = guess_from_content(sample(values))
        type_, confidence, concept = _decide(column.name, guess)
        unique = filled_count > 0 and int(values[~blank].nunique()) == filled_count
        columns.append(
            ColumnProfile(
                name=column.name,
                type=type_,
                confidence=confidence,
                concept=concept,
                samples=_examples(values[~blank]),
                filled=filled_count / len(values) if len(values) else 0.0,
                unique=unique,
            )
        )
    profile = TableProfile(columns, None)
    if key is not None:
        if key not in [c.name for c in columns]:
            raise InputError(
                f"there is no column {key!r} to use as the key",
                path=table.path,
                sheet=table.sheet,
                hint="columns: " + ", ".join(c.name for c in columns),
            )
        profile.key, profile.key_reason = key, "given"
    else:
        profile.key, profile.key_reason = find_key(profile)
    set_key(profile, profile.key, profile.key_reason)
    return profile


def set_key(profile: TableProfile, key: str | None, reason: str) -> None:
    """Make ``key`` the table's key: its column typed as the key, any other as a reference."""
    profile.key, profile.key_reason = key, reason
    for column in profile.columns:
        if column.name == key:
            column.type = T.KEY
        elif column.type == T.KEY:
            column.type = T.REFERENCE


def _examples(values: pd.Series, count: int = 3) -> list[str]:
    examples: list[str] = []
    for value in values.head(200).str.strip().tolist():
        if value and value not in examples:
            examples.append(value)
        if len(examples) == count:
            break
    return examples


def key_candidates(profile: TableProfile) -> list[ColumnProfile]:
    """The columns that could identify a record: complete, unique and ID-like."""
    return [c for c in profile.columns if c.type in IDENTIFIERS and c.unique and c.filled >= 0.999]


def find_key(profile: TableProfile) -> tuple[str | None, str]:
    """The column that identifies a record, and why: complete, unique and ID-like.

    Among several, a header that names a record number (单据编号, 审批编号, ID) beats
    one that names a reference (客户编码 is the key of a customer list, but only when
    nothing better is there), and the leftmost wins a tie.
    """
    best: tuple[float, ColumnProfile] | None = None
    candidates = key_candidates(profile)
    for column in candidates:
        score = {T.KEY: 3.0, T.REFERENCE: 2.0, T.PRODUCT_CODE: 1.0}[column.type]
        if column.concept is None:
            score -= 0.5
        score -= profile.columns.index(column) * 0.01
        if best is None or score > best[0]:
            best = (score, column)
    if best is None:
        return None, "no column is complete, unique and ID-like: records are named row:N"
    chosen = best[1]
    if len(candidates) == 1:
        return chosen.name, "the only complete, unique, ID-like column"
    if chosen.type == T.KEY and chosen.concept is not None:
        return chosen.name, "complete and unique, and its header names a record number"
    return chosen.name, "complete, unique and ID-like, the first such column"
