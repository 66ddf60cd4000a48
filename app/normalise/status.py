"""Document states: each system's words for them, mapped to six canonical states.

ERP (Kingdee, Yonyou), CRM and OA each name the life of a document differently: an ERP
order 已审核 and an OA approval 审批通过 are both *approved*, while 审批中 and 未审核 are
both *pending*. The canonical states are approved, pending, rejected, cancelled, closed
and draft; "" means the word is not a known state.

Decisions where vocabularies overlap:

* 已完成 / 完成 / 已结案 are *closed* (the process ended); 已完成审批 / 审批完成 is *approved*.
* Fulfilment states (已发货, 已出库, 已入库, 已收货, 已开票, 已付款) are not approval states
  and are *not* mapped: they stay as folded text, so they still agree with the same word in
  another system but never silently equal "closed".
* 未审批 / 未审核 / unapproved are *pending*; 未通过 / 审核不通过 are *rejected*.
* CRM stages: 赢单 / closed won are *approved*, 输单 / closed lost are *rejected*, ongoing
  stages (跟进中, 谈判中, open) are *pending*.
* 反审核 / 重新审核 (an ERP document taken back for re-approval) is *pending*.
* 未关闭 / 未结案 (an ERP's closing column: not closed yet) are *pending*, so they never
  read as 关闭; beside 已审核 the record is still *approved* (see app.reconcile.chain).
* Salesforce's open stages (Prospecting … Negotiation/Review) are *pending*.

Unseen phrases of at most 12 characters (4 English words) that contain a known keyword are classified too
(审批已通过 → approved, 部门经理驳回 → rejected); negative keywords are checked first, so
审核不通过 is never read as 通过.
"""

from __future__ import annotations

import re
from functools import lru_cache

from app.normalise.text import fold, strip_punct

__all__ = ["CANONICAL_STATES", "canonical_status", "normalise_status"]

CANONICAL_STATES = ("approved", "pending", "rejected", "cancelled", "closed", "draft")

_VOCABULARY: dict[str, str] = {
    "approved": "已审核|审核|已审批|审核通过|审批通过|已通过|通过|同意|已同意|已批准|批准|已确认|确认|"
    "已生效|生效|已完成审批|审批完成|审核完成|已签约|签约|赢单|已赢单|已成交|成交|已核准|核准|已审|"
    "审批同意|审批已通过|approved|approve|approval|passed|pass|confirmed|won|closed won|"
    "accepted|effective|signed",
    "pending": "未审核|待审核|审核中|审批中|待审批|处理中|进行中|已提交|提交|待确认|流转中|未审批|"
    "审批进行中|待处理|办理中|待办|待审|未审|跟进中|谈判中|洽谈中|反审核|重新审核|未确认|未生效|"
    "挂起|等待审批|待签约|执行中|未完成|未关闭|未结案|pending|in progress|submitted|open|processing|"
    "awaiting approval|under review|in review|waiting|unapproved|not approved|on hold|"
    "prospecting|qualification|needs analysis|value proposition|id. decision makers|"
    "perception analysis|proposal/price quote|negotiation/review",
    "rejected": "已驳回|驳回|退回|已退回|不同意|拒绝|已拒绝|审核不通过|审批不通过|未通过|不通过|"
    "审批未通过|审核未通过|否决|已否决|输单|已输单|不批准|rejected|reject|declined|denied|lost|"
    "closed lost|refused|failed",
    "cancelled": "已撤回|撤回|撤销|已撤销|作废|已作废|取消|已取消|已终止|终止|废弃|已废弃|"
    "cancelled|canceled|cancel|void|voided|withdrawn|revoked|terminated|aborted",
    "closed": "已关闭|关闭|已结案|结案|已完成|完成|已结束|结束|已归档|归档|办结|已办结|已结算|"
    "closed|close|done|completed|complete|finished|archived",
    "draft": "草稿|暂存|保存|已保存|新建|创建|自由|自由态|开立|未提交|draft|new|saved|created|"
    "not submitted",
}
_EXACT: dict[str, str] = {
    strip_punct(fold(word)): state
    for state, words in _VOCABULARY.items()
    for word in words.split("|")
}
_EXACT.update({state: state for state in CANONICAL_STATES})

# Keywords for unseen phrases, checked in order: negations and withdrawals before the
# positive words they contain (审核不通过 holds 通过, 未审核 holds 审核).
_KEYWORDS: tuple[tuple[str, str], ...] = tuple(
    (word, state)
    for state, words in (
        ("cancelled", "作废 撤销 撤回 取消 终止 废弃"),
        ("rejected", "不通过 未通过 驳回 退回 拒绝 不同意 否决 输单 不批准"),
        ("pending", "未审 待审 未批 待批 审核中 审批中 进行中 处理中 流转中 办理中 待确认 待处理"),
        ("pending", "未完成 未确认 未生效 等待"),
        ("draft", "草稿 暂存 未提交"),
        ("approved", "完成审批 审批完成 审核完成 通过 同意 批准 核准 已审 已确认 生效 签约 成交"),
        ("approved", "赢单"),
        ("closed", "关闭 结案 完成 归档 办结 结束"),
        ("pending", "提交"),
    )
    for word in words.split()
)
# English words of unseen phrases: stems, or whole words where marked with "=".
_ENGLISH_KEYWORDS: tuple[tuple[str, str], ...] = (
    ("cancel", "cancelled"), ("void", "cancelled"), ("withdr", "cancelled"),
    ("revok", "cancelled"), ("reject", "rejected"), ("declin", "rejected"),
    ("denied", "rejected"), ("=lost", "rejected"), ("unapprov", "pending"),
    ("pending", "pending"), ("progress", "pending"), ("review", "pending"),
    ("await", "pending"), ("submit", "pending"), ("draft", "draft"),
    ("approv", "approved"), ("confirm", "approved"), ("=won", "approved"),
    ("closed", "closed"), ("complet", "closed"), ("=done", "closed"),
)  # fmt: skip
_LATIN_WORD = re.compile(r"[a-z]+")
_MAX_FUZZY = 12
_MAX_FUZZY_WORDS = 4


def _fuzzy(key: str, folded: str) -> str:
    words = _LATIN_WORD.findall(folded)
    if key.isascii():
        return _fuzzy_english(words) if len(words) <= _MAX_FUZZY_WORDS else ""
    if len(key) > _MAX_FUZZY:
        return ""
    for word, state in _KEYWORDS:
        if word in key:
            return state
    if len(key) >= 3 and key.endswith("中"):  # 生产中, 配送中: something under way
        return "pending"
    return _fuzzy_english(words)


def _fuzzy_english(words: list[str]) -> str:
    if "not" in words and any(w.startswith("approv") for w in words):
        return "pending"
    for stem, state in _ENGLISH_KEYWORDS:
        exact = stem.startswith("=")
        if any(w == stem[1:] if exact else w.startswith(stem) for w in words):
            return state
    return ""


@lru_cache(maxsize=4096)
def canonical_status(s: str) -> str:
    """The canonical state of a status cell, or "" when it is not a known state."""
    folded = fold(s)
    key = strip_punct(folded)
    if not key:
        return ""
    return _EXACT.get(key) or _fuzzy(key, folded)


def normalise_status(s: str) -> str:
    """The canonical state, or the folded cell when the word is not a known state."""
    return canonical_status(s) or fold(s)
