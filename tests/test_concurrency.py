"""Two and three clerks at once: real ``concord`` processes against one SQLite file and one
PostgreSQL workspace, one of them paused in the middle of its write-back (SIGSTOP) while
the others run. Whatever order things happen in, afterwards every fix's state matches the
bytes of its file, nothing was written twice, no fix is duplicated and the audit log is
intact; nobody is told about an "interrupted" write-back that is merely in progress.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy import select

from app.store.schema import WriteBack
from app.store.workspace import make_engine
from tests.conftest import ROOT
from tests.world import acting, approve_all, check, make_world

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGSTOP"), reason="pauses processes (POSIX)")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def location(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A workspace: a SQLite file, or a database of its own on the PostgreSQL server."""
    if request.param == "sqlite":
        yield str(tmp_path / "team.concord")
        return
    from tests.dbs import POSTGRES_URL, ensure_login, server_engine

    server = server_engine("postgresql")
    name = f"concord_{uuid.uuid4().hex[:10]}"
    with server.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        for login in ("clerk", "boss"):  # each clerk connects as themself
            ensure_login(connection, login)
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield sa.make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    with server.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(sa.text(f'DROP DATABASE "{name}" WITH (FORCE)'))


def start(location: str, *args: str, user: str = "boss", wait: int = 1) -> subprocess.Popen[str]:
    """``concord ARGS`` as its own process, waiting ``wait`` seconds for a busy lease."""
    return subprocess.Popen(
        [sys.executable, "-m", "app", *args, "--workspace", *_as(location, user)],
        cwd=ROOT,
        env={**os.environ, "CONCORD_LOCK_WAIT": str(wait)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _as(location: str, user: str) -> list[str]:
    where, extra = acting(location, user)
    return [where, *extra]


def finish(process: subprocess.Popen[str]) -> tuple[int, str]:
    _out, err = process.communicate(timeout=120)
    return process.returncode, err


def paused_mid_write(location: str) -> subprocess.Popen[str]:
    """A ``concord apply`` stopped once it has begun replacing files."""
    process = start(location, "apply")
    engine = make_engine(location)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with engine.connect() as connection:
                journals = connection.execute(select(WriteBack.journal)).scalars().all()
            if any(journals):
                process.send_signal(signal.SIGSTOP)
                return process
            assert process.poll() is None, process.communicate()
            time.sleep(0.005)
    finally:
        engine.dispose()
    raise AssertionError("the write-back never started")


@pytest.fixture
def world(location: str, tmp_path: Path) -> Path:
    exports = make_world(tmp_path, location)
    approve_all(location)
    return exports


def test_apply_and_apply(location: str, world: Path) -> None:
    first = paused_mid_write(location)
    code, err = finish(start(location, "apply"))
    assert code == 1 and "is writing back approved fixes" in err, err
    assert "interrupted" not in err
    first.send_signal(signal.SIGCONT)
    assert finish(first)[0] == 0
    assert check(location, world) == {"written": 78}


def test_apply_and_run(location: str, world: Path) -> None:
    first = paused_mid_write(location)
    code, err = finish(start(location, "run", "daily", "--quiet", user="clerk"))
    assert code == 0, err
    assert "interrupted" not in err
    first.send_signal(signal.SIGCONT)
    assert finish(first)[0] == 0
    states = check(location, world)
    assert states["written"] == 78 and states.get("proposed", 0) == 0  # nothing proposed again


def test_apply_and_rollback(location: str, world: Path) -> None:
    originals = {path.name: path.read_bytes() for path in world.iterdir()}
    first = paused_mid_write(location)
    code, err = finish(start(location, "rollback", "1"))
    assert code == 1 and "is writing back" in err, err  # refused: never interleaved
    first.send_signal(signal.SIGCONT)
    assert finish(first)[0] == 0
    assert check(location, world) == {"written": 78}
    code, err = finish(start(location, "rollback", "1"))
    assert code == 0, err
    assert check(location, world) == {"rolled_back": 78}
    assert {p.name: p.read_bytes() for p in world.iterdir() if p.name in originals} == originals


def test_apply_apply_and_run_at_once(location: str, world: Path) -> None:
    first = paused_mid_write(location)
    second = start(location, "apply")
    third = start(location, "run", "daily", "--quiet", user="clerk")
    code, err = finish(second)
    assert code == 1 and "is writing back" in err, err
    code, err = finish(third)
    assert code == 0 and "interrupted" not in err, err
    first.send_signal(signal.SIGCONT)
    assert finish(first)[0] == 0
    assert check(location, world)["written"] == 78


def test_run_and_run(location: str, tmp_path: Path) -> None:
    """Two runs of one job started together: the second waits for the first (or says
    who runs it), and every fix is proposed once."""
    exports = make_world(tmp_path, location)
    runs = [start(location, "run", "daily", "--quiet", user="clerk", wait=60) for _ in range(2)]
    results = [finish(run) for run in runs]
    assert [code for code, _ in results] == [0, 0], results
    assert check(location, exports) == {"proposed": 78}
