"""Benchmark: per-point memory of vmap(grad(potential)) for scotogenic_u1d (issue 17).

Compiles jit(vmap(grad(potential))) of the default problem (default priors and
constraints, smooth likelihood, 2021 Δa_μ) at two batch sizes and prints XLA's
temporary-buffer size per point (the slope between the two sizes, so fixed costs
drop out) and the compile time.  Run it against two checkouts to compare:

    PYTHONPATH=/path/to/checkout python benchmarks/bench_scotogenic_memory.py
"""

from __future__ import annotations

import argparse
import time

import jax

import jaxg2
from jaxg2 import config
from jaxg2.infer.problem import Problem


def temp_bytes(prob: Problem, n: int) -> tuple[int, float]:
    u = prob.prior_draws(jax.random.PRNGKey(0), n)
    # the inline potential: prob.potential of a big model calls a separately compiled
    # executable (jaxg2.compilation), whose buffers this program's memory_analysis() omits
    f = jax.jit(jax.vmap(jax.grad(lambda x: prob._inline_potential()(x, None))))
    t0 = time.perf_counter()
    compiled = f.lower(u).compile()
    dt = time.perf_counter() - t0
    return compiled.memory_analysis().temp_size_in_bytes, dt


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default="scotogenic_u1d")
    ap.add_argument("--sizes", type=int, nargs=2, default=(64, 256))
    args = ap.parse_args(argv)
    cfg = config.load({"fit": {"model": args.model, "scenario": "2021"}, "constraints": {"smooth": True}})
    prob = Problem(cfg, smooth=True)
    (b1, t1), (b2, t2) = (temp_bytes(prob, n) for n in args.sizes)
    n1, n2 = args.sizes
    print(f"jaxg2 from {jaxg2.__file__}")
    print(f"{args.model}: temp {b1 / 2**20:.1f} MiB at {n1}, {b2 / 2**20:.1f} MiB at {n2}; "
          f"{(b2 - b1) / (n2 - n1) / 2**20:.2f} MiB per point; compile {t1:.0f} s / {t2:.0f} s")


if __name__ == "__main__":
    main()
