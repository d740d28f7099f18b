"""Benchmark: peak memory and points/s of a large chunked scan (``jaxg2 scan`` path).

Runs the ``[scan]`` of a config with ``x.num``/``y.num`` overridden, writing
``<output>/scan/scan.npz`` as the command does, and prints the wall time, points/s
and the peak resident set size of this process (``getrusage(RUSAGE_SELF).ru_maxrss``,
which includes JAX's compile-time memory) against the size of the whole result (what
an unchunked scan would hold in memory at once).  ``--max-chunks K`` stops after K chunks
(the compute phase only: its memory does not grow with the grid) — for models too
slow for the whole grid on a CPU.

    python benchmarks/bench_scan_memory.py fits/lmu_ltau_2021.toml --num 3163 --max-chunks 3
    PYTHONPATH=tests python benchmarks/bench_scan_memory.py toy --num 3163
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
import tomllib
from pathlib import Path

import numpy as np

import jaxg2

TOY = """
[fit]
model = "test_infer_problem:TOY"
scenario = "2021"
[scan]
x = { name = "m", low = 1e-3, high = 1.0, num = 10, log = true }
y = { name = "a", low = -4, high = 6, num = 10 }
"""


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("config", help="TOML config, or 'toy' (the test model; needs PYTHONPATH=tests)")
    p.add_argument("--num", type=int, default=1000, help="points per axis")
    p.add_argument("--chunk", type=int, default=None, help="override scan.chunk")
    p.add_argument("--max-chunks", type=int, default=None)
    p.add_argument("--output", default="runs/bench_scan_memory")
    args = p.parse_args()
    raw = tomllib.loads(TOY) if args.config == "toy" else tomllib.loads(Path(args.config).read_text())
    raw.pop("fast", None)
    raw["fit"]["output"] = args.output
    for ax in ("x", "y"):
        if ax in raw["scan"]:
            raw["scan"][ax]["num"] = args.num
    if args.chunk:
        raw["scan"]["chunk"] = args.chunk
    npts = args.num ** (2 if "y" in raw["scan"] else 1)
    t0 = time.perf_counter()
    res = jaxg2.scan(raw, fast=False, progress=True, _max_chunks=args.max_chunks)
    wall = time.perf_counter() - t0
    done = npts if res is not None else args.max_chunks * min(raw["scan"].get("chunk", 4096), npts)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20  # kB -> GiB
    # baseline: the bytes of the whole result, what an unchunked in-memory scan holds at once
    if res is None:
        with np.load(Path(args.output) / "scan" / "chunks" / "chunk_0000000.npz") as f:
            per_point = sum(f[k].nbytes / f[k].shape[0] for k in f.files if k != "fingerprint")
    else:
        with np.load(res.path) as f:
            per_point = sum(f[k].nbytes for k in f.files if k not in ("x", "y", "meta")) / npts
    full = per_point * npts / 2**30
    print(f"{args.config}: grid {npts:.3g} points, evaluated {done:.3g} in {wall:.1f} s "
          f"({done / wall:.3g} points/s, compile included)")
    print(f"peak RSS {rss:.2f} GiB; the whole result is {full:.2f} GiB (ratio {full / rss:.2f})")
    if res is not None:
        print(f"wrote {res.path} ({res.path.stat().st_size / 2**30:.2f} GiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
