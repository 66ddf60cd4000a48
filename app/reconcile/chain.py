"""The document chain: one state per record, and the exceptions across a group's systems.

A deal is won in the CRM, approved in the OA and booked in the ERP. Each record's
document state combines every status column of its table into one canonical state
(DingTalk's 审批状态 已完成 with 审批结果 拒绝 is *rejected*; an ERP's 已审核 with
关闭状态 未关闭 is *approved*). Across the records of a group, in this order:

- *booked_without_approval*: the ERP approved or closed while the OA approval is pending,
  rejected, cancelled or missing — a control breach, never fixed automatically;
- *contradiction*: approved or closed in one system, rejected or cancelled in another;
- *approved_not_booked*: approved in the OA (or won in the CRM where no OA record is),
  the ERP record still draft or pending after the grace period;
- *won_not_submitted*: won in the CRM, no OA record, after the grace period.

Both pending, or late within the grace period, is no exception. Ages count whole days
from the ahead system's own timestamp (the latest date of its record) to ``as_of``: the
setting, else the newest date the chain's tables hold (an export is a snapshot of its
day), never later than today. Dates of what is planned rather than done (交货日期,
预计回款日期, due dates) are neither: an order due next month says nothing of the day
it was exported or approved.

Which table plays which system comes from ``[chain]`` settings, else from the table's
label, file name and headers, else from the words its status columns use.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from app.mapping.align import Mapping
from app.mapping.detect import TableProfile
from app.mapping.headers import PLANNED_DATES
from app.mapping.types import SemanticType as T
from app.normalise import canonical_status, parse_date
from app.normalise.bulk import normalised_column
from app.reconcile.groups import Group, Node
from app.sources.table import Table

KINDS = ("booked_without_approval", "contradiction", "approved_not_booked", "won_not_submitted")
ROLES = ("crm", "oa", "erp")
AHEAD = frozenset({"approved", "closed"})
STOPPED = frozenset({"rejected", "cancelled"})
WAITING = frozenset({"pending", "draft"})
# A record's status columns combine to the first state of this order any of them says.
_PRECEDENCE = ("rejected", "cancelled", "approved", "closed", "pending", "draft")

# Words in a table's label, file name or headers that tell which system exported it.
_ROLE_WORDS = {
    "erp": "erp kingdee k3 kis u8 u9 yonyou nc sap ebs odoo 金蝶 用友 销售订单 单据编号 价税合计 "
    "审核状态 单据状态 物料 存货 制单",
    "crm": "crm salesforce sfdc hubspot zoho dynamics opportunity opportunities opp stage "
    "商机 销售阶段 阶段 赢单 纷享 销售易",
    "oa": "oa dingtalk feishu lark weaver seeyon wecom approval approvals 钉钉 飞书 泛微 致远 "
    "审批 审批编号 审批状态 审批结果 发起人 申请人 发起时间 流程",
}
_WORD = re.compile(r"[a-z0-9]+|[\u4e00-\u9fff]+")
# Status words only one kind of system uses.
_STATUS_ROLE = {
    "crm": ("赢单", "输单", "跟进中", "谈判中", "closed won", "closed lost", "prospecting",
            "negotiation", "qualification", "proposal"),
    "oa": ("同意", "驳回", "审批中", "已通过", "已撤销", "已撤回", "拒绝"),
    "erp": ("审核", "已审核", "未审核", "开立", "自由", "已关闭", "反审核"),
}  # fmt: skip


@dataclass(frozen=True)
class ChainSettings:
    grace_days: float = 2.0
    as_of: date | None = None  # None: the newest date the chain's tables hold
    roles: tuple[tuple[str, str], ...] = ()  # (role, table label) given by the user


@dataclass(frozen=True)
class ChainFinding:
    """A chain exception of one group: what kind, which system is behind (its table
    label; "" for a contradiction), how many days late, and the records involved."""

    group: int
    kind: str
    behind: str
    age_days: int | None
    members: tuple[Node, ...]


@dataclass
class Documents:
    """Per table: each record's document state, the raw words it came from, its status
    columns and the latest date it holds (days since 0001-01-01, NaN where none)."""

    states: dict[str, np.ndarray]
    words: dict[str, list[str]]
    columns: dict[str, list[str]]
    days: dict[str, np.ndarray]

    def state(self, node: Node) -> str:
        label, row = node
        return str(self.states[label][row]) if label in self.states else ""


def document_state(states: Sequence[str]) -> str:
    """One canonical state from a record's status columns' states ("" where none)."""
    present = set(states)
    return next((s for s in _PRECEDENCE if s in present), "")


def _day(text: str) -> float:
    parsed = parse_date(text)
    return float(parsed.toordinal()) if parsed is not None else np.nan


def documents(tables: Sequence[Table], mapping: Mapping) -> Documents:
    """Every record's document state, status words and latest date, table by table (each
    distinct word read once)."""
    states, words, columns, days = {}, {}, {}, {}
    for table in tables:
        profile = mapping.profiles[table.label]
        status = [c.name for c in profile.of_type(T.STATUS)]
        dated = [
            c.name for c in profile.of_type(T.DATE, T.DATETIME) if c.concept not in PLANNED_DATES
        ]
        n = len(table)
        per_column = [normalised_column(table, c, canonical_status) for c in status]
        combined = [document_state([col[r] for col in per_column]) for r in range(n)]
        raw = [table.values(c).tolist() for c in status]
        states[table.label] = np.array(combined, dtype=object)
        words[table.label] = [
            " + ".join(str(col[r]).strip() for col in raw if str(col[r]).strip()) for r in range(n)
        ]
        columns[table.label] = status
        latest = np.full(n, np.nan)
        for column in dated:
            latest = np.fmax(latest, normalised_column(table, column, _day).astype(float))
        days[table.label] = latest
    return Documents(states, words, columns, days)


def _role_scores(table: Table, profile: TableProfile, words: Iterable[str]) -> dict[str, float]:
    """How strongly a table looks like each system: its label and file name (3 each
    word), its headers (1 each), the words its status columns use (2 each)."""
    named = set(_WORD.findall(f"{table.label} {table.path.stem} {table.sheet or ''}".lower()))
    headers = " ".join(c.name.lower() for c in profile.columns)
    said = {part.lower() for text in words for part in str(text).split(" + ")}
    scores = {}
    for role in ROLES:
        vocabulary = _ROLE_WORDS[role].split()
        score = 3.0 * sum(1 for w in vocabulary if w in named)
        score += sum(1 for w in vocabulary if not w.isascii() and w in headers)
        score += sum(1 for w in vocabulary if w.isascii() and len(w) > 3 and w in headers)
        score += 2.0 * sum(1 for w in _STATUS_ROLE[role] if w in said)
        scores[role] = score
    return scores


def role_of(table: Table, profile: TableProfile) -> str | None:
    """The system a table most looks like (erp, crm, oa), or None: what the import
    screen offers as its label."""
    words = [
        word
        for column in profile.of_type(T.STATUS)
        for word in table.values(column.name).drop_duplicates().head(200).tolist()
    ]
    scores = _role_scores(table, profile, words)
    best = max(scores, key=lambda role: scores[role])
    return best if scores[best] > 0 else None


def roles(
    tables: Sequence[Table],
    mapping: Mapping,
    docs: Documents,
    given: Sequence[tuple[str, str]] = (),
) -> dict[str, str]:
    """Role → table label: the user's, then the strongest evidence first, one table per
    role and one role per table; tables without a status column play no role."""
    found = {role: label for role, label in given}
    scored = [
        (score, role, table.label)
        for table in tables
        if docs.columns.get(table.label) and table.label not in found.values()
        for role, score in _role_scores(
            table, mapping.profiles[table.label], set(docs.words[table.label])
        ).items()
        if score > 0 and role not in found
    ]
    for _score, role, label in sorted(scored, key=lambda s: -s[0]):
        if role not in found and label not in found.values():
            found[role] = label
    return found


def as_of_day(docs: Documents, labels: Sequence[str], settings: ChainSettings) -> float:
    if settings.as_of is not None:
        return float(settings.as_of.toordinal())
    today = float(date.today().toordinal())
    newest = [
        np.nanmax(docs.days[label]) for label in labels if np.isfinite(docs.days[label]).any()
    ]
    return min(max(newest), today) if newest else today


def _classify(
    state: dict[str, str], present: set[str], cast: dict[str, str]
) -> tuple[str, str, str | None]:
    """(kind, the system behind, the system ahead) of one group — ``state`` holds the
    known states by table label, ``present`` every table with a record (a record whose
    words are unknown is there, its state is not); ("", "", None) when the chain is in
    order. Lateness is checked by the caller."""
    erp, crm, oa = (cast.get(role) for role in ("erp", "crm", "oa"))
    said = set(state.values())
    oa_behind = oa is not None and (oa not in present or state.get(oa) in WAITING | STOPPED)
    if state.get(erp) in AHEAD and oa_behind:
        return "booked_without_approval", oa or "", erp
    if said & AHEAD and said & STOPPED:
        return "contradiction", "", next(label for label in state if state[label] in AHEAD)
    if state.get(erp) in WAITING:
        if state.get(oa) in AHEAD:
            return "approved_not_booked", erp or "", oa
        if oa not in present and state.get(crm) in AHEAD:
            return "approved_not_booked", erp or "", crm
    if oa is not None and oa not in present and state.get(crm) in AHEAD:
        return "won_not_submitted", oa, crm
    return "", "", None


LATE_KINDS = frozenset({"approved_not_booked", "won_not_submitted"})


def chain_exceptions(
    groups: Sequence[Group],
    docs: Documents,
    cast: dict[str, str],
    settings: ChainSettings,
) -> list[ChainFinding]:
    """Every group's chain exception, if it has one (see the module docstring)."""
    now = as_of_day(docs, list(cast.values()), settings)
    found = []
    for index, group in enumerate(groups):
        rows = {label: row for label, row in group.members if docs.columns.get(label)}
        state = {label: docs.state((label, row)) for label, row in rows.items()}
        state = {label: s for label, s in state.items() if s}
        kind, behind, ahead = _classify(state, set(rows), cast)
        if not kind:
            continue
        day = docs.days[ahead][rows[ahead]] if ahead is not None else np.nan
        age = int(now - day) if np.isfinite(day) else None
        if kind in LATE_KINDS and age is not None and age <= settings.grace_days:
            continue
        members = tuple((label, rows[label]) for label in state)
        found.append(ChainFinding(index, kind, behind, age, members))
    return found
