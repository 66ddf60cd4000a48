"""Steps 9–10 of the data flow: approved fixes as a change set, written back safely.

The stable Python entry point for writing a change set to files or tables, outside a
workspace (scripts, fidelity harnesses)::

    from app.writeback import Change, ChangeSet, Target, apply_change_set

    orders = Target("xlsx", "orders.xlsx", "销售订单", key_column="单据编号")
    change_set = ChangeSet([Change(orders, "SO-1", "价税合计", old="100.00", new="120.00")])
    print(apply_change_set(change_set, dry_run=True).describe())  # every cell it would change
    result = apply_change_set(change_set)  # all or nothing; result.inverse undoes it

It raises :class:`app.errors.InputError` with one clear message when it refuses (a cell
that no longer holds ``old``, a formula cell, a file open in another program, a legacy
format). The workspace's ``concord apply`` adds approvals, the write lease, the journal
and the audit entry around this same call (:mod:`app.usecases.writing`).
"""

from app.decide.changes import Change, ChangeSet, Target
from app.writeback.apply import WriteBackResult, WrittenFile, apply_change_set

__all__ = [
    "Change",
    "ChangeSet",
    "Target",
    "WriteBackResult",
    "WrittenFile",
    "apply_change_set",
]
