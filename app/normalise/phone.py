"""Phone numbers: one canonical spelling of a Chinese mobile, landline or foreign number.

* Mobile: 11 digits, ``13812345678``, whatever the country prefix (+86, 0086, (+86), 86-)
  and grouping.
* Landline: ``010-12345678`` — area code with its trunk 0, a dash, the local number;
  an extension (转123, ext 123, x123, ,123, or a short last group after a complete number)
  follows as ``-123``. Area codes are 010 and 02x (three digits) or 0xxx (four).
* Other countries: ``+`` and the digits; an extension follows as ``-123``.
* Anything else: its digits as written.

Only the first of several numbers in a cell (13812345678/13987654321) is kept.
"""

from __future__ import annotations

import re

from app.normalise.text import fold

__all__ = ["is_full_number", "is_phone", "normalise_phone", "phone_digits", "phone_forms"]

_LIST_SEPARATOR = re.compile(r"[/;、|]|\bor\b|或")
_EXTENSION = re.compile(r"转|分机|ext\.?|x|#|,")
_DIGITS = re.compile(r"\d+")
_LEADING = re.compile(r"^[^\d+]*(\+)?")
_MOBILE = re.compile(r"1[3-9]\d{9}")
# A mobile as most exports spell it: 13812345678, 138-1234-5678, +86 138 1234 5678
_PLAIN_MOBILE = re.compile(r"(?:\+?86[ -]?)?(1[3-9]\d)[ -]?(\d{4})[ -]?(\d{4})", re.ASCII)
_INTERNATIONAL = re.compile(r"\+(\d{8,15})-(\d{1,6})")
_CANONICAL_LANDLINE = re.compile(r"(0\d{2,3})-(\d{7,8})-(\d{1,6})")
_STABLE_LANDLINE = re.compile(r"0[1-9]\d{1,2}-[1-9]\d{6,7}(?:-\d{1,6})?")
_PHONE_CHARS = re.compile(r"(?:[\d\s+\-().,/;、#]|转|分机|ext\.?|x|tel:?|电话:?|手机:?)+")
_MAX_EXTENSION = 6


def _landline(digits: str) -> tuple[str, str] | None:
    """(area code, local number) when ``digits`` is a full landline number with its 0."""
    if len(digits) < 10 or digits[0] != "0" or digits[1] == "0":
        return None
    area_len = 3 if digits[1] in "12" else 4
    local = digits[area_len:]
    if 7 <= len(local) <= 8 and local[0] != "0":
        return digits[:area_len], local
    return None


def is_full_number(digits: str) -> bool:
    """Whether bare digits are a complete Chinese mobile or landline (with area code)."""
    return bool(_MOBILE.fullmatch(digits)) or _landline(digits) is not None


def _format(digits: str, extension: str) -> str:
    if _MOBILE.fullmatch(digits):
        return digits  # mobiles have no extensions
    area_local = _landline(digits)
    if area_local is None:
        return digits
    area, local = area_local
    return f"{area}-{local}-{extension}" if extension else f"{area}-{local}"


def _split_number(main: str) -> tuple[list[str], bool]:
    """The digit groups of the main part, with a country prefix of 86 already removed,
    and whether the number is foreign (then the groups include its country code)."""
    plus = _LEADING.match(main)
    groups = _DIGITS.findall(main)
    if not groups:
        return [], False
    joined = "".join(groups)
    has_plus = bool(plus and plus.group(1))
    if has_plus or joined.startswith("00"):
        national = joined if has_plus else joined[2:]
        if not national.startswith("86") or national.startswith("00", 2):
            return ([national] if national else []), True
        groups = _drop_prefix(groups, len(joined) - len(national) + 2)
    elif (groups[0] == "86" and len(groups) > 1) or (
        len(joined) == 13 and _MOBILE.fullmatch(joined[2:]) and joined.startswith("86")
    ):
        groups = _drop_prefix(groups, 2)
    else:
        return groups, False
    # After a country code the trunk 0 is usually left out: +86 10 12345678.
    if groups and not groups[0].startswith("0") and not _MOBILE.fullmatch("".join(groups)):
        groups[0] = "0" + groups[0]
    return groups, False


def _drop_prefix(groups: list[str], count: int) -> list[str]:
    """``groups`` without their first ``count`` digits."""
    out = list(groups)
    while count and out:
        if len(out[0]) <= count:
            count -= len(out[0])
            out.pop(0)
        else:
            out[0] = out[0][count:]
            count = 0
    return out


def _parse(s: str) -> tuple[str, str, bool]:
    """(number digits, extension, foreign) of the first number in the cell."""
    plain = _PLAIN_MOBILE.fullmatch(s)
    if plain:  # most cells; :func:`_read` gives the same, several times slower
        return "".join(plain.groups()), "", False
    return _read(s)


def _read(s: str) -> tuple[str, str, bool]:
    text = fold(s)
    first = next((p for p in _LIST_SEPARATOR.split(text) if _DIGITS.search(p)), "")
    if not first:
        return "", "", False
    canonical_foreign = _INTERNATIONAL.fullmatch(first.strip())
    if canonical_foreign and not canonical_foreign.group(1).startswith("86"):
        return canonical_foreign.group(1), canonical_foreign.group(2), True
    landline = _CANONICAL_LANDLINE.fullmatch(first.strip())
    if landline and _landline(landline.group(1) + landline.group(2)):
        return landline.group(1) + landline.group(2), landline.group(3), False
    main, tail = _split_ext(first)
    extension = ""
    tail_digits = _DIGITS.match(tail.strip()) if tail else None
    if tail_digits and len(tail_digits.group(0)) <= _MAX_EXTENSION:
        extension = tail_digits.group(0)
    groups, foreign = _split_number(main)
    if foreign:
        return ("".join(groups), extension, True) if groups else ("", "", False)
    joined = "".join(groups)
    if is_full_number(joined) or len(groups) < 2:
        return joined, extension, False
    for i in range(1, len(groups)):  # the shortest complete prefix, then maybe an extension
        head = "".join(groups[:i])
        if is_full_number(head):
            rest = groups[i]
            if not extension and len(rest) <= _MAX_EXTENSION:
                extension = rest
            return head, extension, False
    return joined, extension, False


def _split_ext(text: str) -> tuple[str, str]:
    """(number, what follows an extension marker); markers before the first digit (the x
    of "fax") do not count."""
    digit = _DIGITS.search(text)
    match = _EXTENSION.search(text, digit.end()) if digit else None
    if match is None:
        return text, ""
    return text[: match.start()], text[match.end() :]


def _canonical(digits: str, extension: str, foreign: bool) -> str:
    if not digits:
        return ""
    if foreign:
        with_extension = extension and 8 <= len(digits) <= 15
        return f"+{digits}-{extension}" if with_extension else f"+{digits}"
    return _format(digits, extension)


def _once(s: str) -> str:
    return _canonical(*_parse(s))


def _settled(out: str) -> str:
    if _MOBILE.fullmatch(out) or _STABLE_LANDLINE.fullmatch(out):
        return out
    # Odd inputs (country codes inside junk digits) may read differently a second time;
    # settle them so that the function stays idempotent.
    for _ in range(4):
        again = _once(out)
        if again == out:
            break
        out = again
    return out


def normalise_phone(s: str) -> str:
    """Canonical phone number (see the module docstring); "" when there are no digits."""
    return _settled(_once(s))


def phone_digits(s: str) -> str:
    """The number's digits without separators, country code or extension, for blocking:
    ``13812345678``, ``01012345678`` (trunk 0 kept), ``14155551234`` for +1 415 555 1234."""
    digits, _, _ = _parse(s)
    return digits


def phone_forms(s: str) -> tuple[str, str]:
    """``(phone_digits(s), normalise_phone(s))``, the cell read once."""
    parsed = _parse(s)
    return parsed[0], _settled(_canonical(*parsed))


def is_phone(s: str) -> bool:
    """Whether the cell plausibly is a phone number: a Chinese mobile, a landline with its
    area code, a 400/800 service number or a ``+`` foreign number, and nothing but
    phone characters. Bare 7-8 digit local numbers are too easily something else."""
    text = fold(s)
    if not text or not _PHONE_CHARS.fullmatch(text):
        return False
    digits, _, foreign = _parse(text)
    if foreign:
        return 8 <= len(digits) <= 15
    return is_full_number(digits) or (len(digits) == 10 and digits.startswith(("400", "800")))
