"""Properties every normaliser keeps on any input: it never raises, and it is idempotent."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.normalise import (
    NORMALISERS,
    canonical_status,
    company_core,
    company_region,
    dates,
    find_references,
    fold,
    is_email,
    is_phone,
    is_valid_uscc,
    looks_like_reference,
    normalise_date,
    normalise_datetime,
    normalise_money,
    normalise_phone,
    normalise_quantity,
    normalise_reference,
    parse_date,
    parse_datetime,
    parse_money,
    parse_quantity,
    phone,
    phone_digits,
    reference,
    strip_punct,
    uscc_check_char,
)
from app.normalise.phone import phone_forms
from app.normalise.regions import REGION_FORMS
from app.normalise.status import CANONICAL_STATES
from app.normalise.text import settle

PROPERTY_SETTINGS = settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)

# Pieces of realistic cells, joined at random: the inputs most likely to find a corner.
FRAGMENTS: dict[str, list[str]] = {
    "company": [*list(REGION_FORMS)[::9], "有限公司", "有限责任公司", "股份", "公司", "分公司",
                "上海分公司", "办事处", "集团", "(", ")", "（", "）", "【", "】", "科技", "技术",
                "银行", "大学", "华为", "市场", "市", "省", "中国", "co", "ltd", ".", ",", "&",
                "limited", "inc", "branch", "華為", "s.a.", " ", "\u3000"],
    "person": ["张", "三", "王", "总", "经理", "先生", "女士", "mr", "dr", ".", ",", " ", "(",
               ")", "/", "、", "john", "smith", "jr"],
    "phone": ["+", "86", "0086", "00", "010", "021", "0755", "138", "1234", "5678", "-", " ",
              "(", ")", "转", "ext", "x", ",", "#", "/", "；", "400", "1", "0", "86-"],
    "email": ["a", "b", "@", "＠", ".", "com", "mailto:", "<", ">", " ", ";", "。", "\"", "'"],
    "uscc": ["9", "1", "4", "A", "Z", "I", "O", "-", " ", "ｘ", "0"],
    "money": ["1", "2", "0", ",", "，", ".", " ", "'", "¥", "￥", "$", "rmb", "元", "万", "亿",
              "千", "(", ")", "-", "+", "e", "E", "壹", "贰", "拾", "佰", "仟", "角", "分", "整",
              "零", "两", "个", "kg", "−"],
    "date": ["2026", "26", "3", "03", "05", "13", "31", "-", "/", ".", " ", "年", "月", "日",
             "T", ":", "14", "30", "pm", "下午", "mar", "march", ",", "星期四", "46086", "Z",
             "+08:00", "0"],
    "status": ["已", "审核", "审批", "通过", "不", "未", "驳回", "中", "待", "撤回", "完成",
               "closed", "won", "lost", "not", "approved", " ", "【", "】", "-", "approved"],
    "reference": ["CRM", "so", "-", "_", "/", ".", "#", " ", "2026", "00123", "号", "(", ")",
                  "13812345678", "20260305", "914403001922038216", "@", "no."],
}  # fmt: skip
FRAGMENTS["key"] = FRAGMENTS["reference"]
FRAGMENTS["product_code"] = FRAGMENTS["reference"]
FRAGMENTS["quantity"] = FRAGMENTS["money"]
FRAGMENTS["datetime"] = FRAGMENTS["date"]
FRAGMENTS["address"] = ["中国", "北京市", "3", "#", "号楼", "栋", "幢", "座楼", " ", "，", "室"]
FRAGMENTS["text"] = ["華", "为", "ＡＢ", " ", "\u3000", "\t", "\u200b", "乾隆", "著", "後"]


def _mixes(type_name: str) -> st.SearchStrategy[str]:
    pieces = st.lists(st.sampled_from(FRAGMENTS[type_name]), max_size=10).map("".join)
    return st.one_of(st.text(), pieces)


ANY_TEXT = st.one_of(
    st.text(),
    st.text(alphabet=st.characters(min_codepoint=0x2E80, max_codepoint=0x9FFF)),
    st.text(alphabet=st.characters(codec="utf-8")),
)


@pytest.mark.parametrize("type_name", sorted(NORMALISERS))
def test_normalisers_are_total_and_idempotent(type_name: str) -> None:
    normalise = NORMALISERS[type_name]

    @PROPERTY_SETTINGS
    @given(_mixes(type_name))
    def check(raw: str) -> None:
        once = normalise(raw)
        assert isinstance(once, str)
        assert normalise(once) == once

    check()


@pytest.mark.parametrize("type_name", sorted(NORMALISERS))
def test_normalisers_handle_arbitrary_unicode(type_name: str) -> None:
    normalise = NORMALISERS[type_name]

    @PROPERTY_SETTINGS
    @given(ANY_TEXT)
    def check(raw: str) -> None:
        once = normalise(raw)
        assert normalise(once) == once

    check()


# Inputs that once broke idempotency: a traditional character that converts only after
# its neighbours are removed, country codes inside junk digits, nested brackets, a
# combining mark that composes once a separator between it and its letter is gone.
CORNER_CASES = [
    "\u2f5c\u2eff\u2f30\u2e98\u2ff6\u6522\u2f3c\u2f07\u2f32\u2ea0\u5565\u34db\u2ec6",
    "泸州市幢0086approved泸州市萍乡市甘肃)approved0086扬州市银行",
    "86&商丘branch甘肃日嘉峪关0012386广西壮族自治区张家口-",
    "+123-45",
    "+8613812345678-123",
    "010 1234567 8 9",
    "\\(([^()]*)\\)",
    ".limited.先生",
    "\xca\xb4\xa8v\xff\xc3a",
    "e -\u0301",
    "mailto:<mailto:'a@b.com'>",
    "中国中国北京",
    "王总总",
]


@pytest.mark.parametrize("type_name", sorted(NORMALISERS))
@pytest.mark.parametrize("raw", CORNER_CASES)
def test_idempotent_on_corner_cases(type_name: str, raw: str) -> None:
    normalise = NORMALISERS[type_name]
    once = normalise(raw)
    assert normalise(once) == once


@PROPERTY_SETTINGS
@given(ANY_TEXT)
def test_fold_is_idempotent_and_strips(raw: str) -> None:
    folded = fold(raw)
    assert fold(folded) == folded
    assert folded == folded.strip()
    assert "  " not in folded


@PROPERTY_SETTINGS
@given(st.one_of(ANY_TEXT, _mixes("phone")))
def test_a_phone_read_once_gives_both_forms(raw: str) -> None:
    """Aligning and normalising share one parse of each phone cell."""
    assert phone_forms(raw) == (phone_digits(raw), normalise_phone(raw))


@PROPERTY_SETTINGS
@given(st.from_regex(phone._PLAIN_MOBILE, fullmatch=True))
def test_a_plain_mobile_reads_as_the_full_rules_read_it(raw: str) -> None:
    """The shortcut for 138-1234-5678 and +86 138 1234 5678 agrees with the rules."""
    assert phone._parse(raw) == phone._read(raw)


@PROPERTY_SETTINGS
@given(st.from_regex(r"[0-9A-Za-z]+", fullmatch=True))
def test_a_plain_key_reads_as_the_full_rules_read_it(raw: str) -> None:
    """The shortcut for KH0100000 agrees with folding and dropping separators."""
    assert normalise_reference(raw) == settle(reference._once, raw)


@PROPERTY_SETTINGS
@given(
    st.one_of(
        st.from_regex(dates._ISO, fullmatch=True),  # mostly no such day
        st.datetimes(min_value=datetime(1000, 1, 1)).map(lambda d: f"{d:%Y-%m-%d %H:%M:%S}"),
        st.dates(min_value=date(1000, 1, 1)).map(date.isoformat),
    )
)
def test_an_iso_date_reads_as_the_full_rules_read_it(raw: str) -> None:
    """The shortcut for 2025-11-03 13:19:18 agrees with the rules."""
    assert parse_datetime(raw) == dates._parse(raw)


PREDICATES_AND_PARSERS: list[Callable[[str], object]] = [
    company_core,
    company_region,
    strip_punct,
    phone_digits,
    is_phone,
    is_email,
    is_valid_uscc,
    uscc_check_char,
    canonical_status,
    find_references,
    looks_like_reference,
    parse_money,
    parse_quantity,
    parse_date,
    parse_datetime,
]


@pytest.mark.parametrize("function", PREDICATES_AND_PARSERS, ids=lambda f: f.__name__)
def test_other_functions_never_raise(function: Callable[[str], object]) -> None:
    strategy = st.one_of(ANY_TEXT, *(_mixes(name) for name in ("phone", "money", "date")))

    @PROPERTY_SETTINGS
    @given(strategy)
    def check(raw: str) -> None:
        function(raw)

    check()


def test_empty_input_gives_empty_output() -> None:
    for normalise in NORMALISERS.values():
        assert normalise("") == ""
    assert parse_money("") is None
    assert parse_date("") is None
    assert canonical_status("") == ""
    assert find_references("") == []


@PROPERTY_SETTINGS
@given(_mixes("money"))
def test_money_text_and_value_agree(raw: str) -> None:
    value = parse_money(raw)
    text = normalise_money(raw)
    if value is None:
        assert text == fold(raw)
    else:
        assert isinstance(value, Decimal)
        assert Decimal(text) == value.quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")
        assert len(text.split(".")[1]) == 2


@PROPERTY_SETTINGS
@given(_mixes("quantity"))
def test_quantity_text_and_value_agree(raw: str) -> None:
    value = parse_quantity(raw)
    if value is not None:
        assert Decimal(normalise_quantity(raw)) == value


@PROPERTY_SETTINGS
@given(st.decimals(min_value=-(10**12), max_value=10**12, places=2))
def test_money_round_trips_through_thousands_separators(value: Decimal) -> None:
    written = f"{value:,.2f}"
    assert parse_money(written) == value
    assert parse_money(f"¥{written}元") == value
    negative = f"({abs(value):,.2f})"
    assert parse_money(negative) == -abs(value)


@PROPERTY_SETTINGS
@given(st.dates(min_value=date(1970, 1, 1), max_value=date(2068, 12, 31)))
def test_every_date_format_reads_back(day: date) -> None:
    forms = [
        day.isoformat(),
        f"{day.year}/{day.month}/{day.day}",
        f"{day.year}.{day.month}.{day.day}",
        f"{day:%Y%m%d}",
        f"{day.year}年{day.month}月{day.day}日",
        f"{day:%d-%b-%Y}",
        f"{day:%b} {day.day}, {day.year}",
        f"{day.month}/{day.day}/{day.year}",
        f"{day:%d.%m.%Y}",
        f"{day:%y}-{day.month}-{day.day}",
    ]
    for form in forms:
        assert parse_date(form) == day, form
        assert normalise_date(form) == day.isoformat()


@PROPERTY_SETTINGS
@given(st.datetimes(min_value=datetime(1970, 1, 1), max_value=datetime(2100, 1, 1)))
def test_datetime_text_reads_back(moment: datetime) -> None:
    moment = moment.replace(microsecond=0)
    text = normalise_datetime(moment.isoformat())
    assert text == f"{moment:%Y-%m-%d %H:%M:%S}"
    assert parse_datetime(text) == moment


@PROPERTY_SETTINGS
@given(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True))
def test_every_mobile_survives_decoration(mobile: str) -> None:
    for form in (mobile, f"+86 {mobile[:3]}-{mobile[3:7]}-{mobile[7:]}", f"0086{mobile}"):
        assert normalise_phone(form) == mobile
        assert is_phone(form)


@PROPERTY_SETTINGS
@given(_mixes("status"))
def test_status_is_a_canonical_state_or_nothing(raw: str) -> None:
    assert canonical_status(raw) in (*CANONICAL_STATES, "")


@PROPERTY_SETTINGS
@given(_mixes("reference"))
def test_found_references_are_normalised(raw: str) -> None:
    found = find_references(raw)
    assert len(found) == len(set(found))
    for token in found:
        assert normalise_reference(token) == token
