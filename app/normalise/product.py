"""Product codes (物料编码, SKU, part numbers): upper case, no separators.

Catalogues and order lines write the same code as AB-12-X, ab12x or "AB 12 X". Removing
separators makes AB-12 equal AB12 as well, an acceptable price: two different products
whose codes differ only by a dash do not occur in practice.
"""

from __future__ import annotations

import re

from app.normalise.text import fold, settle

__all__ = ["normalise_product_code"]

_SEPARATORS = re.compile(r"[\s\-_/.]+")


def _once(s: str) -> str:
    return _SEPARATORS.sub("", fold(s)).upper()


def normalise_product_code(s: str) -> str:
    """Folded, upper case, without spaces, - _ / and dots."""
    return settle(_once, s)
