"""Person names: 张三, "张 三", 张三先生 and 张三(销售部) are the same contact.

CRM contacts carry honorifics and titles (王总, 李经理, Mr. Smith), OA exports add a
department or login in brackets, and typists space out two-character names. None of it
identifies the person, so it goes. Only the first of several names in a cell is kept.
"""

from __future__ import annotations

import re

from app.normalise.text import fold, settle, word_list

__all__ = ["normalise_person"]

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_SPACE_BETWEEN_CJK = re.compile(rf"(?<=[{_CJK}]) (?=[{_CJK}])")
_LIST_SEPARATOR = re.compile(r"[/;、|]")
_BRACKETED = re.compile(r"\([^()]*\)|\[[^\[\]]*\]|【[^【】]*】")
_LATIN_PUNCT = re.compile(r"[.,·•]")
_CJK_TITLES = tuple(
    sorted(
        word_list(
            "先生 女士 小姐 太太 夫人 总经理 副总经理 经理 副总 总监 总 老师 主任 董事长 博士 教授"
        ),
        key=len,
        reverse=True,
    )
)
_LATIN_TITLES = frozenset(word_list("mr mrs ms miss mx dr prof sir madam mme mlle herr frau"))
_LATIN_SUFFIXES = frozenset(word_list("jr sr phd md esq"))


def _remove_notes(text: str) -> str:
    """Without bracketed notes, nested ones too, unless nothing else is left."""
    out = text
    while True:
        removed = _BRACKETED.sub(" ", out)
        if removed == out:
            break
        out = removed
    return out if out.strip() else text


def _strip_cjk_titles(name: str) -> str:
    changed = True
    while changed:
        changed = False
        for title in _CJK_TITLES:
            if name.endswith(title) and len(name) > len(title):
                name = name[: -len(title)]
                changed = True
                break
    return name


def _strip_latin_titles(name: str) -> str:
    words = name.split(" ")
    while len(words) > 1 and words[0] in _LATIN_TITLES:
        words.pop(0)
    while len(words) > 1 and words[-1] in _LATIN_SUFFIXES:
        words.pop()
    return " ".join(words)


def _once(s: str) -> str:
    text = fold(s)
    if not text:
        return ""
    first = next((p for p in _LIST_SEPARATOR.split(text) if p.strip()), "")
    text = first.strip() or text
    text = _remove_notes(text)
    text = " ".join(_LATIN_PUNCT.sub(" ", text).split())
    text = _SPACE_BETWEEN_CJK.sub("", text)
    text = " ".join(_strip_cjk_titles(text).split())
    return _strip_latin_titles(text)


def normalise_person(s: str) -> str:
    """Canonical person name: folded, first of a list, no bracketed note, no title.

    CJK names lose inner spaces and trailing titles (王总 → 王); Latin names lose dots,
    commas and leading titles (Mr. John Smith → john smith). Word order is kept.
    """
    return settle(_once, s)
