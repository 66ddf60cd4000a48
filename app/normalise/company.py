"""Company names: the same legal entity however each system spells it.

A registered Chinese name reads *region + trade name + industry + legal form*
(北京 华为 技术 有限公司). The region and the legal form are dropped, because systems disagree
about them (华为技术有限公司 / 北京华为技术有限责任公司 / 华为技术(北京)有限公司), and so are
English legal forms (Co., Ltd. / Limited / Inc.). What is *never* dropped is a branch:
XX有限公司上海分公司 is another counterparty than XX有限公司. A region prefix is kept when
removing it would leave no trade name (北京银行 and 南京银行 are different banks).
"""

from __future__ import annotations

import re
from functools import lru_cache

from app.normalise.regions import PROVINCE_NAMES, REGION_FORMS
from app.normalise.text import fold, strip_punct, word_list

__all__ = ["company_core", "company_region", "is_branch", "normalise_company", "place_region"]

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_OTHER_BRACKETS = "【】[]〔〕{}〖〗"
_BRACKETS = str.maketrans(_OTHER_BRACKETS, "()()()()()")
_ANY_OTHER_BRACKET = re.compile(f"[{re.escape(_OTHER_BRACKETS)}]")
_DOTTED_ABBREVIATION = re.compile(r"\b(?:[a-z]\.){2,}")  # s.a. / l.l.c. / u.s.a.
_PUNCT = re.compile(r"[^\w\s()&]|_")
_SPACE_NEAR_CJK = re.compile(rf" (?=[{_CJK}()])|(?<=[{_CJK}()]) ")
_BRACKET_GROUP = re.compile(r"\(([^()]*)\)")
_CN_LEGAL = re.compile(
    r"股份有限公司|有限责任公司|有限公司|股份公司|总公司|(?<!分)公司|"
    r"特殊普通合伙|有限合伙企业|普通合伙企业|合伙企业|有限合伙|普通合伙|个人独资企业"
)
_LEGAL_IN_BRACKETS = frozenset(
    ("有限合伙", "普通合伙", "特殊普通合伙", "有限公司", "股份有限公司", "有限责任公司", "中国")
)
_EN_LEGAL = frozenset(
    word_list(
        "co company corp corporation inc incorporated ltd limited llc llp lp plc gmbh ag sa srl "
        "sarl spa bv nv pte pty kk oy ab bhd sdn"
    )
)
_EN_JOINERS = frozenset(("&", "and"))
_BRANCH = re.compile(
    r"分公司|分店|办事处|分厂|分部|营业部|分行|支行|代表处|分所|分中心|分院|门店|branch"
)
# Industry and institution words that follow a trade name; a name made of nothing else
# after its region (北京银行, 中山大学, 深圳科技) keeps the region.
_GENERIC = frozenset(
    word_list("""
    科技 技术 信息 网络 软件 电子 电气 电器 机械 设备 贸易 商贸 工贸 实业 发展 投资 控股 集团
    咨询 服务 管理 建设 建筑 工程 物流 运输 国际 房地产 地产 置业 文化 传媒 广告 教育 医疗
    医药 生物 化工 能源 环保 材料 新材料 新能源 食品 农业 供应链 金融 银行 商业银行
    农村商业银行 农商银行 证券 保险 信托 基金 大学 学院 医院 中学 小学 学校 研究院 研究所 旅游
    酒店 餐饮 汽车 制造 制药 电力 燃气 水务 自来水 公交 地铁 航空 钢铁 电信 移动 联通 通信 通讯
    智能 数字 数据 光电 仪器 仪表 五金 塑胶 塑料 包装 印刷 纺织 服装 家具 装饰 设计 人力资源 劳务
    物业 商行 商店 超市 企业 中心 市场 交易所 厂 店 所 局 院 行 部 有限 股份 实验室 事务所
    进出口 外贸 商务 电子商务 电商 商业 健康 餐厅 饭店 宾馆 影视 娱乐 体育 美容 药房 药店 诊所
    养老 家政 安保 保安 租赁 融资租赁 担保 资产管理 产业 工业 矿业 石油 石化 天然气 煤炭 电网
    供电 水利 交通 港口 机场 铁路 出版 快递 货运 仓储 冷链 粮油 乳业 酒业 茶业 水产 畜牧 饲料
    """)
)
_GENERIC_LENGTHS = sorted({len(word) for word in _GENERIC}, reverse=True)
# 上海市场 is 上海 + 市场, not 上海市 + 场.
_SUFFIX_TRAPS = ("市场", "市政", "市民", "省钱")


def _lengths_by_first() -> dict[str, tuple[int, ...]]:
    """Per first character, the lengths of the region forms starting with it, longest
    first: most positions of a name start no region form at all."""
    lengths: dict[str, set[int]] = {}
    for form in REGION_FORMS:
        if len(form) > 1:
            lengths.setdefault(form[0], set()).add(len(form))
    return {first: tuple(sorted(found, reverse=True)) for first, found in lengths.items()}


_REGION_LENGTHS = _lengths_by_first()


def _region_prefix(text: str) -> list[tuple[int, str]]:
    """Every boundary after a chain of region names at the start, with the region there."""
    chain: list[tuple[int, str]] = []
    pos = 0
    while pos < len(text):
        for length in _REGION_LENGTHS.get(text[pos], ()):
            if pos + length > len(text):
                continue
            form = text[pos : pos + length]
            short = REGION_FORMS.get(form)
            if short is None:
                continue
            if form[-1] in "市省" and text.startswith(_SUFFIX_TRAPS, pos + length - 1):
                continue
            chain.append((pos + length, short))
            pos += length
            break
        else:
            break
    return chain


def _has_trade_name(rest: str) -> bool:
    """Whether something besides branch, industry and institution words remains."""
    head = _BRANCH.split(rest, maxsplit=1)[0]
    head = strip_punct(head)
    while len(head) >= 2:
        for length in _GENERIC_LENGTHS:  # the longest industry word it ends with goes
            if head[-length:] in _GENERIC:
                head = head[:-length]
                break
        else:
            return True
    return False


def _bracket(match: re.Match[str], regions: list[str]) -> str:
    inner = match.group(1).strip()
    region = REGION_FORMS.get(inner)
    if region is not None:
        regions.append(region)
        return ""
    if not inner or inner in _LEGAL_IN_BRACKETS:
        return ""
    if inner == "集团" or _BRANCH.search(inner):
        return inner
    return match.group(0)


def _strip_english_legal(text: str) -> str:
    words = text.split(" ")
    while len(words) > 1 and (words[-1] in _EN_LEGAL or words[-1] in _EN_JOINERS):
        words.pop()
    return " ".join(words)


def _once(text: str) -> tuple[str, str]:
    """One pass over folded text: (canonical name, removed region or "")."""
    regions: list[str] = []
    if _ANY_OTHER_BRACKET.search(text):  # translate is slow on non-ASCII text: only if needed
        text = text.translate(_BRACKETS)
    text = _DOTTED_ABBREVIATION.sub(lambda m: m.group(0).replace(".", ""), text)
    text = " ".join(_PUNCT.sub(" ", text).split())
    text = _SPACE_NEAR_CJK.sub("", text)
    text = _BRACKET_GROUP.sub(lambda m: _bracket(m, regions), text)
    stripped = _CN_LEGAL.sub("", text)
    stripped = _strip_english_legal(" ".join(stripped.split()))
    if strip_punct(stripped):
        text = stripped
    for end, region in reversed(_region_prefix(text)):
        if _has_trade_name(text[end:]):
            regions.insert(0, region)
            text = text[end:]
            break
    return _SPACE_NEAR_CJK.sub("", " ".join(text.split())), (regions[0] if regions else "")


@lru_cache(maxsize=16384)
def _analyse(s: str) -> tuple[str, str]:
    text, region = _once(fold(s))
    text, found = _settled(text)
    return text, region or found


@lru_cache(maxsize=1 << 17)
def _settled(text: str) -> tuple[str, str]:
    """A first pass's result passed again until a pass changes nothing, with the first
    region a later pass removed. A removal can expose another (a second legal form, a new
    folding context for a traditional character); repeating keeps the result idempotent.
    Passes only remove, so this settles at once in practice. Cached apart from the raw
    names: one trade name in many cities (北京华信科技, 上海华信科技有限公司) settles once."""
    region = ""
    for _ in range(4):
        again, found = _once(fold(text))
        region = region or found
        if again == text:
            break
        text = again
    return text, region


def analyse_company(s: str) -> tuple[str, str]:
    """(normalise_company(s), company_region(s)) in one pass, for bulk normalisation."""
    return _analyse(s) if s else ("", "")


def normalise_company(s: str) -> str:
    """Canonical company name: folded, no legal form, no leading or bracketed region.

    Branch markers (分公司, 分店, 办事处, ...) and whatever region belongs to them stay, so a
    branch never equals its head office. A name that is nothing but a legal form is kept.
    """
    return _analyse(s)[0] if s else ""


def company_core(s: str) -> str:
    """The canonical name without punctuation or spaces: the exact key used for blocking."""
    return strip_punct(_analyse(s)[0]) if s else ""


def company_region(s: str) -> str:
    """The region removed from the name (short form, e.g. 深圳 for 广东省深圳市), or ""."""
    return _analyse(s)[1] if s else ""


def is_branch(name: str) -> bool:
    """Whether a (canonical) company name is a branch's: 分公司, 办事处, 支行, ..."""
    return bool(_BRANCH.search(name))


def place_region(s: str) -> str:
    """The most specific region a place starts with — an address or a city column:
    广东省广州市天河区… → 广州, 西安市 → 西安 — or "" when it names none."""
    chain = [region for _, region in _region_prefix(strip_punct(fold(s)))] if s else []
    if len(chain) > 1 and chain[0] in PROVINCE_NAMES:
        return chain[1]  # the city after its province; what follows is a district
    return chain[0] if chain else ""  # 北京市朝阳区: 朝阳 is a district here, not the city
