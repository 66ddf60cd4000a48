"""``concord self-test``: check that this install has everything Concord needs at run time.

Meant for the frozen bundle (PyInstaller) as much as for a source checkout: it imports
every engine dependency, opens a workspace (Alembic migrations read as files), reads the
demo exports, runs a small reconcile, renders the main window and loads the Chinese
translation. One line per check; the exit code is non-zero when any check fails.

    concord self-test                      offscreen (no display needed)
    concord self-test --display            on the real display (QT_QPA_PLATFORM as set)
    concord self-test --startup-benchmark  only: seconds from process start to main window
    concord self-test --screenshot w.png --language zh_CN   also save the window's grab

Nothing here writes to the user's settings or workspaces: the window is hidden, never
closed (closing saves its geometry), and the workspace lives in a temporary folder.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

# Every check, in the order they run; tests assert on these names.
CHECKS = (
    "version",
    "import pandas",
    "import pyarrow",
    "import numpy",
    "import python_calamine",
    "import openpyxl",
    "import xlrd",
    "import rapidfuzz",
    "import opencc",
    "import charset_normalizer",
    "import sqlalchemy",
    "import alembic",
    "import keyring",
    "import defusedxml",
    "opencc t2s",
    "sqlalchemy sqlite",
    "sqlalchemy postgresql+psycopg",
    "sqlalchemy mysql+pymysql",
    "keyring backends",
    "resources",
    "workspace",
    "read samples",
    "reconcile demo",
    "engine workers",
    "qt image formats",
    "qt main window",
    "qt charts",
    "translation zh_CN",
)

DEMO_ERP = ("ERP销售数据.xlsx", "销售订单")
DEMO_CRM = "CRM订单.csv"
DEMO_OA = "OA审批.xlsx"


def process_age() -> float | None:
    """Seconds since this process started (not since Python started), where the OS says."""
    try:
        if sys.platform.startswith("linux"):
            stat = Path("/proc/self/stat").read_text()
            start_ticks = int(stat.rsplit(")", 1)[1].split()[19])  # field 22: starttime
            uptime = float(Path("/proc/uptime").read_text().split()[0])
            return uptime - start_ticks / os.sysconf("SC_CLK_TCK")
        if sys.platform == "win32":
            import ctypes
            from ctypes import wintypes

            kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
            creation, exited, kernel, user, now = (wintypes.FILETIME() for _ in range(5))
            handle = kernel32.GetCurrentProcess()
            kernel32.GetProcessTimes(
                handle,
                ctypes.byref(creation),
                ctypes.byref(exited),
                ctypes.byref(kernel),
                ctypes.byref(user),
            )
            kernel32.GetSystemTimePreciseAsFileTime(ctypes.byref(now))

            def ticks(t: wintypes.FILETIME) -> int:
                return (t.dwHighDateTime << 32) | t.dwLowDateTime

            return (ticks(now) - ticks(creation)) / 1e7
    except (OSError, ValueError, IndexError, AttributeError):
        pass
    return None


def _say(line: str) -> None:
    """Print even where the console cannot encode Chinese (a cp1252 pipe on Windows)."""
    stream = sys.stdout
    if stream is None:  # windowed bundle: no console
        return
    encoding = getattr(stream, "encoding", None) or "utf-8"
    safe = line.encode(encoding, errors="replace").decode(encoding, errors="replace")
    print(safe, file=stream, flush=True)


def resources_folder() -> Path:
    """Where the app looks for resources: the folder ``ui/icons.py`` and friends name."""
    from ui.icons import ICONS

    return ICONS.parent


# --- checks: each returns a short detail and raises on failure ------------------------


def check_version() -> str:
    from app import __version__

    mode = "frozen" if getattr(sys, "frozen", False) else "source"
    return f"concord {__version__} ({mode}), Python {sys.version.split()[0]}, {sys.platform}"


def check_import(name: str) -> Callable[[], str]:
    def check() -> str:
        module = importlib.import_module(name)
        version = getattr(module, "__version__", None) or getattr(module, "VERSION", "")
        return str(version) if version else ""

    return check


def check_opencc() -> str:
    import opencc

    converted = opencc.OpenCC("t2s").convert("華")
    if converted != "华":
        raise AssertionError(f"t2s turned 華 into {converted!r}, expected 华")
    return "華 → 华"


def check_dialect(url: str, entry: str) -> Callable[[], str]:
    """A dialect and its driver load (``create_engine`` imports the driver; no connection)."""

    def check() -> str:
        from sqlalchemy import create_engine
        from sqlalchemy.dialects import registry

        registry.load(entry)
        engine = create_engine(url)
        try:
            driver = engine.dialect.driver
        finally:
            engine.dispose()
        detail = f"{engine.dialect.name}+{driver}"
        if driver == "psycopg":
            import psycopg

            # "python" would need a libpq installed on the workstation; a bundle has its own
            if psycopg.pq.__impl__ == "python" and getattr(sys, "frozen", False):
                raise AssertionError("psycopg_binary is missing: psycopg fell back to ctypes")
            libpq = psycopg.pq.version()  # e.g. 170004 for 17.4
            detail += f" (libpq {libpq // 10000}.{libpq % 10000}, {psycopg.pq.__impl__})"
        return detail

    return check


def check_keyring() -> str:
    """Backends are found through entry points, so the bundle must carry keyring's metadata."""
    from importlib.metadata import entry_points

    names = sorted(ep.name for ep in entry_points(group="keyring.backends"))
    wanted = {"win32": "Windows", "darwin": "macOS"}.get(sys.platform, "SecretService")
    if wanted not in names:
        raise AssertionError(f"no {wanted} backend among the keyring entry points {names}")
    if wanted == "SecretService":
        importlib.import_module("secretstorage")  # the backend needs it to be viable
    backend = importlib.import_module(f"keyring.backends.{wanted}").Keyring
    try:
        status = f"{wanted} usable (priority {backend.priority})"
    except Exception as error:  # no D-Bus session on a headless machine: not our fault
        if isinstance(error, ImportError) or "required" in str(error).lower():
            raise
        status = f"{wanted} present, not usable here ({str(error).splitlines()[0][:60]})"
    return f"{len(names)} backends; {status}"


def check_resources() -> str:
    from app.store.workspace import MIGRATIONS
    from ui.i18n import TRANSLATIONS
    from ui.qt_state import DEMO_FILES, SAMPLES, SETTLE_DEMO

    root = resources_folder()
    needed = [
        root / "icons" / "concord.svg",
        *(SAMPLES / name for name in DEMO_FILES),
        *SETTLE_DEMO,
        SAMPLES / "truth",
        MIGRATIONS / "env.py",
        MIGRATIONS / "script.py.mako",
    ]
    missing = [str(path) for path in needed if not path.exists()]
    if not TRANSLATIONS.is_dir():
        missing.append(str(TRANSLATIONS))
    if not list((SAMPLES / "truth").glob("*.csv")):
        missing.append(str(SAMPLES / "truth" / "*.csv"))
    versions = list((MIGRATIONS / "versions").glob("*.py"))
    if not versions:
        missing.append(str(MIGRATIONS / "versions" / "*.py"))
    if missing:
        raise FileNotFoundError("missing: " + ", ".join(missing))
    return f"{root} ({len(versions)} migrations)"


def check_workspace() -> str:
    from app.store.workspace import Workspace, head_revision

    with tempfile.TemporaryDirectory(prefix="concord-self-test-", ignore_cleanup_errors=True) as d:
        workspace = Workspace(Path(d) / "self-test.concord", user="self-test")
        try:
            revision = workspace.revision()
        finally:
            workspace.engine.dispose()
    if revision is None or revision != head_revision():
        raise AssertionError(f"workspace at revision {revision!r}, expected {head_revision()!r}")
    return f"SQLite, migrated to {revision}"


def _samples() -> Path:
    from ui.qt_state import SAMPLES

    return SAMPLES


def check_read_samples() -> str:
    from app.sources import Table, read_tables
    from ui.qt_state import DEMO_FILES

    tables = rows = 0
    for name in DEMO_FILES:
        found = [t for t in read_tables(_samples() / name) if isinstance(t, Table)]
        if not found:
            raise AssertionError(f"no table in {name}")
        tables += len(found)
        rows += sum(len(t) for t in found)
    return f"{len(DEMO_FILES)} files, {tables} tables, {rows} rows"


def check_workers() -> str:
    """Worker processes start from this build (a frozen one needs freeze_support) and
    give what this process computes."""
    from unittest import mock

    from app import workers
    from app.normalise import normalise_company

    names = [f"北京华信{k}科技有限公司" for k in range(2_000)]
    with (
        mock.patch.object(workers, "MIN_VALUES", 2),
        mock.patch.dict(os.environ, {workers.ENV: "2"}),
    ):
        started = time.perf_counter()
        try:
            found = workers.map_values(normalise_company, names)
        finally:
            workers.shutdown()
    if found != [normalise_company(name) for name in names]:
        raise AssertionError("worker processes gave a different result")
    return f"2 workers in {time.perf_counter() - started:.1f} s; {workers.cores()} cores here"


def check_reconcile() -> str:
    from app.reconcile.pipeline import RECONCILE, link_tables
    from app.reconcile.settings import load_settings
    from app.sources import Table, read_tables

    def largest(path: Path, sheet: str | None = None) -> Table:
        return max((t for t in read_tables(path, sheet) if isinstance(t, Table)), key=len)

    samples = _samples()
    tables = [
        largest(samples / DEMO_ERP[0], DEMO_ERP[1]),
        largest(samples / DEMO_CRM),
        largest(samples / DEMO_OA),
    ]
    for table, label in zip(tables, ("erp", "crm", "oa"), strict=True):
        table.label = label
    started = time.perf_counter()
    result = link_tables(tables, RECONCILE, load_settings(None))
    seconds = time.perf_counter() - started
    if not result.groups:
        raise AssertionError("the demo reconcile found no groups")
    complete = sum(1 for g in result.groups if len(g.members) == len(tables))
    return (
        f"{sum(len(t) for t in tables)} records, {len(result.groups)} groups "
        f"({complete} complete), {len(result.conflicts)} conflicts in {seconds:.1f} s"
    )


def check_image_formats() -> str:
    from PySide6.QtGui import QImageReader

    formats = {bytes(f.data()).decode() for f in QImageReader.supportedImageFormats()}
    missing = {"svg", "png", "jpeg", "ico"} - formats
    if missing:
        raise AssertionError(f"Qt cannot read {sorted(missing)} (has {sorted(formats)})")
    return "svg png jpeg ico"


def check_main_window(screenshot: Path | None = None, language: str = "") -> Callable[[], str]:
    """Show the main window and grab it; optionally in ``language``, saved to ``screenshot``."""

    def check() -> str:
        from PySide6.QtGui import QGuiApplication

        from ui.app import make_application, make_window
        from ui.i18n import set_language
        from ui.icons import icon

        app = make_application()
        if language:
            set_language(language)
        window = make_window()
        try:
            window.show()
            app.processEvents()
            image = window.grab()
            if image.isNull():
                raise AssertionError("the main window grabbed to an empty image")
            if icon("concord").pixmap(64, 64).isNull():
                raise AssertionError("the concord icon does not render (SVG icon engine?)")
            if screenshot is not None and not image.save(str(screenshot)):
                raise OSError(f"cannot write {screenshot}")
            size = f"{image.width()}x{image.height()}"
        finally:
            window.hide()  # not close(): closing saves the geometry into the user's settings
            window.deleteLater()
            app.processEvents()
        saved = f", saved to {screenshot}" if screenshot is not None else ""
        return f"{size} on {QGuiApplication.platformName()}{saved}"

    return check


def check_charts() -> str:
    """The painted charts of Overview and History (ui/qt_charts.py) draw their bars and
    points, with the fonts and raster engine of this build."""
    from PySide6.QtGui import QColor

    from ui.app import make_application
    from ui.qt_charts import QtBarChart, QtChartSeries, QtLineChart

    make_application()
    bars, line = QtBarChart(), QtLineChart()
    bars.set_title("Records per table")
    bars.set_bars(["erp", "crm"], [QtChartSeries("Matched", QColor("#2e7d5b"), (885, 40))])
    line.set_range(0, 100, 20)
    line.set_points("Auto-match rate (%)", [(1, 88.4), (2, 91.0)])
    for chart in (bars, line):
        chart.resize(480, 240)
    image = bars.grab().toImage()
    _, _, rect = bars.bar_rects()[0]
    if image.pixelColor(rect.center().toPoint()).name() != "#2e7d5b":
        raise AssertionError("the bar chart painted no bar")
    if line.grab().isNull() or not line.tooltip_at(line.point_position(2, 91.0)):
        raise AssertionError("the line chart painted no point")
    return f"bars {image.width()}x{image.height()}, {len(line.points)} points"


def check_translation() -> str:
    from PySide6.QtCore import QTranslator

    from ui.i18n import TRANSLATIONS

    loaded = []
    for name in ("concord_zh_CN", "qtbase_zh_CN"):
        path = TRANSLATIONS / f"{name}.qm"
        if not path.exists():
            continue
        translator = QTranslator()
        if not translator.load(str(path)) or translator.isEmpty():
            raise AssertionError(f"{path} does not load")
        loaded.append(name)
    if "concord_zh_CN" not in loaded:
        return "skipped: no concord_zh_CN.qm (run ./run translations)"
    return " + ".join(loaded)


def _checks(
    screenshot: Path | None = None, language: str = ""
) -> list[tuple[str, Callable[[], str]]]:
    imports = [name.removeprefix("import ") for name in CHECKS if name.startswith("import ")]
    checks: list[tuple[str, Callable[[], str]]] = [("version", check_version)]
    checks += [(f"import {name}", check_import(name)) for name in imports]
    checks += [
        ("opencc t2s", check_opencc),
        ("sqlalchemy sqlite", check_dialect("sqlite://", "sqlite.pysqlite")),
        (
            "sqlalchemy postgresql+psycopg",
            check_dialect("postgresql+psycopg://u@127.0.0.1:1/db", "postgresql.psycopg"),
        ),
        (
            "sqlalchemy mysql+pymysql",
            check_dialect("mysql+pymysql://u@127.0.0.1:1/db", "mysql.pymysql"),
        ),
        ("keyring backends", check_keyring),
        ("resources", check_resources),
        ("workspace", check_workspace),
        ("read samples", check_read_samples),
        ("reconcile demo", check_reconcile),
        ("engine workers", check_workers),
        ("qt image formats", check_image_formats),
        ("qt main window", check_main_window(screenshot, language)),
        ("qt charts", check_charts),
        ("translation zh_CN", check_translation),
    ]
    assert tuple(name for name, _ in checks) == CHECKS
    return checks


def run_checks(verbose: bool = False, screenshot: Path | None = None, language: str = "") -> int:
    """Run every check; the number that failed."""
    failed = 0
    for name, check in _checks(screenshot, language):
        started = time.perf_counter()
        try:
            detail = check()
        except Exception as error:
            failed += 1
            message = str(error).splitlines()[0] if str(error) else ""
            _say(f"FAIL  {name}: {type(error).__name__}: {message}")
            if verbose:
                _say(traceback.format_exc())
            continue
        seconds = time.perf_counter() - started
        _say(f"ok    {name}" + (f": {detail}" if detail else "") + f"  [{seconds:.2f} s]")
    total = len(CHECKS)
    if failed:
        _say(f"self-test: {failed} of {total} checks FAILED")
    else:
        _say(f"self-test: all {total} checks passed")
    return failed


def startup_benchmark() -> int:
    """Show the main window once and print how long it took since the process started."""
    from ui.app import make_application, make_window

    app = make_application()
    window = make_window()
    window.show()
    app.processEvents()
    shown = process_age()
    window.hide()
    if shown is None:
        _say("startup: this platform does not say when the process started")
        return 1
    _say(f"startup: main window shown {shown:.2f} s after the process started")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="concord self-test", description="Check that this Concord install works."
    )
    parser.add_argument(
        "--display", action="store_true", help="use the real display instead of offscreen"
    )
    parser.add_argument(
        "--startup-benchmark",
        action="store_true",
        help="only show the main window and print the seconds since the process started",
    )
    parser.add_argument("--verbose", action="store_true", help="print a traceback on failure")
    parser.add_argument(
        "--screenshot", type=Path, metavar="PNG", help="save the main window's grab here"
    )
    parser.add_argument(
        "--language", default="", metavar="CODE", help="show the window in zh_CN or en"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    if argv is None:  # from the launcher: ``concord self-test [OPTIONS]``
        argv = sys.argv[2:] if sys.argv[1:2] == ["self-test"] else []
    options = build_parser().parse_args(list(argv))
    if not options.display:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if options.startup_benchmark:
        return startup_benchmark()
    return 1 if run_checks(options.verbose, options.screenshot, options.language) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
