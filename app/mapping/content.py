"""What a column's values say about its type, independent of its header.

Each test runs over a sample of the column's non-empty values and yields the share that
passes; :func:`guess_from_content` turns the shares into one type and a score. The order
of the checks matters: an e-mail or a USCC is unmistakable, a number could be many things.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from app.mapping.types import SemanticType as T
from app.normalise import (
    canonical_status,
    is_email,
    is_phone,
    is_valid_uscc,
    parse_date,
    parse_datetime,
    parse_money,
)

_COMPANY = re.compile(
    r"(公司|集团|厂|店|中心|研究院|研究所|事务所|合作社|银行|医院|学校|大学|学院|商行|经营部|工作室|"
    r"门市部|批发部|分部|办事处|商贸|贸易行|\bco\b|co\.|ltd|inc\b|inc\.|llc|gmbh|corp|plc|"
    r"limited|company|s\.a\.|ag\b)",
    re.IGNORECASE,
)
_SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
    "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武"
    "戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮"
    "柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古"
    "吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫"
    "寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝"
)
_CJK_NAME = re.compile(r"^[\u4e00-\u9fff]{2,4}$")
_COMPOUND_SURNAMES = (
    "欧阳",
    "司马",
    "上官",
    "诸葛",
    "东方",
    "皇甫",
    "令狐",
    "慕容",
    "尉迟",
    "长孙",
)
_LATIN_NAME = re.compile(r"^[A-Za-z][a-z]+(?:[ .'-][A-Za-z][a-z]+){0,2}$")
_ADDRESS = re.compile(
    r"(省|市|区|县|路|街|号|镇|村|大道|弄|巷|楼|室|栋|大厦|广场|园区|street|road|"
    r"\brd\b|avenue|\bave\b|\bst\b|lane|drive|floor|suite)",
    re.IGNORECASE,
)
_ID_LIKE = re.compile(r"^[A-Za-z]{0,8}[-_/.]?[0-9][0-9A-Za-z\-_/.]{2,40}$")
_MIXED_CODE = re.compile(r"^(?=.*[0-9])(?=.*[A-Za-z])[A-Za-z0-9\-_/.]{3,40}$")
_NUMBER = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")
_MONEY_MARK = re.compile(r"[¥￥$€元,，]|人民币|rmb|cny|^-?[0-9]+\.[0-9]{2}$", re.IGNORECASE)
_TIME_PART = re.compile(r"[0-9]{1,2}:[0-9]{2}|[0-9]{1,2}时|T[0-9]{2}")
_YYYYMMDD = re.compile(r"^(19|20)[0-9]{2}(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])$")


@dataclass(frozen=True)
class ContentGuess:
    type: T
    score: float  # share of the sample that supports the type, 0..1
    unique: bool  # every sampled value distinct


def _share(values: Sequence[str], test: object) -> float:
    if not values:
        return 0.0
    return sum(1 for v in values if test(v)) / len(values)  # type: ignore[operator]


def is_company_name(value: str) -> bool:
    return bool(_COMPANY.search(value)) and len(value) >= 4


def is_person_name(value: str) -> bool:
    value = value.strip()
    if _CJK_NAME.match(value):
        return value[0] in _SURNAMES or value.startswith(_COMPOUND_SURNAMES)
    return bool(_LATIN_NAME.match(value)) and " " in value


def is_address(value: str) -> bool:
    return len(value) >= 6 and len(_ADDRESS.findall(value)) >= 2


def _is_date_value(value: str) -> bool:
    text = value.strip()
    if _NUMBER.match(text):  # bare numbers are dates only as yyyymmdd
        return bool(_YYYYMMDD.match(text))
    return parse_date(text) is not None


def _is_number(value: str) -> bool:
    return parse_money(value) is not None


def guess_from_content(values: Sequence[str]) -> ContentGuess:
    """The type the sampled non-empty values support best."""
    values = [v.strip() for v in values if v.strip()]
    unique = len(set(values)) == len(values)
    if not values:
        return ContentGuess(T.TEXT, 0.0, unique)

    def share(test: object) -> float:
        return _share(values, test)

    checks: list[tuple[T, float, float]] = [
        (T.EMAIL, share(is_email), 0.8),
        (T.USCC, share(is_valid_uscc), 0.6),
    ]
    for type_, score, needed in checks:
        if score >= needed:
            return ContentGuess(type_, score, unique)
    distinct = len(set(values))
    status = share(lambda v: bool(canonical_status(v)))
    if status >= 0.8 and distinct <= 30:
        return ContentGuess(T.STATUS, status, unique)
    dates = share(_is_date_value)
    if dates >= 0.8:
        timed = share(lambda v: bool(_TIME_PART.search(v)) and parse_datetime(v) is not None)
        if timed >= 0.5:
            return ContentGuess(T.DATETIME, dates, unique)
        return ContentGuess(T.DATE, dates, unique)
    phones = share(is_phone)
    if phones >= 0.8:
        return ContentGuess(T.PHONE, phones, unique)
    numbers = share(_is_number)
    if numbers >= 0.9:
        return _guess_number(values, numbers, unique)
    ids = share(lambda v: bool(_ID_LIKE.match(v) or _MIXED_CODE.match(v)))
    if ids >= 0.9:
        return ContentGuess(T.KEY if unique else T.REFERENCE, ids, unique)
    for type_, test, needed in (
        (T.COMPANY, is_company_name, 0.5),
        (T.PERSON, is_person_name, 0.7),
        (T.ADDRESS, is_address, 0.6),
    ):
        score = share(test)
        if score >= needed:
            return ContentGuess(type_, score, unique)
    return ContentGuess(T.TEXT, 0.5, unique)


def _guess_number(values: Sequence[str], numbers: float, unique: bool) -> ContentGuess:
    """Numbers: money when written like money, identifiers when long, else quantities."""
    marked = _share(values, lambda v: bool(_MONEY_MARK.search(v)))
    if marked >= 0.3:
        return ContentGuess(T.MONEY, numbers, unique)
    plain = [v for v in values if _NUMBER.match(v)]
    if plain and all("." not in v for v in plain):
        lengths = {len(v.lstrip("-")) for v in plain}
        if min(lengths) >= 6 or (len(lengths) == 1 and min(lengths) >= 4 and unique):
            return ContentGuess(T.KEY if unique else T.REFERENCE, numbers, unique)
        return ContentGuess(T.QUANTITY, numbers * 0.8, unique)
    return ContentGuess(T.MONEY, numbers * 0.8, unique)
