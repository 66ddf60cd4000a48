"""Every benchmark in one run (``./run bench``): import speed, Febrl against Splink, our
own data, vendor-style exports and their document chain, documents with lines,
settlement, stock, scale. Figures are printed and saved to bench/out/results.json."""

from __future__ import annotations

import json
import platform
from datetime import datetime
from pathlib import Path

from bench import (
    chain_quality,
    export_speed,
    febrl,
    inventory_quality,
    lines_heldout,
    lines_quality,
    quality,
    read_speed,
    rerun,
    scale,
    settle_heldout,
    settle_quality,
    stock_quality,
    ui_speed,
    writeback_speed,
)

OUT = Path(__file__).resolve().parent / "out"


def main() -> None:
    results: dict[str, object] = {
        "when": datetime.now().isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {platform.python_version()}",
    }
    for name, module in (
        ("read", read_speed),
        ("febrl", febrl),
        ("own_data", quality),
        ("vendor_styles", chain_quality),
        ("documents_with_lines", lines_quality),
        ("documents_with_lines_heldout", lines_heldout),
        ("settlement", settle_quality),
        ("settlement_heldout", settle_heldout),
        ("stock", inventory_quality),
        ("stock_exports", stock_quality),
        ("scale", scale),
        ("writeback", writeback_speed),
        ("export", export_speed),
        ("rerun", rerun),
        ("ui", ui_speed),
    ):
        print(f"== {name}")
        results[name] = module.main()
    OUT.mkdir(exist_ok=True)
    (OUT / "results.json").write_text(json.dumps(results, indent=2, default=str), encoding="utf-8")
    print(f"figures saved to {OUT / 'results.json'}")


if __name__ == "__main__":
    main()
