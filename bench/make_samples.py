"""Regenerate the demo data in resources/samples, the same bytes every run:
``python -m bench.make_samples [--out DIR]`` (or ``./run samples``)."""

from __future__ import annotations

import argparse
from pathlib import Path

from bench.datagen import World, generate, write_samples

SAMPLES = Path(__file__).resolve().parent.parent / "resources" / "samples"
N_CUSTOMERS, N_ORDERS, SEED = 250, 1000, 7


def demo_world() -> World:
    """The world behind resources/samples."""
    return generate(N_CUSTOMERS, N_ORDERS, SEED)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--out", type=Path, default=SAMPLES, help="folder to write (default: %(default)s)"
    )
    args = parser.parse_args(argv)
    world = demo_world()
    for name, path in write_samples(world, args.out).items():
        print(f"{name}: {path}")
    for table in ("erp_customers", "erp_orders", "crm_customers", "crm_orders", "oa_approvals"):
        print(f"  {table}: {len(getattr(world, table))} rows")
    print("  planted deals:", ", ".join(f"{p} {n}" for p, n in world.problem_counts().items()))


if __name__ == "__main__":
    main()
