"""Benchmark: jaxg2.sidm σ_T on a (v, m_φ, m_X) grid against a per-point scipy solve.

The grid spans dwarfs to clusters: v ∈ [10, 2000] km/s, m_φ ∈ [5, 100] MeV,
m_X ∈ [1, 50] GeV (log-uniform random points, fixed seed), attractive Yukawa,
α = 1e−2 by default, so κ = m_X v/(2 m_φ) ≤ 33 and b = α m_X/m_φ ≤ 100 (the
partial-wave regime).  The baseline is the independent scipy DOP853
Schrödinger solver of tests/test_sidm.py (one solve_ivp per partial wave,
stopping when three consecutive |δ_ℓ| < 1e−7), run per point on a
κ-stratified subset of --baseline points; its per-point time is extrapolated to
the whole grid for the speed ratio, and the max relative error is taken over the
subset.

    python benchmarks/bench_sidm.py                      # 1000 points, CPU
    python benchmarks/bench_sidm.py --points 100000      # GPU
"""

from __future__ import annotations

import argparse
import importlib.util
import pathlib
import time

import jax
import jax.numpy as jnp
import numpy as np

import jaxg2  # noqa: F401
from jaxg2 import constants as C
from jaxg2 import sidm


def _load_reference():
    path = pathlib.Path(__file__).resolve().parents[1] / "tests" / "test_sidm.py"
    spec = importlib.util.spec_from_file_location("_sidm_ref", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod._ref_sigmas


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--points", type=int, default=1000)
    p.add_argument("--baseline", type=int, default=6, help="scipy per-point solves (subset)")
    p.add_argument("--alpha", type=float, default=1e-2)
    p.add_argument("--particles", default="majorana", choices=["distinguishable", "majorana"])
    p.add_argument("--kappa-max", type=float, default=50.0)
    p.add_argument("--chunk", type=int, default=250, help="points per vmapped call")
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args()

    rng = np.random.default_rng(args.seed)
    n = args.points
    v = 10 ** rng.uniform(1, np.log10(2000), n)  # km/s
    m_phi = 10 ** rng.uniform(np.log10(5e-3), -1, n)  # GeV
    m_x = 10 ** rng.uniform(0, np.log10(50), n)  # GeV
    a = v * C.KM_S_TO_C / (2 * args.alpha)
    b = args.alpha * m_x / m_phi
    kappa = a * b
    print(f"{n} points: κ ∈ [{kappa.min():.2e}, {kappa.max():.1f}], b ∈ [{b.min():.2f}, {b.max():.1f}]"
          f", device {jax.devices()[0].platform}")

    fn = jax.jit(lambda a, b: sidm.sigma_transfer_ab(a, b, particles=args.particles,
                                                     kappa_max=args.kappa_max))
    chunk = min(args.chunk, n)
    pad = (-n) % chunk
    ap, bp = np.concatenate([a, a[:pad]]), np.concatenate([b, b[:pad]])
    t0 = time.perf_counter()
    fn(jnp.asarray(ap[:chunk]), jnp.asarray(bp[:chunk])).block_until_ready()
    t_compile = time.perf_counter() - t0
    t0 = time.perf_counter()
    out = np.concatenate([np.asarray(fn(jnp.asarray(ap[i:i + chunk]), jnp.asarray(bp[i:i + chunk])))
                          for i in range(0, n + pad, chunk)])[:n]
    t_jax = time.perf_counter() - t0
    print(f"jaxg2.sidm: compile {t_compile:.1f} s, run {t_jax:.2f} s = {1e3 * t_jax / n:.3f} ms/point")

    ref_sigmas = _load_reference()
    order = np.argsort(kappa)
    idx = order[np.linspace(0, n - 1, args.baseline).astype(int)]
    errs, t_ref = [], 0.0
    for i in idx:
        t0 = time.perf_counter()
        _, ref = ref_sigmas(kappa[i], b[i], 1.0)
        t_ref += time.perf_counter() - t0
        r = ref[("transfer", args.particles)]
        errs.append(abs(out[i] / r - 1))
        print(f"  κ={kappa[i]:9.3e} b={b[i]:8.3f}  jax {out[i]:.6e}  scipy {r:.6e}  rel {errs[-1]:.1e}")
    per_ref = t_ref / len(idx)
    print(f"scipy baseline: {per_ref:.2f} s/point (κ-stratified subset of {len(idx)})")
    print(f"speed ratio (scipy per point × {n} / jax total): {per_ref * n / t_jax:.0f}×")
    print(f"max relative error on the subset: {max(errs):.2e}")


if __name__ == "__main__":
    main()
