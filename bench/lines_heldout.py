"""Documents with lines on a held-out world (``bench/datagen_lines_heldout.py``): the ERP
export holds sales-order lines (Kingdee repeated heads, U8 heads on the first line only
with a title and a 合计 row; GB18030 CSV and xlsx), against CRM contracts and OA
approvals one row per order. Run through the command line as a user would, scored
against the generator's truth:

- documents: pairwise F1 over (table, deal) units — two records are a true pair when they
  belong to the same deal, a found pair when concord put them in one group;
- conflicts: F1 over (deal, kind): a conflicts.csv row counts for the deal its group
  holds (the deal of most of the group's records) and its ``kind``; planted are money
  (an ERP line's quantity or price changed, or the OA amount), date (the ERP date weeks
  off) and the chain exceptions booked_without_approval, approved_not_booked and
  won_not_submitted. Deals approved in the OA but missing from the ERP are left out
  (whether that is also approved_not_booked is a reading, not a fact);
- inspect: whether ``concord inspect`` says the ERP file holds document lines and names
  the document column.

``python -m bench.lines_heldout [SEED] [DEALS]``
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import time
from collections import Counter, defaultdict
from itertools import combinations
from pathlib import Path

from bench import datagen_lines_heldout as gen
from bench.metrics import scores

ROOT = Path(__file__).resolve().parent.parent
CONCORD = [sys.executable, "-m", "app.cli"]
STYLES = [("kingdee", "csv"), ("kingdee", "xlsx"), ("u8", "csv"), ("u8", "xlsx")]
DOC_COLUMN = {"kingdee": "单据编号", "u8": "订单号"}


def _concord(*args: str) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).with_name("concord")
    cmd = [str(exe)] if exe.exists() else CONCORD
    return subprocess.run(cmd + list(args), cwd=ROOT, capture_output=True, text=True, check=False)


def _f1(found: set, true: set) -> dict:
    return {k: round(v, 4) if isinstance(v, float) else v for k, v in scores(found, true).items()}


def _deal_of(truth: dict, table: str, record_id: str) -> int | None:
    ids = truth["tables"].get(table, {})
    if record_id in ids:
        return ids[record_id]
    rows = truth["rows"].get(table, {})
    if record_id in rows:
        return rows[record_id]
    for k, v in ids.items():  # a spelling of the number (case, zero padding)
        if k.upper().lstrip("0") == record_id.upper().lstrip("0"):
            return v
    return None


def score(folder: Path, out: Path) -> dict:
    truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
    unscored = set(truth["unscored"])
    # links
    members: dict[str, list[tuple[str, int | None, str]]] = defaultdict(list)
    unknown: list[tuple[str, str]] = []
    records_per_table: Counter = Counter()
    with (out / "links.csv").open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            deal = _deal_of(truth, row["table"], row["record_id"])
            if deal is None:
                unknown.append((row["table"], row["record_id"]))
            members[row["entity_id"]].append((row["table"], deal, row["record_id"]))
            records_per_table[row["table"]] += 1
    found_pairs: set = set()
    for recs in members.values():
        units = sorted({(t, d if d is not None else f"?{rid}") for t, d, rid in recs}, key=str)
        for a, b in combinations(units, 2):
            found_pairs.add((a, b) if str(a) <= str(b) else (b, a))
    by_deal: dict[int, set] = defaultdict(set)
    for table, ids in truth["tables"].items():
        for deal in ids.values():
            by_deal[deal].add((table, deal))
    true_pairs: set = set()
    for units in by_deal.values():
        for a, b in combinations(sorted(units, key=str), 2):
            true_pairs.add((a, b) if str(a) <= str(b) else (b, a))
    docs = _f1(found_pairs, true_pairs)

    # conflicts
    entity_deal: dict[str, int | None] = {}
    for eid, recs in members.items():
        c = Counter(d for _t, d, _r in recs if d is not None)
        entity_deal[eid] = c.most_common(1)[0][0] if c else None
    reported: set = set()
    reported_rows: dict = defaultdict(list)
    with (out / "conflicts.csv").open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            deal = entity_deal.get(row["entity_id"])
            if deal in unscored:
                continue
            key = (deal if deal is not None else f"?{row['entity_id']}", row["kind"])
            reported.add(key)
            reported_rows[key].append(row)
    planted = {(d, k) for d, k in truth["planted"] if d not in unscored}
    conflicts = _f1(reported, planted)
    kinds = sorted({k for _d, k in planted | reported})
    per_kind = {
        k: _f1({x for x in reported if x[1] == k}, {x for x in planted if x[1] == k}) for k in kinds
    }
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    unscored_kinds = Counter()
    with (out / "conflicts.csv").open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            if entity_deal.get(row["entity_id"]) in unscored:
                unscored_kinds[row["kind"]] += 1
    return {
        "documents": docs,
        "conflicts": conflicts,
        "per_kind": per_kind,
        "records_per_table": dict(records_per_table),
        "erp_documents_true": truth["erp_documents"],
        "erp_lines": truth["erp_lines"],
        "unknown_records": unknown[:10],
        "n_unknown": len(unknown),
        "false_positives": sorted(map(str, reported - planted))[:15],
        "missed": sorted(map(str, planted - reported))[:15],
        "unscored_deals": len(unscored),
        "kinds_on_unscored_deals": dict(unscored_kinds),
        "summary_totals": summary.get("totals"),
    }


def inspect(path: Path, style: str) -> dict:
    res = _concord("inspect", str(path))
    text = res.stdout
    head = text.splitlines()[:3]
    holds = "documents of" in text and "lines of documents by" in text
    names = f"lines of documents by {DOC_COLUMN[style]}" in text
    return {
        "holds_lines": holds,
        "names_document_column": names,
        "head": head,
        "rc": res.returncode,
    }


def run_world(style: str, fmt: str, seed: int = 5, deals: int = 1500) -> dict:
    folder = gen.write_world(style, fmt, seed, deals)
    truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
    files = truth["files"]
    out = folder / "out"
    ins = inspect(folder / files["erp"], style)
    t0 = time.perf_counter()
    res = _concord(
        "reconcile",
        "--quiet",
        "--out",
        str(out),
        f"erp={folder / files['erp']}",
        f"crm={folder / files['crm']}",
        f"oa={folder / files['oa']}",
    )
    seconds = round(time.perf_counter() - t0, 2)
    if res.returncode != 0:
        return {"error": res.stderr.strip()[-2000:], "rc": res.returncode, "inspect": ins}
    result = score(folder, out)
    result["seconds"] = seconds
    result["inspect"] = ins
    return result


def main(seed: int = 5, deals: int = 1500) -> dict:
    results: dict[str, dict] = {}
    for style, fmt in STYLES:
        name = f"{style}-{fmt}"
        r = run_world(style, fmt, seed, deals)
        results[name] = r
        if "error" in r:
            print(f"{name}: concord failed ({r['rc']}): {r['error']}")
            continue
        d, c = r["documents"], r["conflicts"]
        kinds = ", ".join(f"{k} {v['f1']:.3f}" for k, v in r["per_kind"].items())
        print(
            f"{name}: documents F1 {d['f1']:.4f} (P {d['precision']:.4f} R {d['recall']:.4f}); "
            f"conflicts F1 {c['f1']:.4f} (P {c['precision']:.4f} R {c['recall']:.4f}; {kinds}); "
            f"ERP read as {r['records_per_table'].get('erp')} records of {r['erp_documents_true']} documents "
            f"/ {r['erp_lines']} lines; inspect lines={r['inspect']['holds_lines']} "
            f"column={r['inspect']['names_document_column']}; {r['seconds']} s"
        )
    return results


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:]]
    out = main(*args)
    print(
        json.dumps(
            {
                k: {
                    x: v[x]
                    for x in (
                        "false_positives",
                        "missed",
                        "unknown_records",
                        "kinds_on_unscored_deals",
                    )
                    if x in v
                }
                for k, v in out.items()
            },
            ensure_ascii=False,
            indent=1,
        )
    )
