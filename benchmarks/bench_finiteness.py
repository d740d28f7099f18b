"""Benchmark: non-finite values and gradients over prior draws, per model (issue 17).

For each model, ``--n`` seeded draws from its default priors (default constraints,
smooth likelihood, 2021 Δa_μ) go through the engine's likelihood observables and the
gradient of its potential, jit(vmap) in chunks of ``--chunk``
(``check_finiteness`` of tests/test_prior_finiteness.py).  Prints per model the number
of draws with a non-finite likelihood observable or potential ("bad values"), with a
non-finite potential gradient ("bad grads"), the compile+first-chunk time and the
steady-state draws/s.  The goal is 0 and 0 at 1e5 draws.

Draws are made and checked one chunk at a time (chunk ``i`` from key
``fold_in(PRNGKey(seed), i)``), so memory stays that of one chunk whatever ``--n``;
after every chunk a progress line (chunk count, bad so far, draws/s, time left) goes
to stderr.

    python benchmarks/bench_finiteness.py                      # 1e5 draws per model
    python benchmarks/bench_finiteness.py --n 2000 --models scotogenic_u1d dark_inverse_seesaw
"""

from __future__ import annotations

import argparse
import importlib.util
import pathlib
import sys
import time

import jax
import numpy as np

import jaxg2  # noqa: F401  (float64)


def _load_harness():
    path = pathlib.Path(__file__).resolve().parents[1] / "tests" / "test_prior_finiteness.py"
    spec = importlib.util.spec_from_file_location("_finiteness", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def main(argv=None):
    h = _load_harness()
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100_000, help="draws per model (default 1e5)")
    ap.add_argument("--chunk", type=int, default=1024, help="draws per vmapped chunk")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--models", nargs="+", default=list(h.MODELS), choices=h.MODELS)
    args = ap.parse_args(argv)

    print(f"{'model':<22}{'draws':>9}{'bad values':>12}{'bad grads':>11}{'compile+1st [s]':>17}{'draws/s':>10}")
    for name in args.models:
        prob = h.default_problem(name)
        chunk = min(args.chunk, args.n)
        t0 = time.perf_counter()
        h.warm_up(prob)
        check = h.chunk_checker(prob)                       # one compile per model
        key = jax.random.PRNGKey(args.seed)
        n_chunks = -(-args.n // chunk)
        bad_v = bad_g = done = 0
        t1 = None
        for i in range(n_chunks):
            ok_v, ok_g = check(prob.prior_draws(jax.random.fold_in(key, i), chunk))
            take = min(chunk, args.n - done)               # the last chunk: only what --n asks for
            bad_v += int(np.sum(~np.asarray(ok_v)[:take]))
            bad_g += int(np.sum(~np.asarray(ok_g)[:take]))
            done += take
            now = time.perf_counter()
            if t1 is None:                                  # compile + first chunk
                t1, first = now, take
                continue
            rate = (done - first) / (now - t1)
            print(f"  {name}: chunk {i + 1}/{n_chunks}, {done} draws, bad values {bad_v}, bad grads {bad_g}, "
                  f"{rate:.1f} draws/s, {(args.n - done) / rate:.0f} s left", file=sys.stderr, flush=True)
        rate = (done - first) / (time.perf_counter() - t1) if done > first else float("nan")
        print(f"{name:<22}{done:>9}{bad_v:>12}{bad_g:>11}{t1 - t0:>17.1f}{rate:>10.1f}", flush=True)


if __name__ == "__main__":
    main()
