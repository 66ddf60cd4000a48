"""Step 3 of the data flow: per-type normalisers that make format differences vanish.

Every imported cell is a raw string. The normaliser of a column's semantic type turns it
into canonical text, so two values that differ only in format compare equal (a difference
of format is never a conflict); the parsers give typed values (Decimal, date, datetime) for
comparisons with a tolerance. All functions are total — any ``str`` in, never an exception
— and every ``normalise_*`` function is idempotent: ``f(f(x)) == f(x)``.

:data:`NORMALISERS` maps a semantic type name to its normaliser; :func:`normaliser_for`
looks one up with free text as the fallback.
"""

from __future__ import annotations

from collections.abc import Callable

from app.normalise.address import normalise_address
from app.normalise.company import (
    analyse_company,
    company_core,
    company_region,
    is_branch,
    normalise_company,
    place_region,
)
from app.normalise.dates import (
    excel_serial_to_datetime,
    normalise_date,
    normalise_datetime,
    parse_date,
    parse_datetime,
)
from app.normalise.email import is_email, normalise_email
from app.normalise.money import normalise_money, normalise_quantity, parse_money, parse_quantity
from app.normalise.person import normalise_person
from app.normalise.phone import is_phone, normalise_phone, phone_digits
from app.normalise.product import normalise_product_code
from app.normalise.reference import find_references, looks_like_reference, normalise_reference
from app.normalise.status import CANONICAL_STATES, canonical_status, normalise_status
from app.normalise.text import fold, normalise_text, strip_punct
from app.normalise.uscc import is_valid_uscc, normalise_uscc, uscc_check_char

__all__ = [
    "CANONICAL_STATES",
    "NORMALISERS",
    "analyse_company",
    "canonical_status",
    "company_core",
    "company_region",
    "excel_serial_to_datetime",
    "find_references",
    "fold",
    "is_branch",
    "is_email",
    "is_phone",
    "is_valid_uscc",
    "looks_like_reference",
    "normalise_address",
    "normalise_company",
    "normalise_date",
    "normalise_datetime",
    "normalise_email",
    "normalise_money",
    "normalise_person",
    "normalise_phone",
    "normalise_product_code",
    "normalise_quantity",
    "normalise_reference",
    "normalise_status",
    "normalise_text",
    "normalise_uscc",
    "normaliser_for",
    "parse_date",
    "parse_datetime",
    "parse_money",
    "parse_quantity",
    "phone_digits",
    "place_region",
    "strip_punct",
    "uscc_check_char",
]

Normaliser = Callable[[str], str]

NORMALISERS: dict[str, Normaliser] = {
    "company": normalise_company,
    "person": normalise_person,
    "phone": normalise_phone,
    "email": normalise_email,
    "uscc": normalise_uscc,
    "key": normalise_reference,
    "reference": normalise_reference,
    "money": normalise_money,
    "quantity": normalise_quantity,
    "date": normalise_date,
    "datetime": normalise_datetime,
    "status": normalise_status,
    "address": normalise_address,
    "product_code": normalise_product_code,
    "text": normalise_text,
}


def normaliser_for(type_name: str) -> Normaliser:
    """The normaliser of a semantic type name (a ``SemanticType`` works too); free-text
    folding for a name it does not know."""
    return NORMALISERS.get(str(type_name), normalise_text)
