"""Amounts of money and quantities as :class:`~decimal.Decimal`, never float.

Accepted: currency marks (¥ ￥ $ RMB CNY 元 人民币 ...), thousands separators (, ， space ')
in proper groups of three, negatives as -1, 1- or (1) / （1）, scale words (千 万 百万 千万 亿),
scientific notation, and Chinese numerals, upper-case (壹万贰仟叁佰肆拾伍元陆角柒分整) or
not. A comma that is not a thousands separator (12,5) makes the value unparseable rather
than guessed.
"""

from __future__ import annotations

import re
from decimal import Context, Decimal, InvalidOperation

from app.normalise.chinese_numerals import parse_chinese_amount
from app.normalise.text import fold

__all__ = [
    "header_scale",
    "normalise_money",
    "normalise_quantity",
    "parse_money",
    "parse_quantity",
]

_CONTEXT = Context(prec=60)
# 10**21 and above is not an amount, nor 10**-21 and below a quantity; the bound also keeps
# the formatted text short.
_MAX_ADJUSTED = 20
_MAX_LENGTH = 80
_CURRENCY_PREFIX = re.compile(r"^(?:人民币|rmb|cny|usd|hkd|eur|美元|港币|港元|us\$|hk\$|[¥$€£])\s*")
_CURRENCY_SUFFIX = re.compile(
    r"\s*(?:人民币|rmb|cny|usd|hkd|eur|美元|港币|港元|元整|元正|块钱|元|圆|块|整|正|[¥$€£])$"
)
_SCALE = {"千": 1000, "万": 10**4, "十万": 10**5, "百万": 10**6, "千万": 10**7, "亿": 10**8}
_SCALE_SUFFIX = re.compile(r"\s*(十万|百万|千万|千|万|亿)$")
_NUMBER = re.compile(
    r"(?P<int>\d{1,3}(?:(?P<sep>[, '])\d{3})(?:(?P=sep)\d{3})*|\d+)?"
    r"(?:\.(?P<frac>\d*))?(?:e(?P<exp>[+-]?\d{1,4}))?"
)
_TRAILING_LETTERS = re.compile(r"[^\W\d_]+\.?$")  # 个, 件, 台, pcs, kg, pcs.
_SCALE_WORDS = ("十万", "百万", "千万", "千", "万", "亿")
_MAX_UNIT = 8
_MINUS_SIGNS = str.maketrans({"−": "-", "–": "-", "—": "-", "﹣": "-"})


def _peel(text: str) -> tuple[str, bool] | None:
    """Remove signs, brackets and currency marks around the number: (rest, negative)."""
    negative = False
    signed = False
    for _ in range(8):
        before = text
        text = _CURRENCY_SUFFIX.sub("", _CURRENCY_PREFIX.sub("", text.strip()))
        if len(text) >= 2 and text[0] == "(" and text[-1] == ")":
            text, flip = text[1:-1], True
        elif text[:1] in "+-" and text:
            text, flip = text[1:], text[0] == "-"
        elif text.endswith("-"):
            text, flip = text[:-1], True
        else:
            flip = None
        if flip is not None:
            if signed:
                return None
            signed, negative = True, flip
        if text == before:
            return text.strip(), negative
    return None


def _to_decimal(text: str) -> Decimal | None:
    match = _NUMBER.fullmatch(text)
    if not match or not (match.group("int") or match.group("frac")):
        return None
    digits = (match.group("int") or "0").replace(match.group("sep") or ",", "")
    frac, exp = match.group("frac"), match.group("exp")
    literal = digits + (f".{frac}" if frac else "") + (f"e{exp}" if exp else "")
    try:
        value = Decimal(literal)
    except InvalidOperation:
        return None
    if value and abs(value.adjusted()) > _MAX_ADJUSTED:
        return None
    return value


def _strip_unit(text: str) -> str:
    """The quantity without the unit after its number; a scale word (万件) stays."""
    match = _TRAILING_LETTERS.search(text)
    if match is None or match.start() == 0 or _NUMBER.fullmatch(text):
        return text
    run = match.group(0)
    scale = next((w for w in _SCALE_WORDS if run.startswith(w)), "")
    if len(run) - len(scale) > _MAX_UNIT:
        return text
    return text[: match.start()].rstrip() + scale


def _parse(s: str, allow_unit: bool) -> Decimal | None:
    text = fold(s).translate(_MINUS_SIGNS)
    if not text or len(text) > _MAX_LENGTH:
        return None
    if allow_unit:
        text = _strip_unit(text)
    peeled = _peel(text)
    if peeled is None or not peeled[0]:
        return None
    text, negative = peeled
    value = parse_chinese_amount(text)
    if value is None:
        scale = 1
        suffix = _SCALE_SUFFIX.search(text)
        if suffix and suffix.start() > 0:
            scale, text = _SCALE[suffix.group(1)], text[: suffix.start()]
        value = _to_decimal(text.strip())
        if value is None:
            return None
        value = _CONTEXT.multiply(value, Decimal(scale))
    if value and abs(value.adjusted()) > _MAX_ADJUSTED:
        return None
    return _CONTEXT.minus(value) if negative and value else value


# A unit a header declares for its whole column: 合同金额(万元), 金额（千元）, Amount (k).
_HEADER_UNIT = re.compile(
    r"[(（\[【]\s*(?:单位\s*[:：]?\s*)?(?:人民币)?\s*(十万|百万|千万|千|万|亿)\s*元?\s*[)）\]】]"
    r"|(十万|百万|千万|千|万|亿)元\s*$"
)


def header_scale(header: str) -> int:
    """How many currency units one unit of a column's values is, by the unit its header
    declares: 10000 for 合同金额(万元) or 金额万元, 1 when it declares none (or 元)."""
    match = _HEADER_UNIT.search(fold(header))
    if match is None:
        return 1
    return _SCALE[match.group(1) or match.group(2)]


def parse_money(s: str) -> Decimal | None:
    """The amount in a cell, or None when it is empty or not an amount."""
    return _parse(s, allow_unit=False)


def parse_quantity(s: str) -> Decimal | None:
    """Like :func:`parse_money`, and a trailing unit (个, 件, pcs, kg) is ignored."""
    return _parse(s, allow_unit=True)


def normalise_money(s: str) -> str:
    """Two decimals, rounded half up ("12345.00", "-0.50"); the folded cell if not money."""
    value = parse_money(s)
    if value is None:
        return fold(s)
    rounded = value.quantize(Decimal("0.01"), rounding="ROUND_HALF_UP", context=_CONTEXT)
    return f"{rounded:.2f}" if rounded else "0.00"


def normalise_quantity(s: str) -> str:
    """Plain decimal without trailing zeros ("1200", "1.5"); the folded cell otherwise."""
    value = parse_quantity(s)
    if value is None:
        return fold(s)
    if not value:
        return "0"
    return format(value.normalize(_CONTEXT), "f")
