"""Regenerate the demo data in resources/samples (deterministic): ``./run samples``."""

from __future__ import annotations

import argparse
from pathlib import Path

from bench.world import generate
from bench.world_files import write_world

SAMPLES = Path(__file__).resolve().parent.parent / "resources" / "samples"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=SAMPLES)
    args = parser.parse_args()
    for name, path in write_world(generate(), args.out).items():
        print(f"{name}: {path}")


if __name__ == "__main__":
    main()
