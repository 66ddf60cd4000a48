"""The semantic types a column can have (DESIGN.md step 2)."""

from __future__ import annotations

from enum import StrEnum


class SemanticType(StrEnum):
    COMPANY = "company"
    PERSON = "person"
    PHONE = "phone"
    EMAIL = "email"
    USCC = "uscc"  # unified social credit code, check digit validated
    KEY = "key"  # the record identifier of this table
    REFERENCE = "reference"  # a key of another record or system
    MONEY = "money"
    QUANTITY = "quantity"
    DATE = "date"
    DATETIME = "datetime"
    STATUS = "status"
    ADDRESS = "address"
    PRODUCT_CODE = "product_code"
    TEXT = "text"


T = SemanticType

# Types that may stand in for each other when header and content disagree mildly.
COMPATIBLE: tuple[frozenset[SemanticType], ...] = (
    frozenset({T.KEY, T.REFERENCE, T.PRODUCT_CODE}),
    frozenset({T.DATE, T.DATETIME}),
    frozenset({T.MONEY, T.QUANTITY}),
)

IDENTIFIERS = frozenset({T.KEY, T.REFERENCE, T.PRODUCT_CODE})


def compatible(a: SemanticType, b: SemanticType) -> bool:
    return a == b or any(a in group and b in group for group in COMPATIBLE)
