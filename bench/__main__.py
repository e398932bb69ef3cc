"""Run the benchmarks and print one JSON object of figures.

    python -m bench [--only NAME] [--electors N] [--repeat K]

Each benchmark reports its own time, the baseline's time measured in the same
run on the same machine, and their ratio, which is the figure to watch:
absolute times on a shared 2-core machine drift by ±30 %.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys

from bench import import_register, merge_files, petition_bundle, record_electors, search_electors

BENCHMARKS = {
    "record_electors": record_electors.run,
    "import_register": import_register.run,
    "merge_files": merge_files.run,
    "search_electors": search_electors.run,
    "petition_bundle": petition_bundle.run,
}


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--only", choices=sorted(BENCHMARKS))
    parser.add_argument("--electors", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3, help="best of K runs of each side")
    args = parser.parse_args()
    results = {
        name: fn(electors=args.electors, repeat=args.repeat)
        for name, fn in BENCHMARKS.items()
        if args.only in (None, name)
    }
    report = {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "results": results,
    }
    json.dump(report, sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
