#!/usr/bin/env python3
"""Time loa's render-and-write stage (LOA_TIMINGS=1; the write streams during rendering) on the synthetic site, for one or more loa binaries
side by side: a first build into an empty folder, a rebuild with nothing changed, and a
rebuild after one page changed.

    python3 benches/write_step.py --loa target/release/loa [--loa /other/loa] [--pages 1000]

Binaries are run alternately, so that a noisy machine affects each alike; each figure is the
median of --runs runs. See docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GENERATOR = ROOT / "benches" / "gen_site.py"


def build(loa: Path, site: Path) -> tuple[float, float]:
    """Wall seconds of the whole build and of its render-and-write stage."""
    started = time.perf_counter()
    done = subprocess.run([str(loa), "build"], cwd=site, env={**os.environ, "LOA_TIMINGS": "1"},
                          capture_output=True, text=True)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"{loa} failed in {site}:\n{done.stderr}")
    found = re.search(r"^\s*render and write\s+([\d.]+) ms", done.stderr + done.stdout, re.MULTILINE)
    return wall, float(found.group(1)) / 1000 if found else float("nan")


def touch_one_page(site: Path, run: int) -> None:
    page = next(iter(sorted((site / "content").rglob("*.md"))))
    with page.open("a", encoding="utf-8") as file:
        file.write(f"\nThêm một câu, lần {run}.\n")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--loa", type=Path, action="append", required=True, help="a loa binary")
    ap.add_argument("--pages", type=int, default=1000, help="pages per language")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    base = Path(tempfile.mkdtemp(prefix="loa-write-"))
    try:
        sites = {}
        for index, loa in enumerate(args.loa):
            loa = loa.resolve()
            site = base / f"site-{index}"
            subprocess.run([sys.executable, str(GENERATOR), "--engine", "loa", "--pages",
                            str(args.pages), "--out", str(site), "--force"], check=True,
                           stdout=subprocess.DEVNULL)
            sites[loa.resolve()] = site
        results: dict[Path, dict[str, list[tuple[float, float]]]] = {
            loa: {"first": [], "unchanged": [], "one page": []} for loa in sites}
        for run in range(args.runs):
            for loa, site in sites.items():
                shutil.rmtree(site / "public", ignore_errors=True)
                results[loa]["first"].append(build(loa, site))
                results[loa]["unchanged"].append(build(loa, site))
                touch_one_page(site, run)
                results[loa]["one page"].append(build(loa, site))
        print(f"{'binary':<40} {'build':<10} {'wall s':>8} {'write s':>8}")
        for loa, kinds in results.items():
            for kind, samples in kinds.items():
                wall = statistics.median(w for w, _ in samples)
                write = statistics.median(s for _, s in samples)
                print(f"{str(loa):<40} {kind:<10} {wall:>8.2f} {write:>8.2f}")
    finally:
        shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
