"""Regenerate the demo data in resources/samples, the same bytes every run:
``python -m bench.make_samples [--out DIR]`` (or ``./run samples``)."""

from __future__ import annotations

import argparse
from pathlib import Path

from bench import datagen_settle
from bench.datagen import World, generate, write_samples

SAMPLES = Path(__file__).resolve().parent.parent / "resources" / "samples"
N_CUSTOMERS, N_ORDERS, SEED = 250, 1000, 7
N_RECEIPTS = 300  # the receipts (收款单) of the settlement demo, in samples/settle


def demo_world() -> World:
    """The world behind resources/samples."""
    return generate(N_CUSTOMERS, N_ORDERS, SEED)


def write_all(out: Path) -> dict[str, Path]:
    """The demo world's four exports, and a receipts and invoices pair to settle."""
    paths = write_samples(demo_world(), out)
    settle = datagen_settle.write(datagen_settle.generate(N_RECEIPTS, SEED), out / "settle", SEED)
    return {**paths, **{f"settle {name}": path for name, path in settle.items()}}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--out", type=Path, default=SAMPLES, help="folder to write (default: %(default)s)"
    )
    args = parser.parse_args(argv)
    world = demo_world()
    for name, path in write_all(args.out).items():
        print(f"{name}: {path}")
    for table in ("erp_customers", "erp_orders", "crm_customers", "crm_orders", "oa_approvals"):
        print(f"  {table}: {len(getattr(world, table))} rows")
    print("  planted deals:", ", ".join(f"{p} {n}" for p, n in world.problem_counts().items()))


if __name__ == "__main__":
    main()
