"""Status vocabularies of ERP, CRM and OA mapped to canonical states."""

from __future__ import annotations

import pytest

from app.normalise import CANONICAL_STATES, canonical_status, normalise_status

VOCABULARY = {
    "approved": [
        "已审核", "已审批", "审核通过", "审批通过", "已通过", "通过", "同意", "已批准", "批准",
        "已确认", "已生效", "生效", "已完成审批", "已签约", "赢单", "已成交", "成交",
        "Approved", "APPROVED", "passed", "Confirmed", "won", "Closed Won", "closed-won",
        "審核通過", "已審核",
    ],
    "pending": [
        "未审核", "待审核", "审核中", "审批中", "待审批", "处理中", "进行中", "已提交", "提交",
        "待确认", "流转中", "未审批", "跟进中", "谈判中", "重新审核", "反审核",
        "pending", "In Progress", "submitted", "open", "Under Review", "未关闭", "未结案",
        "Prospecting", "Qualification", "Needs Analysis", "Proposal/Price Quote",
        "Negotiation/Review", "Id. Decision Makers",
    ],
    "rejected": [
        "已驳回", "驳回", "退回", "已退回", "不同意", "拒绝", "已拒绝", "审核不通过", "未通过",
        "审批未通过", "输单", "rejected", "Declined", "denied", "closed lost", "Closed - Lost",
        "lost",
    ],
    "cancelled": [
        "已撤回", "撤回", "撤销", "已撤销", "作废", "已作废", "取消", "已取消", "已终止", "终止",
        "cancelled", "canceled", "void", "voided", "withdrawn",
    ],
    "closed": [
        "已关闭", "关闭", "已结案", "结案", "已完成", "完成", "closed", "done", "completed",
    ],
    "draft": ["草稿", "暂存", "保存", "新建", "创建", "自由", "开立", "draft", "new", "saved"],
}  # fmt: skip


@pytest.mark.parametrize(
    ("word", "state"),
    [(word, state) for state, words in VOCABULARY.items() for word in words],
)
def test_vocabulary(word: str, state: str) -> None:
    assert canonical_status(word) == state
    assert normalise_status(word) == state


@pytest.mark.parametrize(
    ("raw", "state"),
    [
        (" 已审核 ", "approved"),
        ("【已审核】", "approved"),
        ("(审批中)", "pending"),
        ("已 审 核", "approved"),
        ("已审核。", "approved"),
        ("ＡＰＰＲＯＶＥＤ", "approved"),
    ],
)
def test_spacing_brackets_and_width_are_tolerated(raw: str, state: str) -> None:
    assert canonical_status(raw) == state


@pytest.mark.parametrize(
    ("raw", "state"),
    [
        ("审批已通过", "approved"),
        ("总经理审批通过", "approved"),
        ("部门经理驳回", "rejected"),
        ("财务审核不通过", "rejected"),
        ("审批未通过", "rejected"),
        ("部门审批中", "pending"),
        ("等待财务审核", "pending"),
        ("生产中", "pending"),
        ("申请人撤回", "cancelled"),
        ("单据已作废", "cancelled"),
        ("流程已结束", "closed"),
        ("Approved by manager", "approved"),
        ("Rejected by finance", "rejected"),
        ("Not approved", "pending"),
        ("Closed won deal", "approved"),
        ("awaiting approval", "pending"),
    ],
)
def test_unseen_phrases_with_a_keyword(raw: str, state: str) -> None:
    assert canonical_status(raw) == state


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        "已发货",  # fulfilment, not approval: deliberately unmapped
        "已出库",
        "已开票",
        "华为技术有限公司",
        "中",
        "华中",
        "wonderful",
        "unknown",
        "关于华为技术有限公司销售合同的审批流程说明文档",  # long free text: no guessing
        "the request was rejected by the finance department today",
    ],
)
def test_unknown_words_have_no_state(raw: str) -> None:
    assert canonical_status(raw) == ""


def test_unknown_words_normalise_to_folded_text() -> None:
    assert normalise_status(" 已發貨 ") == "已发货"
    assert normalise_status("") == ""


@pytest.mark.parametrize("state", CANONICAL_STATES)
def test_canonical_states_map_to_themselves(state: str) -> None:
    assert canonical_status(state) == state
    assert normalise_status(normalise_status(state)) == state


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("已驳回", "已审核"),  # OA rejected vs ERP approved: a real conflict
        ("审核不通过", "审核通过"),
        ("未审核", "已审核"),
        ("已撤回", "已提交"),
        ("closed lost", "closed won"),
        ("已完成", "已完成审批"),
    ],
)
def test_different_states_stay_different(a: str, b: str) -> None:
    assert normalise_status(a) != normalise_status(b)


def test_pending_words_of_different_systems_agree() -> None:
    assert normalise_status("审批中") == normalise_status("未审核") == "pending"
