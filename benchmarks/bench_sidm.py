"""Benchmark: jaxg2.sidm σ_T per point, accuracy="exact" vs "fit", against a scipy solve.

The grid spans dwarfs to clusters: v ∈ [10, 2000] km/s, m_φ ∈ [5, 100] MeV,
m_X ∈ [1, 50] GeV (log-uniform random points, fixed seed), attractive Yukawa,
α = 1e−2 by default, so κ = m_X v/(2 m_φ) ≤ 33 and b = α m_X/m_φ ≤ 100 (the
partial-wave regime); kappa_max = 50 as in the lmu_ltau model.  For each accuracy
mode the script times, in one process: compilation (first call, separately), the
value per point, and value + gradient (∂σ/∂a, ∂σ/∂b by vmap(grad)) per point —
wall clock and process CPU time (the machine is shared: CPU time is the steadier
number; the load average is printed).  The baseline is the independent scipy
DOP853 Schrödinger solver of tests/test_sidm.py (one solve_ivp per partial wave of
the same radial equation, stopping when three consecutive |δ_ℓ| < 1e−7), run per
point on a κ-stratified subset of --baseline points; its per-point time is compared
with the per-point times above, and both modes' errors are taken against it on the
subset; "fit" is compared with "exact" on every point.

    python benchmarks/bench_sidm.py                      # 1000 points, CPU
    python benchmarks/bench_sidm.py --points 100000      # GPU
"""

from __future__ import annotations

import argparse
import importlib.util
import os
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


def _timed(fn, chunks):
    """(wall s, CPU s, outputs) of fn over the chunks (already compiled)."""
    t0, c0 = time.perf_counter(), time.process_time()
    out = [jax.block_until_ready(fn(*c)) for c in chunks]
    return time.perf_counter() - t0, time.process_time() - c0, out


def _mode(accuracy, args, chunks, n):
    sig = lambda a, b: sidm.sigma_transfer_ab(a, b, particles=args.particles,  # noqa: E731
                                              kappa_max=args.kappa_max, accuracy=accuracy)
    val = jax.jit(sig)
    vg = jax.jit(jax.vmap(jax.value_and_grad(sig, argnums=(0, 1))))
    row = {}
    for name, fn in (("value", val), ("value+grad", vg)):
        t0, c0 = time.perf_counter(), time.process_time()
        jax.block_until_ready(fn(*chunks[0]))
        comp = (time.perf_counter() - t0, time.process_time() - c0)
        wall, cpu, out = _timed(fn, chunks)
        row[name] = (comp, wall / n, cpu / n)
        if name == "value":
            values = np.concatenate([np.asarray(o) for o in out])[:n]
        else:
            g = np.concatenate([np.asarray(o[1][0]) for o in out])[:n]
            assert np.all(np.isfinite(g)), f"non-finite gradient ({accuracy})"
    for name, ((cw, cc), w, c) in row.items():
        print(f"  {accuracy:5s} {name:10s}: compile {cw:5.1f} s wall ({cc:5.1f} s CPU), "
              f"run {1e3 * w:7.3f} ms/point wall, {1e3 * c:7.3f} ms/point CPU")
    return values, row


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
          f", device {jax.devices()[0].platform}, load average {os.getloadavg()}")

    chunk = min(args.chunk, n)
    pad = (-n) % chunk
    ap, bp = np.concatenate([a, a[:pad]]), np.concatenate([b, b[:pad]])
    chunks = [(jnp.asarray(ap[i:i + chunk]), jnp.asarray(bp[i:i + chunk]))
              for i in range(0, n + pad, chunk)]
    out, rows = {}, {}
    for acc in ("exact", "fit"):
        out[acc], rows[acc] = _mode(acc, args, chunks, n)
    err_fit = np.abs(out["fit"] / out["exact"] - 1)
    print(f"fit vs exact on all {n} points: max relative error {err_fit.max():.2e}")

    ref_sigmas = _load_reference()
    order = np.argsort(kappa)
    idx = order[np.linspace(0, n - 1, args.baseline).astype(int)]
    errs, t_ref = {"exact": [], "fit": []}, 0.0
    for i in idx:
        t0 = time.perf_counter()
        _, ref = ref_sigmas(kappa[i], b[i], 1.0)
        t_ref += time.perf_counter() - t0
        r = ref[("transfer", args.particles)]
        for acc in errs:
            errs[acc].append(abs(out[acc][i] / r - 1))
        print(f"  κ={kappa[i]:9.3e} b={b[i]:8.3f}  exact {out['exact'][i]:.6e}  fit "
              f"{out['fit'][i]:.6e}  scipy {r:.6e}")
    per_ref = t_ref / len(idx)
    print(f"scipy baseline: {per_ref:.2f} s/point (κ-stratified subset of {len(idx)}), max relative "
          f"error vs scipy: exact {max(errs['exact']):.1e}, fit {max(errs['fit']):.1e}")
    print(f"load average {os.getloadavg()}")
    print("per-point speed ratios (CPU time; wall in brackets):")
    for name in ("value", "value+grad"):
        (_, we, ce), (_, wf, cf) = rows["exact"][name], rows["fit"][name]
        print(f"  {name:10s}: exact/fit {ce / cf:5.1f}× [{we / wf:5.1f}×]")
    for acc in ("exact", "fit"):
        _, w, c = rows[acc]["value"]
        print(f"  scipy/{acc} (value): {per_ref / c:8.0f}× [{per_ref / w:8.0f}×]")


if __name__ == "__main__":
    main()
