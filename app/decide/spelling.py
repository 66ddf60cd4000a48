"""A value written the way the target column already writes its values.

A fix that takes the ERP's amount for the CRM must read like the CRM's other amounts
(``CNY 196,080.36``, ``¥21,932.80``, ``1,068.00``), not like the ERP's (``1095``), or the
target system's import rejects it and its sums break. The style is learned from the
values the column holds: currency before or after the number, thousands separators,
decimals, and how negatives are written — the most common way wins.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from app.normalise import (
    canonical_status,
    is_phone,
    normalise_phone,
    normalise_reference,
    parse_date,
    parse_money,
)

_AMOUNT = re.compile(
    r"^(?P<before>\D*?)(?P<sign>[-+(]?)(?P<digits>\d[\d,]*)(?:\.(?P<decimals>\d+))?"
    r"(?P<close>\)?)(?P<after>\D*)$"
)
_SAMPLE = 500  # values looked at to learn a column's style


@dataclass(frozen=True)
class MoneyStyle:
    before: str = ""  # "CNY ", "¥", "￥"
    after: str = ""  # "元", " CNY"
    thousands: bool = False
    decimals: int | None = None  # None: as many as the value needs (no trailing zeros)
    brackets: bool = False  # negatives as (1,234.00)

    def render(self, amount: Decimal) -> str:
        negative = amount < 0
        magnitude = -amount if negative else amount
        if self.decimals is None:
            text = format(magnitude.normalize(), "f")
            whole, _, fraction = text.partition(".")
        else:
            text = f"{magnitude:.{self.decimals}f}"
            whole, _, fraction = text.partition(".")
        if self.thousands:
            whole = f"{int(whole):,}"
        number = whole + (f".{fraction}" if fraction else "")
        if negative:
            number = f"({number})" if self.brackets else f"-{number}"
        return f"{self.before}{number}{self.after}"


def money_style(values: Iterable[str]) -> MoneyStyle | None:
    """The way the column writes an amount (each trait by its most common form), or None
    when it holds no amount. Thousands separators are judged on amounts of four digits
    or more, since smaller ones never show one."""
    affixes: Counter[tuple[str, str]] = Counter()
    decimals: Counter[int | None] = Counter()
    separated: Counter[bool] = Counter()
    brackets = False
    seen = 0
    for value in values:
        text = str(value).strip()
        match = _AMOUNT.match(text) if text else None
        if match is None or parse_money(text) is None:
            continue
        affixes[(match["before"], match["after"])] += 1
        decimals[len(match["decimals"]) if match["decimals"] else None] += 1
        if len(match["digits"].replace(",", "")) >= 4:
            separated["," in match["digits"]] += 1
        brackets = brackets or match["sign"] == "("
        seen += 1
        if seen >= _SAMPLE:
            break
    if not seen:
        return None
    (before, after), _ = affixes.most_common(1)[0]
    thousands = bool(separated) and separated.most_common(1)[0][0]
    return MoneyStyle(before, after, thousands, decimals.most_common(1)[0][0], brackets)


def _date_forms(day: dt.date) -> dict[str, str]:
    """The ways exports write a date, by name."""
    y, m, d = day.year, day.month, day.day
    return {
        "y-m-d": f"{y}-{m:02d}-{d:02d}",
        "y/m/d": f"{y}/{m:02d}/{d:02d}",
        "y.m.d": f"{y}.{m:02d}.{d:02d}",
        "y-m-d short": f"{y}-{m}-{d}",
        "y/m/d short": f"{y}/{m}/{d}",
        "m/d/y": f"{m:02d}/{d:02d}/{y}",
        "m/d/y short": f"{m}/{d}/{y}",
        "d/m/y": f"{d:02d}/{m:02d}/{y}",
        "d.m.y": f"{d:02d}.{m:02d}.{y}",
        "y年m月d日": f"{y}年{m}月{d}日",
        "y年mm月dd日": f"{y}年{m:02d}月{d:02d}日",
        "ymd": f"{y}{m:02d}{d:02d}",
    }


def date_style(values: Iterable[str]) -> str | None:
    """The most common way the column writes a date (a name of :func:`_date_forms`),
    or None when it holds no plain date."""
    forms: Counter[str] = Counter()
    seen = 0
    for value in values:
        text = str(value).strip()
        day = parse_date(text) if text else None
        if day is None:
            continue
        for name, form in _date_forms(day).items():
            if form == text:
                forms[name] += 1
        seen += 1
        if seen >= _SAMPLE:
            break
    return forms.most_common(1)[0][0] if forms else None


def render_date(day: dt.date, style: str) -> str:
    return _date_forms(day)[style]


def status_words(values: Iterable[str]) -> dict[str, str]:
    """Per canonical state, the word the column uses for it most often (U8 审核/开立,
    Kingdee 已审核/未审核, Salesforce Closed Won, DingTalk 已通过)."""
    words: dict[str, Counter[str]] = {}
    seen = 0
    for value in values:
        text = str(value).strip()
        state = canonical_status(text) if text else ""
        if not state:
            continue
        words.setdefault(state, Counter())[text] += 1
        seen += 1
        if seen >= _SAMPLE * 4:
            break
    return {state: counter.most_common(1)[0][0] for state, counter in words.items()}


@dataclass(frozen=True)
class Shape:
    """How a column writes its phone numbers or codes, per kind of value: a template per
    signature (the canonical value with ``#`` for each digit and ``A`` for each letter,
    ``###########`` for a mobile, ``AAA#########`` for CRM202600123) in which ``#``, ``A``
    and ``a`` take the value's characters in order and the rest is written as it is:
    ``+86 ### #### ####``, ``AAA-####-#####``."""

    templates: dict[str, str]
    canonical: Callable[[str], str]

    def render(self, value: str) -> str | None:
        """``value`` written the column's way, or None when the column has no value of
        its kind to learn from."""
        canonical = self.canonical(value)
        template = self.templates.get(_signature(canonical)) if canonical else None
        if template is None:
            return None
        characters = iter(re.sub(r"[^0-9A-Za-z]", "", canonical))
        return "".join(
            next(characters).lower() if slot == "a" else next(characters) if slot in "#A" else slot
            for slot in template
        )


def _signature(canonical: str) -> str:
    return re.sub(r"[A-Za-z]", "A", re.sub(r"\d", "#", canonical))


def _learn_shape(
    values: Iterable[str],
    canonical: Callable[[str], str],
    template: Callable[[str, str], str | None],
) -> Shape | None:
    forms: dict[str, Counter[str]] = {}
    seen = 0
    for value in values:
        text = str(value).strip()
        wanted = canonical(text) if text else ""
        found = template(text, wanted) if wanted else None
        if found is None:
            continue
        forms.setdefault(_signature(wanted), Counter())[found] += 1
        seen += 1
        if seen >= _SAMPLE:
            break
    if not forms:
        return None
    return Shape({key: c.most_common(1)[0][0] for key, c in forms.items()}, canonical)


def _phone_template(text: str, canonical: str) -> str | None:
    """``text`` with the digits of its number as ``#`` (a country prefix stays as it is),
    or None for a value that is more than one number, or carries an extension."""
    digits, number = re.sub(r"\D", "", text), re.sub(r"\D", "", canonical)
    if canonical.count("-") > (1 if canonical[0] == "0" else 0) or not digits.endswith(number):
        return None
    prefix, out = len(digits) - len(number), []
    for ch in text:
        if ch.isdigit():
            out.append(ch if prefix > 0 else "#")
            prefix -= 1
        else:
            out.append(ch)
    return "".join(out)


def _code_template(text: str, canonical: str) -> str | None:
    """``text`` with its letters and digits as ``A``/``a``/``#``, when they spell exactly
    the canonical code (a label such as "No." that normalising drops: None)."""
    if re.sub(r"[^0-9A-Za-z]", "", text).upper() != canonical:
        return None
    return "".join(
        "#"
        if ch.isdigit()
        else ("a" if ch.islower() else "A")
        if ch.isalnum() and ch.isascii()
        else ch
        for ch in text
    )


def phone_shape(values: Iterable[str]) -> Shape | None:
    """How the column writes a phone number (``+86 138 0013 8000``, ``0755-8888 6666``)."""
    return _learn_shape(values, normalise_phone, _phone_template)


def code_shape(values: Iterable[str]) -> Shape | None:
    """How the column writes a document number or code (``CRM-2026-00123``, ``so00012``)."""
    return _learn_shape(values, normalise_reference, _code_template)


def meaning(text: str) -> tuple[str, str] | None:
    """What a value written in a system's own spelling means, for a person checking a fix
    before it is written: ("status", "approved") for 审核, ("money", "71431.71") for
    ``CNY 71,431.71``, ("date", "2026-10-13") for ``10/13/2026``, ("phone",
    "13800138000") for ``+86 138 0013 8000``; None when the text says it plainly."""
    text = str(text).strip()
    if not text:
        return None
    state = canonical_status(text)
    if state:
        return ("status", state) if state != text else None
    if is_phone(text):
        number = normalise_phone(text)
        return ("phone", number) if number != text else None
    day = parse_date(text) if not _plain_number(text) else None  # 21716.8 is no date
    if day is not None:
        return ("date", day.isoformat()) if day.isoformat() != text else None
    match = _AMOUNT.match(text)
    amount = parse_money(text) if match else None
    if match and amount is not None:
        plain = format(amount.normalize(), "f")
        return ("money", plain) if plain != text and not _plain_number(text) else None
    return None


def _plain_number(text: str) -> bool:
    """Whether ``text`` is a number as a number column holds it (1095, 1095.50, -3)."""
    return re.fullmatch(r"-?\d+(\.\d+)?", text) is not None
