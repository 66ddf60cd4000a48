"""Chinese numerals in amounts: 壹万贰仟叁佰肆拾伍元陆角柒分 → 12345.67.

Cheques, invoices and contracts write the amount in capitals (大写) next to the figures,
and some exports keep only the capitals. Both capital and ordinary numerals are read, with
traditional forms, 两 for two, and 整/正 at the end. Anything that is not a well-formed
numeral (一二三, stray characters, a digit with no unit in the wrong place) gives None.
"""

from __future__ import annotations

from decimal import Decimal

__all__ = ["parse_chinese_amount"]

_DIGITS = {
    **dict.fromkeys("零〇", 0),
    **dict.fromkeys("壹一", 1),
    **dict.fromkeys("贰貳二两兩", 2),
    **dict.fromkeys("叁參参叄三", 3),
    **dict.fromkeys("肆四", 4),
    **dict.fromkeys("伍五", 5),
    **dict.fromkeys("陆陸六", 6),
    **dict.fromkeys("柒七", 7),
    **dict.fromkeys("捌八", 8),
    **dict.fromkeys("玖九", 9),
}
_SMALL_UNITS = {
    **dict.fromkeys("十拾", 10),
    **dict.fromkeys("百佰", 100),
    **dict.fromkeys("千仟", 1000),
}
_BIG_UNITS = {**dict.fromkeys("万萬", 10**4), **dict.fromkeys("亿億", 10**8)}
_YUAN = "元圆圓块塊"
_FRACTION_UNITS = {
    "角": Decimal("0.1"),
    "毛": Decimal("0.1"),
    "分": Decimal("0.01"),
    "厘": Decimal("0.001"),
}
_ALLOWED = frozenset(_DIGITS) | frozenset(_SMALL_UNITS) | frozenset(_BIG_UNITS)
_ALLOWED |= frozenset(_YUAN) | frozenset(_FRACTION_UNITS) | frozenset("整正")


def _integer(text: str) -> int | None:
    total = 0
    section = 0
    number = 0
    previous_digit = False
    last_unit = 10**5
    for ch in text:
        if ch in _DIGITS:
            if previous_digit and number:
                return None  # 一二: a list of digits, not a numeral; only 零 may precede
            number = _DIGITS[ch]
            previous_digit = True
            continue
        previous_digit = False
        if ch in _SMALL_UNITS:
            unit = _SMALL_UNITS[ch]
            if unit >= last_unit or (not number and unit != 10):
                return None
            section += (number or 1) * unit
            number = 0
            last_unit = unit
        elif ch in _BIG_UNITS:
            if not (section or number or total):
                return None
            if _BIG_UNITS[ch] == 10**4:
                total += (section + number) * 10**4
            else:
                total = (total + section + number) * 10**8
            section = number = 0
            last_unit = 10**5
        else:
            return None
    return total + section + number


def _fraction(text: str) -> Decimal | None:
    value = Decimal(0)
    pending: int | None = None
    for ch in text:
        if ch in _DIGITS:
            if pending:
                return None
            pending = _DIGITS[ch] or None
        elif ch in _FRACTION_UNITS:
            if pending is None:
                return None
            value += pending * _FRACTION_UNITS[ch]
            pending = None
        else:
            return None
    if pending is not None:  # 三块五: a last bare digit counts as 角
        if value:
            return None
        value = pending * _FRACTION_UNITS["角"]
    return value


def parse_chinese_amount(text: str) -> Decimal | None:
    """The value of a Chinese numeral amount (folded text, no spaces), or None."""
    if not text or not _ALLOWED.issuperset(text):
        return None
    if not any(ch in _DIGITS or ch in "十拾" for ch in text):
        return None
    text = text.rstrip("整正")
    cut = next((i for i, ch in enumerate(text) if ch in _YUAN), -1)
    if cut >= 0:
        integer_part, fraction_part = text[:cut], text[cut + 1 :]
    elif any(ch in _FRACTION_UNITS for ch in text):
        integer_part, fraction_part = "", text
    else:
        integer_part, fraction_part = text, ""
    integer = _integer(integer_part)
    fraction = _fraction(fraction_part)
    if integer is None or fraction is None or (not integer_part and not fraction_part):
        return None
    return Decimal(integer) + fraction
