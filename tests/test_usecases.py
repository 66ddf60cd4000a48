"""The use cases every screen and command share: who may do what, the review queue's
filter, the run's counts, and what a crash in the middle of a write-back leaves."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.decide.changes import Change, Target
from app.decide.session import ReviewSession
from app.errors import Abandoned, InputError
from app.reconcile.settings import Settings
from app.sources import load, secrets
from app.store import audit, leases, seal, writebacks
from app.store.fixes import approved_change_set, listing
from app.store.schema import AuditEntry, Fix, Setting
from app.store.workspace import Workspace
from app.usecases import fixes as fix_cases
from app.usecases import writing
from app.usecases.review import QueueFilter, auto_accept_candidates, queue_mask
from app.usecases.runs import run_counts
from app.usecases.session import settle
from app.writeback.apply import apply_change_set
from tests.world import approve_all, check, demo_session, make_world


@pytest.fixture(scope="module")
def session() -> ReviewSession:
    """The demo's orders, with the CRM export labelled "erp" and the ERP one "erp2"."""
    return demo_session(erp="erp2", crm="erp")


def test_a_system_filter_is_that_system_only(session):
    queue = session.queue()
    erp = queue_mask(session, QueueFilter(system="erp", state="all"))
    erp2_only = ~queue["tables"].str.split().apply(lambda t: "erp" in t).to_numpy(bool)
    assert erp.sum() > 0 and not (erp & erp2_only).any()  # "erp" is not "erp2"
    assert erp.sum() == queue["tables"].str.split().apply(lambda t: "erp" in t).sum()


def test_open_work_includes_groups_to_recheck_and_search_finds_any_key(session):
    first = int(queue_mask(session, QueueFilter()).nonzero()[0][0])
    session.state[first] = "recheck"
    try:
        assert queue_mask(session, QueueFilter())[first]
        assert not queue_mask(session, QueueFilter(state="decided"))[first]
    finally:
        session.state[first] = "open"
    group = next(g for g in session.result.groups if {t for t, _ in g.members} >= {"erp", "oa"})
    row = next(r for t, r in group.members if t == "erp")
    key = session.keys["erp"][row]  # a CRM order number, not the group's first key
    found = queue_mask(session, QueueFilter(text=key, state="all"))
    assert found[session.result.groups.index(group)]


def test_the_run_counts_are_the_queue_bands(session):
    counts = run_counts(session.result)
    band = session.queue()["band"]
    assert counts.matched == (band == "auto").sum()
    assert counts.review == (band == "review").sum()
    assert counts.orphans == (band == "orphan").sum()
    assert counts.groups == len(band) == counts.matched + counts.review + counts.orphans
    assert counts.auto_match_rate == round(counts.matched / counts.groups, 4)
    accepted = auto_accept_candidates(session)
    assert accepted and all(band[g] == "auto" for g in accepted)


def test_only_an_admin_turns_four_eyes_off_and_it_is_audited(tmp_path):
    location = tmp_path / "team.concord"
    Workspace(location, user="admin").close()  # the first user is the admin
    clerk = Workspace(location, user="clerk")
    with pytest.raises(InputError, match="only an admin"):
        fix_cases.set_four_eyes(clerk, False)
    assert fix_cases.four_eyes(clerk)
    admin = Workspace(location, user="admin")
    fix_cases.set_four_eyes(admin, False)
    assert not fix_cases.four_eyes(clerk)
    with admin.session() as db:
        last = db.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert (last.actor, last.item, last.after) == ("admin", "four_eyes", {"on": False})


def test_only_an_admin_adds_people_and_gives_roles(tmp_path):
    location = tmp_path / "team.concord"
    admin = Workspace(location, user="admin")
    mallory = Workspace(location, user="mallory")
    assert mallory.role() is None  # opening does not make anyone a user
    for name, role in (("mallory2", "admin"), ("mallory", "approver"), ("intern", "clerk")):
        with pytest.raises(InputError, match="only an admin"):
            fix_cases.add_user(mallory, name, role)
    assert fix_cases.add_user(admin, "intern") == "intern: clerk"
    clerk = Workspace(location, user="intern")
    with pytest.raises(InputError, match="only an admin"):
        fix_cases.add_user(clerk, "friend")
    assert fix_cases.add_user(admin, "boss", "approver") == "boss: approver"
    assert {u.name: u.role for u in fix_cases.users(admin)} == {
        "admin": "admin",
        "intern": "clerk",
        "boss": "approver",
    }


def test_a_refusal_for_want_of_an_admin_says_who_can_help(tmp_path, monkeypatch, capsys):
    """ "Only an admin ..." names the admins; an admin whose --user acts as a clerk is told
    to leave it out rather than to go and find an admin."""
    import getpass

    from app.cli import main

    location = str(tmp_path / "team.concord")
    monkeypatch.setattr(getpass, "getuser", lambda: "it-admin")
    assert main(["job", "list", "--workspace", location, "--user", "clerk"]) == 0
    capsys.readouterr()
    assert main(["user", "add", "boss", "--role", "approver", "--workspace", location,
                 "--user", "clerk"]) == 1  # fmt: skip
    said = capsys.readouterr().err
    assert "only an admin adds people" in said and "leave it out to act as it-admin" in said
    assert main(["user", "add", "boss", "--role", "approver", "--workspace", location]) == 0

    monkeypatch.setattr(getpass, "getuser", lambda: "clerk")  # the clerk's own login
    capsys.readouterr()
    assert main(["user", "add", "friend", "--workspace", location]) == 1
    assert "ask an admin of this workspace (it-admin)" in capsys.readouterr().err


def test_a_login_nobody_added_may_look_but_not_change(tmp_path, capsys):
    """Every change is audited, and the audit refuses an actor the workspace does not
    know: deciding, proposing, rules — whichever command or screen asks."""
    location = tmp_path / "team.concord"
    Workspace(location, user="admin").close()
    stranger = Workspace(location, user="stranger")
    target = Target("csv", str(tmp_path / "x.csv"), None, "id")
    with pytest.raises(InputError, match="stranger is not a user of this workspace") as refused:
        fix_cases.propose(stranger, [Change(target, "A1", "金额", "1", "2")])
    assert "ask its admin (admin) to add you: concord user add stranger" in str(refused.value)
    with pytest.raises(InputError, match="not a user"):
        fix_cases.add_rule(stranger, "amount", "erp")
    assert fix_cases.users(stranger)  # looking is fine
    with stranger.session() as db:
        assert db.scalar(select(func.count()).select_from(Fix)) == 0
        assert audit.verify(db).entries == 0


@pytest.fixture
def approved(tmp_path: Path) -> tuple[str, Path]:
    """A workspace with 78 approved fixes over two files, and its exports folder."""
    location = str(tmp_path / "team.concord")
    exports = make_world(tmp_path, location)
    approve_all(location)
    return location, exports


def _half_landed(location: str) -> int:
    """A write-back that replaced the first of its two files and died before the second."""
    workspace = Workspace(location, user="boss")
    held = leases.acquire(workspace, leases.WRITE, "writing back")
    change_set = approved_change_set(workspace)
    writeback = writebacks.begin(workspace, change_set)
    steps = []

    def journal(step):
        steps.append(step)
        if len(steps) == 2:
            raise Abandoned("the process dies here")
        writebacks.journal(workspace, writeback, held, step)

    with pytest.raises(Abandoned):
        apply_change_set(change_set, journal=journal)
    leases.release(held)  # as a dead process's lease is, to the next one
    workspace.close()
    return writeback


def test_a_half_landed_write_back_is_settled_and_rolled_back_exactly(approved):
    location, exports = approved
    originals = {p.name: p.read_bytes() for p in exports.iterdir()}
    writeback = _half_landed(location)
    workspace = Workspace(location, user="boss")
    (line,) = settle(workspace)
    states = check(location, exports)
    assert states["written"] and states["approved"]  # one file's fixes each
    assert f"write-back {writeback} was interrupted: {states['written']} fixes were written" in line
    assert f"the other {states['approved']} stay approved" in line
    writing.rollback(workspace, writeback)
    after = check(location, exports)
    assert after == {"rolled_back": states["written"], "approved": states["approved"]}
    assert {p.name: p.read_bytes() for p in exports.iterdir() if p.name in originals} == originals
    approved = [f for f in listing(workspace, "approved")]
    assert all(f["approved_by"] == "boss" for f in approved)  # approvals kept
    done = writing.write_back(workspace)  # and the rest can still be written
    assert done.writeback_id is not None and check(location, exports)["written"] == len(approved)
    with workspace.session() as db:
        assert audit.verify(db).ok
    workspace.close()


def test_a_write_back_that_wrote_nothing_says_so(approved):
    location, exports = approved
    workspace = Workspace(location, user="boss")
    held = leases.acquire(workspace, leases.WRITE, "writing back")
    writeback = writebacks.begin(workspace, approved_change_set(workspace))
    leases.release(held)  # died before touching any file
    (line,) = settle(workspace)
    assert line == (
        f"write-back {writeback} was interrupted before it changed anything; its 78 fixes "
        "stay approved (write them with: concord apply)"
    )
    assert check(location, exports) == {"approved": 78}
    with pytest.raises(InputError, match="not done"):
        writing.rollback(workspace, writeback)
    workspace.close()


def test_settling_leaves_a_live_write_back_alone(approved):
    location, _ = approved
    workspace = Workspace(location, user="boss")
    other = Workspace(location, user="clerk")
    with leases.holding(workspace, leases.WRITE, "writing back approved fixes"):
        writebacks.begin(workspace, approved_change_set(workspace))
        assert settle(other) == []  # in progress, not interrupted: nothing said or done
        with pytest.raises(leases.LeaseBusy, match="boss is writing back approved fixes"):
            writing.write_back(other)
    workspace.close()
    other.close()


def test_temporary_files_of_an_interrupted_write_are_removed(approved):
    location, exports = approved
    workspace = Workspace(location, user="boss")
    held = leases.acquire(workspace, leases.WRITE, "writing back")
    writebacks.begin(workspace, approved_change_set(workspace))
    leftover = exports / ".CRM订单.csv.k3j2h1.concord-tmp"
    leftover.write_bytes(b"half a file")
    leases.release(held)
    settle(workspace)
    assert not leftover.exists()
    assert Path(exports / "CRM订单.csv").exists()
    workspace.close()


def test_a_fix_changed_after_its_approval_is_not_written(approved):
    """An approval is bound to the values it saw: someone editing a fix's new value in
    the workspace afterwards stops the write-back, which names the fix."""
    from app.store.schema import Fix

    location, exports = approved
    before = {p.name: p.read_bytes() for p in exports.iterdir()}
    workspace = Workspace(location, user="boss")
    with workspace.session() as db:
        fix = db.get(Fix, 5)
        fix.new = "999999"
    with pytest.raises(
        InputError, match=r"1 approved fixes changed since they were approved: fix 5"
    ):
        writing.write_back(workspace)
    assert {p.name: p.read_bytes() for p in exports.iterdir()} == before
    other = Workspace(location, user="second")
    fix_cases.add_user(Workspace(location), "second", "approver")  # by the admin
    fix_cases.approve(other, [5])  # approved again, as it reads now: written
    assert writing.write_back(workspace).writeback_id is not None
    workspace.close()
    other.close()


def test_fix_targets_are_absolute_paths(tmp_path, monkeypatch):
    """A job made with relative patterns proposes fixes whose files are found from any
    folder (``apply`` run elsewhere used to say "the file is gone")."""
    monkeypatch.chdir(tmp_path)
    location = str(tmp_path / "team.concord")
    exports = make_world(tmp_path, location, relative=True)
    approve_all(location)
    targets = {f["target"] for f in listing(Workspace(location, user="boss"))}
    assert targets == {
        str(exports.resolve() / "CRM订单.csv"),
        str(exports.resolve() / "OA审批.xlsx"),
    }
    monkeypatch.chdir(exports)
    assert writing.write_back(Workspace(location, user="boss")).writeback_id is not None


def _log_of_twenty(tmp_path) -> Workspace:
    workspace = Workspace(tmp_path / "team.concord", user="clerk")
    target = Target("csv", str(tmp_path / "x.csv"), None, "id")
    fix_cases.propose(workspace, [Change(target, "A1", "金额", "1", "2")])  # work recorded
    with workspace.session() as db:
        for k in range(20):
            audit.append(db, "clerk", "decide accept", f"G{k:07d}")
    return workspace


def _verify(workspace: Workspace, anchor: str | None = None) -> audit.Verification:
    with workspace.session() as db:
        return audit.verify(db, anchor)


@pytest.mark.parametrize("removed", [1, 10, "all"])
def test_entries_removed_from_the_end_are_found(tmp_path, removed):
    workspace = _log_of_twenty(tmp_path)
    assert _verify(workspace).ok
    with workspace.session() as db:
        ids = list(db.scalars(select(AuditEntry.id).order_by(AuditEntry.id.desc())))
        for entry_id in ids if removed == "all" else ids[:removed]:
            db.delete(db.get(AuditEntry, entry_id))
    check = _verify(workspace)
    assert not check.ok and "removed from the end" in check.reason
    if removed == "all":  # and with the head beside it gone too
        with workspace.session() as db:
            db.delete(db.get(Setting, audit.HEAD))
        assert "the log is empty but the workspace records work" in _verify(workspace).reason


def _rehash_from(workspace: Workspace, first: int) -> tuple[int, str]:
    """Edit entry ``first`` and re-hash the chain from there with the code's own digest,
    as anyone who can write the workspace could; returns the new length and head."""
    with workspace.session() as db:
        entries = list(db.scalars(select(AuditEntry).order_by(AuditEntry.id)))
        entries[first].actor = "someone else"
        prev = entries[first - 1].hash
        for entry in entries[first:]:
            entry.prev_hash = prev
            entry.hash = audit._digest(
                prev, entry.at, entry.actor, entry.action, entry.item, entry.before, entry.after
            )
            prev = entry.hash
    return len(entries), prev


@pytest.mark.parametrize(
    ("seal_kept", "reason"),
    [
        ("old", "were rewritten after they were sealed"),
        ("forged", "the seal does not match its key"),
        ("removed", "the log's seal was removed"),
    ],
)
def test_a_log_rewritten_with_the_public_digest_fails_its_seal(tmp_path, seal_kept, reason):
    """The head beside the chain can be fixed up by anyone; the seal's key is outside
    the workspace (this machine's keyring), so the rewrite no longer matches it."""
    workspace = _log_of_twenty(tmp_path)
    assert "sealed up to entry 21 of 21" in _verify(workspace).seal
    count, head = _rehash_from(workspace, 3)
    with workspace.session() as db:
        setting = db.get(Setting, audit.HEAD)
        value = {"count": count, "hash": head}
        if seal_kept == "old":
            value["sealed"] = setting.value["sealed"]
        elif seal_kept == "forged":
            forged = seal.mac(b"a guess at the key", count, head)
            value["sealed"] = {"count": count, "hash": head, "mac": forged}
        setting.value = value
    check = _verify(workspace)
    assert not check.ok and reason in check.reason


def test_without_the_seal_key_a_rewrite_is_found_by_an_earlier_anchor(tmp_path, monkeypatch):
    """On a machine without the key the seal is not checked (and verify says so); the
    anchor a report printed earlier still tells."""
    workspace = _log_of_twenty(tmp_path)
    anchor = _verify(workspace).anchor
    monkeypatch.setattr(seal, "_keys", {})
    monkeypatch.setattr(secrets, "_memory", {})
    count, head = _rehash_from(workspace, 3)
    with workspace.session() as db:
        db.get(Setting, audit.HEAD).value = {"count": count, "hash": head}
    check = _verify(workspace)
    assert check.ok and "not sealed" in check.seal  # the rewrite is self-consistent ...
    check = _verify(workspace, anchor)
    assert not check.ok and "the log was rewritten" in check.reason  # ... but not the anchor's


def test_an_admin_seals_a_log_that_had_no_key(tmp_path, monkeypatch):
    workspace = _log_of_twenty(tmp_path)
    monkeypatch.setattr(seal, "_keys", {})
    monkeypatch.setattr(secrets, "_memory", {})  # the key is on another machine
    assert "its key is not on this machine" in _verify(workspace).seal
    assert fix_cases.seal_audit(workspace).seal == "sealed up to entry 22 of 22"  # + "seal"
    fix_cases.add_user(workspace, "clerk2")
    with pytest.raises(InputError, match="only an admin seals"):
        fix_cases.seal_audit(Workspace(workspace.location, user="clerk2"))
    _rehash_from(workspace, 5)
    with pytest.raises(InputError, match="a broken log is not sealed"):
        fix_cases.seal_audit(workspace)


def test_audit_verify_prints_and_checks_an_anchor(tmp_path, capsys):
    from app.cli import main

    workspace = _log_of_twenty(tmp_path)
    location = workspace.location
    assert main(["audit", "verify", "--workspace", location]) == 0
    anchor = capsys.readouterr().out.split("anchor ")[1].strip()
    assert main(["audit", "verify", "--workspace", location, "--anchor", anchor]) == 0
    wrong = anchor.split(":")[0] + ":0123456789abcdef"
    assert main(["audit", "verify", "--workspace", location, "--anchor", wrong]) == 1
    assert "the log was rewritten" in capsys.readouterr().err
    assert main(["audit", "verify", "--workspace", location, "--anchor", "nonsense"]) == 1


def test_a_run_of_other_tables_closes_no_conflict(tmp_path):
    """A customer dedupe in the workspace of the daily order reconciliation leaves the
    open order conflicts open."""
    from app.reconcile.pipeline import DEDUPE
    from app.store.schema import Conflict
    from app.usecases.runs import run_tables

    location = str(tmp_path / "team.concord")
    exports = make_world(tmp_path, location)
    approve_all(location)
    workspace = Workspace(location, user="clerk")
    with workspace.session() as db:
        open_before = db.scalar(select(func.count()).where(Conflict.state == "open"))
    assert open_before
    customers = [load(f"erp={exports / 'ERP销售数据.xlsx'}#客户档案")]
    done = run_tables(workspace, customers, DEDUPE, Settings())
    assert done.recorded.metrics["conflicts_closed"] == 0
    with workspace.session() as db:
        assert db.scalar(select(func.count()).where(Conflict.state == "open")) == open_before
    workspace.close()


def test_only_an_admin_acts_as_someone_else_and_it_is_recorded(tmp_path, monkeypatch, capsys):
    """The system login is who acts: a clerk cannot approve as "boss" by typing --user
    boss; an admin may (for scripts), and the log says who acted as whom."""
    import getpass

    from app.cli import main

    location = str(tmp_path / "team.concord")
    monkeypatch.setattr(getpass, "getuser", lambda: "it-admin")
    assert main(["user", "add", "boss", "--role", "approver", "--workspace", location]) == 0
    assert main(["audit", "verify", "--workspace", location, "--user", "boss"]) == 0
    with Workspace(location).session() as db:
        acted = [(e.actor, e.action, e.item) for e in db.scalars(select(AuditEntry))]
    assert ("it-admin", "act as", "boss") in acted
    monkeypatch.setattr(getpass, "getuser", lambda: "zhang")  # a clerk's own login
    capsys.readouterr()
    assert main(["fixes", "list", "--workspace", location, "--user", "boss"]) == 1
    assert "only an admin acts as someone else; you are zhang" in capsys.readouterr().err
    assert main(["fixes", "list", "--workspace", location]) == 0  # as herself: fine


@pytest.mark.postgres
def test_two_database_logins_on_a_shared_workspace(tmp_path):
    """On PostgreSQL each clerk connects as themself: the login is who acts, four-eyes
    and roles follow it, and a clerk cannot act as the approver."""
    import uuid

    import sqlalchemy as sa

    from app.usecases.session import open_workspace
    from tests.dbs import POSTGRES_URL, ensure_login, server_engine

    server = server_engine("postgresql")
    name = f"concord_{uuid.uuid4().hex[:10]}"
    logins = ("concord_test_clerk", "concord_test_boss")
    with server.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        for login in logins:
            ensure_login(connection, login)
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = sa.make_url(POSTGRES_URL).set(database=name)
    as_login = {login: url.set(username=login).render_as_string(False) for login in logins}
    try:
        admin, _ = open_workspace(url.render_as_string(False))  # the server's own login
        fix_cases.add_user(admin, "concord_test_clerk")
        fix_cases.add_user(admin, "concord_test_boss", "approver")
        admin.close()
        clerk, _ = open_workspace(as_login["concord_test_clerk"])
        assert clerk.user == "concord_test_clerk"
        target = Target("csv", str(tmp_path / "x.csv"), None, "id")
        (fix,) = fix_cases.propose(clerk, [Change(target, "A1", "金额", "1", "2")])
        with pytest.raises(InputError, match="may not approve"):
            fix_cases.approve(clerk, [fix])
        clerk.close()
        with pytest.raises(InputError, match="you act as your database login"):
            open_workspace(as_login["concord_test_clerk"], "concord_test_boss")
        boss, _ = open_workspace(as_login["concord_test_boss"])
        fix_cases.approve(boss, [fix])
        assert listing(boss, "approved")[0]["approved_by"] == "concord_test_boss"
        boss.close()
    finally:
        with server.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(sa.text(f'DROP DATABASE "{name}" WITH (FORCE)'))


def test_every_export_carries_the_audit_anchor(tmp_path, capsys):
    """A workbook export keeps the log's anchor and seal on a sheet of its own, the
    command prints it for a CSV, and the anchor checks out later."""
    from openpyxl import load_workbook

    from app.cli import main

    workspace = _log_of_twenty(tmp_path)
    location = workspace.location
    out = tmp_path / "audit.xlsx"
    assert main(["audit", "export", "--out", str(out), "--workspace", location]) == 0
    printed = capsys.readouterr().out.split("audit anchor: ")[1].strip()
    about = dict(load_workbook(out)["About"].iter_rows(min_row=2, values_only=True))
    anchor = about["Audit anchor (check later: concord audit verify --anchor)"]
    assert anchor == printed and anchor.startswith("21:")
    assert about["Audit seal"] == "sealed up to entry 21 of 21"
    assert main(["fixes", "export", "--out", str(tmp_path / "f.csv"), "--workspace", location]) == 0
    assert f"audit anchor: {anchor}" in capsys.readouterr().out
    assert main(["audit", "verify", "--workspace", location, "--anchor", anchor]) == 0
