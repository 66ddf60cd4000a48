"""Settlement on a held-out world (``bench/datagen_settle_heldout.py``): receipts paying
1-5 invoices of their customer, partial payments, decoys of equal sums, receipts of other
customers with equal amounts, invoices never paid. Run as ``concord settle PAYMENTS
INVOICES --out DIR`` and scored on (receipt, invoice) pairs:

- found: the pairs of settlements.csv rows whose status is settled or partial (an
  ambiguous or unmatched row settles nothing);
- true: the pairs the world really paid, except those of receipts that are ambiguous by
  construction (the tool should flag those, not pick);
- ambiguous receipts: how many concord flagged ambiguous, settled anyway (with the true
  set or another) or left otherwise.

``python -m bench.settle_heldout [SEED]``
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

from bench import datagen_settle_heldout as gen
from bench.metrics import scores

ROOT = Path(__file__).resolve().parent.parent
STYLES = ["rows", "lines", "lines+setting"]  # the last: [documents] names the invoice number
SETTLED = {"settled", "partial"}


def _concord(*args: str) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).with_name("concord")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "app.cli"]
    return subprocess.run(cmd + list(args), cwd=ROOT, capture_output=True, text=True, check=False)


def _f1(found: set, true: set) -> dict:
    return {k: round(v, 4) if isinstance(v, float) else v for k, v in scores(found, true).items()}


def score(folder: Path, out: Path) -> dict:
    truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
    ambiguous = set(truth["ambiguous"])
    kinds = truth["kinds"]
    true_all = {(p, i) for p, i in truth["pairs"]}
    true = {(p, i) for p, i in true_all if p not in ambiguous}
    found: set = set()
    status_of: dict[str, set] = defaultdict(set)
    pairs_of: dict[str, set] = defaultdict(set)
    with (out / "settlements.csv").open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            status_of[row["payment_id"]].add(row["status"])
            if row["status"] in SETTLED and row["invoice_id"]:
                found.add((row["payment_id"], row["invoice_id"]))
                pairs_of[row["payment_id"]].add(row["invoice_id"])
    overall = _f1(found, true)
    per_kind = {}
    for kind in sorted(set(kinds.values()) - {"ambiguous"}):
        ids = {r for r, k in kinds.items() if k == kind}
        per_kind[kind] = _f1({x for x in found if x[0] in ids}, {x for x in true if x[0] in ids})
    true_sets: dict[str, set] = defaultdict(set)
    for p, i in true_all:
        true_sets[p].add(i)
    amb = Counter()
    for r in ambiguous:
        st = status_of.get(r, set())
        if "ambiguous" in st:
            amb["flagged_ambiguous"] += 1
        elif st & SETTLED:
            amb["settled_true_set" if pairs_of[r] == true_sets[r] else "settled_other_set"] += 1
        else:
            amb["other:" + "+".join(sorted(st)) if st else "missing"] += 1
    statuses = Counter()
    for r, st in status_of.items():
        statuses[f"{kinds.get(r, '?')}:{'+'.join(sorted(st))}"] += 1
    wrong = sorted({p for p, _i in found - true})[:12]
    missed = sorted({p for p, _i in true - found})[:12]
    return {
        "pairs": overall,
        "per_kind": per_kind,
        "ambiguous_receipts": dict(amb),
        "n_ambiguous": len(ambiguous),
        "status_by_kind": dict(sorted(statuses.items())),
        "wrong_receipts": wrong,
        "missed_receipts": missed,
        "receipts": truth["receipts"],
        "invoices": truth["invoices"],
    }


def run_world(style: str, seed: int = 3) -> dict:
    forced = style.endswith("+setting")
    folder = gen.write_world(style.removesuffix("+setting"), seed)
    truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
    out = folder / ("out_setting" if forced else "out")
    extra: list[str] = []
    if forced:
        settings = folder / "documents.toml"
        stem = Path(truth["files"]["invoices"]).stem
        settings.write_text(f'[documents]\n"{stem}" = "发票号"\n', encoding="utf-8")
        extra = ["--settings", str(settings)]
    t0 = time.perf_counter()
    res = _concord(
        "settle",
        "--quiet",
        *extra,
        "--out",
        str(out),
        str(folder / truth["files"]["payments"]),
        str(folder / truth["files"]["invoices"]),
    )
    seconds = round(time.perf_counter() - t0, 2)
    if res.returncode != 0:
        return {"error": res.stderr.strip()[-2000:], "rc": res.returncode}
    result = score(folder, out)
    result["seconds"] = seconds
    return result


def main(seed: int = 3) -> dict:
    results: dict[str, dict] = {}
    for style in STYLES:
        r = run_world(style, seed)
        results[style] = r
        if "error" in r:
            print(f"settle-{style}: concord failed ({r['rc']}): {r['error']}")
            continue
        p = r["pairs"]
        kinds = ", ".join(f"{k} {v['f1']:.3f}" for k, v in r["per_kind"].items())
        a = r["ambiguous_receipts"]
        print(
            f"settle-{style}: pairs F1 {p['f1']:.4f} (P {p['precision']:.4f} R {p['recall']:.4f}; {kinds}); "
            f"ambiguous by construction {r['n_ambiguous']}: flagged {a.get('flagged_ambiguous', 0)}, "
            f"settled with the true set {a.get('settled_true_set', 0)}, with another {a.get('settled_other_set', 0)}; "
            f"{r['receipts']} receipts, {r['invoices']} invoices; {r['seconds']} s"
        )
    return results


if __name__ == "__main__":
    out = main(*[int(a) for a in sys.argv[1:]])
    print(
        json.dumps(
            {
                k: {
                    x: v.get(x)
                    for x in (
                        "ambiguous_receipts",
                        "status_by_kind",
                        "wrong_receipts",
                        "missed_receipts",
                    )
                }
                for k, v in out.items()
            },
            ensure_ascii=False,
            indent=1,
        )
    )
